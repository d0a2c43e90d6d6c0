"""Parquet: typed columns in the fixed Arrow schema of the table (``arrow``), zstd.

Rows are gathered into row groups of a fixed number of rows and each group is written
as it fills, so memory stays flat however many pages there are, and the bytes depend
only on the rows (not on how workers cut the run into chunks): the same whatever -j.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import IO, Any

import orjson

from ..core.tables import Table
from ..errors import need
from . import arrow
from .base import Format

# Rows per row group: a page row holds its briefs, so fewer of them.
ROW_GROUP: dict[Table, int] = {"pages": 2_000, "briefs": 20_000, "ticker": 20_000}


class Parquet(Format):
    name = "parquet"
    extensions = (".parquet",)
    help = "parquet (typed columns, zstd; a file)"
    concatenable = False
    binary = True

    def __init__(
        self, stream: IO[bytes], table: Table = "pages", fields: Sequence[str] | None = None,
        header: bool = True, bom: bool = False, **options: Any,
    ) -> None:
        super().__init__(stream, table, fields, header, False, **options)
        pq = need("pyarrow.parquet", "parquet", "Parquet")
        self._pa = arrow.pyarrow()
        self.schema = arrow.arrow_schema(table, self.fields, self.dedupe)
        self._convert = arrow.converter(self.schema)
        self._rows: list[dict[str, Any]] = []
        self._size = ROW_GROUP[table]
        self._writer = pq.ParquetWriter(stream, self.schema, compression="zstd")

    @classmethod
    def refusal(cls, table: Table, fields: Sequence[str] | None, bom: bool) -> str | None:
        arrow.pyarrow()  # MissingExtra, before the run
        return "--bom: Parquet is not text" if bom else None

    def row(self, item: dict[str, Any]) -> None:
        self._rows.append(self._convert(item))
        self.count += 1
        if len(self._rows) >= self._size:
            self._flush()

    def encoded(self, data: bytes) -> None:
        for line in data.split(b"\n")[:-1]:
            self.row(orjson.loads(line))

    def _flush(self) -> None:
        if self._rows:
            batch = self._pa.Table.from_pylist(self._rows, schema=self.schema)
            self._writer.write_table(batch, row_group_size=self._size)
            self._rows = []

    def end(self) -> None:
        self._flush()
        self._writer.close()
        super().end()

    def abort(self) -> None:
        self._rows = []
        with contextlib.suppress(Exception):  # the file is thrown away: any error is moot
            self._writer.close()
