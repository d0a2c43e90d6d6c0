"""SQLite: one database of pages, briefs and ticker items, for sqlite3 and Datasette.

Tables (``page`` is the page's number in the run, from 1, in path order):

- ``pages(page PRIMARY KEY, source, url, scraped_at, schema, kind, date, section, title,
  dateline, places, agencies, body, boilerplate, unparsed, warnings)``
- ``briefs(page → pages, position, id, title, dateline, places, agencies, text, age,
  age_minutes, published_at, published_date)``, key ``(page, position)``
- with ``--dedupe``: ``briefs(id PRIMARY KEY, title, dateline, places, agencies, text,
  seen, first_seen, last_seen, published_between, published_at, conflict)``, each brief
  once with its timeline (``core.timeline``; filled at the end from the sightings), and
  ``sightings(page → pages, position, brief → briefs, age, age_minutes, published_at,
  published_date)``: where and when it was met (its ``sources``: sightings joined with
  pages)
- ``ticker(page → pages, position, category, time, title)``
- ``pages_fts(title, body)`` and ``briefs_fts(title, text)``: FTS5 indexes over the
  tables (external content, so Datasette offers search on them)

Lists (places, agencies, boilerplate…) are JSON arrays, for ``json_each``.  The
database is built in a scratch file beside the output and copied into it at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from typing import IO, Any

import orjson

from ..core.tables import Table
from ..core.timeline import Timelines, scraped_at
from .base import Format


def _field(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record.get(name)


def _list(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: _json(record.get(name) or [])


# The columns of pages after its key: name, declared type, value from the record.  A
# new field of the contract is one line here.
PAGE_COLUMNS: list[tuple[str, str, Callable[[dict[str, Any]], Any]]] = [
    ("source", "TEXT NOT NULL", _field("source")),
    ("url", "TEXT", _field("url")),
    ("scraped_at", "TEXT", _field("scraped_at")),
    ("schema", "TEXT NOT NULL", _field("schema")),
    ("kind", "TEXT NOT NULL", _field("kind")),
    ("date", "TEXT", _field("date")),
    ("section", "TEXT", _field("section")),
    ("title", "TEXT", _field("title")),
    ("dateline", "TEXT", lambda record: _dateline(record)[0]),
    ("places", "TEXT", lambda record: _dateline(record)[1]),
    ("agencies", "TEXT", lambda record: _dateline(record)[2]),
    ("body", "TEXT NOT NULL",
     lambda record: "\n".join(block["text"] for block in record.get("body") or ())),
    ("boilerplate", "TEXT NOT NULL", _list("boilerplate")),
    ("unparsed", "TEXT NOT NULL", _list("unparsed")),
    ("warnings", "TEXT NOT NULL", _list("warnings")),
]
_INSERT_PAGE = f"INSERT INTO pages VALUES (?{',?' * len(PAGE_COLUMNS)})"

_PAGES = f"""
CREATE TABLE pages (
    page INTEGER PRIMARY KEY,
    {", ".join(f"{name} {kind}" for name, kind, _ in PAGE_COLUMNS)}
);
CREATE TABLE ticker (
    page INTEGER NOT NULL REFERENCES pages(page), position INTEGER NOT NULL,
    category TEXT NOT NULL, time TEXT NOT NULL, title TEXT NOT NULL,
    PRIMARY KEY (page, position)
);
"""
# When a brief was met: on a page, at a position, with the age the page gave it.
_MET = """page INTEGER NOT NULL REFERENCES pages(page), position INTEGER NOT NULL,"""
_WHEN = """age TEXT, age_minutes INTEGER, published_at TEXT, published_date TEXT"""
_BRIEF = """title TEXT, dateline TEXT, places TEXT, agencies TEXT, text TEXT NOT NULL"""
_BRIEFS = f"""
CREATE TABLE briefs (
    {_MET} id TEXT NOT NULL, {_BRIEF}, {_WHEN}, PRIMARY KEY (page, position)
);
CREATE INDEX briefs_id ON briefs(id);
"""
_UNIQUE = f"""
CREATE TABLE briefs (
    id TEXT PRIMARY KEY, {_BRIEF}, seen INTEGER NOT NULL,
    first_seen TEXT, last_seen TEXT, published_between TEXT, published_at TEXT,
    conflict INTEGER CHECK (conflict IN (0, 1))
);
CREATE TABLE sightings (
    {_MET} brief TEXT NOT NULL REFERENCES briefs(id), {_WHEN}, PRIMARY KEY (page, position)
);
CREATE INDEX sightings_brief ON sightings(brief);
"""
_FTS = """
CREATE VIRTUAL TABLE pages_fts USING fts5(title, body, content='pages', content_rowid='page');
INSERT INTO pages_fts(pages_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE briefs_fts USING fts5(title, text, content='briefs');
INSERT INTO briefs_fts(briefs_fts) VALUES ('rebuild');
"""


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode("utf-8")


def _dateline(item: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    dateline = item.get("dateline")
    if not dateline:
        return None, None, None
    return dateline["raw"], _json(dateline["places"]), _json(dateline["agencies"])


def _when(brief: dict[str, Any]) -> tuple[Any, ...]:
    published = brief.get("published_at")
    at = published if published and len(published) > 10 else None
    return (brief.get("age"), brief.get("age_minutes"), at,
            published[:10] if published else None)


class Sqlite(Format):
    name = "sqlite"
    extensions = (".db", ".sqlite", ".sqlite3")
    help = "sqlite (pages, briefs, ticker, full-text search; a file)"
    concatenable = False
    binary = True
    whole_records = True

    def __init__(
        self, stream: IO[bytes], table: Table = "pages", fields: Sequence[str] | None = None,
        header: bool = True, bom: bool = False, **options: Any,
    ) -> None:
        super().__init__(stream, table, fields, header, False, **options)
        fd, self.path = tempfile.mkstemp(".db", ".anp-extract-", options.get("scratch"))
        os.close(fd)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        # A scratch file, copied whole at the end: no journal to keep.
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                              + _PAGES + (_UNIQUE if self.dedupe else _BRIEFS))
        self.db.execute("BEGIN")

    @classmethod
    def refusal(cls, table: Table, fields: Sequence[str] | None, bom: bool) -> str | None:
        if table != "pages" or fields:
            return ("a database holds pages, briefs and ticker together: "
                    "leave out --table and --fields")
        return "--bom: a database is not text" if bom else None

    def row(self, item: dict[str, Any]) -> None:
        """One page record: its page row, brief rows and ticker rows."""
        self.count += 1
        page = self.count
        self.db.execute(_INSERT_PAGE, (page, *(value(item) for _, _, value in PAGE_COLUMNS)))
        for position, brief in enumerate(item.get("briefs") or (), 1):
            raw, places, agencies = _dateline(brief)
            what = (brief.get("title"), raw, places, agencies, brief["text"])
            if not self.dedupe:
                self.db.execute("INSERT INTO briefs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                (page, position, brief["id"], *what, *_when(brief)))
                continue
            self.db.execute(
                "INSERT INTO briefs (id, title, dateline, places, agencies, text, seen) "
                "VALUES (?,?,?,?,?,?,1) ON CONFLICT (id) DO UPDATE SET seen = seen + 1",
                (brief["id"], *what))
            self.db.execute("INSERT INTO sightings VALUES (?,?,?,?,?,?,?)",
                            (page, position, brief["id"], *_when(brief)))
        self.db.executemany(
            "INSERT INTO ticker VALUES (?,?,?,?,?)",
            [(page, position, entry["category"], entry["time"], entry["title"])
             for position, entry in enumerate(item.get("ticker") or (), 1)],
        )

    def encoded(self, data: bytes) -> None:
        for line in data.split(b"\n")[:-1]:
            self.row(orjson.loads(line))

    def _timelines(self) -> None:
        """Each unique brief's timeline from its sightings (ISO times in UTC, the interval
        a JSON array of two, the flag 0 or 1; null where no scrape time is known)."""
        timelines = Timelines(keep_sources=False)  # sources: join sightings with pages
        for brief, age, minutes, published in self.db.execute(
                "SELECT brief, age, age_minutes, published_at FROM sightings"):
            timelines.add(brief, "", scraped_at(published, minutes), age)
        rows = []
        for brief, line in timelines.by_id.items():
            if line.timed:
                columns = line.columns()
                rows.append((columns["first_seen"], columns["last_seen"],
                             _json(columns["published_between"]), columns["published_at"],
                             int(columns["conflict"]), brief))
        self.db.executemany(
            "UPDATE briefs SET first_seen = ?, last_seen = ?, published_between = ?, "
            "published_at = ?, conflict = ? WHERE id = ?", rows)

    def end(self) -> None:
        try:
            if self.dedupe:
                self._timelines()
            self.db.execute("COMMIT")
            self.db.executescript(_FTS)
            self.db.close()
            with open(self.path, "rb") as database:
                shutil.copyfileobj(database, self.stream, 1 << 20)
        finally:
            self.abort()
        super().end()

    def abort(self) -> None:
        self.db.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
