"""What a scrape holds, counted: pure aggregation over page records, one page at a time.

``Stats`` is an accumulator: feed it pages with ``add`` (and ``fail`` for inputs that
could not be read) as they stream past, then ask for ``to_dict()``.  Only counters,
the set of brief ids and a bounded worklist grow; pages are never kept.

Counts of briefs are of briefs as they appear on pages: a brief listed on two pages
counts twice in ``briefs`` and in ``by_agency``/``by_place``/``by_section``, and once in
``unique_briefs``.  A brief without agency, place or section counts under ``NONE``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .assemble import TRUNCATED
from .record import Page
from .shapes import NOT_A_PAGE
from .timeline import Timelines, scraped_at

# The key for "no agency" (regional items), "no place" (no dateline), "no section".
NONE = "(none)"

# Age buckets: (key, upper bound in minutes, exclusive); the last has no bound.
HOUR, DAY = 60, 1440
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("<1h", HOUR),
    ("1h-6h", 6 * HOUR),
    ("6h-24h", DAY),
    ("1d-7d", 7 * DAY),
    ("7d-30d", 30 * DAY),
    (">=30d", None),
)


@dataclass(frozen=True, slots=True)
class AgeSpread:
    """How old the briefs were when their pages were scraped, in minutes."""

    min: int | None
    median: int | None  # the lower middle value for an even count: always a real age
    max: int | None
    without_age: int
    buckets: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "min": self.min,
            "median": self.median,
            "max": self.max,
            "without_age": self.without_age,
            "buckets": dict(self.buckets),
        }


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A page that has lines the parser did not understand."""

    source: str
    unparsed: int

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "unparsed": self.unparsed}


# One brief as ``Stats`` counts it: its id, places and agencies (``(NONE,)`` for none),
# age in minutes, and the scrape time and age of a timed sighting (or None, None).
BriefFigures = tuple[str, tuple[str, ...], tuple[str, ...], int | None, int | None, str | None]


class PageFigures(NamedTuple):
    """All ``Stats`` needs of a page, small enough to send back from a worker of
    ``stats -j`` (a whole ``Page``, body and text, costs its parent more to take in than
    counting it does): made by :func:`figures`, counted by ``Stats.add_figures``."""

    source: str
    kind: str | None  # None: a text that looks like no page (NOT_A_PAGE)
    ticker: int
    warned: bool
    truncated: bool
    unparsed: int
    section: str
    briefs: tuple[BriefFigures, ...]


def figures(page: Page) -> PageFigures:
    """The figures of *page* (see ``PageFigures``)."""
    warnings = page.warnings
    briefs = []
    for brief in page.briefs:
        dateline = brief.dateline
        if dateline is None:
            places: tuple[str, ...] = (NONE,)
            agencies: tuple[str, ...] = (NONE,)
        else:
            places, agencies = tuple(dateline.places), tuple(dateline.agencies) or (NONE,)
        minutes = brief.age_minutes
        scraped = None if minutes is None else scraped_at(brief.published_at, minutes)
        briefs.append((brief.id, places, agencies, minutes, scraped,
                       None if scraped is None else brief.age))
    return PageFigures(
        page.source,
        None if any(warning.startswith(NOT_A_PAGE) for warning in warnings) else page.kind,
        len(page.ticker), bool(warnings),
        bool(warnings) and any(TRUNCATED in warning for warning in warnings),
        len(page.unparsed), page.section or NONE, tuple(briefs),
    )


def ranked(counter: Mapping[str, int]) -> dict[str, int]:
    """Most first; ties in alphabetical order, so output is the same on every run."""
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


