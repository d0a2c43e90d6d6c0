"""page@2 beside page@1: export reads both; each version has its schema file."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from anp_extract.core.contract import problem, schema
from anp_extract.core.record import SCHEMA, SCHEMAS
from tests.support import SEEDS, run


def test_records_are_page_2_and_page_1_stays_readable(tmp_path: Path) -> None:
    assert SCHEMA == "anp-extract/page@2" and SCHEMAS == ("anp-extract/page@1", SCHEMA)
    current = orjson.loads(run(["parse", SEEDS[1]]).out)
    old = {key: value for key, value in current.items() if key not in ("url", "scraped_at")}
    old["schema"] = "anp-extract/page@1"
    assert problem(old) is None and problem(current) is None
    assert problem({**old, "url": None}) == "record: unknown field 'url'"
    records = tmp_path / "mixed.jsonl"
    records.write_bytes(orjson.dumps(old) + b"\n" + orjson.dumps(current) + b"\n")
    pages = run(["export", "--to", "csv", "--fields", "schema,source,url,scraped_at",
                 records])
    assert (pages.code, pages.err) == (0, "")
    assert pages.stdout.splitlines() == [
        "schema,source,url,scraped_at",
        f"anp-extract/page@1,{SEEDS[1]},,",
        f"anp-extract/page@2,{SEEDS[1]},,",
    ]
    briefs = run(["export", "--table", "briefs", records]).stdout.splitlines()
    half = len(briefs) // 2
    assert briefs[:half] == briefs[half:]


def test_each_version_ships_its_schema() -> None:
    assert json.loads(run(["schema"]).stdout)["$id"] == SCHEMA
    one, two = schema("anp-extract/page@1"), schema(SCHEMA)
    assert set(two["properties"]) - set(one["properties"]) == {"url", "scraped_at"}
    assert one["$defs"] == two["$defs"]  # the contract checker resolves against either


def test_the_scrape_time_gives_scraped_at_and_published_at() -> None:
    record = orjson.loads(run(["parse", "--now", "2025-11-04T14:30", SEEDS[1]]).out)
    assert record["scraped_at"] == "2025-11-04T14:30:00+01:00"
    assert record["briefs"][0]["published_at"] == "2025-11-04T11:30:00+01:00"  # 3 uur geleden
