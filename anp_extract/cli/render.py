"""How ``show`` and ``stats`` look: rich renderables built from parsed pages and counts.

Presentation only: nothing here parses (the engine decides what a line is) and
nothing here writes (the command picks the console).  Every renderable says what it
means in words and marks as well as in colour, so the plain rendering, without a
terminal or with NO_COLOR, reads the same.  News text only ever goes into ``Text``
objects, never through console markup, where "[...]" would be taken for a tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich import box
from rich.cells import cell_len
from rich.columns import Columns
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..core.datelines import Dateline, find_dateline, split_dateline
from ..core.record import Block, Brief, Label, LabelledLine, Page
from ..core.stats import NONE, Stats, ranked
from .common import plural
from .terminal import (
    visible,
)

# Styles of the line labels (``show --lines``) and of the parts of a page.
LABEL_STYLES: dict[Label, str] = {
    "boilerplate": "dim",
    "title": "bold",
    "dateline": "cyan",
    "paragraph": "",
    "heading": "bold underline",
    "section": "magenta",
    "brief-title": "bold green",
    "brief": "green",
    "age": "yellow",
    "ticker": "blue",
    "unparsed": "bold white on red",
}
PLACE, AGENCY = "bold cyan", "bold magenta"
UNPARSED, WARNING, MUTED = "bold white on red", "bold yellow", "dim"

GLUED = "↳"  # in the number column: the rest of the line above, cut loose from its age
HEADING = "§ "  # before a subheading of the body, so it stands out without colour too


# -- show -----------------------------------------------------------------------------------


def page_view(page: Page, lines: Sequence[LabelledLine]) -> list[RenderableType]:
    """One page as a reader sees it: problems first, then the article, briefs, ticker,
    and what was removed as boilerplate, dimmed, at the end.  The parts to print one after
    the other, the body in runs of ``ROWS_AT_ONCE`` blocks (as ``lines_view``'s rows)."""
    parts: list[RenderableType] = [_header(page)]
    parts.extend(_problems(page, lines))
    parts.extend(_article(page))
    parts.extend(Body(page.body, start, stop) for start, stop in _runs(len(page.body)))
    if page.briefs:
        parts.append(_briefs(page))
    if page.ticker:
        parts.append(_ticker(page))
    parts.extend(_removed(lines))
    return _spaced(parts)


# Rows of ``show --lines`` (and blocks of ``show``'s body) a renderable draws: the console
# holds one such run's segments at a time, not a page's (a page of five million lines
# passed ten gigabytes of them).
ROWS_AT_ONCE = 1000
LABEL_WIDTH = max(map(len, LABEL_STYLES))


def _runs(count: int) -> list[tuple[int, int]]:
    """Start and stop of each run of ``ROWS_AT_ONCE`` in *count* rows."""
    return [(start, min(start + ROWS_AT_ONCE, count)) for start in range(0, count, ROWS_AT_ONCE)]


def lines_view(page: Page, lines: Sequence[LabelledLine]) -> list[RenderableType]:
    """The page line by line, each with what it became (``show --lines``): renderables to
    print one after the other, the rows in runs of ``ROWS_AT_ONCE``."""
    # Line numbers only grow, so the last is the widest.
    digits = len(str(lines[-1].number)) if lines else 1
    unparsed = glued = numbers = 0
    number = 0
    for line in lines:
        unparsed += line.label == "unparsed"
        glued += line.glued
        numbers += line.number != number
        number = line.number
    summary = Text(f"{plural(numbers, 'line')} with text", style=MUTED)
    if glued:
        summary.append(f" · {plural(glued, 'glued age')} cut loose, {GLUED} marks the rest")
    summary.append(" · ")
    summary.append(f"{unparsed} unparsed", style=UNPARSED if unparsed else MUTED)
    head = Group(_source(page), summary)
    rows = [Rows(lines, start, stop, digits) for start, stop in _runs(len(lines))]
    # The runs of rows one under another, a blank line around them as between parts.
    return [head, Text(""), *rows, *_spaced_after(_warnings(page))]


class Rows:
    """Rows *start* to *stop* of ``show --lines``: number, label, and the text cut to the
    console's width.

    The segments a rich grid of three columns makes of them (``grid``, which draws a
    console too narrow for the three), written out: the grid costs 200 µs a row, these
    a few.  A test holds the two to the same output.
    """

    def __init__(
        self, lines: Sequence[LabelledLine], start: int, stop: int, digits: int
    ) -> None:
        self.lines, self.start, self.stop, self.digits = lines, start, stop, digits

    def grid(self) -> Table:
        grid = Table.grid(padding=(0, 1), expand=True)
        # Fixed widths for number and label, so the text, cut to one row, gets the rest.
        grid.add_column(justify="right", no_wrap=True, width=self.digits)
        grid.add_column(no_wrap=True, width=LABEL_WIDTH)
        grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for line in self.lines[self.start : self.stop]:
            grid.add_row(
                Text(GLUED if line.glued else str(line.number), style=MUTED),
                Text(_label(line.label), style=LABEL_STYLES[line.label]),
                _line_text(line),
            )
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width - self.digits - LABEL_WIDTH - 2  # the text's column
        if width < MIN_TEXT:
            yield self.grid()
            return
        digits, muted, space, end = self.digits, console.get_style(MUTED), Segment(" "), \
            Segment.line()
        styles = {label: console.get_style(style) for label, style in LABEL_STYLES.items()}
        for line in self.lines[self.start : self.stop]:
            yield Segment((GLUED if line.glued else str(line.number)).rjust(digits), muted)
            yield space
            yield Segment(_label(line.label).ljust(LABEL_WIDTH), styles[line.label])
            yield space
            text = _line_text(line)
            text.truncate(width, overflow="ellipsis", pad=True)
            if text.spans:  # a place marked: render gives the text's own style with them
                yield from text.render(console)
            else:  # and without, the text alone
                yield Segment(text.plain, styles[line.label])
            yield end


# Narrower than this, the text's column is left to rich's grid to share out.
MIN_TEXT = 4


def _label(label: Label) -> str:
    return label.upper() if label == "unparsed" else label


def _line_text(line: LabelledLine) -> Text:
    text = Text(line.text, style=LABEL_STYLES[line.label])
    found = find_dateline(line.text) if line.label == "dateline" else (
        split_dateline(line.text) if line.label == "brief" else None)
    if found:
        text.stylize(PLACE, 0, len(found[0].raw))
    return text


def _source(page: Page) -> Text:
    # A path longer than the width is folded onto the next line, never cut short.
    return Text(page.source, style="bold", overflow="fold")


def _header(page: Page) -> Group:
    facts: list[str] = [page.kind]
    if page.section:
        facts.append(page.section)
    if page.date:
        facts.append(page.date)
    if page.kind == "article":
        facts.append(plural(len(page.body), "body block"))
    facts.append(plural(len(page.briefs), "brief"))
    if page.ticker:
        facts.append(plural(len(page.ticker), "ticker item"))
    facts.append(f"{len(page.boilerplate)} boilerplate")
    summary = Text(" · ".join(facts), style=MUTED)
    summary.append(" · ")
    summary.append(f"{len(page.unparsed)} unparsed", style=UNPARSED if page.unparsed else MUTED)
    return Group(_source(page), summary)


def _problems(page: Page, lines: Sequence[LabelledLine]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    unparsed = [line for line in lines if line.label == "unparsed"]
    if unparsed:
        head = Text(
            f"! {plural(len(unparsed), 'line')} not understood (unparsed):", style=UNPARSED
        )
        parts.append(Group(head, _numbered(unparsed, UNPARSED)))
    parts.extend(_warnings(page))
    return parts


def _warnings(page: Page) -> list[RenderableType]:
    if not page.warnings:
        return []
    return [Group(*(Text(f"warning: {w}", style=WARNING) for w in page.warnings))]


def _numbered(lines: Iterable[LabelledLine], style: str) -> Padding:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for line in lines:
        grid.add_row(Text(str(line.number), style=MUTED), Text(line.text, style=style))
    return Padding(grid, (0, 0, 0, 2))


def _article(page: Page) -> list[RenderableType]:
    """The title and the dateline; the body is ``Body``'s."""
    head: list[RenderableType] = []
    if page.title:
        head.append(Text(page.title, style="bold"))
    if page.dateline:
        head.append(_dateline_facts(page.dateline))
    return [Group(*head)] if head else []


class Body:
    """Blocks *start* to *stop* of the body, a blank line between them: a subheading
    marked and bold, a paragraph plain.

    A block that fits on a line is written as the segment rich makes of its ``Text``; a
    longer one is that ``Text``, wrapped by rich.  A test holds the two to the same output.
    """

    def __init__(self, blocks: Sequence[Block], start: int, stop: int) -> None:
        self.blocks, self.start, self.stop = blocks, start, stop

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width, end = options.max_width, Segment.line()
        heading = console.get_style(LABEL_STYLES["heading"])
        for at in range(self.start, self.stop):
            block = self.blocks[at]
            if at > self.start:
                yield end
            text, style = (HEADING + block.text, heading) if block.kind == "heading" else (
                block.text, None)
            if cell_len(text) <= width:
                yield Segment(text, style)
                yield end
            else:
                yield Text(text, style=style or "")


def _dateline_facts(dateline: Dateline) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style=MUTED, no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("dateline", Text(dateline.raw))
    grid.add_row("places", Text(", ".join(dateline.places), style=PLACE))
    grid.add_row("agencies", Text(", ".join(dateline.agencies) or NONE, style=AGENCY))
    return grid


def _briefs(page: Page) -> Group:
    if page.section:  # a listing names its section; an article's list says "Meer uit"
        where = f"Meer uit {page.section}" if page.kind == "article" else page.section
    else:
        where = "(no section)"
    title = Text.assemble((where, "bold magenta"), (f" · {plural(len(page.briefs), 'brief')}",
                                                    MUTED))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("age", no_wrap=True, style="yellow")
    table.add_column("places", style=PLACE)
    table.add_column("agencies", style=AGENCY)
    table.add_column("headline, or first words", ratio=1)
    for brief in page.briefs:
        table.add_row(
            _age(brief),
            Text("/".join(brief.dateline.places) if brief.dateline else NONE),
            Text("/".join(brief.dateline.agencies or (NONE,)) if brief.dateline else NONE),
            _headline(brief),
        )
    return Group(title, table)


def _age(brief: Brief) -> Text:
    if brief.age is None:
        return Text("no age", style=WARNING)
    return Text(brief.age.removesuffix(" geleden"))


def _headline(brief: Brief) -> Text:
    if brief.title:
        return Text(brief.title, style="bold")
    # As much of the text as one row holds: the cut follows the terminal's width.
    return Text(" ".join(brief.text.split()), style="italic", no_wrap=True, overflow="ellipsis")


def _ticker(page: Page) -> Group:
    title = Text.assemble(("Net binnen", "bold blue"),
                          (f" · {plural(len(page.ticker), 'ticker item')}", MUTED))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("time", no_wrap=True)
    table.add_column("category", style="blue")
    table.add_column("headline", ratio=1)
    for item in page.ticker:
        table.add_row(item.time, Text(item.category), Text(item.title))
    return Group(title, table)


def _removed(lines: Sequence[LabelledLine]) -> list[RenderableType]:
    removed = [line for line in lines if line.label == "boilerplate"]
    if not removed:
        return []
    head = Text(f"Removed as boilerplate: {plural(len(removed), 'line')}", style=MUTED)
    return [Group(head, _numbered(removed, MUTED))]


def _spaced(parts: Sequence[RenderableType]) -> list[RenderableType]:
    """A blank line between the parts of a view."""
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced:
            spaced.append(Text(""))
        spaced.append(part)
    return spaced


def _spaced_after(parts: Sequence[RenderableType]) -> list[RenderableType]:
    """A blank line before each of the parts (they follow another)."""
    return [spaced for part in parts for spaced in (Text(""), part)]


def separator() -> Rule:
    """The rule between two pages."""
    return Rule(style=MUTED)


# -- stats ----------------------------------------------------------------------------------


def _timeline_rows(stats: Stats) -> list[tuple[str, object]]:
    """With scrape times (--now): how tightly the briefs are pinned (core.timeline)."""
    figures = stats.timelines.figures()
    if not figures["timed_briefs"]:
        return []
    width = figures["median_width_minutes"]
    return [
        ("timed briefs", figures["timed_briefs"]),
        ("  median window", "-" if width is None else _minutes(round(width))),
        ("  narrowed", figures["narrowed"]),
        ("  conflicts", figures["conflicts"]),
    ]


def stats_view(stats: Stats, top: int = 10, width: int = 80) -> RenderableType:
    """The figures as tables: overview and ages, briefs per section, agency and place,
    and the worklist of pages with the most unparsed lines."""
    overview = _pairs("Overview", [
        ("pages", stats.pages),
        ("  articles", stats.kinds["article"]),
        ("  listings", stats.kinds["listing"]),
        ("  not pages", stats.not_pages),
        ("briefs", stats.briefs),
        ("unique briefs", stats.unique_briefs),
        ("ticker items", stats.ticker_items),
        ("failures", stats.failures),
        ("pages with unparsed", stats.pages_with_unparsed),
        ("unparsed lines", stats.unparsed_lines),
        ("pages with warnings", stats.pages_with_warnings),
        ("  truncated", stats.pages_truncated),
    ])
    spread = stats.age_spread()
    ages = _pairs("Ages of briefs", [
        ("youngest", _minutes(spread.min)),
        ("median", _minutes(spread.median)),
        ("oldest", _minutes(spread.max)),
        *((f"  {key}", count) for key, count in spread.buckets.items()),
        ("no age", spread.without_age),
        *_timeline_rows(stats),
    ])
    counts = [
        _ranking("Briefs per section", "section", stats.by_section, top),
        _ranking("Briefs per agency", "agency", stats.by_agency, top),
        _ranking("Top places", "place", stats.by_place, top),
    ]
    return Group(*_spaced([
        *_side_by_side([overview, ages], width),
        *_side_by_side(counts, width),
        _worklist(stats),
    ]))


GUTTER = 4  # columns between tables side by side


def _side_by_side(tables: Sequence[Table], width: int) -> list[RenderableType]:
    """*tables* in one row when they fit in *width*; else one under another, each
    apart (columns that wrap would run one table's title into the last row above)."""
    from rich.console import Console

    console = Console(width=width)
    needed = sum(console.measure(table).maximum for table in tables)
    if needed + GUTTER * (len(tables) - 1) <= width:
        return [Columns(tables, padding=(0, GUTTER))]
    return list(tables)


def _minutes(minutes: int | None) -> str:
    """An age in minutes as a person says it: 45 min, 3 h, 2 d 4 h."""
    if minutes is None:
        return "-"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def _pairs(title: str, rows: Sequence[tuple[str, object]]) -> Table:
    # At least as wide as its title: a title is wrapped to its table's width.
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_header=False,
                  show_edge=False, pad_edge=False, min_width=len(title))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="bold")
    for key, value in rows:
        table.add_row(key, str(value))
    return table


def _ranking(title: str, what: str, counter: Mapping[str, int], top: int) -> Table:
    ordered = list(ranked(counter).items())
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False)
    table.add_column(what, overflow="fold", min_width=12)
    table.add_column("briefs", justify="right", no_wrap=True, style="bold")
    for name, count in ordered[:top]:
        table.add_row(Text(visible(name, one_line=True)), str(count))
    rest = ordered[top:]
    if rest:  # the rows left out, summed, so the column still adds up
        table.add_row(Text(f"{len(rest)} more", style=MUTED),
                      Text(str(sum(count for _, count in rest)), style=MUTED))
    return table


def _worklist(stats: Stats) -> RenderableType:
    items = stats.worklist()
    if not items:
        return Text("Worklist: no page has unparsed lines.", style=MUTED)
    # The heading stands above the table, not as its title: a title is wrapped to the
    # table's width, and a worklist of short paths makes a narrow table.
    heading = Text("Worklist: pages with the most unparsed lines", style="table.title")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("unparsed", justify="right", no_wrap=True, style=UNPARSED)
    table.add_column("page", overflow="fold")
    for item in items:
        table.add_row(str(item.unparsed), Text(visible(item.source, one_line=True)))
    return Group(heading, table)
