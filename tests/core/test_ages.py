"""ages: the portal's relative ages, glued ages, and the times they point to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from anp_extract.core.ages import (
    glued_ages,
    parse_age,
    published,
    published_at,
    published_on,
    usable_now,
)
from anp_extract.core.page import ParseOptions, parse

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

AGES = [
    ("1 seconde geleden", 0),
    ("30 seconden geleden", 0),
    ("120 seconden geleden", 2),
    ("1 minuut geleden", 1),
    ("3 minuten geleden", 3),
    ("59 minuten geleden", 59),
    ("1 uur geleden", 60),
    ("7 uur geleden", 420),
    ("36 uur geleden", 2160),
    ("1 dag geleden", 1440),
    ("3 dagen geleden", 4320),
    ("1 week geleden", 10080),
    ("2 weken geleden", 20160),
    ("1 maand geleden", 43200),
    ("4 maand geleden", 172800),  # the portal's plural
    ("4 maanden geleden", 172800),
    ("1 jaar geleden", 525600),
    ("2 jaar geleden", 1051200),
    ("3uur geleden", 180),  # the space is sometimes dropped
]

NOT_AGES = [
    "Twee uur geleden",
    "3 uur geleden lag de boot nog in de haven",
    "zei 3 uur geleden nog",
    "3 uur",
    "geleden",
    "3 eeuwen geleden",
    "3 uur geleden.",
    "- 3 uur geleden",
    "",
]

GLUED = [
    ("7 uur geledenLONDEN (ANP/AFP) - Starmer", "7 uur geleden", "LONDEN (ANP/AFP) - Starmer"),
    ("3 dagen geledenKAPELLE - In Kapelle", "3 dagen geleden", "KAPELLE - In Kapelle"),
    ("2 weken geledenANP Haven van Vlissingen", "2 weken geleden", "ANP Haven van Vlissingen"),
    ("3 uur geleden'S-HERTOGENBOSCH (ANP) - X", "3 uur geleden", "'S-HERTOGENBOSCH (ANP) - X"),
    ("16 minuten geledenKYIV (AFP/RTR) - X", "16 minuten geleden", "KYIV (AFP/RTR) - X"),
    ("1 uur geledenÉén dode bij brand", "1 uur geleden", "Één dode bij brand"),
]

NOT_GLUED = [
    "3 uur geleden lag de boot nog in de haven",
    "3 uur geledenlag",  # a lower-case letter: a typo in a sentence, not a glued age
    "3 uur geleden",
    "Tekst 3 uur geledenLONDEN (ANP) - X",
    "",
]


@pytest.mark.parametrize(("line", "minutes"), AGES)
def test_age_line(line: str, minutes: int) -> None:
    age = parse_age(line)
    assert age is not None
    assert (age.raw, age.minutes) == (line, minutes)


@pytest.mark.parametrize("line", NOT_AGES)
def test_not_an_age(line: str) -> None:
    assert parse_age(line) is None


@pytest.mark.parametrize(("line", "age", "rest"), GLUED)
def test_glued_age_is_cut_loose(line: str, age: str, rest: str) -> None:
    found, after = glued_ages(line)
    assert ([glued.raw for glued in found], after) == ([age], rest)


@pytest.mark.parametrize("line", NOT_GLUED)
def test_not_glued(line: str) -> None:
    assert glued_ages(line) == ([], line)


@pytest.mark.parametrize(("minutes", "now", "expected"), [
    (180, datetime(2025, 11, 4, 14, 30, tzinfo=AMSTERDAM), "2025-11-04T11:30:00+01:00"),
    (0, datetime(2025, 7, 1, 9, 0, tzinfo=AMSTERDAM), "2025-07-01T09:00:00+02:00"),
    # Across the spring change (02:00 became 03:00 on 30 March 2025): three real hours.
    (180, datetime(2025, 3, 30, 4, 0, tzinfo=AMSTERDAM), "2025-03-30T00:00:00+01:00"),
    (1440, datetime(2025, 1, 1, 0, 30, tzinfo=UTC), "2024-12-31T00:30:00+00:00"),
])
def test_published_at(minutes: int, now: datetime, expected: str) -> None:
    assert published_at(minutes, now) == expected


def test_published_at_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        published_at(10, datetime(2025, 1, 1))


@pytest.mark.parametrize(("minutes", "expected"), [
    (0, None), (1439, None), (1440, "2025-11-03"), (2160, "2025-11-03"),
    (20160, "2025-10-21"), (172800, "2025-07-07"), (525600, "2024-11-04"),
])
def test_published_on_counts_whole_days_back_from_the_page_date(
    minutes: int, expected: str | None
) -> None:
    assert published_on(minutes, date(2025, 11, 4)) == expected


# -- out of range: no OverflowError, ever -------------------------------------------------------

YEAR_1 = datetime(1, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("minutes", "now"), [
    (3000 * 525600, datetime(2025, 11, 4, 14, 30, tzinfo=AMSTERDAM)),  # 3000 jaar geleden
    (5 * 525600, YEAR_1),  # 5 jaar geleden, scraped in the year 1
    (999999 * 525600, datetime(9999, 12, 31, tzinfo=UTC)),  # the largest age the portal can print
    (24 * 60, datetime(1, 1, 1, 0, 30, tzinfo=AMSTERDAM)),  # the year 0 in UTC
])
def test_published_at_out_of_range_is_none(minutes: int, now: datetime) -> None:
    assert published_at(minutes, now) is None
    assert published(minutes, now, None) is None


@pytest.mark.parametrize(("minutes", "day"), [
    (5 * 525600, date(1, 1, 1)), (3000 * 525600, date(2025, 11, 4)),
    (999999 * 525600, date(9999, 12, 31)),
])
def test_published_on_out_of_range_is_none(minutes: int, day: date) -> None:
    assert published_on(minutes, day) is None
    assert published(minutes, None, day) is None


def test_published_at_at_the_edge_of_the_range() -> None:
    assert published_at(0, YEAR_1) == "0001-01-01T12:00:00+00:00"
    assert published_at(12 * 60, YEAR_1) == "0001-01-01T00:00:00+00:00"
    assert published_at(12 * 60 + 1, YEAR_1) is None


@pytest.mark.parametrize(("now", "usable"), [
    (datetime(2025, 11, 4, tzinfo=AMSTERDAM), True),
    (datetime(1, 1, 1, tzinfo=AMSTERDAM), False),  # Amsterdam is ahead of UTC: the year 0
    (datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))), False),
    (datetime(1, 1, 1, tzinfo=UTC), True),
    (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), True),
])
def test_usable_now(now: datetime, usable: bool) -> None:
    assert usable_now(now) is usable


@pytest.mark.parametrize(("page", "options", "warning"), [
    ("Meer uit X\nKATS - Iets.\n3000 jaar geleden\n",
     ParseOptions(now=datetime(2025, 11, 4, tzinfo=AMSTERDAM)),
     "line 3: 3000 jaar geleden: published_at out of range (before the year 1)"),
    ("1 januari 0001\nMeer uit X\nKATS - Iets.\n5 jaar geleden\n", ParseOptions(),
     "line 4: 5 jaar geleden: published_at out of range (before the year 1)"),
    ("4 november 2025\nMeer uit X\nKATS - Iets.\n3000 jaar geleden\n", ParseOptions(),
     "line 4: 3000 jaar geleden: published_at out of range (before the year 1)"),
])
def test_a_page_with_an_age_out_of_range_parses_with_a_warning(
    page: str, options: ParseOptions, warning: str
) -> None:
    record = parse(page, "p", options)
    assert [brief.published_at for brief in record.briefs] == [None]
    assert record.warnings == (warning,)


@pytest.mark.parametrize("line", [
    "3 \u017fec geleden",  # the long s: the regex module's "(?i)s" took it, UNIT_MINUTES not
    "3 m\u0130n geleden",  # the capital I with a dot: lower() gives "i" and a combining dot
    "1\U00011f53 uur geleden",  # a digit of Unicode 15, which int() of Python 3.11 refuses
])
def test_an_age_in_letters_the_units_do_not_know_is_text_not_a_crash(line: str) -> None:
    # Each raised KeyError or ValueError out of parse (a traceback) before.
    assert parse_age(line) is None
    for page in (line, f"Meer uit X\nKATS - Iets.\n{line}\n", f"{line}KATS - Iets.\n"):
        record = parse(page, "p")
        assert all(brief.age is None for brief in record.briefs)


def test_the_kelvin_sign_is_a_k_in_an_age() -> None:
    age = parse_age("2 wee\u212a geleden")
    assert age is not None and age.minutes == 20160
