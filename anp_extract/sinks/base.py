"""What an output format is: one class, declaring itself, that writes rows of a table.

A format is told where to write (a binary stream), which table and columns; it writes
its lead (a byte order mark, a header) when made, one row per :meth:`row`, and its
end in :meth:`end`.  Rows already encoded by a worker (see ``stored``) go through
:meth:`encoded`, so one class writes a format whether rows come one by one or in blocks.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from typing import IO, Any, ClassVar

from ..core.tables import COLUMNS, Table, items


class Format:
    """One output format.  Subclasses declare the class attributes and write rows."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]  # file name endings that name it (".csv")
    help: ClassVar[str]  # one phrase for --to's help
    flat: ClassVar[bool] = False  # one scalar per column (lists joined), not nested JSON
    # Rows of different files, encoded apart by workers, joined make the output: then
    # workers write this format; otherwise they write JSON Lines and the parent this.
    concatenable: ClassVar[bool] = True
    # A file format (Parquet, SQLite): written to a file named by -o, never to a pipe,
    # never compressed by its name.
    binary: ClassVar[bool] = False
    # Rows are whole page records, and --dedupe is the format's own business (SQLite
    # keeps every sighting): the parent gives it every record, not the first of each.
    whole_records: ClassVar[bool] = False

    def __init__(
        self, stream: IO[bytes], table: Table = "pages", fields: Sequence[str] | None = None,
        header: bool = True, bom: bool = False, *, dedupe: bool = False,
        scratch: str | None = None,
    ) -> None:
        # dedupe: rows of briefs carry ``seen``; scratch: a folder for working files.
        self.stream, self.table, self.dedupe = stream, table, dedupe
        self.fields = list(fields) if fields else None
        self.columns = self.fields or list(COLUMNS[table])
        self.count = 0
        if bom:
            stream.write(codecs.BOM_UTF8)

    @classmethod
    def refusal(cls, table: Table, fields: Sequence[str] | None, bom: bool) -> str | None:
        """Why these options cannot be written in this format (None: they can); said
        before the run, as a usage error.  Also where a missing extra is found."""
        return None

    @classmethod
    def stored(cls) -> str:
        """The format workers encode one file's rows in, for the parent to finish."""
        return cls.name if cls.concatenable else "jsonl"

    def write_record(self, record: dict[str, Any]) -> None:
        """Write the rows of this table found in one page record."""
        for item in items(record, self.table):
            self.row(item)

    def row(self, item: dict[str, Any]) -> None:
        raise NotImplementedError

    def encoded(self, data: bytes) -> None:
        """Rows a worker encoded in :meth:`stored` format, in order."""
        self.stream.write(data)
        self.count += data.count(b"\n")

    def end(self) -> None:
        """Finish the output and flush (the stream stays open)."""
        self.stream.flush()

    def abort(self) -> None:
        """The output will not be finished: remove any working file."""
