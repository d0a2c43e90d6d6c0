"""The brief timeline through ``convert --table briefs --dedupe`` and ``stats`` (issue 15),
on seeds 002 and 004: the same five briefs, the scrape times set through the files'
modification times (``--now mtime``)."""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from anp_extract.core.timeline import COLUMNS
from tests.support import SEEDS, run

T004 = datetime(2025, 1, 23, 12, 0, tzinfo=UTC).timestamp()


def scrape(tmp_path: Path, gap_minutes: int) -> Path:
    """Seeds 004 and 002 in a folder, 002 scraped *gap_minutes* after 004."""
    folder = tmp_path / f"gap{gap_minutes}"
    folder.mkdir()
    for seed, when in ((SEEDS[4], T004), (SEEDS[2], T004 + gap_minutes * 60)):
        copy = folder / seed.name
        shutil.copy(seed, copy)
        os.utime(copy, (when, when))
    return folder


def shared(folder: Path, *more: str) -> list[Row]:
    result = run(["convert", folder, "-o", "-", "--table", "briefs", "--dedupe", "--now",
                  "mtime", "-q", *more])
    assert result.code == 0, result.err
    rows = [orjson.loads(line) for line in result.out.splitlines()]
    assert len(rows) == 9 and all(set(COLUMNS) <= set(row) for row in rows)
    return [row for row in rows if row["seen"] == 2]


Row = dict[str, Any]


def minutes(row: Row) -> float:
    earliest, latest = (datetime.fromisoformat(end) for end in row["published_between"])
    return (latest - earliest).total_seconds() / 60


def test_two_hours_apart_the_five_shared_briefs_gain_nothing(tmp_path: Path) -> None:
    """The ages are whole hours and the scrapes a whole two hours apart: each sighting
    gives the same one-hour interval, so the intersection is no narrower."""
    rows = shared(scrape(tmp_path, 120))
    assert len(rows) == 5
    assert [minutes(row) for row in rows] == [60.0] * 5
    kyiv = next(row for row in rows if row["dateline"]["places"] == ["KYIV"])
    # 004 at 12:00 says "2 uur", 002 at 14:00 "4 uur": published in (09:00, 10:00].
    assert kyiv["published_between"] == [
        "2025-01-23T09:00:00+00:00", "2025-01-23T10:00:00+00:00"]
    assert kyiv["published_at"] == "2025-01-23T09:30:00+00:00"
    assert (kyiv["first_seen"], kyiv["last_seen"]) == (
        "2025-01-23T12:00:00+00:00", "2025-01-23T14:00:00+00:00")
    assert [Path(source).name for source in kyiv["sources"]] == [SEEDS[2].name, SEEDS[4].name]
    assert {row["conflict"] for row in rows} == {False}


@pytest.mark.parametrize(("gap", "width"), [(150, 30.0), (130, 50.0), (179, 1.0)])
def test_a_gap_that_is_no_whole_hour_narrows_them(
    tmp_path: Path, gap: int, width: float
) -> None:
    rows = shared(scrape(tmp_path, gap))
    assert [minutes(row) for row in rows] == [width] * 5


def test_scrapes_too_far_apart_for_the_ages_are_a_conflict(tmp_path: Path) -> None:
    rows = shared(scrape(tmp_path, 240))  # 002's ages would have to be 4 hours older
    assert {row["conflict"] for row in rows} == {True}
    assert {row["published_between"] for row in rows} == {None}


def test_csv_flattens_the_timeline(tmp_path: Path) -> None:
    folder = scrape(tmp_path, 150)
    out = tmp_path / "briefs.csv"
    result = run(["convert", folder, "-o", out, "--table", "briefs", "--dedupe", "--now",
                  "mtime", "-q"])
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"), newline="")))
    kyiv = next(row for row in rows if row["places"] == "KYIV")
    assert kyiv["published_between"] == "2025-01-23T09:30:00+00:00/2025-01-23T10:00:00+00:00"
    assert len(kyiv["sources"].split("\n")) == 2 and kyiv["conflict"] == "false"
    picked = run(["convert", folder, "-o", "-", "--table", "briefs", "--dedupe", "--now",
                  "mtime", "-q", "--fields", "id,first_seen,published_between"])
    assert picked.code == 0, picked.err
    first = orjson.loads(picked.out.splitlines()[0])
    assert set(first) == {"id", "first_seen", "published_between"}


@pytest.mark.parametrize(("gap", "narrowed", "width"), [(120, 0, 60), (150, 5, 30)])
def test_stats_says_how_tightly_the_briefs_are_pinned(
    tmp_path: Path, gap: int, narrowed: int, width: float
) -> None:
    result = run(["stats", "--json", "--now", "mtime", scrape(tmp_path, gap)])
    assert result.code == 0, result.err
    figures = orjson.loads(result.out)["timeline"]
    # 9 unique briefs; the 4 seen once are an hour wide, the 5 shared ones *width*.
    assert figures["timed_briefs"] == 9 and figures["narrowed"] == narrowed
    assert figures["median_width_minutes"] == width and figures["conflicts"] == 0
