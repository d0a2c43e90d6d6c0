"""fsspec URLs as convert's inputs and output (``s3://bucket/scrape/``, ``gs://…``,
``file://…``), so that the workers of a cluster read what the parent names.

An input URL is walked like a folder (``--glob`` on the names, hidden names skipped),
and each file's size, modification time and bytes come from its file system: the
manifest, ``--resume`` and ``--now mtime`` work on them as on local files.  An output
URL is written to a local temporary file and uploaded whole at the end.
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from typing import Any

from ..core.page import ParseOptions
from ..errors import AnpExtractError
from ..sinks.base import need
from ..sources import AMSTERDAM, Document, WalkOptions, page_options


def is_url(path: str) -> bool:
    """Whether *path* is an fsspec URL (``proto://…``) rather than a local path."""
    head, sep, _ = path.partition("://")
    return bool(sep) and head.isidentifier()


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of *url* and the path within it."""
    fsspec = need("fsspec", "dask", "A URL")
    return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]


def _protocol(url: str) -> str:
    return url.partition("://")[0]


def walk(url: str, options: WalkOptions) -> list[str]:
    """The files under *url* whose names match the patterns of *options* (the URL itself
    if it is a file), sorted, as URLs; hidden names skipped.  OSError when it cannot be
    listed."""
    fs, root = filesystem(url)
    if fs.isfile(root):
        return [url]
    prefix = f"{_protocol(url)}://"
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


def read(url: str) -> bytes:
    fs, path = filesystem(url)
    return fs.cat_file(path)  # type: ignore[no-any-return]


def convert_url(path: str, options: ParseOptions, output: Any, now_from_mtime: bool) -> Any:
    """``job.convert_one`` for a URL: the same result, read through fsspec."""
    from .job import converted, failed_read

    try:
        size, mtime_ns = stat(path)
        when = datetime.fromtimestamp(mtime_ns / 1e9, AMSTERDAM) if now_from_mtime else None
        document = Document(path, read(path), when)
        return converted(document, page_options(options, document, now_from_mtime), output,
                         size, mtime_ns)
    except (AnpExtractError, OSError) as exc:
        return failed_read(path, exc)


def upload(local: str, url: str) -> None:
    """Put the finished file *local* at *url* (whole: object stores replace objects)."""
    fs, path = filesystem(url)
    fs.put_file(local, path)
