"""Parquet: the fixed schema, typed columns, and what pyarrow, DuckDB, polars and pandas
read from it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import orjson
import pytest

from anp_extract import arrow_schema
from anp_extract.sinks import open_writer
from tests.support import ROOT, run
from tests.support.generator import generate_pages

pa = pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
pq = pytest.importorskip("pyarrow.parquet")


def convert(tmp: Path, name: str, *args: str) -> Path:
    out = tmp / name
    result = run(["convert", "seeds", "-o", out, "-q", *args], cwd=ROOT)
    assert result.code == 0, result.err
    return out


def test_schema_is_fixed_and_typed() -> None:
    briefs = arrow_schema("briefs")
    assert briefs.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert briefs.field("published_date").type == pa.date32()
    assert briefs.field("age_minutes").type == pa.int64()
    assert briefs.field("dateline").type.field("places").type == pa.list_(pa.string())
    pages = arrow_schema("pages")
    assert pages.field("date").type == pa.date32()
    assert pages.field("unparsed").type == pa.list_(pa.string())  # never list<null>
    brief = pages.field("briefs").type.value_type
    assert brief.field("published_at").type == briefs.field("published_at").type
    assert "seen" not in brief.names
    assert "seen" in arrow_schema("pages", dedupe=True).field("briefs").type.value_type.names
    assert arrow_schema("briefs", ["id", "published_at"]).names == [
        "id", "published_at", "published_date"]


@pytest.mark.parametrize("table", ["pages", "briefs", "ticker"])
def test_seeds_read_back_with_the_declared_schema(table: str, tmp_path: Path) -> None:
    out = convert(tmp_path, f"{table}.parquet", "--table", table)
    read = pq.read_table(out)
    assert read.schema.equals(arrow_schema(table))  # type: ignore[arg-type]
    jsonl = convert(tmp_path, f"{table}.jsonl", "--table", table)
    rows = [orjson.loads(line) for line in jsonl.read_bytes().splitlines()]
    assert read.num_rows == len(rows) == {"pages": 5, "briefs": 35, "ticker": 0}[table]
    if table == "briefs":
        assert read.column("id").to_pylist() == [row["id"] for row in rows]
        assert read.column("age_minutes").to_pylist() == [row["age_minutes"] for row in rows]


def test_published_at_splits_into_an_instant_and_a_date() -> None:
    buffer = io.BytesIO()
    writer = open_writer(buffer, "parquet", "briefs")
    base = {"source": "s", "section": None, "kind": "listing", "id": "0" * 16, "title": None,
            "dateline": None, "text": "t", "age": None, "age_minutes": None}
    for published in ("2025-11-04T14:30:00+01:00", "2025-11-02", None):
        writer.row({**base, "published_at": published})
    writer.end()
    table = pq.read_table(io.BytesIO(buffer.getvalue()))
    instant = dt.datetime(2025, 11, 4, 13, 30, tzinfo=dt.UTC)
    assert table.column("published_at").to_pylist() == [instant, None, None]
    assert table.column("published_date").to_pylist() == [
        dt.date(2025, 11, 4), dt.date(2025, 11, 2), None]


def test_dedupe_adds_seen(tmp_path: Path) -> None:
    out = convert(tmp_path, "unique.parquet", "--table", "briefs", "--dedupe")
    seen = pq.read_table(out).column("seen").to_pylist()
    assert len(seen) == 30 and sum(seen) == 35


def _generated(folder: Path, pages: int) -> Path:
    """*pages* generated records as a pages Parquet file, written as convert does."""
    out = folder / "generated.parquet"
    with open(out, "wb") as stream:
        writer = open_writer(stream, "parquet", "pages")
        for page in generate_pages(pages, seed=5):
            writer.row(page.expected)
        writer.end()
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generated(tmp_path_factory.mktemp("parquet"), 20_000)


def test_20000_pages_in_row_groups(generated: Path) -> None:
    meta = pq.ParquetFile(generated).metadata
    assert meta.num_rows == 20_000 and meta.num_row_groups == 10
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_duckdb_reads_the_declared_types(generated: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    seeds = convert(tmp_path, "briefs.parquet", "--table", "briefs")
    types = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM '{seeds}'").fetchall()}
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_date"] == "DATE" and types["age_minutes"] == "BIGINT"
    assert types["dateline"].startswith("STRUCT(raw VARCHAR, places VARCHAR[]")
    count = duckdb.sql(f"SELECT count(*), count(DISTINCT id) FROM '{seeds}'").fetchall()[0]
    assert count == (35, 30)
    pages = duckdb.sql(
        f"SELECT count(*), typeof(any_value(date)), sum(len(briefs)) FROM '{generated}'"
    ).fetchall()[0]
    expected = sum(len(page.expected["briefs"]) for page in generate_pages(20_000, seed=5))
    assert pages == (20_000, "DATE", expected)


def test_polars_and_pandas_read_the_declared_types(generated: Path, tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    seeds = convert(tmp_path, "briefs.parquet", "--table", "briefs")
    frame = pl.read_parquet(seeds)
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["published_date"] == pl.Date
    assert frame.schema["age_minutes"] == pl.Int64
    assert pl.read_parquet(generated, columns=["date"]).schema["date"] == pl.Date
    pd = pytest.importorskip("pandas")
    table = pd.read_parquet(seeds)
    assert str(table["published_at"].dtype).startswith("datetime64[us, UTC]")
    assert str(table["age_minutes"].dtype) == "int64"


def test_same_bytes_whatever_jobs(tmp_path: Path) -> None:
    """2,500 pages: two row groups, cut by row count, not where the chunks of -j2 end."""
    from tests.support.generator import write_corpus

    write_corpus(tmp_path / "scrape", 2_500, seed=3)
    outputs = []
    for jobs in ("-j1", "-j2"):
        out = tmp_path / f"pages{jobs}.parquet"
        assert run(["convert", tmp_path / "scrape", "-o", out, jobs, "-q"]).code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert pq.ParquetFile(tmp_path / "pages-j1.parquet").metadata.num_row_groups == 2


@pytest.mark.parametrize("command", [["parse", "seeds/000_fffbfb031fd1977c.txt"],
                                     ["convert", "seeds", "-o", "-"]])
def test_not_to_a_stream(command: list[str]) -> None:
    result = run([*command, "--to", "parquet"], cwd=ROOT)
    assert (result.code, result.out) == (2, b"")
    assert "writes a file, not a stream" in result.err and result.err.count("\n") == 1


def test_briefs_carry_places_and_agencies_as_lists(tmp_path: Path) -> None:
    """The briefs table's columns (core.tables.COLUMNS) in Parquet too, typed: the JSON
    row has top-level ``places`` and ``agencies``, the Parquet had them only with --fields."""
    briefs = arrow_schema("briefs")
    assert briefs.field("places").type == pa.list_(pa.string())
    assert briefs.field("agencies").type == pa.list_(pa.string())
    out = convert(tmp_path, "briefs.parquet", "--table", "briefs")
    jsonl = convert(tmp_path, "briefs.jsonl", "--table", "briefs")
    rows = [orjson.loads(line) for line in jsonl.read_bytes().splitlines()]
    read = pq.read_table(out)
    assert read.column("places").to_pylist() == [row["places"] for row in rows]
    assert read.column("agencies").to_pylist() == [row["agencies"] for row in rows]


TIMELINE_TYPES = {
    "first_seen": "timestamp[us, tz=UTC]", "last_seen": "timestamp[us, tz=UTC]",
    "sources": "list<item: string>",
    "published_between": "struct<start: timestamp[us, tz=UTC], end: timestamp[us, tz=UTC]>",
    "conflict": "bool",
}


def _timed_seeds(tmp: Path) -> list[Path]:
    """Seeds 002 and 004 scraped two and a half hours apart (the README's example)."""
    import os
    import shutil

    pair = []
    for name, when in (("004_61d4c29380775753.txt", "2025-01-23T12:00:00+00:00"),
                       ("002_4737fd2011465099.txt", "2025-01-23T14:30:00+00:00")):
        copy = tmp / name
        shutil.copy(ROOT / "seeds" / name, copy)
        stamp = dt.datetime.fromisoformat(when).timestamp()
        os.utime(copy, (stamp, stamp))
        pair.append(copy)
    return pair


def test_dedupe_carries_the_timeline_typed(tmp_path: Path) -> None:
    """--table briefs --dedupe: the timeline columns (core.timeline.COLUMNS) are typed
    columns, not dropped and not strings; their values are those of the JSON Lines."""
    schema = arrow_schema("briefs", dedupe=True)
    assert {name: str(schema.field(name).type) for name in TIMELINE_TYPES} == TIMELINE_TYPES
    pair = _timed_seeds(tmp_path)
    outputs = {}
    for suffix in ("parquet", "jsonl"):
        out = tmp_path / f"unique.{suffix}"
        result = run(["convert", *pair, "-o", out, "-q", "--table", "briefs", "--dedupe",
                      "--now", "mtime"])
        assert result.code == 0, result.err
        outputs[suffix] = out
    read = pq.read_table(outputs["parquet"])
    assert read.schema.equals(schema)
    rows = [orjson.loads(line) for line in outputs["jsonl"].read_bytes().splitlines()]
    assert read.num_rows == len(rows) > 5

    def instant(text: str | None) -> dt.datetime | None:
        return None if text is None else dt.datetime.fromisoformat(text)

    assert read.column("first_seen").to_pylist() == [instant(r["first_seen"]) for r in rows]
    assert read.column("last_seen").to_pylist() == [instant(r["last_seen"]) for r in rows]
    assert read.column("sources").to_pylist() == [r["sources"] for r in rows]
    assert read.column("conflict").to_pylist() == [r["conflict"] for r in rows]
    assert read.column("published_between").to_pylist() == [
        None if r["published_between"] is None else
        {"start": instant(r["published_between"][0]), "end": instant(r["published_between"][1])}
        for r in rows]
    assert read.column("published_at").to_pylist() == [instant(r["published_at"]) for r in rows]
    twice = [row for row in read.to_pylist() if row["seen"] == 2]
    assert len(twice) == 5 and all(len(row["sources"]) == 2 for row in twice)
    narrowed = twice[0]["published_between"]
    assert narrowed["end"] - narrowed["start"] == dt.timedelta(minutes=30)
    assert twice[0]["first_seen"] == dt.datetime(2025, 1, 23, 12, tzinfo=dt.UTC)


def test_dedupe_timeline_read_by_duckdb_and_polars(tmp_path: Path) -> None:
    pair = _timed_seeds(tmp_path)
    out = tmp_path / "unique.parquet"
    result = run(["convert", *pair, "-o", out, "-q", "--table", "briefs", "--dedupe",
                  "--now", "mtime"])
    assert result.code == 0, result.err
    read = False
    try:
        import duckdb
    except ImportError:
        pass
    else:
        described = duckdb.execute(f"DESCRIBE SELECT * FROM '{out}'").fetchall()
        types = {row[0]: row[1] for row in described}
        assert types["first_seen"] == types["last_seen"] == "TIMESTAMP WITH TIME ZONE"
        assert types["sources"] == "VARCHAR[]" and types["conflict"] == "BOOLEAN"
        assert types["places"] == "VARCHAR[]"
        assert types["published_between"] == (
            'STRUCT("start" TIMESTAMP WITH TIME ZONE, "end" TIMESTAMP WITH TIME ZONE)')
        narrowed = duckdb.execute(
            f"SELECT count(*) FROM '{out}' WHERE len(sources) = 2 AND "
            "published_between.end - published_between.start = INTERVAL 30 MINUTE").fetchall()
        assert narrowed == [(5,)]
        read = True
    try:
        import polars as pl
    except ImportError:
        pass
    else:
        frame = pl.read_parquet(out)
        assert frame.schema["first_seen"] == pl.Datetime("us", "UTC")
        assert frame.schema["sources"] == pl.List(pl.String)
        assert frame.schema["conflict"] == pl.Boolean
        assert frame.schema["published_between"] == pl.Struct(
            {"start": pl.Datetime("us", "UTC"), "end": pl.Datetime("us", "UTC")})
        read = True
    if not read:
        pytest.skip("neither duckdb nor polars is installed")
