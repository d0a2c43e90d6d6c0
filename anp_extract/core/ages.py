"""Stage: relative ages ("3 uur geleden") and the times they point to.

An age counts only where it stands alone on a line, or opens a line and is glued
onto what follows ("7 uur geledenLONDEN (ANP/AFP) - ..."); an age inside a sentence
("zei 3 uur geleden nog") is text and never reaches this module.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from .shapes import NOT_BLANK

# Minutes per unit; the portal writes "maand" for the plural too.  A week is 7 days,
# a month 30 and a year 365: the portal's ages are rounded anyway.
UNIT_MINUTES: dict[str, float] = {
    "seconde": 1 / 60, "seconden": 1 / 60, "sec": 1 / 60,
    "minuut": 1, "minuten": 1, "min": 1,
    "uur": 60, "uren": 60,
    "dag": 1440, "dagen": 1440,
    "week": 10080, "weken": 10080,
    "maand": 43200, "maanden": 43200,
    "jaar": 525600, "jaren": 525600,
}

# The standard ``re``, as the other patterns of the core (shapes.py says why).  The unit
# is any case of ASCII letters ("(?ai:": re's plain "i" would also take the dotless "ı"
# for "i", and the long "ſ" for "s", which UNIT_MINUTES does not know, so a line such as
# "3 ſec geleden" made no record at all), and the Kelvin sign for "k", which the regex
# module took (and ``lower`` makes a "k").
_AGE = r"""
    (?P<age>
      (?P<count> \d{1,6} )            # how many: digits only, "twee uur" is prose
      \ ?                             # the portal sometimes drops the space
      (?ai: (?P<unit>                 # longest spelling first, any case
          seconden | seconde | sec
        | minuten | minuut | min
        | uur | uren
        | dagen | dag
        | we[k\u212a]en | wee[k\u212a]         # [k\u212a]: "k" and the Kelvin sign
        | maanden | maand
        | jaren | jaar )
      \ geleden )
    )
"""

# An age that is the whole line.
AGE_LINE = re.compile(_AGE + r"\Z", re.VERBOSE)

# An age glued onto the start of the next block: what follows is neither a blank nor a
# lower-case letter ("3 uur geleden lag..." is a sentence, not a glued age).  ``re`` has no
# class for "lower-case letter": the pattern takes any non-blank (``next``), and
# ``_glued_at`` refuses a lower-case one (``_lower``).
GLUED_AGE = re.compile(_AGE + rf"(?= (?P<next> {NOT_BLANK} ) )", re.VERBOSE)

# The lower-case letters (Unicode's Ll) of Unicode versions after Python 3.11's own (14.0),
# as the regex module reads them; and "\u0295", Ll in 14.0 and a letter of no case since.
_NEWER_LOWER = re.compile(
    "[\u1c8a\ua7cd\ua7cf\ua7db\U00010d70-\U00010d85\U00016ebb-\U00016ed3\U0001d6a6"
    "\U0001df1f-\U0001df3f\U0001df41-\U0001df47\U0001df49\U0001df4b\U0001df4c"
    "\U0001df4e-\U0001df50\U0001df52-\U0001df67\U0001df69\U0001df6b\U0001df6d"
    "\U0001df6f-\U0001df71\U0001df73\U0001df75\U0001df77\U0001df79\U0001df7b"
    "\U0001df7d\U0001df7f\U0001df90-\U0001df96]"
).match


def _lower(char: str) -> bool:
    """*char* is a lower-case letter, as the regex module's ``\\p{Ll}`` has it."""
    if unicodedata.category(char) == "Ll":
        return char != "\u0295"
    return _NEWER_LOWER(char) is not None


@dataclass(frozen=True, slots=True)
class Age:
    """An age as printed and its length in whole minutes."""

    raw: str
    minutes: int


def _age(match: re.Match[str]) -> Age:
    minutes = int(match["count"]) * UNIT_MINUTES[match["unit"].lower()]
    return Age(match["age"], int(minutes))


# The longest line that can be an age (six digits, "seconden geleden"); longer lines are not.
MAX_AGE_LINE = 40


def parse_age(line: str) -> Age | None:
    """The age if *line* is nothing but an age, else None."""
    if not line or not line[0].isdigit() or len(line) > MAX_AGE_LINE:
        return None
    return age_line(line)


