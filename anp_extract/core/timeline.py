"""The brief timeline: when each brief was published, pinned down by every page it was seen on.

A relative age is an interval, not a time.  The portal truncates: "3 uur geleden" means
an age of at least 3 and less than 4 hours (it prints "59 minuten geleden", never "1 uur"
for 45 minutes, as a portal that rounds to the nearest unit would), so a brief seen with
that age at 18:00 was published in (14:00, 15:00].  Each further sighting of the same
brief (the same ``id``) at another scrape time gives another interval; the brief was
published in all of them, so in their intersection.  An empty intersection (an edited
brief under the same id, a scraper's clock that is off) is a conflict: flagged, never
papered over.  That a count is rounded down within its unit is an assumption seeds 002
and 004 cannot decide (README, "The brief timeline").

Pure: sightings in, intervals and figures out.  Times are whole seconds since the epoch
(UTC) inside, so that no age, however large, can overflow; they are written as ISO 8601
in UTC, or null where ``datetime`` cannot hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .ages import AGE_LINE, UNIT_MINUTES, parse_age

# The columns the timeline adds to a deduplicated briefs table (``seen`` is batch's own).
COLUMNS = ("first_seen", "last_seen", "sources", "published_between", "conflict")


def age_interval(age: str, scraped: int) -> tuple[int, int] | None:
    """``(earliest, latest)`` in epoch seconds: a brief of age *age* ("3 uur geleden") seen
    at *scraped* was published after *earliest* and at or before *latest*; None for
    a text that is not an age."""
    match = AGE_LINE.match(age) if parse_age(age) is not None else None
    if match is None:
        return None
    count, unit = int(match["count"]), round(UNIT_MINUTES[match["unit"].lower()] * 60)
    return scraped - (count + 1) * unit, scraped - count * unit


def scraped_at(published_at: str | None, age_minutes: int | None) -> int | None:
    """The scrape time of a brief in a record made with ``--now`` (ISO or mtime), in epoch
    seconds: its ``published_at`` is that time less ``age_minutes``.  None when the record
    has no time (no ``--now``: a plain date or null)."""
    if published_at is None or age_minutes is None or "T" not in published_at:
        return None
    try:
        when = datetime.fromisoformat(published_at)
    except ValueError:
        return None
    return int(when.timestamp()) + age_minutes * 60


def iso(seconds: float | None) -> str | None:
    """Epoch seconds as ISO 8601 in UTC; None where ``datetime`` holds no such time."""
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(int(seconds), UTC).isoformat()
    except (OverflowError, ValueError, OSError):
        return None


@dataclass(slots=True)
class Timeline:
    """Every sighting of one brief: where, when, and the interval they leave."""

    seen: int = 0
    sources: list[str] | None = field(default_factory=list)  # None: not kept (stats)
    first_seen: int | None = None
    last_seen: int | None = None
    earliest: int | None = None  # exclusive: published after this
    latest: int | None = None  # inclusive: published at or before this
    single: int | None = None  # the narrowest width one sighting alone gave, in seconds

    def add(self, source: str, scraped: int | None, age: str | None) -> None:
        """One sighting: the page *source* showed the brief with *age* at *scraped*."""
        self.seen += 1
        if self.sources is not None and source not in self.sources:
            self.sources.append(source)
        interval = None if scraped is None or age is None else age_interval(age, scraped)
        if interval is None or scraped is None:
            return
        self.first_seen = scraped if self.first_seen is None else min(self.first_seen, scraped)
        self.last_seen = scraped if self.last_seen is None else max(self.last_seen, scraped)
        low, high = interval
        self.earliest = low if self.earliest is None else max(self.earliest, low)
        self.latest = high if self.latest is None else min(self.latest, high)
        width = high - low
        self.single = width if self.single is None else min(self.single, width)

    @property
    def timed(self) -> bool:
        """Seen at a known time at least once."""
        return self.latest is not None

    @property
    def conflict(self) -> bool:
        """The sightings' intervals have nothing in common."""
        return self.timed and self.width is not None and self.width <= 0

    @property
    def width(self) -> int | None:
        """Seconds between earliest and latest; 0 or less is a conflict."""
        if self.earliest is None or self.latest is None:
            return None
        return self.latest - self.earliest

    @property
    def estimate(self) -> int | None:
        """The best single time, in whole seconds: the middle of the interval, a half second
        rounded up (None on a conflict).  Up, because the interval holds its latest end and
        not its earliest: the middle of (T - 31 s, T - 30 s] is T - 30 s, which is inside,
        where the T - 31 s of rounding down is not.  Integers throughout: no float to lose
        precision or round the estimate out of the interval."""
        if self.earliest is None or self.latest is None or self.conflict:
            return None
        return self.earliest + (self.latest - self.earliest + 1) // 2

    def columns(self, flat: bool = False) -> dict[str, Any]:
        """The timeline columns of the brief's row, and ``published_at``, the estimate (when
        a time is known).  *flat*: lists joined for CSV and TSV (sources one a line, the
        interval as ISO 8601 writes one, "start/end"), the flag "true" or "false"."""
        between = None
        if self.timed and not self.conflict:
            ends = [iso(self.earliest), iso(self.latest)]
            between = None if None in ends else ends  # before the year 1: no interval
        row: dict[str, Any] = {
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "sources": "\n".join(self.sources or ()) if flat else list(self.sources or ()),
            "published_between": (
                "/".join(str(end) for end in between) if flat and between else between),
            "conflict": self.conflict if self.timed else None,
        }
        if flat and self.timed:
            row["conflict"] = "true" if self.conflict else "false"  # as JSON spells it
        if self.timed:
            row["published_at"] = iso(self.estimate)
        return row


class Timelines:
    """The timelines of a whole run or corpus, by brief id."""

    def __init__(self, keep_sources: bool = True) -> None:
        self.by_id: dict[str, Timeline] = {}
        self.keep_sources = keep_sources  # stats keeps figures only, not every path

    def __len__(self) -> int:
        return len(self.by_id)

    def add(self, brief: str, source: str, scraped: int | None, age: str | None) -> None:
        timeline = self.by_id.get(brief)
        if timeline is None:
            timeline = self.by_id[brief] = Timeline(0, [] if self.keep_sources else None)
        timeline.add(source, scraped, age)

    def add_row(self, row: dict[str, Any]) -> None:
        """A row of the briefs table (or a brief of a record with its page's source)."""
        self.add(row["id"], row.get("source") or "-",
                 scraped_at(row.get("published_at"), row.get("age_minutes")), row.get("age"))

    def get(self, brief: str) -> Timeline:
        return self.by_id.get(brief) or Timeline()

    def figures(self) -> dict[str, Any]:
        """How tightly the corpus pins its briefs: the median width of the published-in
        interval in minutes, over briefs seen at a known time, and how many were narrowed
        by more than one sighting, or have conflicting ones."""
        timed = [t for t in self.by_id.values() if t.timed]
        widths = sorted(t.width for t in timed if t.width is not None and t.width > 0)
        return {
            "timed_briefs": len(timed),
            "median_width_minutes": (
                None if not widths else round(median(widths) / 60, 1)),
            "narrowed": sum(
                1 for t in timed
                if t.width is not None and t.single is not None and 0 < t.width < t.single),
            "conflicts": sum(1 for t in timed if t.conflict),
        }


def median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
