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
