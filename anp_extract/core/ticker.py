"""Stage: the "Net binnen" ticker of regional pages: ``- Voetbal 14:23 PSV wint ...``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .shapes import DIGIT, NOT_BLANK

# The standard ``re``, with the classes of ``regex`` spelled out (shapes.py); possessive
# quantifiers and the MAX_HEAD bound below keep it linear.
TICKER_LINE = re.compile(
    rf"""
    [-\u2013\u2022*] \ ++                        # a list mark: hyphen, en dash, bullet
    (?P<category> {NOT_BLANK} .*? )            # Voetbal, Formule 1: up to the first time
    \ (?P<time> [0-2]?{DIGIT} [:.] [0-5]{DIGIT} )  # 14:23
    \ ++ (?P<title> {NOT_BLANK} .* )            # the headline
    """,
    re.VERBOSE,
)

# The heading the ticker stands under; ticker lines count only in its block (page.py).
TICKER_HEADING = "Net binnen"

# The list marks a ticker line opens with: hyphen, en dash, bullet, asterisk.
TICKER_MARKS = "-\u2013\u2022*"

# Longest head (mark, category, time) read; longer heads are prose, and the bound keeps
# the lazy scan for the first " HH:MM " linear.
MAX_HEAD = 60


@dataclass(frozen=True, slots=True)
class TickerItem:
    """One line of the ticker."""

    category: str
    time: str
    title: str

    def to_dict(self) -> dict[str, object]:
        return {"category": self.category, "time": self.time, "title": self.title}


def parse_ticker_line(line: str) -> TickerItem | None:
    """The ticker item if *line* is one, else None."""
    if len(line) < 8 or line[0] not in TICKER_MARKS or line[1] != " ":
        return None
    match = TICKER_LINE.match(line[:MAX_HEAD] if len(line) > MAX_HEAD else line)
    if match is None:
        return None
    title = line[match.start("title") :]
    return TickerItem(match["category"].strip(), match["time"], title)
