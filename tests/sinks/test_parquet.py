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
