"""Stage: page assembly.  Cleaned lines in, one :class:`~anp_extract.core.record.Page` out.

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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import NamedTuple

from . import ages
from .boilerplate import DEFAULT_RULES, Rules, parse_date_line
from .datelines import Dateline, split_dateline
from .normalize import clean_lines, decode
from .record import (
    SCHEMA,
    Block,
    Brief,
    Kind,
    Label,
    LabelledLine,
    Page,
    folded_brief_id,
    new_block,
    new_brief,
    new_page,
)
from .shapes import (
    NOT_A_PAGE,
    SECTION_LINE,
    is_heading,
    is_headline,
    is_section_heading,
    looks_like,
    without_anp_mark,
)
from .ticker import TICKER_HEADING, TICKER_MARKS, TickerItem, parse_ticker_line

_AGE, _DATELINE, _SECTION, _TEXT = range(4)

class _Item(NamedTuple):
    """A content line: its index among the labelled lines, its kind and what it held."""

    at: int  # index among the labelled lines
    kind: int
    text: str
    age: ages.Age | None = None
    dateline: Dateline | None = None
    rest: str = ""  # after the dateline; a "Meer uit" line's section name


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What changes how pages are read; picklable, so it can travel to worker processes."""

    rules: Rules = DEFAULT_RULES
    now: datetime | None = None  # timezone-aware scrape time: scraped_at, for published_at
    url: str | None = None  # where the page was fetched from, when the source says


def _split_footer(chunk: list[_Item], last_start: int) -> tuple[list[_Item], list[_Item]]:
    """The list's last piece, which no age closes: its last brief's text ends at the first
    line after its dateline (at *last_start*) that does not read as prose ("Lees meer
    nieuws", a footer); that line and what follows are not the brief's.

    An age closes every other brief, so everything before it is the brief's.
    """
    for k in range(last_start + 1, len(chunk)):
        if is_headline(chunk[k].text):
            return chunk[:k], chunk[k:]
    return chunk, []


