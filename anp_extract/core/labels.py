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

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from . import ages
from .boilerplate import Rules, parse_date_line
from .datelines import Dateline, find_dateline
from .record import Label
from .shapes import SECTION_LINE
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

    This loop runs for every line of every page, so each test is guarded by the
    cheapest check that can rule it out (the first character, mostly), inline.

    A ticker line counts only where a ticker stands: under "Net binnen", or at the
    top of the page (``strip`` takes "Net binnen" out), with nothing but furniture,
    blank lines and other ticker lines between.  Elsewhere a line like "- Optocht
    14:00 door het centrum" is an article's list item, and stays text.
    """
    found = Lines()
    content: list[Item] = []
    texts, numbers, labels = found.texts, found.numbers, found.labels
    literals, prefixes, pattern = rules.literals, rules.prefixes, rules.pattern
    longest = rules.longest
    new = tuple.__new__  # Item(...) built in C: NamedTuple's __new__ is Python code
    in_ticker = True  # a ticker line may stand here (see above)
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        ticker_here, in_ticker = in_ticker, False
        first = line[0]
        digit = first.isdigit()
        glued = False
        age = None
        # A line that is one age has none glued on: cut only the others (glued_ages is
        # the dearer test, parse_age is cached; age_line is parse_age, its guards inline).
        if digit and len(line) <= ages.MAX_AGE_LINE:
            age = ages.age_line(line)
        if digit and age is None:
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
                first = line[0]
                digit = first.isdigit()
                age = ages.parse_age(line)
                # The age is content: what follows it on the line is not at the top of the
                # page, so no ticker line ("1 jaar geleden- Binnenland 14:20 ..."), as it
                # would not be once split puts the age on a line of its own.
                ticker_here = False
        index = len(texts)
        if glued:
            found.glued.add(index)
        texts.append(line)
        numbers.append(number)
        labels.append("unparsed")
        if (len(line) <= longest and line in literals) or (
            pattern is not None
            and (prefixes is None or line.startswith(prefixes))
            and pattern.fullmatch(line) is not None
        ):  # Rules.matches, inline
            labels[index] = "boilerplate"
            found.boilerplate.append(line)
            in_ticker = ticker_here or line == TICKER_HEADING
        elif line[-1].isdigit() and (day := parse_date_line(line)) is not None:
            labels[index] = "boilerplate"
            found.boilerplate.append(line)
            found.page_date = found.page_date or day
            in_ticker = ticker_here
        elif digit:  # age is parse_age(line), from above
            kind = TEXT if age is None else AGE
            content.append(new(Item, (index, kind, line, age, None, "")))
        elif ticker_here and first in TICKER_MARKS and (
            item := parse_ticker_line(line)
        ) is not None:
            labels[index] = "ticker"
            found.ticker.append(item)
            in_ticker = True
        elif (
            (first.isupper() or first in "'\u2019") and not line[1:2].islower()
            and (opening := find_dateline(line)) is not None
        ):  # split_dateline's own first guard, inline: most lines are prose ("De ...")
            # In capitals: a dateline.  In mixed case ("DEN Haag (ANP) - "): a text line that
            # carries its dateline, for assembly to read where a dateline stands (a line
            # like "Den Haag - " fails the guard; assembly looks at it only there).
            kind = DATELINE if opening[2] else TEXT
            content.append(new(Item, (index, kind, line, None, opening[0], opening[1])))
        elif first == "M" and line.startswith("Meer uit ") and (
            section := SECTION_LINE.match(line)
        ):  # the section's name kept as the item's rest
            content.append(new(Item, (index, SECTION, line, None, None, section["section"])))
        else:
            content.append(new(Item, (index, TEXT, line, None, None, "")))
    return found, content