@lru_cache(maxsize=4096)
def age_line(line: str) -> Age | None:
    """``parse_age`` of a line known to open with a digit and to be at most MAX_AGE_LINE
    long, without its guards: the scan of every page calls it for every such line."""
    # A scrape holds few distinct ages ("3 uur geleden"): each is read once.
    match = AGE_LINE.match(line)
    return _age(match) if match else None


def glued_ages(line: str) -> tuple[list[Age], str]:
    """Every age glued onto the start of *line* (each read as ``parse_age`` reads it), and
    what follows them: ``"3 uur geleden1 uur geledenKATS - ..."`` gives the two ages and
    ``"KATS - ..."``.

    The line is matched from a moving position and cut once, so a line of n glued ages
    costs O(n), not O(n²).
    """
    found: list[Age] = []
    position = 0
    while line[position : position + 1].isdigit():
        age = _glued_at(line, position)
        if age is None:
            break
        found.append(age)
        position += len(age.raw)  # the age's text is all of the match
    return found, (line[position:] if position else line)


# The longest age: six digits, a blank, "seconden", " geleden".
_LONGEST_AGE = 23


def _glued_at(line: str, position: int) -> Age | None:
    """The age GLUED_AGE finds at *position* of *line*, if any.

    The pattern costs microseconds a try; the usual glued age ("36 minuten geledenKAIRO")
    is found without it: the head up to the first "geleden" is a whole age (parse_age,
    cached), and what follows it is a capital or a digit, so neither a blank nor a
    lower-case letter.  An age holds one "geleden" and ends with it, so the pattern could
    match no other span there.  Anything else (no "geleden" in reach, "GELEDEN", another
    character after it) is left to the pattern itself.
    """
    end = line.find("geleden", position, position + _LONGEST_AGE) + 7
    if 7 <= end < len(line) and (line[end].isupper() or line[end].isdigit()):
        age = age_line(line[position:end])  # opens with a digit, under MAX_AGE_LINE long
        if age is not None:
            return age
    match = GLUED_AGE.match(line, position)
    return None if match is None or _lower(match["next"]) else _age(match)


def published_at(minutes: int, now: datetime) -> str | None:
    """ISO 8601 time, in *now*'s zone, *minutes* before the aware datetime *now*; None when
    that time falls outside the years 1 to 9999 that ``datetime`` holds ("3000 jaar
    geleden" on a page scraped in the year 5)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    try:
        # Subtract in UTC: wall-clock arithmetic would be an hour off across a DST change.
        instant = now.astimezone(UTC) - timedelta(minutes=minutes)
        return instant.astimezone(now.tzinfo).isoformat(timespec="seconds")
    except (OverflowError, ValueError):  # before year 1, in UTC or in now's zone
        return None


def published_on(minutes: int, page_date: date) -> str | None:
    """The day a brief appeared, from the page's own date, for ages of a day or more;
    None for younger briefs, and for a day before the year 1."""
    days = minutes // 1440
    if days < 1:
        return None
    try:
        return (page_date - timedelta(days=days)).isoformat()
    except OverflowError:
        return None


def published(minutes: int, now: datetime | None, page_date: date | None) -> str | None:
    """When a brief of this age appeared: a time from the scrape time *now* (``--now``),
    else a day from the page's printed date (for ages of a day or more), else unknown."""
    if now is not None:
        return published_at(minutes, now)
    if page_date is not None:
        return published_on(minutes, page_date)
    return None


def out_of_range(minutes: int, now: datetime | None, page_date: date | None) -> bool:
    """True when ``published`` gave None only because the time falls before the year 1: the
    record then says so in a warning rather than leave it unexplained."""
    if now is not None:
        return True
    return page_date is not None and minutes >= 1440


def usable_now(now: datetime) -> bool:
    """*now* (aware) can be a scrape time: it converts to UTC and back, so that a brief's
    time can be computed from it.  "0001-01-01" in Amsterdam is the year 0 in UTC, and
    "9999-12-31T23:59-14:00" the year 10000."""
    try:
        now.astimezone(UTC).astimezone(now.tzinfo)
    except (OverflowError, ValueError):
        return False
    return True
