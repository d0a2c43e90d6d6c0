"""Commands of this group register on ``app`` here (being written)."""

from __future__ import annotations

from . import app  # noqa: F401
