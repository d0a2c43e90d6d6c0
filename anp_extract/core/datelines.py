"""Stage: datelines, the ``PLACE[/PLACE] (AGENCY[/AGENCY]) - `` that opens wire copy.

Only the start of a line is ever tried, so "(ANP)" inside a sentence or a
sentence ending in "(bbp)." is text.  Every repetition is possessive, the
pieces cannot overlap, and only the first ``MAX_DATELINE`` characters are tried, so
an attempt costs the same on a megabyte of capitals, slashes and brackets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

# The pieces are plain strings spliced into one pattern (no subroutine calls, which
# keep backtracking state and blow up on megabyte lines).
_WORD = r"""
    (?: ['\u2019] \p{L} - )?+                          # 'S-HERTOGENBOSCH
    \p{Lu} [\p{Lu}\p{M}\p{Nd}'\u2019.\-]*+           # SÃO, ST., MEXICO-STAD
    (?! \p{Ll} )                                       # "Volgens" is not a place
"""
_PLACE = rf"(?: {_WORD} (?: \ {_WORD} )*+ )"             # DEN HAAG, AIR FORCE ONE
_AGENCY = r"(?: \p{L} [\p{L}\p{Nd}&.\-]*+ )"           # any case; upper-cased later

DATELINE = regex.compile(
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
      \ *+ [-\u2013\u2014]                                # hyphen, en dash or em dash
    )
    \ ++ (?= \S )                                         # then the paragraph proper
    """,
    regex.VERBOSE,
)

# The longest dateline looked for, in characters ("AIR FORCE ONE/WASHINGTON (ANP/AFP/RTR) -"
# is 43); longer heads are prose.
MAX_DATELINE = 160


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline as written and its parts."""

    raw: str
    places: tuple[str, ...]
    agencies: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"raw": self.raw, "places": list(self.places), "agencies": list(self.agencies)}


def split_dateline(line: str) -> tuple[Dateline, str] | None:
    """``(Dateline, rest of the paragraph)`` if *line* opens with a dateline, else None."""
    # Cheap guards first, as most lines are prose: the first word of a dateline is in
    # capitals ("De ..." fails on its second letter), and a dash follows a blank or a
    # bracket within the first MAX_DATELINE characters.
    if not line or not (line[0].isupper() or line[0] in "'\u2019") or line[1:2].islower():
        return None
    dash = line.find(" -", 0, MAX_DATELINE) + 1  # the usual case, tried alone first
    if dash <= 0:
        dash = min(
            (at for at in (
                line.find(")-", 0, MAX_DATELINE) + 1,
                line.find("\u2013", 0, MAX_DATELINE),
                line.find("\u2014", 0, MAX_DATELINE),
            ) if at > 0),
            default=-1,
        )
        if dash < 0:
            return None
    # The usual shape, "PLACE (AGENCY) - Text", is decided by its head alone, and heads
    # repeat endlessly across a scrape ("BRUSSEL (ANP) - "): remember them.
    if line[dash + 1 : dash + 2] == " " and line[dash + 2 : dash + 3] not in ("", " "):
        dateline = _head(line[: dash + 2])
        if dateline is not None:
            return dateline, line[dash + 2 :]
    match = DATELINE.match(line, 0, MAX_DATELINE)
    if match is None:
        return None
    return _dateline(match), line[match.end() :]


@lru_cache(maxsize=4096)
def _head(head: str) -> Dateline | None:
    """The dateline of a head "PLACE (AGENCY) - " that ends in one blank after the dash.

    The caller has seen a non-blank after it; "T" stands in for that character, so the
    cache key is the head alone and a scrape's few thousand heads fit in a small cache.
    """
    match = DATELINE.match(head + "T")
    if match is None or match.end() != len(head):
        return None
    return _dateline(match)


def _dateline(match: regex.Match[str]) -> Dateline:
    agencies = match["agencies"]
    return Dateline(  # raw, places, agencies
        match["raw"],
        _split(match["places"]),
        _split(agencies.upper()) if agencies else (),
    )


def _split(names: str) -> tuple[str, ...]:
    """Places or agencies cut apart at their slashes ("IZJOEM / LONDEN"), blanks around them
    dropped.  Plain string methods: no place or agency holds a "/" or starts or ends with a
    blank (see the pattern), so no pattern is needed."""
    parts = names.split("/")
    return tuple(part.strip(" ") for part in parts) if " " in names else tuple(parts)


def dateline_key(dateline: Dateline | None) -> str:
    """A spelling-independent key: places and agencies, upper case, dash-free."""
    if dateline is None:
        return ""
    return "/".join(dateline.places).upper() + "|" + "/".join(dateline.agencies)
