"""Issue 16, convert: records that claim the contract keep it, the same file converted
once, links said, and what --resume reuses verified."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tests.support import ROOT, assert_valid, run

SEEDS_DIR = ROOT / "seeds"


def test_dedupe_pages_records_keep_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "pages.jsonl"
    ran = run(["convert", SEEDS_DIR, "-o", out, "--dedupe", "-q"])
    assert ran.code == 0, ran.err
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert records and any(brief.get("seen") == 2 for r in records for brief in r["briefs"])
    for record in records:
        assert_valid(record)
    exported = run(["export", "--table", "briefs", "--to", "csv", out])
    assert exported.code == 0, exported.err
    assert exported.out.count(b"\r\n") == 1 + 30


def test_the_same_file_named_twice_is_converted_once(tmp_path: Path) -> None:
    out = tmp_path / "pages.jsonl"
    first = sorted(SEEDS_DIR.glob("*.txt"))[0]
    ran = run(["convert", SEEDS_DIR, SEEDS_DIR / first.name, f"{SEEDS_DIR}/.", "-o", out])
    assert ran.code == 0, ran.err
    assert len(out.read_bytes().splitlines()) == 5
    summary = ran.err.splitlines()[-1]
    assert "5 files read" in summary and "6 named again, read once" in summary


def test_a_folder_of_links_says_they_were_skipped(tmp_path: Path) -> None:
    links = tmp_path / "links"
    links.mkdir()
    for seed in sorted(SEEDS_DIR.glob("*.txt"))[:3]:
        (links / seed.name).symlink_to(seed)
    ran = run(["convert", links, "-o", tmp_path / "out.jsonl"])
    assert ran.code == 1
    assert f"{links}: 3 links skipped (use --follow-links)" in ran.err
    counted = run(["stats", links])
    assert "3 links skipped (use --follow-links)" in counted.err
    followed = run(["convert", links, "-o", tmp_path / "out.jsonl", "--follow-links"])
    assert followed.code == 0, followed.err


def _interrupted(folder: Path, out: Path, after: int) -> None:
    from tests.support.convert_helpers import convert, interrupted_after

    with interrupted_after(after):
        assert convert(folder, "-o", out, "-j", 1).code == 130
    assert Path(f"{out}.parts").exists()


def _corpus(tmp_path: Path) -> Path:
    from tests.support.generator import write_corpus

    folder = tmp_path / "pages"
    write_corpus(folder, 60, seed=16)
    return folder


@pytest.mark.parametrize("to", ["jsonl", "json", "csv", "tsv"])
def test_resume_notices_bytes_changed_in_the_parts(tmp_path: Path, to: str) -> None:
    folder = _corpus(tmp_path)
    fresh = run(["convert", folder, "-o", "-", "-q", "--to", to]).out
    out = tmp_path / f"pages.{to}"
    _interrupted(folder, out, 40)
    parts = Path(f"{out}.parts")
    data = bytearray(parts.read_bytes())
    data[500:510] = b"\x00" * 10
    parts.write_bytes(bytes(data))
    lines = Path(f"{out}.manifest.jsonl").read_bytes().splitlines()[1:]
    entries = [orjson.loads(line) for line in lines]
    hit = next(n for n, e in enumerate(entries) if e["offset"] + e["length"] > 500)
    resumed = run(["convert", folder, "-o", out, "--resume", "-j", "1"])
    assert resumed.code == 0, resumed.err
    assert out.read_bytes() == fresh
    kept = f"({hit} from the manifest, {60 - hit} parsed)" if hit else "60 files read, "
    assert kept in resumed.err


def test_resume_with_a_broken_manifest_entry_parses_again(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    fresh = run(["convert", folder, "-o", "-", "-q"]).out
    out = tmp_path / "pages.jsonl"
    _interrupted(folder, out, 40)
    manifest = Path(f"{out}.manifest.jsonl")
    lines = manifest.read_bytes().splitlines(keepends=True)
    entry = orjson.loads(lines[3])
    entry["length"] = "x"
    lines[3] = orjson.dumps(entry) + b"\n"
    manifest.write_bytes(b"".join(lines))
    resumed = run(["convert", folder, "-o", out, "--resume", "-j", "1"])
    assert (resumed.code == 0 and resumed.exception is None) or isinstance(
        resumed.exception, SystemExit), resumed.err
    assert "Traceback" not in resumed.err and out.read_bytes() == fresh
    assert "(2 from the manifest, 58 parsed)" in resumed.err


def test_update_parses_only_new_and_changed_files(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    for suffix in ("jsonl", "csv"):
        out = tmp_path / f"pages.{suffix}"
        first = run(["convert", folder, "-o", out, "--update", "-j", "2"])
        assert first.code == 0 and "60 files read," in first.err, first.err
        assert Path(f"{out}.index.jsonl").exists()
        again = run(["convert", folder, "-o", out, "--update"])
        assert "(60 unchanged, kept, 0 parsed)" in again.err, again.err
    pages = sorted(folder.rglob("*.txt"))
    changed = pages[2]  # an early file: the rest after it is kept all the same
    changed.write_bytes(changed.read_bytes() + b"\nEen extra regel.\n")
    os.utime(pages[5], (1_700_000_000, 1_700_000_000))  # touched: same bytes, kept
    (pages[0].parent / "zz_new.txt").write_bytes(SEEDS_DIR.joinpath(
        "001_e73d07e3b0bfa2d9.txt").read_bytes())
    pages[9].unlink()
    for suffix in ("jsonl", "csv"):
        out = tmp_path / f"pages.{suffix}"
        updated = run(["convert", folder, "-o", out, "--update", "-j", "2"])
        assert updated.code == 0, updated.err
        assert "60 files read (58 unchanged, kept, 2 parsed)" in updated.err, updated.err
        fresh = run(["convert", folder, "-o", "-", "--to", suffix, "-q"]).out
        assert out.read_bytes() == fresh


def test_update_does_not_trust_rows_that_changed_in_the_output(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    out = tmp_path / "pages.jsonl"
    assert run(["convert", folder, "-o", out, "--update", "-q"]).code == 0
    fresh = out.read_bytes()
    data = bytearray(fresh)
    data[100:110] = b"\x00" * 10
    out.write_bytes(bytes(data))
    again = run(["convert", folder, "-o", out, "--update"])
    assert again.code == 0 and out.read_bytes() == fresh
    assert "(59 unchanged, kept, 1 parsed)" in again.err, again.err


def test_update_refuses_what_it_cannot_keep(tmp_path: Path) -> None:
    for args, message in (
        (["-o", "-"], "--update needs -o FILE"),
        (["-o", tmp_path / "a.json"], "JSON Lines, CSV or TSV"),
        (["-o", tmp_path / "a.jsonl", "--dedupe"], "without --dedupe"),
        (["-o", tmp_path / "a.jsonl", "--resume"], "give one"),
    ):
        ran = run(["convert", SEEDS_DIR, "--update", *args])
        assert ran.code == 2 and message in ran.err, ran.err
