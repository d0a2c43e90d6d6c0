"""The dateline pre-scan held equal to the plain pattern (issue 11, "Fast paths pinned").

``find_dateline`` does not run ``DATELINE`` on every line: it looks for the dash first
(a ``find``), and reads the usual head "PLACE (AGENCY) - " through a cache.  The plain
version is the pattern alone on the first *limit* characters, judged by ``_read``.  The
two must agree on every line, above all where the shortcut could see more than the
pattern: a dash at the very end of the 60 or 160 characters tried, and a blank after the
dash that is not a space (the pattern wants a space, then no blank of any kind).
"""

from __future__ import annotations

import re
import sys

from hypothesis import example, given
from hypothesis import strategies as st

from anp_extract.core import datelines
from anp_extract.core.datelines import (
    DASHES,
    DATELINE,
    MAX_DATELINE,
    MAX_MIXED,
    Dateline,
    find_dateline,
    mixed_hint,
)
from tests.properties.strategies import page_line

Found = tuple[Dateline, str, bool] | None


def plain_find(line: str, limit: int) -> Found:
    """find_dateline as the pattern alone gives it: no pre-scan, no cache."""
    match = DATELINE.match(line, 0, min(limit, MAX_DATELINE))
    if match is None:
        return None
    read = datelines._read(match)
    if read is None:
        return None
    rest = line[match.end() :]
    return None if not read[1] and rest[0].islower() else (read[0], rest, read[1])


# Blanks that are not a space: the pattern's "\ ++ (?= \S)" refuses each after the dash.
BLANKS = ["\u00a0", "\t", "\u2009", "\u202f", "\u2007", "\u3000", "\x0b", "\x1c", "\x1f",
          "\x85", "\u2028", "\u200a", "\u205f"]
WORDS = ["LONDEN", "DEN", "HAAG", "Den", "Haag", "op", "'S-HERTOGENBOSCH", "SÃO", "ŁÓDŹ",
         "ST.", "MEXICO-STAD", "Het", "persbureau", "X", "Aa"]
AGENCIES = ["", " (ANP)", "(ANP)", " (ANP/RTR)", " ( afp / belga )", " (bbp)", " (A_B)"]
AFTER = ["Text", "tekst", "T", "", " ", "(", "-", "\u00a0Text", "\tText"]


@st.composite
def heads_near_the_limit(draw: st.DrawFn) -> tuple[str, int]:
    """A line whose dash stands a few characters either side of where *limit* ends, and
    the limit: "PLACE PLACE … (AGENCY) - " padded to put the dash there, then blanks of
    any kind, then text."""
    limit = draw(st.sampled_from([MAX_MIXED, MAX_DATELINE]))
    dash_at = draw(st.integers(limit - 6, limit + 2))
    agency = draw(st.sampled_from(AGENCIES))
    gap = draw(st.sampled_from(["", " ", "  "]))
    size = max(1, dash_at - len(agency) - len(gap))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    place = " ".join(words)
    while len(place) < size:
        place += " " + draw(st.sampled_from(WORDS))
    place = place[:size]
    dash = draw(st.sampled_from(DASHES))
    blanks = draw(st.just(" ") | st.lists(st.sampled_from([" ", *BLANKS]), max_size=3).map(
        "".join))
    return f"{place}{agency}{gap}{dash}{blanks}{draw(st.sampled_from(AFTER))}", limit


@st.composite
def blank_after_the_dash(draw: st.DrawFn) -> str:
    """A usual head with a space, then a blank that is no space, or a blank in its place."""
    head = draw(st.sampled_from(["LONDEN (ANP)", "Den Haag (ANP)", "BRUSSEL", "Borsele",
                                 "AIR FORCE ONE/WASHINGTON (ANP/AFP/RTR)", "PARIJS (ANP/RTR)"]))
    dash = draw(st.sampled_from(DASHES))
    blanks = draw(st.lists(st.sampled_from([" ", *BLANKS]), min_size=1, max_size=3))
    return f"{head} {dash}{''.join(blanks)}{draw(st.sampled_from(AFTER))}"


lines = heads_near_the_limit().map(lambda pair: pair[0]) | blank_after_the_dash() | page_line() \
    | st.text(max_size=200)


def _agree(line: str, limit: int) -> None:
    datelines._head.cache_clear()  # the cache is part of the fast path: tried cold and warm
    cold = find_dateline(line, limit)
    assert cold == plain_find(line, limit), (line, limit)
    assert find_dateline(line, limit) == cold, (line, limit)


@given(heads_near_the_limit())
@example(("A" * 156 + " - T", 160))  # the dash at 157: the text's first letter at 159
@example(("A" * 157 + " - T", 160))  # the dash at 158: the text at 160, out of reach
@example(("A" * 156 + " -  T", 160))
@example(("Den Haag" + "a" * 48 + " - T", 60))
@example(("Den Haag" + "a" * 49 + " - T", 60))
def test_a_dash_at_the_limit_is_read_as_the_pattern_reads_it(case: tuple[str, int]) -> None:
    _agree(*case)


@given(blank_after_the_dash(), st.sampled_from([MAX_MIXED, MAX_DATELINE]))
@example("LONDEN (ANP) - \u00a0Text", MAX_DATELINE)
@example("LONDEN (ANP) -\u00a0Text", MAX_DATELINE)
@example("Den Haag (ANP) - \tText", MAX_MIXED)
@example("BRUSSEL - \u2009Text", MAX_DATELINE)
@example("LONDEN (ANP) \u2013 \u202fText", MAX_DATELINE)
def test_a_blank_after_the_dash_that_is_no_space_is_read_as_the_pattern_reads_it(
    line: str, limit: int
) -> None:
    _agree(line, limit)


@given(lines, st.sampled_from([MAX_MIXED, MAX_DATELINE]))
def test_any_line_is_read_as_the_pattern_reads_it(line: str, limit: int) -> None:
    _agree(line, limit)


@given(lines)
def test_the_mixed_case_hint_drops_no_dateline(line: str) -> None:
    # assembly asks mixed_hint before find_dateline(text, MAX_MIXED): a line it turns away
    # must be one the pattern finds nothing in either.
    if mixed_hint(line, 0, MAX_MIXED) is None:
        assert plain_find(line, MAX_MIXED) is None, line


def test_the_blanks_the_shortcut_refuses_are_the_pattern_s_character_by_character() -> None:
    blank = re.compile(r"\s")
    every = {chr(code) for code in range(sys.maxunicode + 1) if blank.match(chr(code))}
    assert every | {""} == datelines._BLANK_OR_NONE
