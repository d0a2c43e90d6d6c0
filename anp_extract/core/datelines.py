"""Stage: datelines, the ``PLACE[/PLACE] (AGENCY[/AGENCY]) - `` that opens wire copy.

Two strengths of evidence:

* **in capitals** (``LONDEN (ANP) - ``, ``KATS - ``, ``PARIJS (ANP/RTR). ``): a dateline
  wherever a line opens with it (:func:`split_dateline`);
* **in mixed case** (``Den Haag (ANP) - ``, ``Borsele - ``): real pages print these too,
  but "Den Haag - Dat is..." can be a sentence, so :func:`find_dateline` reports them as
  such and page assembly reads them only where a dateline stands (after an age, after a
  brief's headline, at the start of the article's first paragraph).  Their places are
  upper-cased in ``places``; ``raw`` keeps them as printed.

Only the start of a line is ever tried, so "(ANP)" inside a sentence or a sentence
ending in "(bbp)." is text.  The pattern is stdlib ``re``: every repetition possessive,
the pieces cannot overlap, and only the first ``MAX_DATELINE`` characters are tried, so
an attempt costs the same on a megabyte of capitals, slashes and brackets.  ``re`` has no
``\\p{Lu}``: the pattern reads the shape (letters, blanks, slashes, brackets, the dash)
and the case of the places is judged after the match, in :func:`_case`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .slots import slot_writer

# The dashes a dateline ends with: hyphen, en dash, em dash.  The pattern's class and the
# pre-scan of split_dateline are both built from this one string.
DASHES = "-\u2013\u2014"

_BLANK_HYPHEN = " " + DASHES[0]  # the usual end of a head, looked for first
# What may not follow the blank after the dash (the pattern's "(?= \S)"): nothing, or any
# character str.isspace() and re's \s call blank (the no-break and thin spaces too).
_BLANK_OR_NONE = frozenset(
    ["", *"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"]
    + [chr(code) for code in range(0x2000, 0x200B)]
)

# Combining marks (a decomposed "SÃO"): \w does not hold them.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LETTER = r"[^\W\d_]"  # any letter; its case is judged after the match

# The pieces are plain strings spliced into one pattern.
_WORD = rf"""
    (?: ['\u2019] {_LETTER} - )?+                     # 'S-HERTOGENBOSCH, 's-Hertogenbosch
    {_LETTER} [\w{_MARKS}'\u2019.\-]*+                # SÃO, ST., MEXICO-STAD, Den
"""
_PLACE = rf"(?: {_WORD} (?: \ {_WORD} )*+ )"            # DEN HAAG, AIR FORCE ONE, Den Haag
_AGENCY = rf"(?: {_LETTER} [\w&.\-]*+ )"                 # any case; upper-cased later

DATELINE = re.compile(
    rf"""
    (?P<raw>
      (?P<places>
        {_PLACE} (?: \ *+ / \ *+ {_PLACE} )*+             # IZJOEM/LONDEN
      )
      (?: \ *+ \( \ *+
        (?P<agencies>
          {_AGENCY} (?: \ *+ / \ *+ {_AGENCY} )*+         # ANP/RTR, ANP/Bloomberg, afp/belga
        )
        \ *+ \)
      )?+                                                # regional items carry no agency
      (?: \ *+ [{DASHES}]                                # hyphen, en dash or em dash
        | (?<= \) ) \. )                                  # or a full stop after the agencies
    )
    \ ++ (?= \S )                                         # then the paragraph proper
    """,
    re.VERBOSE,
)

# The longest dateline looked for, in characters ("AIR FORCE ONE/WASHINGTON (ANP/AFP/RTR) -"
# is 43); longer heads are prose.  Mixed-case heads are shorter still ("Den Haag (ANP) - ").
MAX_DATELINE = 160
MAX_MIXED = 60

# The one-call guard for lines in mixed case ("Den Haag (ANP) - ", "Borsele - "), which
# are mostly prose ("De ...", "Het ..."): a dash after a blank or a bracket, another dash,
# or a full stop after a bracket, as _mark_at looks for them.
mixed_hint = re.compile(rf"[ )][{DASHES[0]}] | [{DASHES[1:]}] | \)\.", re.VERBOSE).search

# Small words inside a mixed-case place name ("Bergen op Zoom", "Alphen aan den Rijn").
PARTICLES = frozenset((
    "aan", "bij", "de", "den", "der", "het", "in", "op", "ten", "ter", "van",  # Dutch
    "am", "an", "du", "des", "la", "le", "les", "sur", "upon",  # Île-de-France, Frankfurt am Main
))


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline as written and its parts."""

    raw: str
    places: tuple[str, ...]
    agencies: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"raw": self.raw, "places": list(self.places), "agencies": list(self.agencies)}


_new_dateline = slot_writer(Dateline)  # Dateline(raw, places, agencies)


def split_dateline(line: str) -> tuple[Dateline, str] | None:
    """``(Dateline, rest of the paragraph)`` if *line* opens with a dateline in capitals."""
    # Cheap guards first, as most lines are prose: the first word of a dateline is in
    # capitals ("De ..." fails on its second letter).
    if not line or not (line[0].isupper() or line[0] in "'\u2019") or line[1:2].islower():
        return None
    found = find_dateline(line)
    return None if found is None or not found[2] else (found[0], found[1])


def find_dateline(line: str, limit: int = MAX_DATELINE) -> tuple[Dateline, str, bool] | None:
    """``(Dateline, rest, in capitals)`` if *line* opens with a dateline of either strength.

    A mixed-case one (in capitals: False) counts only where the caller knows a dateline
    stands, and only when its text does not open in lower case ("Den Haag - dat is...").
    """
    if limit > MAX_DATELINE:
        limit = MAX_DATELINE
    mark = line.find(_BLANK_HYPHEN, 0, limit) + 1  # the usual case, inline; then the others
    if mark <= 0:
        mark = _other_mark_at(line, limit)
        if mark < 0:
            return None
    # The usual shape, "PLACE (AGENCY) - Text", is decided by its head alone, and heads
    # repeat endlessly across a scrape ("BRUSSEL (ANP) - "): remember them.  As the
    # pattern's "\ ++ (?= \S)" wants it: one space, then no blank of any kind (not a
    # no-break or thin space either), all within the first *limit* characters.
    if line[mark + 1 : mark + 2] == " " and mark + 2 < limit and line[
        mark + 2 : mark + 3
    ] not in _BLANK_OR_NONE:
        head = _head(line[: mark + 2])
        if head is not None:
            rest = line[mark + 2 :]
            return None if not head[1] and rest[0].islower() else (head[0], rest, head[1])
    match = DATELINE.match(line, 0, limit)
    if match is None:
        return None
    read = _read(match)
    if read is None:
        return None
    rest = line[match.end() :]
    return None if not read[1] and rest[0].islower() else (read[0], rest, read[1])


def is_bare_dateline(line: str) -> bool:
    """*line* is a dateline and nothing else ("LONDEN (ANP) -"): the last line of a page the
    scraper cut off."""
    found = find_dateline(line + " T")
    return found is not None and found[0].raw == line


def _mark_at(line: str, limit: int) -> int:
    """Where the dash (or full stop) that ends a head may stand, -1 if nowhere: a hyphen
    after a blank or a bracket, another dash anywhere, a full stop right after a bracket.
    Tried in the order of how often they occur; the pattern is the judge."""
    dash = line.find(_BLANK_HYPHEN, 0, limit) + 1  # the usual case, tried alone first
    if dash > 0:
        return dash
    return _other_mark_at(line, limit)


def _other_mark_at(line: str, limit: int) -> int:
    """``_mark_at`` when the line holds no blank and hyphen in reach: the first of a hyphen
    after a bracket, another dash, a full stop after a bracket; -1 if none.  Headlines
    ("ANP Macron: ...") come here, so each test is a plain ``find`` and the other dashes
    are looked for only in a line that is not all ASCII."""
    found = -1
    at = line.find(")" + DASHES[0], 0, limit) + 1
    if at > 0:
        found, limit = at, at
    at = line.find(").", 0, limit) + 1
    if at > 0:
        found, limit = at, at
    if not line.isascii():
        for other in DASHES[1:]:
            at = line.find(other, 0, limit)
            if at > 0:
                found, limit = at, at
    return found


@lru_cache(maxsize=16384)  # a scrape has a few thousand heads; the benchmark corpus 13,600
def _head(head: str) -> tuple[Dateline, bool] | None:
    """The dateline of a head "PLACE (AGENCY) - " that ends in one blank after the dash,
    and whether it is in capitals.

    The caller has seen a non-blank after it; "T" stands in for that character, so the
    cache key is the head alone and a scrape's few thousand heads fit in a small cache.
    """
    match = DATELINE.match(head + "T")
    if match is None or match.end() != len(head):
        return None
    return _read(match)


def _read(match: re.Match[str]) -> tuple[Dateline, bool] | None:
    """The dateline of a match and whether it is in capitals; None when its letters make
    it no dateline at all ("Het persbureau meldt (ANP) - ")."""
    raw, places, agencies = match.group("raw", "places", "agencies")
    # The pattern gave the agencies letters, digits, "_", "&", ".", "-", "/" and blanks;
    # refuse "_" and digits that are not decimal ("²").  In ASCII the first is all there is
    # to look for, at C speed; the usual agencies ("ANP/RTR") are ASCII.
    if agencies and ("_" in agencies if agencies.isascii() else not all(
            c.isalpha() or c.isdecimal() or c in "&.-/ " for c in agencies)):
        return None
    names = _split(places)
    # _case's first test, on all the places at once: the usual ones are ASCII capitals
    # ("LONDEN", "DEN HAAG/BRUSSEL"), and the slashes and blanks between them change nothing.
    capitals = True if places.isascii() and "_" not in places and places.upper() == places \
        else _case(names)
    if capitals is None:
        return None
    return _new_dateline(  # Dateline(raw, places, agencies), cheaper
        raw,
        names if capitals else tuple(name.upper() for name in names),
        _split(agencies.upper()) if agencies else (),
    ), capitals


def _case(places: tuple[str, ...]) -> bool | None:
    """True for places in capitals ("'S-HERTOGENBOSCH", "SÃO PAULO", "ŁÓDŹ"), False for
    place names in mixed case ("Den Haag", "Bergen op Zoom", "'s-Hertogenbosch"), None for
    anything else ("Het persbureau meldt", "NAVO-chef Rutte")."""
    capitals = True
    for place in places:
        if place.isascii() and "_" not in place and place.upper() == place:
            continue  # the usual place, "LONDEN", "ST. LOUIS": capitals, read at C speed
        words = place.split(" ")
        for n, word in enumerate(words):
            if word[:1] in "'\u2019" and word[2:3] == "-":
                word = word[3:]  # 's-, 'S-: any case
            if not word:
                return None
            if all(_upper_or_neutral(c) for c in word):
                if unicodedata.category(word[0]) != "Lu":
                    return None
                continue
            # A word with lower case: the place is mixed case, if a name ("Den", "Mexico-Stad")
            # or a particle between names ("op" in "Bergen op Zoom").
            capitals = False
            if word in PARTICLES and 0 < n < len(words) - 1:
                continue
            parts = word.split("-")  # "Mexico-Stad", "Île-de-France"; not "NAVO-top"
            if not parts[0][:1].isupper() or not all(
                "_" not in part and (part[:1].isupper() or (k > 0 and part in PARTICLES))
                for k, part in enumerate(parts)
            ):
                return None
        if not capitals and len(words) > 6:
            return None
    return capitals


def _upper_or_neutral(char: str) -> bool:
    """A character a place in capitals may hold: an upper-case letter, a digit, a mark,
    an apostrophe, a dot or a hyphen (what the old ``[\\p{Lu}\\p{M}\\p{Nd}'.-]`` held)."""
    if char in "'\u2019.-" or char.isdecimal():
        return True
    category = unicodedata.category(char)
    return category == "Lu" or category[0] == "M"


def _split(names: str) -> tuple[str, ...]:
    """Places or agencies cut apart at their slashes ("IZJOEM / LONDEN"), blanks around them
    dropped.  Plain string methods: no place or agency holds a "/" or starts or ends with a
    blank (see the pattern), so no pattern is needed."""
    if "/" not in names:  # one place ("RIO DE JANEIRO"): the blanks are inside it
        return (names,)
    parts = names.split("/")
    return tuple(part.strip(" ") for part in parts) if " " in names else tuple(parts)


def dateline_key(dateline: Dateline | None) -> str:
    """A spelling-independent key: places and agencies, upper case, dash-free."""
    if dateline is None:
        return ""
    return places_key(dateline.places, dateline.agencies)


def places_key(places: tuple[str, ...], agencies: tuple[str, ...]) -> str:
    """``dateline_key`` of a dateline with these places and agencies: it reads nothing else."""
    return "/".join(places).upper() + "|" + "/".join(agencies)
