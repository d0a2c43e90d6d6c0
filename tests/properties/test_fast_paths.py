"""Each fast path of the engine held equal to its plain version, on page-like texts,
arbitrary text and arbitrary bytes.  The plain versions are written out here, as they
were before the fast paths: one line at a time, one check after another."""

from __future__ import annotations

import codecs
import re
import sys

import regex
from hypothesis import example, given
from hypothesis import strategies as st

from anp_extract.core import ages, shapes, ticker
from anp_extract.core.boilerplate import DEFAULT_RULES, compile_rules
from anp_extract.core.normalize import Decoded, decode
from anp_extract.errors import InputError
from tests.properties.strategies import any_text, page_line, page_texts


def plain_decode(data: bytes, source: str = "-") -> Decoded:
    # The UTF-32 byte order marks first: the little-endian one starts with UTF-16's.
    wide = "utf-32" if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else (
        "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {wide.upper()} at byte {exc.start}",
                             source=source) from None
        if not text.lstrip("\ufeff").strip():
            raise InputError("empty file: no text to parse", source=source)
        return Decoded(text, wide, (f"decoded as {wide.upper()} (byte order mark)",))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = (data.count(b"\n", 0, nul) or data.count(b"\r", 0, nul)) + 1
        raise InputError(
            f"binary file (NUL byte at offset {nul}, line {line}), not a text page", source=source
        )
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise InputError("empty file: no text to parse", source=source)
    try:
        text = data.decode("utf-8")
        return Decoded(text[1:] if text.startswith("\ufeff") else text, "utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    warning = f"decoded as cp1252: not valid UTF-8 (first bad byte at offset {position})"
    return Decoded(data.decode("cp1252", errors="anp-extract-cp1252-gaps"), "cp1252",
                   (warning,))


def _outcome(function: object, data: bytes) -> object:
    try:
        return function(data, "page.txt")  # type: ignore[operator]
    except InputError as exc:
        return ("error", str(exc))


PIECES = st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b" ", b"\n",
                          b"\r", b"\t", b"\x0b", b"\x85", b"\xa0", b"\xc3\xa9", b"\x1c", b"A"])
