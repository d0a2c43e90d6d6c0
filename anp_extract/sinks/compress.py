"""Compressed outputs, named by their last extension: ``pages.jsonl.gz``, ``.csv.zst``.

Any text format can be compressed; the format is named by the extension before (or by
--to).  The bytes do not depend on when or where they were made: gzip without a name
or a time in its header, zstd at a fixed level without a content size.
"""

from __future__ import annotations

import contextlib
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import need

# Compressed by the name's last extension: the compression, its extra (None: stdlib).
COMPRESSIONS: dict[str, tuple[str, str | None]] = {
    ".gz": ("gzip", None),
    ".zst": ("zstd", "zstd"),
}
GZIP_LEVEL, ZSTD_LEVEL = 6, 10


def compression_for(path: str) -> str | None:
    """The compression a file name's last extension names, or None."""
    found = COMPRESSIONS.get(Path(path).suffix.lower())
    return found[0] if found else None


def uncompressed_name(path: str) -> str:
    """*path* without its compression extension (the name that gives the format)."""
    return path[: -len(Path(path).suffix)] if compression_for(path) else path


def check(compression: str | None) -> None:
    """:class:`MissingExtra` when the module a compression needs is not installed."""
    if compression == "zstd":
        need("zstandard", "zstd", "a .zst output")


@contextlib.contextmanager
def compressed(stream: IO[bytes], compression: str | None) -> Iterator[IO[bytes]]:
    """A stream that writes *stream* compressed; *stream* itself without compression.
    Closing it finishes the compressed frame and leaves *stream* open."""
    if compression is None:
        yield stream
    elif compression == "gzip":
        with gzip.GzipFile(filename="", mode="wb", fileobj=stream, compresslevel=GZIP_LEVEL,
                           mtime=0) as packed:
            yield packed  # type: ignore[misc]
    else:
        zstandard = need("zstandard", "zstd", "a .zst output")
        writer = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(
            stream, closefd=False)
        with writer:
            yield writer
    stream.flush()
