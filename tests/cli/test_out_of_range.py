"""Times out of range (issue 15): an age or a ``--now`` that ``datetime`` cannot hold never
ends a run with an OverflowError.  A brief's time out of range is null with a warning; a
``--now`` out of range is a usage error (exit 2)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.support import SEEDS, run

FAR = "Meer uit Binnenland\nKATS - Een oud bericht.\n3000 jaar geleden\n"
YEAR_1 = "1 januari 0001\nMeer uit Binnenland\nKATS - Een oud bericht.\n5 jaar geleden\n"


@pytest.mark.parametrize("command", [["parse"], ["stats"], ["split", "--jsonl"]])
@pytest.mark.parametrize("now", ["0001-01-01", "9999-12-31T23:59-14:00"])
def test_now_out_of_range_is_a_usage_error(command: list[str], now: str) -> None:
    result = run([*command, "--now", now, SEEDS[0]])
    assert result.code == 2, result.err
    assert result.out == b""
    assert result.err == (
        f"anp-extract: --now: {now!r} is out of range: in UTC it falls before the year 1 or "
        "after 9999\n"
    )


def test_convert_with_now_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = run(["convert", SEEDS[0], "-o", tmp_path / "out.jsonl", "--now", "0001-01-01"])
    assert result.code == 2 and "out of range" in result.err
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(("page", "now"), [
    (FAR, "2025-11-04T12:00"), (FAR, None), (YEAR_1, None), (YEAR_1, "0001-01-01T12:00Z"),
])
def test_an_age_out_of_range_gives_null_and_a_warning(page: str, now: str | None) -> None:
    result = run(["parse", *(["--now", now] if now else [])], stdin=page)
    assert result.code == 0, result.err
    record = orjson.loads(result.out)
    assert [brief["published_at"] for brief in record["briefs"]] == [None]
    if now is not None or page == YEAR_1:
        assert [w for w in record["warnings"] if "out of range" in w], record["warnings"]


def test_convert_and_stats_run_through_a_page_out_of_range(tmp_path: Path) -> None:
    folder = tmp_path / "scrape"
    folder.mkdir()
    (folder / "far.txt").write_text(FAR, "utf-8")
    (folder / "year1.txt").write_text(YEAR_1, "utf-8")
    (folder / "seed.txt").write_bytes(SEEDS[0].read_bytes())
    out = tmp_path / "briefs.jsonl"
    for args in (
        ["convert", folder, "-o", out, "--table", "briefs", "--dedupe",
         "--now", "2025-11-04T12:00"],
        ["convert", folder, "-o", out, "--now", "mtime"],
        ["stats", folder, "--now", "2025-11-04T12:00"],
        ["stats", folder, "--json"],
    ):
        result = run(args)
        assert result.code == 0, (args, result.err)
        assert "Traceback" not in result.err and "OverflowError" not in result.err
