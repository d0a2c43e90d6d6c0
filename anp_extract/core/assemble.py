"""Stage: page assembly, the parser fed by :mod:`anp_extract.core.labels`.  Content lines
in, one :class:`~anp_extract.core.record.Page` out.

The page is read as a stream of content lines after the furniture is taken out:

* everything before "Meer uit <Section>" is the main article: the title is the
  headline just above the first dateline (a copy of it above that is the portal's
  repeated headline, anything else there is ``unparsed``), then the body;
* after it come the briefs.  An age closes the brief before it, in both layouts,
  so the briefs are cut at the ages: in each piece the dateline opens the brief,
  the headline-like line above it (if any) is its title;
* a page with ages but no "Meer uit" line is a listing: all of it is briefs.

Every non-blank line is given exactly one label, which is how "nothing lost" is
kept and how ``show --lines`` explains a page.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Union

from . import ages
from .boilerplate import DEFAULT_RULES, Rules
from .datelines import MAX_MIXED, Dateline, find_dateline, is_bare_dateline, mixed_hint
from .labels import AGE, DATELINE, SECTION, TEXT, Extra, LabelledLines, Lines
from .record import (
    SCHEMA,
    Block,
    Brief,
    Kind,
    Label,
    Page,
    folded_brief_id,
    new_block,
    new_brief,
    new_page,
)
from .shapes import (
    NOT_A_PAGE,
    is_heading,
    is_headline,
    is_section_heading,
    looks_like,
    without_anp_mark,
)
from .ticker import TickerItem

# The warning of a page that looks cut off by the scraper (``stats`` counts these pages).
TRUNCATED = "page looks truncated"

# How a complete paragraph or brief ends; anything else on a page's last line looks cut off
# mid-word or mid-sentence.
_COMPLETE_END = ".!?\u2026\"'\u201d\u2019)\u00bb]"

# The lines are known by their positions (see labels); assembly reads and cuts runs of
# them: ``main`` and ``rest`` are runs of the content's positions (arrays), a piece of the
# list and its briefs' parts are short lists.
Run = Union["array[int]", list[int]]

_new = tuple.__new__  # Extra(...) built in C, as in labels.scan

# The longest line read as a headline above a dateline rather than as a mixed-case one
# (the portal's headlines run to some 70 characters; a brief's text is longer).
SHORT_HEADLINE = 100


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What changes how pages are read; picklable, so it can travel to worker processes."""

    rules: Rules = DEFAULT_RULES
    now: datetime | None = None  # timezone-aware scrape time: scraped_at, for published_at
    url: str | None = None  # where the page was fetched from, when the source says


def _split_footer(
    texts: list[str], chunk: list[int], last_start: int
) -> tuple[list[int], list[int]]:
    """The list's last piece, which no age closes: its last brief's text ends at the first
    line after its dateline (at *last_start*) that does not read as prose ("Lees meer
    nieuws", a footer); that line and what follows are not the brief's.

    An age closes every other brief, so everything before it is the brief's.
    """
    for k in range(last_start + 1, len(chunk)):
        if is_headline(texts[chunk[k]]):
            return chunk[:k], chunk[k:]
    return chunk, []


def _first(kinds: bytearray, kind: int, run: Run) -> int | None:
    """The index in *run* (a run of the content's positions) of its first line of *kind*,
    None if there is none: the search runs in C, over the kinds, not a Python step a
    line."""
    if not run:
        return None
    at = kinds.find(kind, run[0], run[-1] + 1)  # furniture between is of no content kind
    return None if at < 0 else bisect_left(run, at)


