"""The text formats: JSON Lines, a JSON array, CSV and TSV."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import IO, Any

import orjson

from ..core.tables import Table, flatten
from .base import Format


def nested_field(item: dict[str, Any], name: str) -> Any:
    """A --fields column of a nested (JSON) row; places and agencies live in the dateline."""
    if name in ("places", "agencies") and name not in item:
        return (item.get("dateline") or {}).get(name)
    return item.get(name)


class _Json(Format):
    """Rows as JSON objects, nested as the contract is."""

    def encode(self, item: dict[str, Any]) -> bytes:
        if self.fields:
            item = {name: nested_field(item, name) for name in self.fields}
        return orjson.dumps(item)


class JsonLines(_Json):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson", "")
    help = "jsonl (one object per line)"

    def row(self, item: dict[str, Any]) -> None:
        self.stream.write(self.encode(item) + b"\n")
        self.count += 1


class JsonArray(_Json):
    name = "json"
    extensions = (".json",)
    help = "json (one array)"
    concatenable = False  # a row's comma depends on the rows before it

    def row(self, item: dict[str, Any]) -> None:
        self._line(self.encode(item))

    def encoded(self, data: bytes) -> None:
        for line in data.split(b"\n")[:-1]:
            self._line(line)

    def _line(self, line: bytes) -> None:
        self.stream.write((b",\n" if self.count else b"[\n") + line)
        self.count += 1

    def end(self) -> None:
        self.stream.write(b"\n]\n" if self.count else b"[]\n")
        super().end()


class _Flat(Format):
    """One row per line, scalar columns: lists joined with '/', texts with line breaks."""

    flat = True

    def __init__(
        self, stream: IO[bytes], table: Table = "pages", fields: Sequence[str] | None = None,
        header: bool = True, bom: bool = False, **options: Any,
    ) -> None:
        super().__init__(stream, table, fields, header, bom, **options)
        self._text = _Utf8(stream)
        if header:
            self._write(dict(zip(self.columns, self.columns, strict=True)))
            self.count = 0

    def row(self, item: dict[str, Any]) -> None:
        self._write(flatten(item, self.table))
        self.count += 1

    def _write(self, row: dict[str, Any]) -> None:
        raise NotImplementedError



class _Utf8:
    """Text written as UTF-8 to a binary stream, at once (no buffer of its own to close)."""

    __slots__ = ("write",)

    def __init__(self, stream: IO[bytes]) -> None:
        encode, put = str.encode, stream.write
        self.write: Callable[[str], object] = lambda text: put(encode(text))


class Csv(_Flat):
    name = "csv"
    extensions = (".csv",)
    help = "csv (RFC 4180, UTF-8)"

    def __init__(
        self, stream: IO[bytes], table: Table = "pages", fields: Sequence[str] | None = None,
        header: bool = True, bom: bool = False, **options: Any,
    ) -> None:
        self._csv: Any = None
        super().__init__(stream, table, fields, header, bom, **options)

    def _write(self, row: dict[str, Any]) -> None:
        if self._csv is None:
            self._csv = csv.DictWriter(self._text, fieldnames=self.columns,
                                       extrasaction="ignore", lineterminator="\r\n")
        self._csv.writerow(row)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_value(value: Any) -> str:
    """A value as a TSV cell: null is empty; tab, line breaks and backslash escaped."""
    return "" if value is None else str(value).translate(_TSV_ESCAPES)


class Tsv(_Flat):
    """For cut, awk and mlr: no quoting; a tab, line break or backslash inside a value is
    written ``\\t``, ``\\n``, ``\\r``, ``\\\\`` (IANA "linear" TSV, as Miller and
    PostgreSQL read them)."""

    name = "tsv"
    extensions = (".tsv",)
    help = "tsv (one row per line, escapes)"

    def _write(self, row: dict[str, Any]) -> None:
        self._text.write("\t".join(tsv_value(row.get(name)) for name in self.columns) + "\n")