@dataclass
class Stats:
    """Counters over a stream of pages.  ``worklist_size`` bounds the worklist."""

    worklist_size: int = 10
    pages: int = 0
    briefs: int = 0
    failures: int = 0
    pages_with_unparsed: int = 0
    unparsed_lines: int = 0
    pages_with_warnings: int = 0
    pages_truncated: int = 0  # pages that look cut off by the scraper (a warning says so)
    not_pages: int = 0  # texts that look like no page (HTML, JSON, ...), not in kinds
    records_skipped: int = 0  # records of containers that are no pages (WARC requests)
    ticker_items: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    by_section: Counter[str] = field(default_factory=Counter)
    by_agency: Counter[str] = field(default_factory=Counter)
    by_place: Counter[str] = field(default_factory=Counter)
    ages: Counter[int] = field(default_factory=Counter)  # age_minutes -> briefs: few distinct
    without_age: int = 0
    ids: set[str] = field(default_factory=set)
    # The timeline of each brief seen at a known scrape time (--now): how tightly the
    # corpus pins when its briefs were published.
    timelines: Timelines = field(default_factory=lambda: Timelines(keep_sources=False))
    # A min-heap of (unparsed, -order, source): the smallest is the first to go, and
    # among equals the latest page, so ties keep input order.
    _worklist: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, page: Page) -> None:
        """Count one page."""
        self.add_figures(figures(page))

    def add_figures(self, page: PageFigures) -> None:
        """Count one page, from its figures (what a worker of ``stats -j`` sends)."""
        self.pages += 1
        if page.kind is None:
            self.not_pages += 1
        else:
            self.kinds[page.kind] += 1
        self.ticker_items += page.ticker
        if page.warned:
            self.pages_with_warnings += 1
            if page.truncated:
                self.pages_truncated += 1
        if page.unparsed:
            self.pages_with_unparsed += 1
            self.unparsed_lines += page.unparsed
            self._note_unparsed(page.source, page.unparsed)
        briefs = page.briefs
        if not briefs:
            return
        self.briefs += len(briefs)
        self.by_section[page.section] += len(briefs)
        # The counters by hand, not Counter.update (its Mapping test costs more than the
        # counting, in the parent of stats -j, where every brief passes).
        ids, by_place, by_agency, ages = self.ids, self.by_place, self.by_agency, self.ages
        for brief, places, agencies, minutes, scraped, age in briefs:
            ids.add(brief)
            for place in places:
                by_place[place] += 1
            for agency in agencies:
                by_agency[agency] += 1
            if minutes is None:
                self.without_age += 1
            else:
                ages[minutes] += 1
                if scraped is not None:
                    self.timelines.add(brief, page.source, scraped, age)

    def skip(self, records: int) -> None:
        """Count records of a container that are no pages."""
        self.records_skipped += records

    def fail(self) -> None:
        """Count an input that could not be read as a page."""
        self.failures += 1

    def _note_unparsed(self, source: str, count: int) -> None:
        if self.worklist_size <= 0:
            return
        entry = (count, -self.pages, source)
        if len(self._worklist) < self.worklist_size:
            heapq.heappush(self._worklist, entry)
        elif entry > self._worklist[0]:
            heapq.heapreplace(self._worklist, entry)

    @property
    def unique_briefs(self) -> int:
        return len(self.ids)

    def worklist(self) -> list[WorkItem]:
        """The pages with the most unparsed lines, most first, then in input order."""
        return [
            WorkItem(source, count)
            for count, _, source in sorted(self._worklist, key=lambda e: (-e[0], -e[1]))
        ]

    def age_spread(self) -> AgeSpread:
        """Minimum, median and maximum age, and how many briefs fall in each bucket."""
        values = sorted(self.ages.items())
        total = sum(self.ages.values())
        median = None
        if total:
            middle, seen = (total - 1) // 2, 0
            for minutes, count in values:
                seen += count
                if seen > middle:
                    median = minutes
                    break
        buckets = dict.fromkeys((key for key, _ in AGE_BUCKETS), 0)
        for minutes, count in values:
            buckets[_bucket(minutes)] += count
        return AgeSpread(
            min=values[0][0] if values else None,
            median=median,
            max=values[-1][0] if values else None,
            without_age=self.without_age,
            buckets=buckets,
        )

    def to_dict(self) -> dict[str, Any]:
        """The figures as plain JSON types (``stats --json``), in a fixed order."""
        return {
            "pages": self.pages,
            "briefs": self.briefs,
            "unique_briefs": self.unique_briefs,
            "failures": self.failures,
            "pages_with_unparsed": self.pages_with_unparsed,
            "unparsed_lines": self.unparsed_lines,
            "pages_with_warnings": self.pages_with_warnings,
            "pages_truncated": self.pages_truncated,
            "ticker_items": self.ticker_items,
            "kinds": {"article": self.kinds["article"], "listing": self.kinds["listing"]},
            "not_pages": self.not_pages,
            "records_skipped": self.records_skipped,
            "by_section": ranked(self.by_section),
            "by_agency": ranked(self.by_agency),
            "by_place": ranked(self.by_place),
            "ages": self.age_spread().to_dict(),
            "timeline": self.timelines.figures(),
            "worklist": [item.to_dict() for item in self.worklist()],
        }


def _bucket(minutes: int) -> str:
    for key, bound in AGE_BUCKETS:
        if bound is None or minutes < bound:
            return key
    raise AssertionError("the last bucket has no bound")  # pragma: no cover
