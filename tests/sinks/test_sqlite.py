"""SQLite: the database of the seeds, asked with the real sqlite3 (and Datasette)."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.support import ROOT, run


def database(folder: Path, *args: str) -> sqlite3.Connection:
    out = folder / "news.db"
    result = run(["convert", "seeds", "-o", out, "-q", *args], cwd=ROOT)
    assert result.code == 0 and result.out == b"", result.err
    assert sorted(os.listdir(folder)) == ["news.db"]  # no scratch file, no sidecar
    return sqlite3.connect(out)


def test_tables_keys_and_counts(tmp_path: Path) -> None:
    db = database(tmp_path)
    counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("pages", "briefs", "ticker")}
    assert counts == {"pages": 5, "briefs": 35, "ticker": 0}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = db.execute("SELECT * FROM pragma_foreign_key_list('briefs')").fetchall()
    assert [(key[2], key[3], key[4]) for key in keys] == [("pages", "page", "page")]
    # Typed columns: integers are integers, lists are JSON arrays.
    row = db.execute("SELECT typeof(age_minutes), places FROM briefs "
                     "WHERE age_minutes IS NOT NULL LIMIT 1").fetchone()
    assert row[0] == "integer" and isinstance(orjson.loads(row[1]), list)
    per_page = db.execute("SELECT p.source, count(*) FROM briefs b JOIN pages p USING (page) "
                          "GROUP BY p.page ORDER BY p.page").fetchall()
    assert [Path(source).name[:3] for source, _ in per_page] == ["000", "001", "002", "003",
                                                                 "004"]


def test_full_text_search_finds_izjoem(tmp_path: Path) -> None:
    db = database(tmp_path)
    found = db.execute("SELECT source FROM pages WHERE page IN "
                       "(SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'title:Izjoem')"
                       ).fetchall()
    assert [Path(source).name[:3] for (source,) in found] == ["000", "001", "003"]
    plain = db.execute("SELECT source FROM pages WHERE title LIKE '%Izjoem%'").fetchall()
    assert found == plain
    briefs = db.execute("SELECT count(*) FROM briefs_fts WHERE briefs_fts MATCH 'Oekraïne'"
                        ).fetchone()[0]
    assert briefs > 0


def test_dedupe_gives_unique_briefs_and_sightings(tmp_path: Path) -> None:
    db = database(tmp_path, "--dedupe")
    assert db.execute("SELECT count(*), sum(seen) FROM briefs").fetchone() == (30, 35)
    assert db.execute("SELECT count(*) FROM sightings").fetchone() == (35,)
    assert db.execute("SELECT count(*) FROM briefs WHERE seen = 2").fetchone() == (5,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    twice = db.execute("SELECT count(DISTINCT page) FROM sightings s JOIN briefs b "
                       "ON b.id = s.brief WHERE b.seen = 2").fetchone()[0]
    assert twice == 2  # seeds 002 and 004 share five briefs


def test_dedupe_gives_each_unique_brief_its_timeline(tmp_path: Path) -> None:
    """--dedupe --now mtime: the unique briefs carry the timeline of the briefs table
    (first_seen, last_seen, published_between, published_at, conflict) with the values
    of JSON Lines; its sources are the pages of its sightings."""
    import shutil

    pair = []
    for name, when in (("004_61d4c29380775753.txt", 1737633600),  # 2025-01-23T12:00Z
                       ("002_4737fd2011465099.txt", 1737642600)):  # 14:30Z
        copy = tmp_path / name
        shutil.copy(ROOT / "seeds" / name, copy)
        os.utime(copy, (when, when))
        pair.append(copy)
    out, jsonl = tmp_path / "news.db", tmp_path / "unique.jsonl"
    for args in (["-o", out], ["-o", jsonl, "--table", "briefs"]):
        result = run(["convert", *pair, *args, "--dedupe", "--now", "mtime", "-q"])
        assert result.code == 0, result.err
    rows = {row["id"]: row for row in map(orjson.loads, jsonl.read_bytes().splitlines())}
    db = sqlite3.connect(out)
    names = [column[1] for column in db.execute("PRAGMA table_info(briefs)")]
    assert names[-5:] == ["first_seen", "last_seen", "published_between", "published_at",
                          "conflict"]
    found = db.execute("SELECT id, seen, first_seen, last_seen, published_between, "
                       "published_at, typeof(conflict), conflict FROM briefs").fetchall()
    assert len(found) == len(rows) > 5
    for brief, seen, first, last, between, published, kind, conflict in found:
        row = rows[brief]
        assert (seen, first, last, published) == (
            row["seen"], row["first_seen"], row["last_seen"], row["published_at"])
        assert (None if between is None else orjson.loads(between)) == row["published_between"]
        flag = row["conflict"]
        assert (kind, conflict) == (("null", None) if flag is None else ("integer", int(flag)))
    sources = db.execute(
        "SELECT b.id, json_group_array(p.source) FROM briefs b JOIN sightings s "
        "ON s.brief = b.id JOIN pages p ON p.page = s.page GROUP BY b.id").fetchall()
    assert {brief: orjson.loads(pages) for brief, pages in sources} == {
        brief: row["sources"] for brief, row in rows.items()}
    narrowed = db.execute(
        "SELECT count(*) FROM briefs WHERE seen = 2 AND conflict = 0 AND "
        "unixepoch(published_between ->> 1) - unixepoch(published_between ->> 0) = 1800"
    ).fetchone()
    assert narrowed == (5,)
    # Without scrape times nothing is known: nulls, not guesses.
    (tmp_path / "seeds").mkdir()
    untimed = database(tmp_path / "seeds", "--dedupe")
    assert untimed.execute(
        "SELECT count(*) FROM briefs WHERE first_seen IS NULL AND published_between IS NULL "
        "AND conflict IS NULL").fetchone() == (30,)


def test_same_database_whatever_jobs_and_resumed(tmp_path: Path) -> None:
    from tests.support.convert_helpers import convert, interrupted_after

    one, two, resumed = (tmp_path / name for name in ("one.db", "two.db", "resumed.db"))
    with contextlib.chdir(ROOT):
        assert convert("seeds", "-o", one, "-j1", "-q").code == 0
        assert convert("seeds", "-o", two, "-j2", "-q").code == 0
        with interrupted_after(3):
            assert convert("seeds", "-o", resumed, "-j1", "-q").code == 130
        assert not resumed.exists()
        again = convert("seeds", "-o", resumed, "-j1", "--resume")
    assert "3 from the manifest" in again.err
    assert one.read_bytes() == two.read_bytes() == resumed.read_bytes()


def test_refusals(tmp_path: Path) -> None:
    for args, message in [
        (["--table", "briefs"], "leave out --table and --fields"),
        (["--bom"], "--bom: a database is not text"),
    ]:
        result = run(["convert", "seeds", "-o", tmp_path / "x.db", *args], cwd=ROOT)
        assert result.code == 2 and message in result.err and "Traceback" not in result.err
    result = run(["convert", "seeds", "-o", "-", "--to", "sqlite"], cwd=ROOT)
    assert result.code == 2 and "writes a file, not a stream" in result.err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _datasette(db: Path, port: int) -> Iterator[None]:
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1",
               "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        server.terminate()
        server.wait(10)


def test_datasette_serves_the_database(tmp_path: Path) -> None:
    pytest.importorskip("datasette", reason="datasette is not installed")
    database(tmp_path).close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/news/pages.json?_search=Izjoem&_shape=array"
    with _datasette(tmp_path / "news.db", port):
        for _ in range(150):  # up to 30 s for the server to start
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = orjson.loads(response.read())
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("datasette did not answer")
    assert {Path(row["source"]).name for row in rows} >= {"000_fffbfb031fd1977c.txt"}
