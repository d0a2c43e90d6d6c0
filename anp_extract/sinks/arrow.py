"""The Arrow schema of each table, fixed and derived from the record contract
(``anp-extract/page@2``), and rows of records in that schema.

Never inferred: a batch in which every ``unparsed`` is empty would infer ``list<null>``
and the next batch would not match it.  Lists of strings and the dateline stay nested.
``published_at`` is two columns: ``published_at``, a timestamp with zone (UTC), when the
record gives a date and time, and ``published_date``, the date, whenever it gives one
(a brief a day old or more has only the date).  A row of briefs carries its dateline's
``places`` and ``agencies`` at the top, as in JSON; with ``--dedupe`` also ``seen`` and
the timeline (``core.timeline``): ``first_seen`` and ``last_seen`` timestamps, ``sources``
a list, ``published_between`` a struct of two timestamps, ``conflict`` a boolean.

A new nullable column of the contract (as ``url`` and ``scraped_at`` were) is one line
in ``_types``: dates and timestamps are parsed by their type, not by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from ..core import timeline
from ..core.tables import Table
from ..errors import need

SEEN = "seen"  # the count --dedupe adds to each kept brief


def pyarrow() -> Any:
    return need("pyarrow", "parquet", "Parquet")


def _types() -> dict[str, Any]:
    """The contract's columns and their Arrow types, by table part."""
    pa = pyarrow()
    text, names = pa.string(), pa.list_(pa.string())
    dateline = pa.struct([("raw", text), ("places", names), ("agencies", names)])
    when = pa.timestamp("us", tz="UTC")
    return {
        "page": [  # what every row of briefs and ticker carries from its page
            ("source", text), ("section", text), ("kind", text),
        ],
        "brief": [
            ("id", text), ("title", text), ("dateline", dateline), ("text", text),
            ("age", text), ("age_minutes", pa.int64()),
            ("published_at", when), ("published_date", pa.date32()),
        ],
        "ticker": [("category", text), ("time", text), ("title", text)],
        "pages": [
            ("schema", text), ("source", text), ("url", text), ("scraped_at", when),
            ("kind", text), ("date", pa.date32()),
            ("section", text), ("title", text), ("dateline", dateline),
            ("body", pa.list_(pa.struct([("kind", text), ("text", text)]))),
            ("briefs", None), ("ticker", None),  # lists of the structs above
            ("boilerplate", names), ("unparsed", names), ("warnings", names),
        ],
        "flat": [("places", names), ("agencies", names)],  # the dateline's, at the top
        # What --dedupe adds to a row of the briefs table (core.timeline.COLUMNS): the
        # scrape times, the pages, the interval it was published in, and the flag.
        "timeline": [
            ("first_seen", when), ("last_seen", when), ("sources", names),
            ("published_between", pa.struct([("start", when), ("end", when)])),
            ("conflict", pa.bool_()),
        ],
    }


def arrow_schema(table: Table, fields: Sequence[str] | None = None, dedupe: bool = False) -> Any:
    """The Arrow schema of *table* (``pyarrow.Schema``): all its columns, or those of
    ``--fields`` in their order; with *dedupe*, briefs carry ``seen``."""
    pa = pyarrow()
    types = _types()
    assert tuple(name for name, _ in types["timeline"]) == timeline.COLUMNS
    brief = types["brief"] + ([(SEEN, pa.int64())] if dedupe else [])
    columns: list[tuple[str, Any]]
    if table == "pages":
        nested = {"briefs": pa.list_(pa.struct(brief)),
                  "ticker": pa.list_(pa.struct(types["ticker"]))}
        columns = [(name, nested.get(name, kind)) for name, kind in types["pages"]]
    elif table == "briefs":  # core.tables.COLUMNS: places and agencies after the dateline
        cut = [name for name, _ in brief].index("dateline") + 1
        columns = types["page"] + brief[:cut] + types["flat"] + brief[cut:]
        if dedupe:
            columns += types["timeline"]
    else:
        columns = types["page"] + types["ticker"]
    if fields:
        known = dict(columns + types["flat"])
        chosen = [name for field in fields for name in
                  (("published_at", "published_date") if field == "published_at" else (field,))]
        columns = [(name, known[name]) for name in chosen]
    return pa.schema([pa.field(name, kind) for name, kind in columns])


def _parser(kind: Any) -> Callable[[Any], Any] | None:
    """How a JSON value becomes a value of an Arrow type (None: as it is)."""
    pa = pyarrow()
    if pa.types.is_date32(kind):
        return lambda value: None if value is None else date.fromisoformat(value[:10])
    if pa.types.is_timestamp(kind):
        return _instant
    if pa.types.is_list(kind) and pa.types.is_struct(kind.value_type):
        inner = _converter(kind.value_type)
        return lambda value: None if value is None else [inner(entry) for entry in value]
    if pa.types.is_struct(kind) and kind.names == ["start", "end"]:
        # published_between: JSON's [start, end] of ISO times
        ends = [_parser(field.type) or (lambda value: value) for field in kind]
        return lambda value: None if value is None else dict(
            zip(kind.names, (parse(end) for parse, end in zip(ends, value, strict=True)),
                strict=True))
    return None


def _instant(value: str | None) -> datetime | None:
    """An ISO date and time with offset; None for a plain date (no time is known)."""
    if value is None or len(value) <= 10:
        return None
    return datetime.fromisoformat(value)


def _converter(struct: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function from a JSON row (a dict) to a row of *struct* (an Arrow struct or
    schema): dates and timestamps parsed, ``published_date`` from ``published_at``,
    ``places`` and ``agencies`` from the dateline when asked for at the top."""
    parsers = []
    for field in struct:
        parse = _parser(field.type)
        source = "published_at" if field.name == "published_date" else field.name
        parsers.append((field.name, source, parse))

    def convert(item: dict[str, Any]) -> dict[str, Any]:
        row = {}
        for name, source, parse in parsers:
            if source in item:
                value = item[source]
            elif name in ("places", "agencies"):
                value = (item.get("dateline") or {}).get(name)
            else:
                value = None
            row[name] = value if parse is None else parse(value)
        return row

    return convert


def converter(arrow_schema: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Rows (JSON dicts of a table) to dicts ``pyarrow.Table.from_pylist`` takes with
    *arrow_schema*."""
    return _converter(arrow_schema)
