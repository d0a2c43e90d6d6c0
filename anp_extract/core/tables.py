"""Page records as tables: pages, briefs or ticker rows, nested for JSON, flat for CSV.

Pure functions over record dicts (the JSON shape of the contract), so that records
read back from JSON Lines and records fresh from the parser are treated alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Literal

Table = Literal["pages", "briefs", "ticker"]
TABLES: tuple[Table, ...] = ("pages", "briefs", "ticker")

# What a row of each table carries from its page.
_PAGE_KEYS = ("source", "section", "kind")

# Flat columns, in order, as CSV and TSV write them.
COLUMNS: dict[Table, tuple[str, ...]] = {
    "pages": (
        "schema", "source", "url", "scraped_at", "kind", "date", "section", "title",
        "dateline", "places", "agencies", "body", "briefs", "ticker", "boilerplate",
        "unparsed", "warnings",
    ),
    "briefs": (
        "source", "section", "kind", "id", "title", "dateline", "places", "agencies", "text",
        "age", "age_minutes", "published_at",
    ),
    "ticker": ("source", "section", "kind", "category", "time", "title"),
}

# How list fields are joined in a flat row: names with "/", texts with line breaks.
SLASH, LINES = "/", "\n"


def items(record: dict[str, Any], table: Table) -> Iterator[dict[str, Any]]:
    """The rows of *table* in one page record, as nested dicts (JSON's shape).

    A pages row is the record itself (the contract).  A briefs or ticker row has the
    columns of ``COLUMNS`` in that order, whatever ``--fields`` picks later: a brief's
    ``places`` and ``agencies`` stand beside its nested ``dateline`` (lists in JSON,
    joined in CSV), so ``.agencies`` means the same in every briefs output.
    """
    if table == "pages":
        yield record
        return
    page = {key: record.get(key) for key in _PAGE_KEYS}
    for entry in record.get(table) or ():
        if table != "briefs":
            yield {**page, **entry}
            continue
        row = dict(page)
        for key, value in entry.items():
            row[key] = value
            if key == "dateline":
                row["places"] = value["places"] if value else None
                row["agencies"] = value["agencies"] if value else None
        yield row


def flatten(item: dict[str, Any], table: Table) -> dict[str, Any]:
    """One nested row as flat scalar columns (see ``COLUMNS``)."""
    flat = dict(item)
    dateline = item.get("dateline")
    if "dateline" in item:
        flat["dateline"] = dateline["raw"] if dateline else None
        flat["places"] = SLASH.join(dateline["places"]) if dateline else None
        flat["agencies"] = SLASH.join(dateline["agencies"]) if dateline else None
    if table == "pages":
        flat.setdefault("url", None)  # a page@1 record has neither
        flat.setdefault("scraped_at", None)
        flat["body"] = LINES.join(block["text"] for block in item.get("body") or ())
        flat["briefs"] = len(item.get("briefs") or ())
        flat["ticker"] = len(item.get("ticker") or ())
        flat["boilerplate"] = LINES.join(item.get("boilerplate") or ())
        flat["unparsed"] = LINES.join(item.get("unparsed") or ())
        flat["warnings"] = LINES.join(item.get("warnings") or ())
    return flat


def check_fields(fields: Sequence[str], table: Table) -> list[str]:
    """The unknown names among *fields* (empty when all are columns of *table*)."""
    return [name for name in fields if name not in COLUMNS[table]]
