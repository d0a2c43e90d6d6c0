"""The brief timeline with the scrape times the inputs carry (issue 15): a WARC written with
warcio, each response record's WARC-Date its scrape time, and JSON Lines whose time key
says when each page was fetched; ``convert --table briefs --dedupe`` with no ``--now``, as
the README documents ("--now ISO wins, then --now mtime, then the time the source carries").

Constructed sightings: two briefs with known publication times, three pages scraped at
known times, each printing the ages the portal would print then (truncated to the unit).
The intervals below are worked out by hand from those ages, not by the timeline module.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support import run

T = datetime(2025, 1, 23, 12, 0, tzinfo=UTC)
SCRAPES = (T, T + timedelta(minutes=40), T + timedelta(minutes=150))  # 12:00, 12:40, 14:30
LONDEN = T - timedelta(minutes=200)  # published 08:40
KATS = T - timedelta(minutes=50)  # published 11:10
PAGE = "Meer uit Binnenland\nLONDEN (ANP) - Een bericht.\n{}\nKATS - Twee berichten.\n{}\n"

# What the pages print, by hand, and the interval each sighting gives (published after
# the first time, at or before the second):
#   LONDEN, 08:40: 12:00 "3 uur" (08:00, 09:00]; 12:40 "4 uur" (07:40, 08:40];
#                  14:30 "5 uur" (08:30, 09:30]; together (08:30, 08:40].
#   KATS, 11:10:   12:00 "50 minuten" (11:09, 11:10]; 12:40 "1 uur" (10:40, 11:40];
#                  14:30 "3 uur" (10:30, 11:30]; together (11:09, 11:10].
AGES = (("3 uur geleden", "50 minuten geleden"), ("4 uur geleden", "1 uur geleden"),
        ("5 uur geleden", "3 uur geleden"))
EXPECTED = {
    "LONDEN": (["2025-01-23T08:30:00+00:00", "2025-01-23T08:40:00+00:00"],
               "2025-01-23T08:35:00+00:00"),
    "KATS": (["2025-01-23T11:09:00+00:00", "2025-01-23T11:10:00+00:00"],
             "2025-01-23T11:09:30+00:00"),
}


def portal_age(age: timedelta) -> str:
    minutes = int(age.total_seconds()) // 60
    return f"{minutes} minuten geleden" if minutes < 60 else f"{minutes // 60} uur geleden"


def pages() -> list[str]:
    texts = [PAGE.format(portal_age(when - LONDEN), portal_age(when - KATS)) for when in SCRAPES]
    assert texts == [PAGE.format(*ages) for ages in AGES]  # the construction, checked
    return texts


def warc(path: Path) -> Path:
    """Three response records, text/plain, each with its scrape time as WARC-Date; a
    request record before each, as wget writes them."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number, (when, text) in enumerate(zip(SCRAPES, pages(), strict=True)):
            url = f"https://www.zeelandnet.nl/nieuws/regio/{number}"
            date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "zeelandnet.nl")],
                                              protocol="HTTP/1.1", is_http_request=True),
                warc_headers_dict={"WARC-Date": date}))
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(text.encode("utf-8")),
                http_headers=StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/plain; charset=utf-8")],
                    protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": date,
                                   "WARC-Record-ID": f"<urn:uuid:scrape-{number}>"}))
    return path


def jsonl(path: Path, key: str) -> Path:
    """One document a line; the time under *key*, in UTC or with an offset (the second
    is 13:40+01:00, the same instant as 12:40Z)."""
    lines = []
    for number, (when, text) in enumerate(zip(SCRAPES, pages(), strict=True)):
        written = (when.astimezone(timezone(timedelta(hours=1))).isoformat() if number == 1
                   else when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        lines.append(orjson.dumps({"url": f"https://www.zeelandnet.nl/{number}", "text": text,
                                   key: written}))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def briefs(*args: object) -> dict[str, dict[str, Any]]:
    result = run(["convert", *args, "-o", "-", "--table", "briefs", "--dedupe", "-q"])
    assert result.code == 0, result.err
    rows = [orjson.loads(line) for line in result.out.splitlines()]
    return {row["dateline"]["places"][0]: row for row in rows}


def check(rows: dict[str, dict[str, Any]], sources: list[str]) -> None:
    assert set(rows) == set(EXPECTED)
    for place, (between, estimate) in EXPECTED.items():
        row = rows[place]
        assert (row["published_between"], row["published_at"]) == (between, estimate), place
        assert (row["seen"], row["conflict"]) == (3, False)
        assert (row["first_seen"], row["last_seen"]) == (
            "2025-01-23T12:00:00+00:00", "2025-01-23T14:30:00+00:00")
        assert row["sources"] == sources
        start, end = (datetime.fromisoformat(t) for t in between)
        published = LONDEN if place == "LONDEN" else KATS
        assert start < published <= end  # the true time, known by construction, is inside
        # Narrower than any one sighting (an hour, or a minute for "50 minuten"), bar KATS,
        # whose "50 minuten" sighting already pins it to the minute.
        assert end - start == timedelta(minutes=10 if place == "LONDEN" else 1)


def test_warc_dates_are_the_scrape_times(tmp_path: Path) -> None:
    path = warc(tmp_path / "crawl.warc.gz")
    check(briefs(path), [f"{path}!urn:uuid:scrape-{n}" for n in range(3)])


@pytest.mark.parametrize("key", ["scraped_at", "fetched"])
def test_a_json_lines_time_key_gives_the_scrape_times(tmp_path: Path, key: str) -> None:
    path = jsonl(tmp_path / "docs.jsonl", key)
    more = [] if key == "scraped_at" else ["--jsonl-time", key]  # scraped_at: the default
    check(briefs(path, *more), [f"{path}:{n}" for n in (1, 2, 3)])


def test_the_records_carry_the_source_times(tmp_path: Path) -> None:
    result = run(["convert", warc(tmp_path / "c.warc.gz"), "-o", "-", "-q"])
    assert result.code == 0, result.err
    records = [orjson.loads(line) for line in result.out.splitlines()]
    assert [r["scraped_at"] for r in records] == [
        "2025-01-23T12:00:00+00:00", "2025-01-23T12:40:00+00:00", "2025-01-23T14:30:00+00:00"]


@pytest.mark.parametrize("now", ["2025-01-23T15:00Z", "mtime"])
def test_now_wins_over_the_source_times(tmp_path: Path, now: str) -> None:
    """As documented: ``--now ISO``, then ``--now mtime`` (the WARC file's), before the
    WARC-Date.  One time for every page: the three ages cannot all hold, so a conflict,
    flagged and given no time, not a wrong interval."""
    path = warc(tmp_path / "c.warc.gz")
    stamp = datetime(2025, 1, 23, 15, 0, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    for row in briefs(path, "--now", now).values():
        assert (row["conflict"], row["published_between"], row["published_at"]) == (
            True, None, None)
        assert row["first_seen"] == row["last_seen"] == "2025-01-23T15:00:00+00:00"
