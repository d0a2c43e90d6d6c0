"""Containers built with the real libraries: every page inside gives the record the same
page gives as a plain file, apart from source, url and scraped_at."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from anp_extract.sources import Document, ReadOptions, Skipped, documents
from tests.support import SEEDS, assert_valid, run
from tests.support import containers as build

OWN = ("source", "url", "scraped_at")


def records(out: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in out.splitlines()]


def plain(*now: str) -> list[dict[str, Any]]:
    """The records of the seeds as plain files."""
    ran = run(["parse", *(("--now", now[0]) if now else ()), *SEEDS])
    assert ran.code == 0, ran.err
    return records(ran.out)


def same_apart_from_own(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert len(got) == len(want) == len(SEEDS)
    for record, expected in zip(got, want, strict=True):
        assert_valid(record)
        assert {k: v for k, v in record.items() if k not in OWN} == \
            {k: v for k, v in expected.items() if k not in OWN}


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz", "zst"])
def test_a_compressed_page_is_a_page_whatever_its_name(tmp_path: Path, kind: str) -> None:
    named = tmp_path / f"page.txt.{kind}"
    named.write_bytes(build.compress(SEEDS[0].read_bytes(), kind))
    unnamed = tmp_path / "page.txt"  # told by its magic bytes, not its name
    unnamed.write_bytes(named.read_bytes())
    ran = run(["parse", named, unnamed])
    assert (ran.code, ran.err) == (0, "")
    got = records(ran.out)
    assert [record["source"] for record in got] == [str(named), str(unnamed)]
    same_apart_from_own(got[:1] * len(SEEDS), plain()[:1] * len(SEEDS))


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz", "w:zst"])
def test_every_member_of_a_tar_archive_is_a_page(tmp_path: Path, mode: str) -> None:
    archive = build.tar(tmp_path / "crawl.tar", mode)
    ran = run(["parse", archive])
    assert (ran.code, ran.err) == (0, "")
    got = records(ran.out)
    assert [record["source"] for record in got] == \
        [f"{archive}!2025/06/{seed.name}" for seed in SEEDS]
    assert {record["url"] for record in got} == {None}
    same_apart_from_own(got, plain())


def test_every_member_of_a_zip_archive_is_a_page(tmp_path: Path) -> None:
    archive = build.zip_archive(tmp_path / "crawl.zip")
    ran = run(["parse", archive])
    assert (ran.code, ran.err) == (0, "")
    got = records(ran.out)
    assert got[0]["source"] == f"{archive}!pages/{SEEDS[0].name}"
    same_apart_from_own(got, plain())


def _link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def _file(name: str, size: int = 3) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    return info


def test_links_and_escaping_names_fail_one_by_one_and_are_never_followed(
    tmp_path: Path,
) -> None:
    archive = build.tar(tmp_path / "evil.tar.gz", extra=[
        _link("passwd.txt", "/etc/passwd"), _link("hard.txt", "2025/06/x", tarfile.LNKTYPE),
        _file("../outside.txt"), _file("/abs.txt"), _file("empty.txt", 0),
    ])
    ran = run(["parse", archive])
    assert ran.code == 1
    assert len(records(ran.out)) == len(SEEDS)  # the pages are all there
    assert ran.err.splitlines() == [
        f"anp-extract: {archive}!passwd.txt: a link (to '/etc/passwd'), not followed",
        f"anp-extract: {archive}!hard.txt: a link (to '2025/06/x'), not followed",
        f"anp-extract: {archive}!../outside.txt: a member name with '..', not followed",
        f"anp-extract: {archive}!/abs.txt: an absolute member name, not followed",
        f"anp-extract: {archive}!empty.txt: empty file: no text to parse",
    ]
    assert not (tmp_path / "outside.txt").exists()


def test_a_zip_with_a_bad_member_reads_the_others(tmp_path: Path) -> None:
    archive = build.zip_archive(tmp_path / "c.zip", {"logo.txt": b"\x89PNG\0\0",
                                                     "../up.txt": b"x"})
    ran = run(["parse", archive])
    assert ran.code == 1 and len(records(ran.out)) == len(SEEDS)
    assert ran.err.splitlines() == [
        f"anp-extract: {archive}!logo.txt: binary file (NUL byte at offset 4, line 1), "
        "not a text page",
        f"anp-extract: {archive}!../up.txt: a member name with '..', not followed",
    ]


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_warc_gives_its_text_records_fails_html_and_skips_the_rest(
    tmp_path: Path, gzipped: bool
) -> None:
    warc = build.warc(tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"), gzipped)
    ran = run(["parse", warc])
    assert ran.code == 1
    got = records(ran.out)
    assert [record["source"] for record in got] == \
        [f"{warc}!urn:uuid:page-{n}" for n in range(len(SEEDS))]
    assert [record["url"] for record in got] == \
        [f"https://www.zeelandnet.nl/nieuws/{n}" for n in range(len(SEEDS))]
    assert {record["scraped_at"] for record in got} == {"2025-11-04T14:30:00+00:00"}
    # published_at is reckoned from the WARC-Date, as --now would
    same_apart_from_own(got, plain(build.WHEN))
    errors = ran.err.splitlines()
    html = [line for line in errors if "HTML" in line]
    assert len(html) == len(SEEDS) and all(
        line.endswith(": HTML, not a text page: convert it to text first") for line in html)
    assert errors[-1] == (f"anp-extract: note: {warc}: 6 records skipped, not pages "
                          "(5 request, 1 warcinfo)")


@pytest.mark.parametrize("gzipped", [False, True])
def test_json_lines_of_documents_give_a_page_per_line(tmp_path: Path, gzipped: bool) -> None:
    docs = build.jsonl(tmp_path / ("docs.jsonl.gz" if gzipped else "docs.jsonl"), gzipped)
    ran = run(["parse", docs])
    assert (ran.code, ran.err) == (0, "")
    got = records(ran.out)
    assert [record["source"] for record in got] == [f"{docs}:{n}" for n in range(1, 6)]
    assert got[2]["url"] == "https://www.zeelandnet.nl/nieuws/2"
    same_apart_from_own(got, plain(build.WHEN))


def test_a_bad_line_fails_alone_with_its_number(tmp_path: Path) -> None:
    docs = build.jsonl(tmp_path / "docs.jsonl", bad=True)
    ran = run(["parse", docs])
    assert ran.code == 1 and len(records(ran.out)) == len(SEEDS)
    assert ran.err.splitlines() == [
        f"anp-extract: {docs}:2: not JSON (unexpected character, expected a string key, column 2)",
        f"anp-extract: {docs}:3: no text (no key 'text' or 'content' or 'body')",
    ]


def test_jsonl_keys_can_be_named(tmp_path: Path) -> None:
    docs = tmp_path / "news.jsonl"
    docs.write_bytes(orjson.dumps({"link": "https://a", "maintext": SEEDS[0].read_text(),
                                   "date_download": "2025-11-04 15:30:00"}) + b"\n")
    ran = run(["parse", "--jsonl-text", "maintext", "--jsonl-url", "link",
               "--jsonl-time", "date_download", docs])
    assert (ran.code, ran.err) == (0, "")
    record = records(ran.out)[0]
    assert (record["url"], record["scraped_at"]) == ("https://a", "2025-11-04T15:30:00+01:00")


def test_now_wins_over_the_time_a_source_carries(tmp_path: Path) -> None:
    docs = build.jsonl(tmp_path / "docs.jsonl")
    ran = run(["parse", "--now", "2025-11-05T10:00", docs])
    assert {record["scraped_at"] for record in records(ran.out)} == {"2025-11-05T10:00:00+01:00"}


def test_a_jsonl_file_not_so_named_is_known_by_its_first_line(tmp_path: Path) -> None:
    docs = build.jsonl(tmp_path / "scrape.txt")
    ran = run(["parse", docs])
    assert (ran.code, len(records(ran.out))) == (0, len(SEEDS))


def test_documents_yields_the_same_for_the_library(tmp_path: Path) -> None:
    warc = build.warc(tmp_path / "c.warc.gz")
    items = list(documents([str(warc)], ReadOptions()))
    assert sum(isinstance(item, Document) for item in items) == len(SEEDS)
    assert isinstance(items[-1], Skipped) and items[-1].records == 6


def test_page_records_are_not_taken_for_documents(tmp_path: Path) -> None:
    records_file = tmp_path / "pages.jsonl"
    records_file.write_bytes(run(["parse", *SEEDS]).out)
    ran = run(["parse", records_file])
    assert (ran.code, ran.out) == (1, b"")
    assert ran.err == (f"anp-extract: {records_file}: page records (what anp-extract writes), "
                       "not documents: read them with 'export'\n")


def test_a_line_past_the_page_size_limit_fails_alone(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_bytes(b'{"text": "DEN HAAG (ANP) - Kort."}\n'
                     + orjson.dumps({"text": "x" * 5000}) + b"\n"
                     + b'{"text": "UTRECHT (ANP) - Ook kort."}\n')
    ran = run(["parse", "--max-page-size", "2K", docs])
    assert ran.code == 1 and len(records(ran.out)) == 2
    assert ran.err == (f"anp-extract: {docs}:2: line longer than the page size limit "
                       "(2 KiB; --max-page-size)\n")


def test_a_warc_on_standard_input(tmp_path: Path) -> None:
    warc = build.warc(tmp_path / "c.warc.gz")
    ran = run(["parse", "--to", "tsv", "--fields", "source,url"], stdin=warc.read_bytes())
    assert ran.stdout.splitlines()[1] == "-!urn:uuid:page-0\thttps://www.zeelandnet.nl/nieuws/0"
