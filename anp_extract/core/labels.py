"""Stage: line labelling, the scanner of page assembly (as packaging's tokenizer feeds its
parser).  Cleaned lines in; the furniture, the date and the ticker labelled, and the
content lines out as :class:`Item` s of four kinds (age, dateline, "Meer uit", text) for
:mod:`anp_extract.core.assemble` to build the page from.

Every non-blank line gets one entry in ``texts``, ``numbers`` and ``labels`` (a glued age
and what follows it get one each); the label is ``unparsed`` until assembly claims the line.
Three flat lists, not a tuple a line: a page of a million short lines holds a million
entries in each, not a million objects more.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter, not_
from typing import NamedTuple

from . import ages
from .boilerplate import Rules, parse_date_line
from .datelines import Dateline, find_dateline
from .record import Label
from .shapes import NOT_BLANK, SECTION_LINE
from .ticker import TICKER_HEADING, TICKER_MARKS, TickerItem, parse_ticker_line

AGE, DATELINE, SECTION, TEXT = range(4)


class Item(NamedTuple):
    """A content line: its index among the labelled lines, its kind and what it held."""

    at: int  # index among the labelled lines
    kind: int
    text: str
    age: ages.Age | None = None
    # A DATELINE's dateline; on a TEXT line, a mixed-case dateline that assembly reads only
    # where a dateline stands (see assemble.mixed_opening).
    dateline: Dateline | None = None
    rest: str = ""  # after the dateline; a "Meer uit" line's section name


@dataclass(slots=True)  # slots: its fields are read in every loop of assembly
class Lines:
    """The labelled lines of one page, and what the scan took out of them."""

    texts: list[str] = field(default_factory=list)
    numbers: array[int] = field(default_factory=lambda: array("l"))  # 1-based, in the input
    glued: set[int] = field(default_factory=set)  # cut loose from the line before it
    labels: list[Label] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    ticker: list[TickerItem] = field(default_factory=list)
    page_date: date | None = None


def scan(lines: Sequence[str], rules: Rules) -> tuple[Lines, list[Item]]:
    """Label the furniture and the ticker; return them and the content lines in order.

    The general route, a line at a time (:func:`scan_text` is the usual page's).  Ages
    glued onto the start of a line are cut loose here; the rest of each line is read by
    :func:`_read_line`.

    A ticker line counts only where a ticker stands: under "Net binnen", or at the
    top of the page (``strip`` takes "Net binnen" out), with nothing but furniture,
    blank lines and other ticker lines between.  Elsewhere a line like "- Optocht
    14:00 door het centrum" is an article's list item, and stays text.
    """
    found = Lines()
    content: list[Item] = []
    texts, numbers, labels = found.texts, found.numbers, found.labels
    in_ticker = True  # a ticker line may stand here (see above)
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        ticker_here = in_ticker
        glued = False
        # A line that is one age has none glued on: cut only the others (glued_ages is
        # the dearer test, age_line is cached).
        if line[0].isdigit() and (len(line) > ages.MAX_AGE_LINE or ages.age_line(line) is None):
            cut, line = ages.glued_ages(line)  # "7 uur geledenLONDEN (ANP) - ..."
            for glued_age in cut:
                text = glued_age.raw  # the age as printed
                if glued:
                    found.glued.add(len(texts))
                content.append(new(Item, (len(texts), AGE, text, glued_age, None, "")))
                texts.append(text)
                numbers.append(number)
                labels.append("unparsed")  # until a brief claims it
                glued = True
            if glued:
                # The age is content: what follows it on the line is not at the top of the
                # page, so no ticker line ("1 jaar geleden- Binnenland 14:20 ..."), as it
                # would not be once split puts the age on a line of its own.
                ticker_here = False
                found.glued.add(len(texts))
        texts.append(line)
        numbers.append(number)
        labels.append("unparsed")  # until assembly claims it
        read = _read_line(line, len(texts) - 1, ticker_here, found, rules)
        if read.__class__ is bool:  # furniture: whether a ticker may stand below it
            in_ticker = read
        else:
            content.append(read)
            in_ticker = False
    return found, content


# The usual page's scan (scan_text) reads the cleaned page with one pattern, a row a
# labelled line: the line breaks before it, then the line in one of five groups, by what
# it may be.  Only "plain" and "caps" rows are judged by the pattern alone: lines that
# no rule, date line, age, ticker or "Meer uit" can claim (longer than the longest
# literal rule, not opening with a rule's prefix or "Meer uit ", not ending in a digit);
# "plain" ones open as prose ("De ...", "aldus ..."), so they are text; "caps" ones may
# open with a dateline.  An age the pattern sees glued onto what follows ends its row,
# and the rest of the line is the next row, with no line break before it.  The rows
# hold the same lines as scan's, in order: every row's line is non-empty.
_ROW = r"""
    ( \n*+ )                                          # the line breaks before; none: glued
    (?:
        ( (?! {claimed} ) (?= [^\n]{{{length}}} )      # no rule's and no "Meer uit"; long
          (?: [A-Z] [a-z] | [a-z] ) [^\n]*+ (?<= {end} ) )    # plain prose: "De ...", "aldus"
      | ( (?! {claimed} ) (?= [^\n]{{{length}}} )
          [A-Z'\u2019] [^\n]*+ (?<= {end} ) )          # caps: "LONDEN (ANP) - ", "EU wil ..."
      | (?! {claimed} ) ( {age} ) (?= \n | \Z )         # an age, a line of its own
      | ( {age} ) (?= (?! [a-z] ) {not_blank} )          # an age glued onto what follows
      | ( [^\n]++ )                                     # anything else: _read_line judges
    )
"""
# A line ending in one of these ends in no digit, so it is no date line.
_SAFE_END = "[A-Za-z.,;:!?'\")\u2019\u201d\u2026]"


@lru_cache(maxsize=64)
def _rows(longest: int, prefixes: tuple[str, ...]) -> Callable[[str], list[tuple[str, ...]]]:
    """The ``findall`` of the row pattern for rules with this longest literal and these
    prefixes of their patterns."""
    # re.escape escapes blanks and "#" too, which VERBOSE would read as layout.
    claimed = "|".join(map(re.escape, (*prefixes, "Meer uit ")))
    return re.compile(
        _ROW.format(claimed=claimed, length=longest + 1, end=_SAFE_END, age=ages.AGE_TEXT,
                    not_blank=NOT_BLANK),
        re.VERBOSE,
    ).findall


_PLAIN, _CAPS, _AGE, _GLUED, _OTHER = range(1, 6)


def scan_text(text: str, rules: Rules) -> tuple[Lines, list[Item]] | None:
    """``scan(text.split("\\n"), rules)`` of a cleaned page (``normalize.clean_text``), read
    with one pattern; None when that pattern cannot tell (an age glued onto a character
    other than a capital or digit, or rules whose patterns have no literal prefix): the
    caller takes the general route then.  The lists are built in C, a labelled line each,
    and only the lines the pattern leaves open go through :func:`_read_line`.

    tests/properties/test_scan_routes.py holds the two routes to the same lines."""
    if rules.pattern is not None and rules.prefixes is None:
        return None
    rows = _rows(rules.longest, rules.prefixes or ())("\n" + text)
    found = Lines()
    texts = found.texts = list(map(add, map(add, map(itemgetter(_PLAIN), rows),
                                            map(itemgetter(_CAPS), rows)),
                                   map(add, map(add, map(itemgetter(_AGE), rows),
                                                map(itemgetter(_GLUED), rows)),
                                       map(itemgetter(_OTHER), rows))))
    breaks = list(map(itemgetter(0), rows))
    found.numbers = array("l", accumulate(map(len, breaks)))
    found.glued = set(compress(count(), map(not_, breaks)))
    found.labels = ["unparsed"] * len(texts)
    # Every line a text item to start with; the rows that are not plain are read below.
    content: list[Item | None] = list(map(new, repeat(Item), zip(
        count(), repeat(TEXT), texts, repeat(None), repeat(None), repeat(""))))
    literals, longest = rules.literals, rules.longest
    age_line = ages.age_line
    in_ticker, last = True, -1  # a ticker line may stand below line *last*
    furniture = False
    for index in compress(count(), map(not_, map(itemgetter(_PLAIN), rows))):
        row = rows[index]
        if row[_CAPS]:  # _read_line of such a line, from its dateline test on
            line = row[_CAPS]
            if not line[1:2].islower() and (opening := find_dateline(line)) is not None:
                content[index] = new(Item, (
                    index, DATELINE if opening[2] else TEXT, line, None, opening[0], opening[1]))
            continue
        if row[_GLUED]:
            line = row[_GLUED]
            after = texts[index + 1][0]  # not blank, not a-z: lower case only beyond ASCII
            if not after.isascii() and ages.lower(after):
                return None  # "3 uur geledenélan": no age glued on, the general route
            content[index] = new(Item, (index, AGE, line, age_line(line), None, ""))
            continue
        line = row[_AGE]
        if line and not (len(line) <= longest and line in literals):
            content[index] = new(Item, (index, AGE, line, age_line(line), None, ""))
            continue
        line = line or row[_OTHER]
        if line[0].isdigit() and (len(line) > ages.MAX_AGE_LINE or age_line(line) is None) \
                and ages.glued_ages(line)[0]:
            return None  # an age glued on that the pattern did not cut: the general route
        read = _read_line(line, index, in_ticker and last == index - 1, found, rules)
        if read.__class__ is bool:
            in_ticker, last = read, index
            content[index] = None
            furniture = True
        else:
            content[index] = read
    return found, list(filter(None, content)) if furniture else content  # type: ignore[arg-type]


new = tuple.__new__  # Item(...) built in C: NamedTuple's __new__ is Python code


def _read_line(
    line: str, index: int, ticker_here: bool, found: Lines, rules: Rules
) -> Item | bool:
    """What the labelled line *line* (at *index*, no age glued on) is: a content
    :class:`Item`, or furniture, labelled here, and then whether a ticker line may stand
    below it.  Each test is guarded by the cheapest check that can rule it out (the
    first character, mostly), inline."""
    if (len(line) <= rules.longest and line in rules.literals) or (
        (pattern := rules.pattern) is not None
        and (rules.prefixes is None or line.startswith(rules.prefixes))
        and pattern.fullmatch(line) is not None
    ):  # Rules.matches, inline
        found.labels[index] = "boilerplate"
        found.boilerplate.append(line)
        return ticker_here or line == TICKER_HEADING
    first = line[0]
    if line[-1].isdigit() and (day := parse_date_line(line)) is not None:
        found.labels[index] = "boilerplate"
        found.boilerplate.append(line)
        found.page_date = found.page_date or day
        return ticker_here
    if first.isdigit():  # parse_age, its guards inline
        age = ages.age_line(line) if len(line) <= ages.MAX_AGE_LINE else None
        return new(Item, (index, TEXT if age is None else AGE, line, age, None, ""))
    if ticker_here and first in TICKER_MARKS and (item := parse_ticker_line(line)) is not None:
        found.labels[index] = "ticker"
        found.ticker.append(item)
        return True
    if (
        (first.isupper() or first in "'\u2019") and not line[1:2].islower()
        and (opening := find_dateline(line)) is not None
    ):  # split_dateline's own first guard, inline: most lines are prose ("De ...")
        # In capitals: a dateline.  In mixed case ("DEN Haag (ANP) - "): a text line that
        # carries its dateline, for assembly to read where a dateline stands (a line
        # like "Den Haag - " fails the guard; assembly looks at it only there).
        return new(Item, (index, DATELINE if opening[2] else TEXT, line, None, opening[0],
                          opening[1]))
    if first == "M" and line.startswith("Meer uit ") and (
        section := SECTION_LINE.match(line)
    ):  # the section's name kept as the item's rest
        return new(Item, (index, SECTION, line, None, None, section["section"]))
    return new(Item, (index, TEXT, line, None, None, ""))
