"""Stage: line labelling, the scanner of page assembly (as packaging's tokenizer feeds its
parser).  Cleaned lines in; the furniture, the date and the ticker labelled, and the
content lines sorted into four kinds (age, dateline, "Meer uit", text) for
:mod:`anp_extract.core.assemble` to build the page from.

Every non-blank line gets one entry in ``texts``, ``numbers``, ``labels`` and ``kinds`` (a
glued age and what follows it get one each); the label is ``unparsed`` until assembly
claims the line.  A line is known by its index in these, its *position*.  ``content``
lists the positions of the content lines; ``age_of`` holds the age of each age line, and
``extra`` what the scan read on the few other lines that carry more than their text (a
dateline and what follows it, a section's name).

Flat arrays and lists, not an object a line: a page of a million short lines holds a
million entries in each (a byte in ``kinds``), not a million objects more.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import NamedTuple, overload

from . import ages
from .boilerplate import Rules, parse_date_line
from .datelines import Dateline, find_dateline
from .record import Label, LabelledLine
from .shapes import SECTION_LINE
from .ticker import TICKER_HEADING, TICKER_MARKS, TickerItem, parse_ticker_line

# The kinds of the lines: four of content, and the furniture (boilerplate, the page's
# date, the ticker), which assembly never reads.
AGE, DATELINE, SECTION, TEXT, FURNITURE = range(5)


class Extra(NamedTuple):
    """What the scan read on a dateline or "Meer uit" line beyond its text
    (``Lines.extra``)."""

    # A DATELINE's dateline; on a TEXT line, a mixed-case dateline that assembly reads only
    # where a dateline stands (see assemble.mixed_opening).
    dateline: Dateline | None
    rest: str  # after the dateline; a "Meer uit" line's section name


@dataclass(slots=True)  # slots: its fields are read in every loop of assembly
class Lines:
    """The labelled lines of one page, and what the scan took out of them."""

    texts: list[str] = field(default_factory=list)
    numbers: array[int] = field(default_factory=lambda: array("q"))  # 1-based, in the input
    glued: set[int] = field(default_factory=set)  # cut loose from the line before it
    labels: list[Label] = field(default_factory=list)
    kinds: bytearray = field(default_factory=bytearray)  # AGE ... FURNITURE, a byte a line
    content: array[int] = field(default_factory=lambda: array("q"))  # positions, in order
    # By position: the age of each AGE line (the scan's own object, shared by the lines of
    # one age), and the Extra of the other lines that have one.
    age_of: dict[int, ages.Age] = field(default_factory=dict)
    extra: dict[int, Extra] = field(default_factory=dict)
    boilerplate: list[str] = field(default_factory=list)
    ticker: list[TickerItem] = field(default_factory=list)
    page_date: date | None = None


_new_line = tuple.__new__  # LabelledLine(...) built in C: NamedTuple's __new__ is Python code


class LabelledLines(Sequence[LabelledLine]):
    """What each line of a page became (``annotate``), a :class:`LabelledLine` made as each
    is read from the scan's arrays: a page of five million lines holds no five million
    tuples (``show --lines`` draws a thousand rows at a time).  Compares and prints as
    the tuple of its lines."""

    __slots__ = ("_lines",)

    def __init__(self, lines: Lines) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines.texts)

    @overload
    def __getitem__(self, index: int) -> LabelledLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[LabelledLine, ...]: ...

    def __getitem__(self, index: int | slice) -> LabelledLine | tuple[LabelledLine, ...]:
        lines = self._lines
        if isinstance(index, slice):
            start, stop, step = index.indices(len(lines.texts))
            if step == 1:  # the usual slice, a run of rows
                return tuple(self._rows(start, stop))
            return tuple(map(self.__getitem__, range(start, stop, step)))
        text = lines.texts[index]  # an index error, negative indices, as a tuple's
        at = index if index >= 0 else index + len(lines.texts)
        return _new_line(LabelledLine, (lines.numbers[at], text, lines.labels[at],
                                        at in lines.glued))

    def __iter__(self) -> Iterator[LabelledLine]:
        return self._rows(0, len(self._lines.texts))

    def _rows(self, start: int, stop: int) -> Iterator[LabelledLine]:
        """The lines from *start* to *stop* (both within the lines), made in C."""
        lines = self._lines
        numbers, texts, labels = lines.numbers, lines.texts, lines.labels
        if start or stop < len(texts):  # a run: read from copies of its part of the lists
            at = slice(start, stop)
            numbers, texts, labels = numbers[at], texts[at], labels[at]
        glued = map(lines.glued.__contains__, range(start, stop))
        rows = zip(numbers, texts, labels, glued, strict=True)
        return map(_new_line, repeat(LabelledLine), rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LabelledLines | tuple):
            return len(self) == len(other) and all(map(tuple.__eq__, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's: the labels change in assembly

    def __repr__(self) -> str:
        return repr(tuple(self))


def scan(lines: Sequence[str], rules: Rules) -> Lines:
    """Label the furniture and the ticker, and sort the content lines into their kinds.

    This loop runs for every line of every page, so each test is guarded by the
    cheapest check that can rule it out (the first character, mostly), inline.

    A ticker line counts only where a ticker stands: under "Net binnen", or at the
    top of the page (``strip`` takes "Net binnen" out), with nothing but furniture,
    blank lines and other ticker lines between.  Elsewhere a line like "- Optocht
    14:00 door het centrum" is an article's list item, and stays text.
    """
    # Line numbers and positions in four bytes each where they fit (a page under two
    # thousand million lines: any page a source reads), else eight.
    wide = "i" if len(lines) < 1 << 31 else "q"
    found = Lines(numbers=array(wide), content=array(wide))
    texts, numbers, labels = found.texts, found.numbers, found.labels
    kinds, content, aged, extra = found.kinds, found.content, found.age_of, found.extra
    literals, prefixes, starts, pattern = rules.literals, rules.prefixes, rules.starts, \
        rules.pattern
    longest = rules.longest
    new = tuple.__new__  # Extra(...) built in C: NamedTuple's __new__ is Python code
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
                at = len(texts)
                if glued:
                    found.glued.add(at)
                aged[at] = glued_age
                content.append(at)
                kinds.append(AGE)
                texts.append(glued_age.raw)  # the age as printed
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
        if (len(line) <= longest and line in literals) or (
            pattern is not None
            and (prefixes is None or (first in starts and line.startswith(prefixes)))
            and pattern.fullmatch(line) is not None
        ):  # Rules.matches, inline
            labels.append("boilerplate")
            kinds.append(FURNITURE)
            found.boilerplate.append(line)
            in_ticker = ticker_here or line == TICKER_HEADING
            continue
        if line[-1].isdigit() and (day := parse_date_line(line)) is not None:
            labels.append("boilerplate")
            kinds.append(FURNITURE)
            found.boilerplate.append(line)
            found.page_date = found.page_date or day
            in_ticker = ticker_here
            continue
        if ticker_here and first in TICKER_MARKS and (  # no digit: not an age
            item := parse_ticker_line(line)
        ) is not None:
            labels.append("ticker")
            kinds.append(FURNITURE)
            found.ticker.append(item)
            in_ticker = True
            continue
        labels.append("unparsed")
        content.append(index)
        if digit:  # age is parse_age(line), from above
            if age is None:
                kinds.append(TEXT)
            else:
                kinds.append(AGE)
                aged[index] = age
        elif (
            (first.isupper() or first in "'\u2019") and not line[1:2].islower()
            and (opening := find_dateline(line)) is not None
        ):  # split_dateline's own first guard, inline: most lines are prose ("De ...")
            # In capitals: a dateline.  In mixed case ("DEN Haag (ANP) - "): a text line that
            # carries its dateline, for assembly to read where a dateline stands (a line
            # like "Den Haag - " fails the guard; assembly looks at it only there).
            kinds.append(DATELINE if opening[2] else TEXT)
            extra[index] = new(Extra, (opening[0], opening[1]))
        elif first == "M" and line.startswith("Meer uit ") and (
            section := SECTION_LINE.match(line)
        ):  # the section's name kept as the line's rest
            kinds.append(SECTION)
            extra[index] = new(Extra, (None, section["section"]))
        else:
            kinds.append(TEXT)
    return found
