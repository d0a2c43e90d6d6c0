"""core.timeline: a relative age is an interval; sightings at known times narrow it.
Constructed sightings: the true publication time is set, each page prints the age the
portal would print at its scrape time, and the intervals must be exact and hold it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anp_extract.core.timeline import Timeline, Timelines, age_interval, iso, scraped_at
from tests.properties.strategies import examples

HOUR, DAY = 3600, 86400
T0 = int(datetime(2025, 11, 4, 18, 0, tzinfo=UTC).timestamp())


def portal_age(seconds: int) -> str:
    """The age the portal prints for a brief *seconds* old: truncated to its unit."""
    for unit, size, limit in (("seconden", 1, 60), ("minuten", 60, HOUR), ("uur", HOUR, DAY),
                              ("dagen", DAY, 7 * DAY), ("weken", 7 * DAY, 30 * DAY),
                              ("maand", 30 * DAY, 365 * DAY)):
        if seconds < limit:
            return f"{seconds // size} {unit} geleden"
    return f"{seconds // (365 * DAY)} jaar geleden"


@pytest.mark.parametrize(("age", "earliest", "latest"), [
    ("3 uur geleden", T0 - 4 * HOUR, T0 - 3 * HOUR),  # seen at 18:00: (14:00, 15:00]
    ("59 minuten geleden", T0 - 3600, T0 - 3540),
    ("1 minuut geleden", T0 - 120, T0 - 60),
    ("30 seconden geleden", T0 - 31, T0 - 30),
    ("2 dagen geleden", T0 - 3 * DAY, T0 - 2 * DAY),
    ("1 week geleden", T0 - 14 * DAY, T0 - 7 * DAY),
    ("4 maand geleden", T0 - 150 * DAY, T0 - 120 * DAY),
    ("2 jaar geleden", T0 - 3 * 365 * DAY, T0 - 2 * 365 * DAY),
])
def test_one_sighting_is_one_unit_wide(age: str, earliest: int, latest: int) -> None:
    assert age_interval(age, T0) == (earliest, latest)


def test_not_an_age() -> None:
    assert age_interval("Twee uur geleden", T0) is None
    timeline = Timeline()
    timeline.add("p", T0, "gisteren")
    assert not timeline.timed and timeline.columns()["published_between"] is None


def test_two_sightings_intersect_exactly() -> None:
    published = T0 - 3 * HOUR - 20 * 60  # 14:40
    timeline = Timeline()
    timeline.add("a.txt", T0, portal_age(T0 - published))  # 3 uur: (14:00, 15:00]
    later = T0 + 30 * 60
    timeline.add("b.txt", later, portal_age(later - published))  # 3 uur: (14:30, 15:30]
    assert (timeline.earliest, timeline.latest) == (T0 - 3 * HOUR - 30 * 60, T0 - 3 * HOUR)
    assert (timeline.width, timeline.single) == (30 * 60, HOUR)  # narrower than one sighting
    assert timeline.columns() == {
        "first_seen": "2025-11-04T18:00:00+00:00",
        "last_seen": "2025-11-04T18:30:00+00:00",
        "sources": ["a.txt", "b.txt"],
        "published_between": ["2025-11-04T14:30:00+00:00", "2025-11-04T15:00:00+00:00"],
        "conflict": False,
        "published_at": "2025-11-04T14:45:00+00:00",
    }
    assert timeline.columns(flat=True)["sources"] == "a.txt\nb.txt"
    assert timeline.columns(flat=True)["published_between"] == (
        "2025-11-04T14:30:00+00:00/2025-11-04T15:00:00+00:00")


def test_a_whole_unit_apart_narrows_nothing() -> None:
    """Seeds 002 and 004: two hours apart, ages in hours: the same interval twice."""
    timeline = Timeline()
    timeline.add("004", T0, "3 uur geleden")
    timeline.add("002", T0 + 2 * HOUR, "5 uur geleden")
    assert timeline.width == timeline.single == HOUR and not timeline.conflict


def test_conflicting_sightings_are_flagged_not_hidden() -> None:
    timeline = Timeline()
    timeline.add("a", T0, "1 uur geleden")  # (16:00, 17:00]
    timeline.add("b", T0, "5 uur geleden")  # (12:00, 13:00]: nothing in common
    columns = timeline.columns()
    assert columns["conflict"] is True
    assert columns["published_between"] is None and columns["published_at"] is None
    assert columns["first_seen"] == columns["last_seen"] == "2025-11-04T18:00:00+00:00"


@settings(max_examples=examples(100))
@given(
    published=st.integers(T0 - 400 * DAY, T0),
    scrapes=st.lists(st.integers(0, 30 * DAY), min_size=1, max_size=6),
)
def test_the_true_time_is_always_inside(published: int, scrapes: list[int]) -> None:
    timeline = _sighted(published, scrapes)
    assert timeline.earliest is not None and timeline.latest is not None
    assert timeline.earliest < published <= timeline.latest
    assert not timeline.conflict
    assert timeline.width is not None and timeline.single is not None
    assert timeline.width <= timeline.single


def test_ages_far_out_of_range_never_overflow() -> None:
    timeline = Timeline()
    timeline.add("p", T0, "999999 jaar geleden")
    columns = timeline.columns()
    assert columns["published_between"] is None and columns["published_at"] is None
    assert iso(10**18) is None and iso(-(10**18)) is None


@pytest.mark.parametrize(("published_at", "minutes", "scraped"), [
    ("2025-11-04T15:00:00+01:00", 180, int(datetime(2025, 11, 4, 17, tzinfo=UTC).timestamp())),
    ("2025-11-04", 1440, None),  # a page date, no --now: no scrape time
    (None, 60, None),
    ("2025-11-04T15:00:00+01:00", None, None),
])
def test_scrape_time_of_a_record(published_at: str | None, minutes: int | None,
                                 scraped: int | None) -> None:
    assert scraped_at(published_at, minutes) == scraped


def test_figures() -> None:
    timelines = Timelines()
    timelines.add("a", "p1", T0, "3 uur geleden")
    timelines.add("a", "p2", T0 + 30 * 60, "3 uur geleden")
    timelines.add("b", "p1", T0, "10 minuten geleden")
    timelines.add("c", "p1", T0, "1 uur geleden")
    timelines.add("c", "p2", T0, "5 uur geleden")
    timelines.add("d", "p1", None, "1 uur geleden")
    assert len(timelines) == 4
    assert timelines.figures() == {
        "timed_briefs": 3, "median_width_minutes": 15.5, "narrowed": 1, "conflicts": 1}


# -- published_at lies inside published_between, as written ----------------------------------


def _inside(timeline: Timeline) -> None:
    """``published_at`` as written (whole seconds) is after the first end of
    ``published_between`` and at or before the second."""
    columns = timeline.columns()
    start, end = (datetime.fromisoformat(t) for t in columns["published_between"])
    estimate = datetime.fromisoformat(columns["published_at"])
    assert start < estimate <= end, (start, estimate, end)


def test_an_interval_one_second_wide_keeps_its_estimate_inside() -> None:
    """Failed on main: the middle, T0 - 30.5 s, written in whole seconds was T0 - 31 s, the
    first end of (T0 - 31 s, T0 - 30 s]: published *after* it, so outside."""
    published = T0 - 30
    timeline = Timeline()
    timeline.add("p", T0, portal_age(T0 - published))  # "30 seconden geleden"
    assert (timeline.earliest, timeline.latest) == (T0 - 31, T0 - 30)
    _inside(timeline)
    assert timeline.columns()["published_at"] == iso(T0 - 30)


def test_sightings_narrowed_to_one_second_keep_their_estimate_inside() -> None:
    """Failed on main: two minute-ages 59 s apart leave (T0 - 181 s, T0 - 180 s]."""
    published = T0 - 180
    timeline = Timeline()
    for scraped in (T0, T0 + 59):
        timeline.add(f"p{scraped}", scraped, portal_age(scraped - published))  # "3 minuten"
    assert timeline.width == 1 and timeline.single == 60
    _inside(timeline)


@settings(max_examples=examples(100))
@given(
    published=st.integers(T0 - 400 * DAY, T0),
    scrapes=st.lists(st.integers(0, 2 * DAY), min_size=1, max_size=6),
)
def test_the_estimate_is_always_inside_its_interval(published: int, scrapes: list[int]) -> None:
    _inside(_sighted(published, scrapes))


def _sighted(published: int, scrapes: list[int]) -> Timeline:
    """A brief published at *published*, seen on pages scraped *scrapes* seconds after T0."""
    timeline = Timeline()
    for n, offset in enumerate(scrapes):
        scraped = T0 + offset
        timeline.add(f"p{n}", scraped, portal_age(scraped - published))
    return timeline


def test_seeds_002_and_004_cannot_tell_rounding_down_from_rounding_to_the_nearest() -> None:
    """The README's note: two hours apart, whole-hour ages print the same pair under either
    rule; a brief pinned in minutes and seen later in hours tells them apart."""
    def nearest(seconds: int) -> str:  # a portal that rounds the hours to the nearest
        if seconds < HOUR:
            return portal_age(seconds)
        return f"{(seconds + HOUR // 2) // HOUR} uur geleden"

    for published in range(T0 - 6 * HOUR, T0 - 2 * HOUR, 60):
        pairs = [(rule(T0 - published), rule(T0 + 2 * HOUR - published))
                 for rule in (portal_age, nearest)]
        assert all(int(b.split()[0]) - int(a.split()[0]) == 2 for a, b in pairs)
    published = T0 - 50 * 60
    for rule, conflict in ((portal_age, False), (nearest, True)):
        timeline = Timeline()
        timeline.add("p1", T0, rule(T0 - published))  # "50 minuten"
        timeline.add("p2", T0 + 50 * 60, rule(100 * 60))  # 1 h 40 min: "1 uur" or "2 uur"
        assert timeline.conflict is conflict
