"""Snapshots of ``show`` and ``stats``: plain renderings at 80 columns, colour off.

Each file under ``tests/snapshots/<view>/`` is what the command printed for one input,
kept as plain text so a reviewer reads it as a user would see it.  They change only
on purpose: ``UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_show.py
tests/test_stats.py`` rewrites them from the current output; review
``git diff tests/snapshots`` before committing.  Inputs beyond the seeds (the two
listing examples of issue 6, a page with problems) are in ``inputs/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import run

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
INPUTS = HERE / "inputs"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
EXAMPLES = sorted(INPUTS.glob("*.txt"))
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
WIDTH = 80


def relative(path: Path) -> str:
    """The path as a user in the project folder types it, so snapshots name it so."""
    return str(path.relative_to(ROOT))


def invoke(args: list[str], width: int = WIDTH, stdin: bytes | None = None,
           env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    """Run anp-extract in-process from the project folder, at a fixed width, no terminal."""
    ran = run(args, stdin, {"COLUMNS": str(width), "NO_COLOR": None, **(env or {})}, cwd=ROOT)
    return ran.code, ran.stdout, ran.err


def check(name: str, text: str) -> None:
    """*text* equals the snapshot *name*; with UPDATE_SNAPSHOTS=1 the snapshot is rewritten."""
    path = HERE / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path}: run with UPDATE_SNAPSHOTS=1, then review it")
    expected = path.read_text("utf-8")
    assert text == expected, (
        f"output differs from {path}; if the change is meant, rerun with "
        "UPDATE_SNAPSHOTS=1 and review git diff tests/snapshots"
    )
