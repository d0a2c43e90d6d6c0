"""Every way pages come in, behind one interface: :func:`documents` yields one
:class:`Document` (the source's name, its bytes, what is known about it) per page, or
the :class:`~anp_extract.errors.InputError` that says why an input gave none.

Commands read through here and nowhere else: ``parse``, the text filters, ``stats``
and ``convert``'s workers alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from ..errors import InputError
from .files import AMSTERDAM, STDIN, WalkOptions, folder_problem, mtime, read_bytes, walk


class Document(NamedTuple):
    """One page as it came in: where from, its bytes, and its scrape time if known."""

    source: str
    data: bytes
    mtime: datetime | None = None


def read(source: str, *, with_mtime: bool = False) -> Iterator[Document]:
    """The pages of one input (a file, or ``-`` for standard input).

    Raises :class:`InputError` when the input cannot be read at all.
    """
    data = read_bytes(source)
    yield Document(source, data, mtime(source) if with_mtime else None)


def documents(
    sources: Iterable[str], *, with_mtime: bool = False
) -> Iterator[Document | InputError]:
    """The pages of every input in order; an input that cannot be read gives its error
    in its place, and the others are still read."""
    for source in sources:
        try:
            yield from read(source, with_mtime=with_mtime)
        except InputError as exc:
            yield exc


__all__ = [
    "AMSTERDAM", "STDIN", "Document", "WalkOptions", "documents", "folder_problem", "mtime",
    "read", "read_bytes", "walk",
]
