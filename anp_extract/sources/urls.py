"""fsspec URLs as inputs (``s3://bucket/scrape/``, ``gs://…``, ``file://…``), so that the
workers of a cluster read what the parent names, and a WARC or an archive in a bucket
is read as a stream like a local one.

A URL is walked like a folder (``--glob`` on the names, hidden names skipped); a file's
size, modification time and bytes come from its file system, so the manifest,
``--resume`` and ``--now mtime`` work on URLs as on local files.  Needs the ``dask``
extra (fsspec; s3fs for ``s3://``).
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from ..errors import need

if TYPE_CHECKING:
    from .files import WalkOptions


def is_url(path: str) -> bool:
    """Whether *path* is an fsspec URL (``proto://…``) rather than a local path."""
    head, sep, _ = path.partition("://")
    return bool(sep) and head.isidentifier()


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of *url* and the path within it."""
    fsspec = need("fsspec", "dask", "A URL")
    return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]


def walk(url: str, options: WalkOptions) -> list[str]:
    """The files under *url* whose names match the patterns of *options* (the URL itself
    if it is a file), sorted, as URLs; hidden names skipped.  OSError when it cannot be
    listed."""
    fs, root = filesystem(url)
    if fs.isfile(root):
        return [url]
    prefix = f"{url.partition('://')[0]}://"
    found = []
    for path in fs.find(root):
        inner = posixpath.relpath(path, root.rstrip("/"))
        if any(part.startswith(".") for part in inner.split("/")):
            continue
        if options.matches(inner, posixpath.basename(path)):
            found.append(prefix + path.removeprefix(prefix))
    return sorted(found)


def _mtime_ns(info: dict[str, Any]) -> int:
    """A modification time in ns from an fsspec ``info`` (local, S3, GCS spell it apart)."""
    when = info.get("mtime", info.get("LastModified", info.get("updated")))
    if isinstance(when, datetime):
        return int(when.timestamp() * 1_000_000_000)
    if isinstance(when, str):
        return int(datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp() * 1e9)
    return int(float(when or 0) * 1_000_000_000)


def stat(url: str) -> tuple[int, int]:
    """(size, modification time in ns) of the file at *url*; OSError if there is none."""
    fs, path = filesystem(url)
    info = fs.info(path)
    if info.get("type") != "file":
        raise IsADirectoryError(21, "is a directory", url)
    return int(info["size"]), _mtime_ns(info)


def open_url(url: str) -> IO[bytes]:
    """The file at *url*, open for reading as a stream (seekable: a zip's index is read
    from its end).  OSError when there is none."""
    fs, path = filesystem(url)
    if not fs.isfile(path):
        raise (IsADirectoryError if fs.isdir(path) else FileNotFoundError)(url)
    return fs.open(path, "rb")  # type: ignore[no-any-return]