page_bytes = (
    st.binary(max_size=200)
    | st.lists(PIECES | st.binary(max_size=4), max_size=20).map(b"".join)
    | any_text.map(lambda text: text.encode("utf-8"))
    | page_texts().map(lambda text: text.encode("cp1252", errors="replace"))
    | st.text(max_size=40).map(lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
)


@given(page_bytes)
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xef\xbb\xbf \n")
@example(b"\xef\xbb\xbf\xef\xbb\xbf ")
@example(b"\xa0\n")
@example(b" \x1c ")
@example(b"ab\x00\xff")
@example(b"\x00\x00\xfe\xff")  # a UTF-32 byte order mark and nothing else
def test_decode_says_what_the_plain_decode_says(data: bytes) -> None:
    assert _outcome(decode, data) == _outcome(plain_decode, data)


# The patterns of shapes.py and ticker.py now run on the standard re; the regex module
# ran these, as they were written before, and must agree on every line.
BEFORE = [
    (shapes.SECTION_LINE, r"Meer \ uit \ ++ (?P<section> \S .{0,79} ) \Z"),
    (shapes.ANP_MARK, r"ANP \ ++ (?= \S )"),
    (ticker.TICKER_LINE, r"""
        [-\u2013\u2022*] \ ++ (?P<category> \S .*? )
        \ (?P<time> [0-2]?\d [:.] [0-5]\d ) \ ++ (?P<title> \S .* )"""),
]
ODD = st.sampled_from(["\x1c", "\x1f", "\x85", "\u2028", "\U00011f53", "\U0001e4f9", "\u0661",
                       "\u0131", "\u00a0", "\t"])
lines = page_line() | st.text(max_size=80) | st.from_regex(
    r"\A(Meer uit|ANP|[-–•*]|Editie:|Omdat ZeelandNet ook DELTA webmail aanbiedt)[ \w:.]{0,40}\Z",
    fullmatch=True) | st.lists(st.sampled_from(["- ", "Meer uit ", "ANP ", "Voetbal ", "1",
                                                "4:", "23 ", "X"]) | ODD).map("".join)


@given(lines)
@example("Meer uit  Buitenland")
@example("- Formule 1 14:23  Verstappen wint")
@example("- Cultuur & Media 1:17 \x1cabc")
@example("- Sport 1\U00011f53:2\U0001e4f9 Titel")
@example("ANP \x1cKop")
def test_the_patterns_read_every_line_as_the_regex_module_did(line: str) -> None:
    for pattern, before in BEFORE:
        old = regex.compile(before, regex.VERBOSE)
        mine, theirs = pattern.match(line), old.match(line)
        assert (mine and (mine.span(), mine.groupdict())) == (
            theirs and (theirs.span(), theirs.groupdict())), (before, line)


def test_the_spelled_out_classes_are_regex_s_character_by_character() -> None:
    for mine, theirs in ((shapes.NOT_BLANK, r"\S"), (shapes.DIGIT, r"\d")):
        ours, old = re.compile(mine), regex.compile(theirs)
        differ = [hex(code) for code in range(sys.maxunicode + 1)
                  if (ours.match(chr(code)) is None) != (old.match(chr(code)) is None)]
        assert differ == [], (theirs, differ[:10])


# The age patterns of ages.py, as the regex module ran them before.
_AGE_BEFORE = r"""
    (?P<age> (?P<count> \d{1,6} ) \ ?
      (?i: (?P<unit> seconden | seconde | sec | minuten | minuut | min | uur | uren
                   | dagen | dag | weken | week | maanden | maand | jaren | jaar ) \ geleden ) )
"""
AGE_LINE_BEFORE = regex.compile(_AGE_BEFORE + r"\Z", regex.VERBOSE)
GLUED_AGE_BEFORE = regex.compile(_AGE_BEFORE + r"(?= [^\s\p{Ll}] )", regex.VERBOSE)


def _readable(match: regex.Match[str] | None) -> bool:
    """The old match made an age: its unit and count were ones Python reads (others raised
    KeyError or ValueError, and are text now)."""
    return match is not None and match["unit"].lower() in ages.UNIT_MINUTES and \
        match["count"].isdecimal()


age_lines = st.lists(st.sampled_from(
    ["1", "23", " ", "uur", "UUR", "weken", "WEEK", "wee\u212a", "min", "m\u0130n", "m\u0131n",
     "\u017fec", "seconden", " geleden", " GELEDEN", "geleden", "L", "l", "\u0295", "\u1c8a",
     "\U0001df20", "\u00e9", "\u00c9", "\x1c", "\xa0", "\U00011f53", "-"]) | ODD,
    max_size=10).map("".join) | lines


@given(age_lines)
@example("3 uur geleden\u0295")
@example("3 uur geleden\u1c8aX")
@example("2 wee\u212a geledenKATS")
@example("3 \u017fec geleden")
def test_the_age_patterns_read_every_line_as_the_regex_module_did(line: str) -> None:
    old = AGE_LINE_BEFORE.match(line)
    mine = ages.AGE_LINE.match(line)
    assert (mine and mine.groupdict()) == (old.groupdict() if _readable(old) else None), line
    old = GLUED_AGE_BEFORE.match(line)
    glued = ages.GLUED_AGE.match(line)
    if glued is not None and ages._lower(glued["next"]):
        glued = None
    assert (glued and glued.group("age", "count", "unit")) == (
        old.group("age", "count", "unit") if _readable(old) else None), line


def test_lower_case_is_the_regex_module_s_ll_character_by_character() -> None:
    old = regex.compile(r"\p{Ll}")
    differ = [hex(code) for code in range(sys.maxunicode + 1)
              if ages._lower(chr(code)) != (old.match(chr(code)) is not None)]
    assert differ == [], differ[:10]


@given(st.lists(page_line(), max_size=5), lines)
def test_user_rules_with_the_built_in_ones_match_as_the_built_in_set_does(
    extra: list[str], line: str
) -> None:
    user = compile_rules([f"re:{regex.escape(text.strip())}" for text in extra if text.strip()])
    both = DEFAULT_RULES.extend(user)
    if line.strip() and DEFAULT_RULES.matches(line):
        assert both.matches(line)




# -- record_line: a long body written a piece at a time gives the dict route's bytes ---------

@given(st.integers(0, 40), st.integers(1, 9), st.text(max_size=20), page_texts())
@example(8, 4, "", "")
@example(9, 4, '"body":[', "")
def test_a_long_body_is_written_as_the_dict_route_writes_it(
    blocks: int, piece: int, source: str, text: str,
) -> None:
    from unittest import mock

    import orjson

    from anp_extract import sinks
    from anp_extract.core.page import parse

    page = parse("Kop\n\nLONDEN (ANP) - Tekst.\n" + 'Een "regel".\n' * blocks + text, source)
    with mock.patch.object(sinks, "MANY_BLOCKS", piece):  # pieces of a few blocks
        assert sinks.record_line(page) == orjson.dumps(
            page.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
