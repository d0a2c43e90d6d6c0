"""convert over containers: archives, WARC and JSON Lines side by side with plain pages;
the parent streams their pages to the workers; --resume skips the finished members."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tarfile
from pathlib import Path

import pytest

from anp_extract.batch.run import CONTAINER_CHUNK
from anp_extract.batch.tasks import Tasks
from anp_extract.sources import Document, ReadOptions
from tests.support import SEEDS, run
from tests.support import containers as build
from tests.support.convert_helpers import convert, interrupted_after

MEMBERS = 300


def big_tar(path: Path, members: int = MEMBERS, changed: int = -1) -> Path:
    """An archive of *members* pages (the seeds over and over, each its own name)."""
    pages = [seed.read_bytes() for seed in SEEDS]
    with tarfile.open(path, "w:gz") as archive:
        for n in range(members):
            mark = f"Pagina {n}{' (bijgewerkt)' if n == changed else ''}\nMeer uit"
            data = pages[n % len(pages)].replace(b"Meer uit", mark.encode(), 1)
            info = tarfile.TarInfo(f"2025/06/page{n:04}.txt")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "scrape"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    build.tar(folder / "b.tar.gz")
    build.warc(folder / "CC-MAIN-20251104-00001.warc.wet.gz")  # Common Crawl's WET name
    build.jsonl(folder / "d.jsonl.gz", gzipped=True)
    build.zip_archive(folder / "e.zip")
    (folder / "f.txt.zst").write_bytes(build.compress(SEEDS[1].read_bytes(), "zst"))
    (folder / "notes.md").write_text("not read: no default --glob matches it")
    return folder


def test_a_tree_of_containers_converts_as_parse_reads_it_whatever_the_jobs(
    tree: Path, tmp_path: Path
) -> None:
    inputs = sorted(str(path) for path in tree.iterdir() if path.name != "notes.md")
    parsed = run(["parse", *inputs])
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}.jsonl"
        result = convert(tree, "-o", out, "-j", jobs)
        assert result.code == 1  # the HTML responses of the WARC
        outputs.append(out.read_bytes())
        summary = result.err.splitlines()[-1]
        assert summary.startswith("anp-extract: convert: 6 files read (")
        assert "5 records skipped (no pages)" not in summary and "6 records skipped" in summary
    assert outputs[0] == outputs[1] == parsed.out
    lines = outputs[0].splitlines()
    assert len(lines) == 1 + 4 * len(SEEDS) + 1  # a.txt, four containers, f.txt.zst
    html = [line for line in result.err.splitlines() if "HTML, not a text page" in line]
    assert len(html) == len(SEEDS)


def test_members_are_named_and_the_out_dir_refuses_containers(tree: Path, tmp_path: Path) -> None:
    result = convert(tree / "b.tar.gz", "-o", "-", "-q")
    assert [record["source"] for record in result.records] == \
        [f"{tree}/b.tar.gz!2025/06/{seed.name}" for seed in SEEDS]
    refused = convert(tree, "--out-dir", tmp_path / "out")
    assert refused.code == 2
    assert "holds many pages: convert it with -o" in refused.err


def test_tasks_are_read_as_they_are_taken_and_let_go(tmp_path: Path) -> None:
    archive = big_tar(tmp_path / "crawl.tar.gz")
    tasks = Tasks([str(archive)], ReadOptions(), with_mtime=False)
    taken = 0
    for task in tasks.rest(0):
        assert isinstance(task, Document)
        taken += 1
        assert len(tasks._held) <= 1  # the point of the test: nothing piles up
    assert taken == MEMBERS


def test_resume_skips_the_finished_members_of_an_archive(tmp_path: Path) -> None:
    archive = big_tar(tmp_path / "crawl.tar.gz")
    whole = tmp_path / "whole.jsonl"
    assert convert(archive, "-o", whole, "-j", "1").code == 0
    out = tmp_path / "out.jsonl"
    with interrupted_after(120):
        stopped = convert(archive, "-o", out, "-j", "1")
    assert stopped.code == 130 and not out.exists()
    resumed = convert(archive, "-o", out, "-j", "2", "--resume")
    assert resumed.code == 0, resumed.err
    # The manifest is written a chunk at a time: the last whole chunk before Ctrl-C.
    reused = 120 // CONTAINER_CHUNK * CONTAINER_CHUNK
    assert f"({MEMBERS} pages and failures inside) ({reused} from the manifest, " \
        f"{MEMBERS - reused} parsed)" in resumed.err.splitlines()[-1]
    assert out.read_bytes() == whole.read_bytes()


def test_a_changed_member_is_parsed_again_with_all_after_it(tmp_path: Path) -> None:
    archive = big_tar(tmp_path / "crawl.tar.gz")
    out = tmp_path / "out.jsonl"
    with interrupted_after(100):
        convert(archive, "-o", out, "-j", "1")
    big_tar(archive, MEMBERS, changed=20)  # one member before the interruption changed
    resumed = convert(archive, "-o", out, "-j", "1", "--resume")
    assert resumed.code == 0
    assert f"(20 from the manifest, {MEMBERS - 20} parsed)" in resumed.err.splitlines()[-1]
    assert b"Pagina 20 (bijgewerkt)" in out.read_bytes()


def test_files_from_and_repeated_globs(tree: Path, tmp_path: Path) -> None:
    names = tmp_path / "names"
    names.write_bytes(b"\0".join(str(tree / name).encode() for name in ("a.txt", "e.zip")))
    result = convert("--files-from", names, "-0", "-o", "-", "-q")
    assert len(result.records) == 1 + len(SEEDS)
    only = convert(tree, "--glob", "*.zip", "--glob", "*.zst", "-o", "-", "-q")
    assert [record["source"].removeprefix(f"{tree}/") for record in only.records] == \
        [f"e.zip!pages/{seed.name}" for seed in SEEDS] + ["f.txt.zst"]


def test_parquet_and_sqlite_keep_url_and_scrape_time(tmp_path: Path) -> None:
    """The WARC's URL and WARC-Date reach every dataset format, not only JSON (Parquet
    and SQLite dropped both before)."""
    pq = pytest.importorskip("pyarrow.parquet")
    import sqlite3

    import orjson

    warc = build.warc(tmp_path / "crawl.warc.gz")
    convert(warc, "-o", tmp_path / "pages.jsonl", "-j1")
    records = [orjson.loads(line) for line in (tmp_path / "pages.jsonl").read_bytes().splitlines()]
    urls = [record["url"] for record in records]
    scraped = [record["scraped_at"] for record in records]
    assert urls and all(urls) and all(scraped)
    convert(warc, "-o", tmp_path / "pages.parquet", "-j1")
    table = pq.read_table(tmp_path / "pages.parquet")
    assert table.column("url").to_pylist() == urls
    assert [when.isoformat() for when in table.column("scraped_at").to_pylist()] == [
        dt.datetime.fromisoformat(when).astimezone(dt.UTC).isoformat()
        for when in scraped]
    convert(warc, "-o", tmp_path / "pages.db", "-j1")
    db = sqlite3.connect(tmp_path / "pages.db")
    assert db.execute("SELECT url, scraped_at FROM pages ORDER BY page").fetchall() == list(
        zip(urls, scraped, strict=True))
