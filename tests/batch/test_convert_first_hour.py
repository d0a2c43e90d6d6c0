"""Issue 16, convert: records that claim the contract keep it, the same file converted
once, links said, and what --resume reuses verified."""

from __future__ import annotations

from pathlib import Path

import orjson

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


def test_resume_notices_bytes_changed_in_the_parts(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    fresh = run(["convert", folder, "-o", "-", "-q"]).out
    out = tmp_path / "pages.jsonl"
    _interrupted(folder, out, 40)
    parts = Path(f"{out}.parts")
    data = bytearray(parts.read_bytes())
    data[500:510] = b"\x00" * 10
    parts.write_bytes(bytes(data))
    resumed = run(["convert", folder, "-o", out, "--resume", "-j", "1"])
    assert resumed.code == 0, resumed.err
    assert out.read_bytes() == fresh
    assert "60 files read" in resumed.err and "from the manifest" not in resumed.err


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