@dataclass(slots=True)  # slots: its fields are read in every loop below
class _Builder:
    source: str
    options: ParseOptions
    warnings: list[str]
    texts: list[tuple[int, str, bool]] = field(default_factory=list)  # number, text, glued
    labels: list[Label] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    ticker: list[TickerItem] = field(default_factory=list)
    briefs: list[Brief] = field(default_factory=list)
    page_date: date | None = None
    section: str | None = None
    first_title: _Item | None = None  # the headline line of the first brief, if any

    # -- lines -------------------------------------------------------------------------

    def label(self, item: _Item, label: Label) -> None:
        self.labels[item.at] = label

    def lose(self, item: _Item) -> None:
        """A line the parser did not understand: kept in ``unparsed``."""
        self.labels[item.at] = "unparsed"
        self.unparsed.append(item.text)

    def read(self, lines: Sequence[str]) -> list[_Item]:
        """Label the furniture and the ticker; return the content lines in order.

        This loop runs for every line of every page, so each test is guarded by the
        cheapest check that can rule it out (the first character, mostly), inline.

        A ticker line counts only where a ticker stands: under "Net binnen", or at the
        top of the page (``strip`` takes "Net binnen" out), with nothing but furniture,
        blank lines and other ticker lines between.  Elsewhere a line like "- Optocht
        14:00 door het centrum" is an article's list item, and stays text.
        """
        content: list[_Item] = []
        texts, labels = self.texts, self.labels
        rules = self.options.rules
        literals, prefixes, pattern = rules.literals, rules.prefixes, rules.pattern
        new = tuple.__new__  # _Item(...) built in C: NamedTuple's __new__ is Python code
        in_ticker = True  # a ticker line may stand here (see above)
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            ticker_here, in_ticker = in_ticker, False
            first = line[0]
            glued = False
            age = None
            # A line that is one age has none glued on: cut only the others (cut_glued is
            # the dearer test, parse_age is cached).
            if first.isdigit() and (age := ages.parse_age(line)) is None:
                cut, line = ages.glued_ages(line)  # "7 uur geledenLONDEN (ANP) - ..."
                for glued_age in cut:
                    text = glued_age.raw  # the age as printed
                    content.append(new(_Item, (len(texts), _AGE, text, glued_age, None, "")))
                    texts.append((number, text, glued))
                    labels.append("unparsed")  # until a brief claims it
                    glued = True
                if glued:
                    first = line[0]
                    age = ages.parse_age(line)
            index = len(texts)
            texts.append((number, line, glued))
            labels.append("unparsed")
            if line in literals or (
                pattern is not None
                and (prefixes is None or line.startswith(prefixes))
                and pattern.fullmatch(line) is not None
            ):  # Rules.matches, inline
                labels[index] = "boilerplate"
                self.boilerplate.append(line)
                in_ticker = ticker_here or line == TICKER_HEADING
            elif line[-1].isdigit() and (day := parse_date_line(line)) is not None:
                labels[index] = "boilerplate"
                self.boilerplate.append(line)
                self.page_date = self.page_date or day
                in_ticker = ticker_here
            elif first.isdigit():  # age is parse_age(line), from above
                kind = _TEXT if age is None else _AGE
                content.append(new(_Item, (index, kind, line, age, None, "")))
            elif ticker_here and first in TICKER_MARKS and (
                item := parse_ticker_line(line)
            ) is not None:
                labels[index] = "ticker"
                self.ticker.append(item)
                in_ticker = True
            elif (
                (first.isupper() or first in "'\u2019") and not line[1:2].islower()
                and (found := split_dateline(line)) is not None
            ):  # split_dateline's own first guard, inline: most lines are prose ("De ...")
                content.append(new(_Item, (index, _DATELINE, line, None, found[0], found[1])))
            elif first == "M" and line.startswith("Meer uit ") and (
                section := SECTION_LINE.match(line)
            ):  # the section's name kept as the item's rest
                content.append(new(_Item, (index, _SECTION, line, None, None, section["section"])))
            else:
                content.append(new(_Item, (index, _TEXT, line, None, None, "")))
        return content

    # -- the main article --------------------------------------------------------------

    def article(
        self, main: list[_Item]
    ) -> tuple[str | None, Dateline | None, list[Block]]:
        first = next((k for k, item in enumerate(main) if item.kind == _DATELINE), None)
        if first is None:
            # No dateline: a headline-like first line is the title, the rest is body.
            if not main:
                return None, None, []
            head, rest = (main[0], main[1:]) if is_headline(main[0].text) and len(main) > 1 \
                else (None, main)
            if head is not None:
                self.label(head, "title")
            return (head.text if head else None), None, self.body(rest)
        above, opening = main[:first], main[first]
        title = None
        if above and above[-1].kind == _TEXT and is_headline(above[-1].text):
            title = above.pop().text
            self.label(main[first - 1], "title")
        for item in above:
            if item.text == title:  # the portal prints the headline twice
                self.label(item, "boilerplate")
                self.boilerplate.append(item.text)
            else:
                self.lose(item)
        self.label(opening, "dateline")
        blocks = [new_block("paragraph", opening.rest)]  # Block(...), cheaper
        blocks.extend(self.body(main[first + 1 :]))
        return title, opening.dateline, blocks

    def body(self, items: list[_Item]) -> list[Block]:
        blocks = []
        for item in items:
            if item.kind == _AGE:  # an age has no place in an article
                self.lose(item)
            elif item.kind != _DATELINE and is_heading(item.text):
                self.label(item, "heading")
                blocks.append(new_block("heading", item.text))
            else:
                self.label(item, "paragraph")
                blocks.append(new_block("paragraph", item.text))
        return blocks

    # -- the briefs --------------------------------------------------------------------

    def brief_list(self, items: list[_Item], listing: bool) -> None:
        """Cut the list at its ages: the age after a brief belongs to that brief."""
        chunk: list[_Item] = []
        for item in items:
            if item.kind == _AGE:
                self.chunk(chunk, item, listing)
                chunk = []
            elif item.kind == _SECTION:  # a second "Meer uit" ends the list before it
                self.chunk(chunk, None, listing)
                self.lose(item)
                chunk = []
            else:
                chunk.append(item)
        if chunk:
            self.chunk(chunk, None, listing)

    def chunk(self, chunk: list[_Item], age: _Item | None, listing: bool) -> None:
        starts = [k for k, item in enumerate(chunk) if item.kind == _DATELINE]
        if not starts:
            if age is None or not chunk:
                for item in chunk if age is None else [age]:
                    self.lose(item)
                return
            # A brief without dateline: its text is the last line before the age.
            starts = [len(chunk) - 1]
        chunk, footer = _split_footer(chunk, starts[-1]) if age is None else (chunk, [])
        if len(starts) == 1:  # the usual piece, one brief: the loop below, unrolled
            start = starts[0]
            self.brief(chunk[:start], chunk[start], chunk[start + 1 :], age, listing)
        else:
            above = chunk[: starts[0]]
            for n, start in enumerate(starts):
                end = starts[n + 1] if n + 1 < len(starts) else len(chunk)
                opening, more = chunk[start], chunk[start + 1 : end]
                following: list[_Item] = []
                if n + 1 < len(starts) and more and is_headline(more[-1].text):
                    following = [more.pop()]  # the next brief's headline
                self.brief(above, opening, more, age if end == len(chunk) else None, listing)
                above = following
        for item in footer:  # after the briefs: unparsed keeps the order of the page
            self.lose(item)

    def brief(
        self, above: list[_Item], opening: _Item, more: list[_Item], age: _Item | None,
        listing: bool,
    ) -> None:
        labels = self.labels  # label(), inline: a page has dozens of these
        title = None
        if above and is_headline(above[-1].text):
            head = above.pop()
            labels[head.at] = "brief-title"
            title = without_anp_mark(head.text)
            if not self.briefs:
                self.first_title = head
        if (
            listing and self.section is None and not self.briefs and len(above) == 1
            and is_section_heading(above[0].text)
        ):  # "Economie" above the first item of a category listing
            heading = above.pop()
            self.section = heading.text
            labels[heading.at] = "section"
        for item in above:
            self.lose(item)
        labels[opening.at] = "brief"
        text = opening.text if opening.dateline is None else opening.rest
        if more:  # most briefs are one line
            texts = [text]
            for item in more:
                labels[item.at] = "brief"
                texts.append(item.text)
            text = "\n".join(texts)
            folded = " ".join(text.split())  # brief_id's folding: the text holds a line break
        else:
            # One cleaned line holds no tab, no double blank and no line break, and ends in
            # no blank; only the rest after a dateline can start with one.
            folded = " ".join(text.split()) if text[:1].isspace() else text
        age_value = None if age is None else age.age
        if age is not None:
            labels[age.at] = "age"
        else:
            self.warnings.append(f"line {self.texts[opening.at][0]}: brief without an age")
        minutes = None if age_value is None else age_value.minutes
        self.briefs.append(
            new_brief(  # Brief(...), cheaper; fields in order
                folded_brief_id(opening.dateline, folded),  # id, as brief_id(dateline, text)
                title,
                opening.dateline,
                text,
                None if age_value is None else age_value.raw,  # age
                minutes,  # age_minutes
                None if minutes is None else ages.published(  # published_at
                    minutes, self.options.now, self.page_date),
            )
        )

    def heading_of_untitled_list(self) -> None:
        """In a listing whose items have no headlines, a short line above the first item
        is the listing's heading ("Economie"), not that item's headline: a page keeps one
        layout, so a lone headline on the first item of several is the heading."""
        briefs, head = self.briefs, self.first_title
        if (
            head is None or len(briefs) < 2 or without_anp_mark(head.text) != head.text
            or any(brief.title is not None for brief in briefs[1:])
            or not is_section_heading(head.text)
        ):
            return
        self.section = head.text
        self.label(head, "section")
        briefs[0] = replace(briefs[0], title=None)

    # -- the whole page ----------------------------------------------------------------

    def build(self, lines: Sequence[str]) -> Page:
        content = self.read(lines)
        cut = next((k for k, item in enumerate(content) if item.kind == _SECTION), None)
        if cut is not None:
            main, rest = content[:cut], content[cut + 1 :]
            self.section = content[cut].rest  # SECTION_LINE's "section", from read
            self.label(content[cut], "section")
        elif any(item.kind == _AGE for item in content):
            main, rest = [], content  # a listing: ages, and no article above them
        else:
            main, rest = content, []
        title, dateline, body = self.article(main)
        kind: Kind = "article" if (title or dateline or body) else "listing"
        self.brief_list(rest, listing=kind == "listing")
        if kind == "listing" and self.section is None:
            self.heading_of_untitled_list()
        if not (body or self.briefs or self.ticker):
            self.warnings.append("no article, briefs or ticker found")
        if body and dateline is None and not (self.briefs or self.ticker) and \
                self.section is None:
            self.warnings.append(NOT_A_PAGE + looks_like(lines))  # HTML, JSON, /etc/passwd
        now = self.options.now
        page: Page = new_page(  # Page(...), cheaper; every field, in order
            SCHEMA, self.source, self.options.url,
            None if now is None else now.isoformat(timespec="seconds"), kind,
            self.page_date.isoformat() if self.page_date else None,
            self.section, title, dateline, tuple(body), tuple(self.briefs), tuple(self.ticker),
            tuple(self.boilerplate), tuple(self.unparsed), tuple(self.warnings),
        )
        return page

    def labelled_lines(self) -> tuple[LabelledLine, ...]:
        """What each line became; valid after ``build``."""
        return tuple(
            LabelledLine(number, text, label, glued)
            for (number, text, glued), label in zip(self.texts, self.labels, strict=True)
        )


def annotate(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> tuple[Page, tuple[LabelledLine, ...]]:
    """Parse one page and say, line by line, what each line became (``show --lines``)."""
    builder = _Builder(source, options, list(warnings))
    page = builder.build(clean_lines(text))
    return page, builder.labelled_lines()


def parse(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> Page:
    """Parse the text of one scraped page into its record."""
    return _Builder(source, options, list(warnings)).build(clean_lines(text))


def parse_bytes(data: bytes, source: str = "-", options: ParseOptions = ParseOptions()) -> Page:
    """Decode and parse one page as saved by a scraper.  Raises InputError for bad bytes.

    This is the unit of work of batch conversion: a pure, picklable function of its
    arguments.
    """
    decoded = decode(data, source)
    return parse(decoded.text, source, options, decoded.warnings)
