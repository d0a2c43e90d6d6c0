"""Compressed streams: gzip, bzip2, xz and zstd, told by their magic bytes, not the name.

Everything is read as a stream: a compressed page is decompressed in bounded chunks up
to the page size limit, an archive inside one is handed on still streaming.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from typing import IO

from ..errors import InputError
from .files import MAX_PAGE_SIZE, read_limited

# Magic bytes at the start of each compressed format, and its name in messages.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)
# Bytes peeked to tell what an input is (a tar header is 512 bytes): as much as one
# buffered read gives, so that most pages are whole in their head and read no further.
HEAD = 8 << 10


def compression(head: bytes) -> str | None:
    """The compression whose magic bytes *head* starts with; None for none."""
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    return None


class Peeked:
    """A read-only stream whose first bytes were read already to look at them."""

    def __init__(self, stream: IO[bytes], size: int = HEAD) -> None:
        self.stream = stream
        self.head = _read_some(stream, size)
        self.whole = len(self.head) < size  # the end was reached: nothing more to read
        self.served = 0

    def read(self, size: int = -1) -> bytes:
        if self.served < len(self.head):
            if size < 0:
                rest = self.head[self.served :] + self.stream.read()
                self.served = len(self.head)
                return rest
            part = self.head[self.served : self.served + size]
            self.served += len(part)
            return part
        return self.stream.read(size)

    def more(self, size: int) -> bytes:
        """Peek further, up to *size* bytes in all (before anything is read)."""
        assert self.served == 0
        if not self.whole and len(self.head) < size:
            wanted = size - len(self.head)
            more = _read_some(self.stream, wanted)
            self.head += more
            self.whole = len(more) < wanted
        return self.head

    def readline(self, size: int = -1) -> bytes:
        if self.served < len(self.head):
            rest = self.head[self.served :]
            cut = rest.find(b"\n") + 1
            if cut and (size < 0 or cut <= size):
                self.served += cut
                return rest[:cut]
            if 0 <= size <= len(rest):
                self.served += size
                return rest[:size]
            self.served = len(self.head)
            return rest + self.stream.readline(-1 if size < 0 else size - len(rest))
        return self.stream.readline(size)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.stream.close()


def _read_some(stream: IO[bytes], size: int) -> bytes:
    """Up to *size* bytes: a pipe or a decompressor may give fewer per read."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        part = stream.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def decompressing(stream: IO[bytes], kind: str) -> IO[bytes]:
    """A stream of the decompressed bytes of *stream*, compressed as *kind*."""
    if kind == "gzip":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    if kind == "bzip2":
        return bz2.BZ2File(stream)
    if kind == "xz":
        return lzma.LZMAFile(stream)
    import io

    import zstandard  # only when a zstd input comes: an import that costs

    reader = zstandard.ZstdDecompressor().stream_reader(stream, read_across_frames=True)
    # A buffered reader for readline, which zstd's reader lacks.
    return io.BufferedReader(reader)


def open_peeked(stream: IO[bytes], source: str) -> tuple[Peeked, str | None]:
    """*stream*, decompressed when it is compressed, with its first bytes peeked; and
    the compression found (None for none)."""
    outer = Peeked(stream)
    kind = compression(outer.head)
    if kind is None:
        return outer, None
    try:
        return Peeked(decompressing(outer, kind)), kind  # type: ignore[arg-type]
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise bad_data(source, kind, exc) from None


def bad_data(source: str, kind: str, exc: BaseException) -> InputError:
    why = "cut short" if isinstance(exc, EOFError) else f"not valid ({exc})"
    return InputError(f"{kind} data {why}", source=source)


def read_page(stream: IO[bytes], source: str, kind: str | None,
              limit: int = MAX_PAGE_SIZE) -> bytes:
    """The bytes of one page from *stream* (decompressed already); bad compressed data
    and a page past *limit* are an InputError."""
    try:
        return read_limited(stream, source, limit)
    except (EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise bad_data(source, kind or "compressed", exc) from None
    except OSError as exc:  # gzip's "Not a gzipped file" and zstd's errors are OSErrors
        if kind is None:
            raise
        raise bad_data(source, kind, exc) from None


def decompress(data: bytes, source: str, limit: int = MAX_PAGE_SIZE) -> bytes:
    """*data* decompressed when it is compressed (a ``page.txt.gz`` in an archive), never
    past *limit*; as it is otherwise."""
    kind = compression(data)
    if kind is None:
        return data
    import io

    try:
        stream = decompressing(io.BytesIO(data), kind)
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise bad_data(source, kind, exc) from None
    return read_page(stream, source, kind, limit)