@dataclass(slots=True)  # slots: its fields are read in every loop below
class Builder:
    """One page being assembled: the scan's labelled lines (:class:`labels.Lines`) and
    what their content becomes.  Lines are named by their positions there."""

    source: str
    options: ParseOptions
    warnings: list[str]
    found: Lines  # the labelled lines: texts, numbers, glued, labels, kinds, age_of, extra
    texts: list[str]
    kinds: bytearray
    extra: dict[int, Extra]
    labels: list[Label]
    boilerplate: list[str]
    unparsed: list[str] = field(default_factory=list)
    ticker: list[TickerItem] = field(default_factory=list)
    briefs: list[Brief] = field(default_factory=list)
    page_date: date | None = None
    section: str | None = None
    first_title: int | None = None  # the headline line of the first brief, if any

    @classmethod
    def of(cls, found: Lines, source: str, options: ParseOptions, warnings: list[str]) -> Builder:
        """A builder that takes over the labelled lines of a scan."""
        return cls(source, options, warnings, found, found.texts, found.kinds, found.extra,
                   found.labels, found.boilerplate, ticker=found.ticker,
                   page_date=found.page_date)

    # -- lines -------------------------------------------------------------------------

    def lose(self, at: int) -> None:
        """A line the parser did not understand: kept in ``unparsed``."""
        self.labels[at] = "unparsed"
        self.unparsed.append(self.texts[at])

    def mixed_opening(self, at: int) -> Extra | None:
        """The dateline of the line at *at*, if it is a text line that opens with one in
        mixed case ("Den Haag (ANP) - ", "Borsele - "); the caller knows a dateline stands
        there, and makes it one with ``promote``."""
        if self.kinds[at] != TEXT:
            return None
        extra = self.extra.get(at)
        if extra is not None:  # found by the scan ("DEN Haag (ANP) - ")
            return extra
        text = self.texts[at]
        if not (text[0].isupper() or text[0] in "'\u2019") or \
                mixed_hint(text, 0, MAX_MIXED) is None:
            return None  # the usual text line: no dash or full stop near its start
        found = find_dateline(text, MAX_MIXED)
        return None if found is None else _new(Extra, (found[0], found[1]))

    def promote(self, at: int, opening: Extra) -> None:
        """The text line at *at* is a dateline (its ``mixed_opening``)."""
        self.kinds[at] = DATELINE
        self.extra[at] = opening

    def headline_above(self, promoted: Extra, chunk: list[int], k: int) -> bool:
        """The line at ``chunk[k]``, read as the mixed-case dateline *promoted*, is rather
        the headline of the brief below it: it has no agency, reads as a short headline
        ("Vuurwerk - Verbod", "Zeeland - Weer": no sentence's end) and the next line opens
        a brief with a dateline of its own."""
        text = self.texts[chunk[k]]
        if promoted.dateline is None or promoted.dateline.agencies or k + 1 >= len(chunk) \
                or len(text) > SHORT_HEADLINE or not is_headline(text):
            return False
        below = chunk[k + 1]
        return self.kinds[below] == DATELINE or self.mixed_opening(below) is not None

    # -- the main article --------------------------------------------------------------

    def article(self, main: Run) -> tuple[str | None, Dateline | None, list[Block]]:
        texts, kinds, labels = self.texts, self.kinds, self.labels
        # A mixed-case dateline opens the article's first paragraph: the first line that is
        # not a headline (the title, the repeated headline).
        for at in main:
            if kinds[at] != TEXT or not is_headline(texts[at]) or at in self.extra:
                if (promoted := self.mixed_opening(at)) is not None:
                    self.promote(at, promoted)
                break
        first = _first(kinds, DATELINE, main)
        if first is None:
            # No dateline: a headline-like first line is the title, the rest is body.
            if not main:
                return None, None, []
            if len(main) > 1 and is_headline(texts[main[0]]):
                labels[main[0]] = "title"
                return texts[main[0]], None, self.body(main[1:])
            return None, None, self.body(main)
        above, opening = main[:first], main[first]
        title = None
        if above and kinds[above[-1]] == TEXT and is_headline(texts[above[-1]]):
            title = texts[above.pop()]
            labels[main[first - 1]] = "title"
        for at in above:
            if texts[at] == title:  # the portal prints the headline twice
                labels[at] = "boilerplate"
                self.boilerplate.append(title)
            else:
                self.lose(at)
        labels[opening] = "dateline"
        read = self.extra[opening]
        blocks = [new_block("paragraph", read.rest)]  # Block(...), cheaper
        blocks.extend(self.body(main[first + 1 :]))
        return title, read.dateline, blocks

    def body(self, run: Run) -> list[Block]:
        blocks = []
        texts, kinds, labels = self.texts, self.kinds, self.labels
        # A text met before in this body gives the same block again: a Block cannot change,
        # so one object serves, and a page of a million equal lines holds one, not a million.
        seen: dict[str, Block] = {}
        for at in run:
            kind = kinds[at]
            if kind == AGE:  # an age has no place in an article
                self.lose(at)
                continue
            text = texts[at]
            block: Block | None = None
            if kind == DATELINE:  # a dateline in mixed case read as a paragraph's start
                block = new_block("paragraph", text)
            elif (block := seen.get(text)) is None:
                block = seen[text] = new_block(  # is_heading's first test, inline
                    "heading" if len(text) <= 60 and is_heading(text) else "paragraph", text)
            labels[at] = block.kind
            blocks.append(block)
        return blocks

    # -- the briefs --------------------------------------------------------------------

    def brief_list(self, run: Run, listing: bool) -> None:
        """Cut the list at its ages: the age after a brief belongs to that brief."""
        kinds = self.kinds
        chunk: list[int] = []
        for at in run:
            kind = kinds[at]
            if kind == AGE:
                self.chunk(chunk, at, listing)
                chunk = []
            elif kind == SECTION:  # a second "Meer uit" ends the list before it
                self.chunk(chunk, None, listing)
                self.lose(at)
                chunk = []
            else:
                chunk.append(at)
        if chunk:
            self.chunk(chunk, None, listing)

    def chunk(self, chunk: list[int], age: int | None, listing: bool) -> None:
        # A mixed-case dateline opens a brief where a dateline stands: first in the piece
        # (after an age, glued or not, or after "Meer uit"), or under a brief's headline;
        # but a headline with a dash ("Vuurwerk - Verbod") right above a dateline is that
        # brief's headline, not a brief of its own.
        texts, kinds = self.texts, self.kinds
        titled = False  # the line before is such a headline
        starts: list[int] = []  # where the datelines stand, promoted ones too
        for k, at in enumerate(chunk):
            stands, titled = titled, False
            kind = kinds[at]
            if kind != TEXT:
                if kind == DATELINE:
                    starts.append(k)
                continue
            stands = stands or k == 0 or (
                kinds[before := chunk[k - 1]] == TEXT and is_headline(texts[before])
                and before not in self.extra  # a text line's extra is its mixed dateline
            )
            if stands and (promoted := self.mixed_opening(at)) is not None:
                if self.headline_above(promoted, chunk, k):
                    titled = True
                else:
                    self.promote(at, promoted)
                    starts.append(k)
        if not starts:
            if age is None or not chunk:
                for at in chunk if age is None else [age]:
                    self.lose(at)
                return
            # A brief without dateline: its text is the last line before the age.
            starts = [len(chunk) - 1]
        chunk, footer = _split_footer(texts, chunk, starts[-1]) if age is None else (chunk, [])
        if len(starts) == 1:  # the usual piece, one brief: the loop below, unrolled
            start = starts[0]
            self.brief(chunk[:start], chunk[start], chunk[start + 1 :], age, listing)
        else:
            above = chunk[: starts[0]]
            for n, start in enumerate(starts):
                end = starts[n + 1] if n + 1 < len(starts) else len(chunk)
                opening, more = chunk[start], chunk[start + 1 : end]
                following: list[int] = []
                if n + 1 < len(starts) and more and is_headline(texts[more[-1]]):
                    following = [more.pop()]  # the next brief's headline
                self.brief(above, opening, more, age if end == len(chunk) else None, listing)
                above = following
        for at in footer:  # after the briefs: unparsed keeps the order of the page
            self.lose(at)

    def brief(
        self, above: list[int], opening: int, more: list[int], age: int | None, listing: bool
    ) -> None:
        texts, labels = self.texts, self.labels  # a page has dozens of these
        title = None
        if above and is_headline(texts[above[-1]]):
            head = above.pop()
            labels[head] = "brief-title"
            title = texts[head]
            if title.startswith("ANP "):  # without_anp_mark's own guard, inline
                title = without_anp_mark(title)
            if not self.briefs:
                self.first_title = head
        if (
            listing and self.section is None and not self.briefs and len(above) == 1
            and is_section_heading(texts[above[0]])
        ):  # "Economie" above the first item of a category listing
            heading = above.pop()
            self.section = texts[heading]
            labels[heading] = "section"
        for at in above:
            self.lose(at)
        labels[opening] = "brief"
        # A text line may carry a mixed-case dateline that does not stand where one stands.
        dateline = None
        if self.kinds[opening] == DATELINE:
            read = self.extra[opening]
            dateline, text = read.dateline, read.rest
        else:
            text = texts[opening]
        if more:  # most briefs are one line
            parts = [text]
            for at in more:
                labels[at] = "brief"
                parts.append(texts[at])
            text = "\n".join(parts)
            folded = " ".join(text.split())  # brief_id's folding: the text holds a line break
        else:
            # One cleaned line holds no tab, no double blank and no line break, and ends in
            # no blank; only the rest after a dateline can start with one.
            folded = " ".join(text.split()) if text[:1].isspace() else text
        age_value = minutes = published = None
        if age is None:
            self.warnings.append(f"line {self.found.numbers[opening]}: brief without an age")
        else:
            labels[age] = "age"
            age_value = self.found.age_of[age]
            if age_value is not None:
                minutes = age_value.minutes
                now, page_date = self.options.now, self.page_date
                # Without a scrape time or a page date there is no time to give (published's
                # own first tests, inline: most pages have neither).
                if now is not None or page_date is not None:
                    published = ages.published(minutes, now, page_date)
                    if published is None and ages.out_of_range(minutes, now, page_date):
                        self.warnings.append(
                            f"line {self.found.numbers[age]}: {texts[age]}: published_at out "
                            "of range (before the year 1)")
        self.briefs.append(
            new_brief(  # Brief(...), cheaper; fields in order
                folded_brief_id(dateline, folded),  # id, as brief_id(dateline, text)
                title,
                dateline,
                text,
                None if age_value is None else age_value.raw,  # age
                minutes,  # age_minutes
                published,  # published_at
            )
        )

    def heading_of_untitled_list(self) -> None:
        """In a listing whose items have no headlines, a short line above the first item
        is the listing's heading ("Economie"), not that item's headline: a page keeps one
        layout, so a lone headline on the first item of several is the heading."""
        briefs, head = self.briefs, self.first_title
        if head is None or len(briefs) < 2:
            return
        text = self.texts[head]
        if (
            without_anp_mark(text) != text
            or any(brief.title is not None for brief in briefs[1:])
            or not is_section_heading(text)
        ):
            return
        self.section = text
        self.labels[head] = "section"
        briefs[0] = replace(briefs[0], title=None)

    # -- the whole page ----------------------------------------------------------------

    def build(self) -> Page:
        content, kinds = self.found.content, self.kinds
        cut = kinds.find(SECTION)  # the first "Meer uit" line, by its position
        if cut >= 0:
            split = bisect_left(content, cut)
            main, rest = content[:split], content[split + 1 :]
            self.section = self.extra[cut].rest  # SECTION_LINE's "section", from the scan
            self.labels[cut] = "section"
        elif AGE in kinds:
            main, rest = content[:0], content  # a listing: ages, and no article above them
        else:
            main, rest = content, content[:0]
        title, dateline, body = self.article(main)
        kind: Kind = "article" if (title or dateline or body) else "listing"
        self.brief_list(rest, listing=kind == "listing")
        if kind == "listing" and self.section is None:
            self.heading_of_untitled_list()
        if not (body or self.briefs or self.ticker):
            self.warnings.append("no article, briefs or ticker found")
        if body and dateline is None and not (self.briefs or self.ticker) and \
                self.section is None:  # HTML, JSON, /etc/passwd
            self.warnings.append(NOT_A_PAGE + looks_like(self.found.texts[0]))
        else:  # a text that is no page is not a page cut off either
            self.truncation()
        now = self.options.now
        page: Page = new_page(  # Page(...), cheaper; every field, in order
            SCHEMA, self.source, self.options.url,
            None if now is None else now.isoformat(timespec="seconds"), kind,
            self.page_date.isoformat() if self.page_date else None,
            self.section, title, dateline, tuple(body), tuple(self.briefs), tuple(self.ticker),
            tuple(self.boilerplate), tuple(self.unparsed), tuple(self.warnings),
        )
        return page

    def truncation(self) -> None:
        """Warn when the page looks cut off: its last line (furniture and ticker aside) is a
        dateline with nothing after it ("36 minuten geledenLONDEN (ANP) -"), a paragraph or
        brief that stops mid-word or mid-sentence, or the last brief of a list whose other
        briefs have ages, without its own."""
        labels = self.labels
        last = len(labels) - 1
        while last >= 0 and labels[last] in ("boilerplate", "ticker"):
            last -= 1
        if last < 0:
            return
        number, text = self.found.numbers[last], self.found.texts[last]
        label, why = labels[last], None
        if label == "unparsed" and is_bare_dateline(text):
            why = "ends in a dateline with no text"
        elif label in ("paragraph", "brief", "dateline") and text[-1] not in _COMPLETE_END:
            why = "ends mid-sentence"
        elif label == "brief" and len(self.briefs) > 1 and self.briefs[-1].age is None and any(
            brief.age is not None for brief in self.briefs
        ):
            why = "ends mid-brief, before its age"
        if why is not None:
            self.warnings.append(f"line {number}: {TRUNCATED}: {why}")

    def labelled_lines(self) -> LabelledLines:
        """What each line became; valid after ``build``."""
        return LabelledLines(self.found)
