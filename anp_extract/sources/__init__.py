"""Every way pages come in, behind one interface: :func:`documents` yields one
:class:`Document` (the source's name, its bytes, what is known about it) per page, the
:class:`~anp_extract.errors.InputError` that says why an input (or one page inside a
container) gave none, or a :class:`Skipped` note for records of a container that are
no pages.

What an input is, is told by its bytes, not its name (JSON Lines also by its name):

* compressed (gzip, bzip2, xz, zstd): ``compressed``, then what is inside;
* a tar or zip archive: ``archives``, each regular member a page (``crawl.tar.gz!a/b.txt``);
* a WARC or WET file: ``warc``, each text record a page (``crawl.warc.gz!urn:uuid:…``);
* JSON Lines of documents: ``jsonl``, each line a page (``docs.jsonl:17``);
* anything else: one page.

Commands read through here and nowhere else: ``parse``, the text filters, ``stats``
and ``convert`` alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..errors import InputError
from . import archives, jsonl, ours, urls, warc
from .compressed import compression, open_peeked, read_page
from .files import (
    AMSTERDAM,
    DEFAULT_GLOBS,
    MAX_PAGE_SIZE,
    STDIN,
    WalkOptions,
    display,
    folder_problem,
    mtime,
    mtime_of,
    not_a_file,
    open_input,
    read_bytes,
    size_text,
    walk,
)
from .model import Document, ReadOptions, Skipped, page_options

Item = Document | InputError | Skipped

CONTAINER_NAMES = (".tar", ".tgz", ".zip", ".warc", ".wet", *jsonl.NAMES)
# What is peeked of a text starting with "{": the first line of a JSON Lines file of
# documents (a whole page) should be seen whole to be known as one.
JSONL_HEAD = 64 << 10


def read(
    source: str, options: ReadOptions = ReadOptions(), *, with_mtime: bool = False,
    regular_only: bool = False,
) -> Iterator[Item]:
    """The pages of one input (a file, or ``-`` for standard input), streamed.

    Raises :class:`InputError` when the input cannot be read at all; a page inside a
    container that cannot be read is yielded as its InputError, and the rest follow.
    """
    handle = open_input(source, regular_only)
    name = display(source)
    try:
        stream, kind = open_peeked(handle, name)
        head = stream.head
        braced = head.lstrip()[:1] == b"{"
        if braced:
            head = stream.more(JSONL_HEAD)  # a whole first line, to know what it is
        what = ours.bookkeeping(name, head, braced)
        if what is not None:
            raise InputError(f"{what}, not pages", source=name)
        when = mtime(source) if with_mtime else None
        if archives.is_tar(head):
            items: Iterator[Item] = archives.tar_documents(stream, name, options, with_mtime)  # type: ignore[arg-type]
        elif archives.is_zip(head) and kind is None:
            if source == STDIN:
                raise InputError("a zip archive cannot be read from standard input "
                                 "(its index is at its end): name the file", source=name)
            items = archives.zip_documents(source, name, options, with_mtime)
        elif warc.is_warc(head):
            items = warc.warc_documents(stream, name, options, with_mtime)  # type: ignore[arg-type]
        elif jsonl.is_jsonl(source, head, options):
            items = jsonl.jsonl_documents(stream, name, options)  # type: ignore[arg-type]
        else:
            limit = options.max_page_size
            if stream.whole and len(head) <= limit:  # a page, whole in its head (most are)
                data = stream.head
            else:
                data = read_page(stream, name, kind, limit)  # type: ignore[arg-type]
            yield Document(name, data, when)
            return
        for item in items:
            if when is not None and isinstance(item, Document) and item.mtime is None:
                item = item._replace(mtime=when)  # a WARC record or a line: the file's time
            yield item
    finally:
        if source != STDIN:
            handle.close()


def read_plain(
    source: str, name: str, info: os.stat_result, options: ReadOptions = ReadOptions(), *,
    with_mtime: bool = False,
) -> Document | None:
    """The page of a local regular file that is one plain page, as :func:`read` gives it;
    None when it may be anything else (compressed, a container, one of ours, larger than
    :data:`PLAIN_MAX` or than the page size limit, grown since *info*, its stat): then
    :func:`read` reads it.

    Most files of a scrape are plain pages of a few kB: this reads one with ``os.open``
    and ``os.read`` at its size, without the peeking stream, and tells what it is by the
    same tests as :func:`read`, on the same first bytes.  *name* is ``display(source)``.
    Raises OSError when the file cannot be opened or read.
    """
    size = info.st_size
    if size > PLAIN_MAX or jsonl.is_jsonl(source, b"", options):
        return None
    fd = os.open(source, _READ)
    try:
        data = os.read(fd, size + 1)
        if len(data) > size or os.read(fd, 1):  # grown since the stat: read() reads it
            return None
    finally:
        os.close(fd)
    if (len(data) > options.max_page_size or compression(data) is not None
            or data.lstrip()[:1] == b"{" or ours.bookkeeping(name, data, False) is not None
            or archives.is_tar(data) or archives.is_zip(data) or warc.is_warc(data)):
        return None
    return Document(name, data, mtime_of(info.st_mtime) if with_mtime else None)


# Files up to this size are read whole by ``read_plain`` (pages are a few kB; a larger
# file goes through ``read``, which reads it in bounded chunks).
PLAIN_MAX = 1 << 20
_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


def documents(
    sources: Iterable[str], options: ReadOptions = ReadOptions(), *,
    with_mtime: bool = False, regular_only: bool = False,
) -> Iterator[Item]:
    """The pages of every input in order; an input that cannot be read gives its error
    in its place, and the others are still read."""
    for source in sources:
        try:
            yield from read(source, options, with_mtime=with_mtime, regular_only=regular_only)
        except InputError as exc:
            yield exc


def is_container(path: str) -> bool:
    """Whether *path* is read as more than one page (by its name: a cheap first guess,
    for ``convert``'s planning; ``read`` decides by the bytes)."""
    bare = path.lower()
    for end in (".gz", ".bz2", ".xz", ".zst"):
        bare = bare.removesuffix(end)
    return bare.endswith(CONTAINER_NAMES)


__all__ = [
    "AMSTERDAM", "DEFAULT_GLOBS", "MAX_PAGE_SIZE", "STDIN", "Document", "Item", "ReadOptions",
    "Skipped", "WalkOptions", "display", "documents", "folder_problem", "is_container",
    "mtime", "not_a_file", "page_options", "read", "read_bytes", "read_plain", "size_text",
    "urls", "walk",
]
