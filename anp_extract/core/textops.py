"""Text to text: a page written back from what the parser saw, for ``strip``, ``split``
and ``datelines``.

Pure functions, no I/O.  None of them reads a page by itself: ``strip`` and ``split``
render the labelled lines of :func:`anp_extract.core.page.annotate`, ``datelines`` asks
:func:`anp_extract.core.datelines.split_dateline` about each line, so these commands can
never disagree with ``parse``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from .boilerplate import parse_date_line
from .datelines import split_dateline
from .normalize import clean_lines, split_lines
from .page import ParseOptions, annotate
from .record import Label, LabelledLine, Page
from .tables import items
from .ticker import TICKER_HEADING


@dataclass(frozen=True, slots=True)
class Stripped:
    """A page without its boilerplate, and what was taken out."""

    text: str
    removed: tuple[tuple[int, str], ...]  # (line number, the line as written)
    page: Page
    # Furniture strip keeps on purpose, as the parser reads it: the date line, and a
    # "Net binnen" that heads a ticker below other content (see strip).
    kept: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Split:
    """A page rewritten one block per brief."""

    text: str
    page: Page


def _input_lines(lines: list[str]) -> list[str]:
    """The lines of a text without the empty string after its final line end."""
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def strip(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> Stripped:
    """*text* without the lines the parser takes for boilerplate; nothing else changes.

    The kept lines are written as they were decoded (spacing untouched, trailing blanks
    too; LF line ends).  Blank lines right after a removed line go with it,
    so that stripping twice gives what stripping once gave.

    The printed date line ("dinsdag 4 november 2025") is furniture but also gives the
    record its ``date`` and ``published_at``: it stays unless a user rule names it.  So
    does a "Net binnen" with content above it and a ticker below: a ticker line counts
    only under it or at the top of the page, and without it these would be neither.

    Written back, the text never starts with a byte order mark: a kept line that opened
    with a stray one (line 2 of the page, say) would lose it when read again.
    """
    page, labelled = annotate(text, source, options, warnings)
    lines = _input_lines(split_lines(text))
    blank = [not line for line in clean_lines(text)]  # as the parser sees it ("\u200b")
    # Lines are named by their index in ``labelled`` (a glued line's pieces by theirs).
    keep = set(_ticker_headings(labelled))
    keep.update(k for k, p in enumerate(labelled)
                if p.label == "boilerplate" and _keeps_date(p.text, options))
    removed: list[tuple[int, str]] = []
    replaced: dict[int, str] = {}
    # The pieces of one input line stand together: one pass, a line's pieces at a time.
    for number, group in groupby(enumerate(labelled), key=lambda row: row[1].number):
        pieces = list(group)
        gone = [k for k, p in pieces if p.label == "boilerplate" and k not in keep]
        if not gone:
            continue
        if len(gone) == len(pieces):
            removed.append((number, lines[number - 1]))
        else:  # "3 uur geledenWebmail": the glued age stays, the banner goes
            removed.extend((number, labelled[k].text) for k in gone)
            replaced[number] = "".join(p.text for k, p in pieces if k not in gone)
    whole = {number for number, _ in removed if number not in replaced}
    kept: list[str] = []
    after_removed = False
    for number, line in enumerate(lines, start=1):
        if number in whole:
            after_removed = True
        elif not (after_removed and blank[number - 1]):
            after_removed = False
            kept.append(replaced.get(number, line))
    # Joined once, not a line and its end each (a page of a million lines, a million more
    # strings).
    stripped = ("\n".join(kept) + "\n" if kept else "").lstrip("\ufeff")
    return Stripped(stripped, tuple(removed), page,
                    tuple(labelled[k].text for k in sorted(keep)))


def _ticker_headings(labelled: Sequence[LabelledLine]) -> list[int]:
    """The "Net binnen" lines that head a ticker (the next line that is not furniture is a
    ticker line) below a line that is not furniture: their indices in *labelled*.  One
    pass: a heading waits for the next line that is not boilerplate."""
    headings: list[int] = []
    waiting: list[int] = []  # headings met since the last line that is not boilerplate
    content_above = False
    for k, piece in enumerate(labelled):
        if piece.label == "boilerplate":
            if piece.text == TICKER_HEADING and content_above:
                waiting.append(k)
            continue
        if piece.label == "ticker":
            headings.extend(waiting)
        waiting.clear()
        content_above = content_above or piece.label != "ticker"
    return headings


def _keeps_date(line: str, options: ParseOptions) -> bool:
    """The page's date line, which the parser reads before it counts it as furniture."""
    return parse_date_line(line) is not None and not options.rules.matches(line)


# Labels that continue the block of the line before them (when that line has the
# label given here): a brief runs from its headline through its text to its age.
_CONTINUES: dict[Label, tuple[Label, ...]] = {
    "brief": ("brief-title", "brief"),
    "age": ("brief",),
    "ticker": ("ticker",),
}


def split(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> Split:
    """*text* normalised: glued ages cut loose, each brief a block of its own.

    A brief's block is its headline (if any), its dateline paragraph (and any more
    lines of its text) and its age; every other line is a block by itself; a blank
    line separates blocks.  Lines are written as the parser read them (blanks folded),
    and nothing is dropped: boilerplate is ``strip``'s business.
    """
    page, labelled = annotate(text, source, options, warnings)
    # The lines and what goes between them (a line end in a block, a blank line between
    # blocks), joined once: a page of a million lines makes no million lists.
    written: list[str] = []
    before: Label | None = None
    for line in labelled:
        if written:
            written.append("\n" if before in _CONTINUES.get(line.label, ()) and not (
                # A second dateline in a row opens the next brief (the layout without
                # headlines).
                line.label == "brief" and before == "brief" and split_dateline(line.text)
            ) else "\n\n")
        written.append(line.text)
        before = line.label
    return Split("".join(written) + "\n" if written else "", page)


def brief_rows(page: Page) -> Iterator[dict[str, Any]]:
    """One record per brief, as every briefs table has it (``tables.items``): the brief
    object of the page record, after its page's source, section and kind."""
    return items(page.to_dict(), "briefs")


def dateline_rows(text: str, everything: bool = False) -> Iterator[dict[str, Any]]:
    """``{"raw", "places", "agencies", "text"}`` per line that opens with a dateline.

    With *everything*, the other lines (blank ones too, so that the n-th object is the
    n-th line) come through as ``{"text"}``.  Lines are read as the parser reads them.
    """
    for line in _input_lines(clean_lines(text)):
        found = split_dateline(line)
        if found is not None:
            dateline, rest = found
            yield {
                "raw": dateline.raw,
                "places": list(dateline.places),
                "agencies": list(dateline.agencies),
                "text": rest,
            }
        elif everything:
            yield {"text": line}
