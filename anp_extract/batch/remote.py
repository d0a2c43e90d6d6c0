"""An fsspec URL as convert's output (``-o s3://bucket/news.parquet``): written to a
local temporary file and uploaded whole at the end (object stores replace objects).
URLs as inputs are read by ``sources.urls``, as every input is read by ``sources``.
"""

from __future__ import annotations

from ..sources.urls import filesystem, is_url

__all__ = ["is_url", "upload"]


def upload(local: str, url: str) -> None:
    """Put the finished file *local* at *url*."""
    fs, path = filesystem(url)
    fs.put_file(local, path)
