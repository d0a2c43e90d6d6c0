"""Stage 1, decoding and normalising: bytes as scrapers saved them to clean lines.

Scrapes arrive as UTF-8 with or without a byte order mark, as cp1252 when a
Windows tool touched them, with LF, CRLF or bare CR line ends, and with no-break
and other typographic spaces.  Everything downstream sees ``str`` lines with
single ASCII spaces and no trailing blanks.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import InputError

# Line ends other than LF (CRLF and CR are replaced with plain string methods first).
_ODD_BREAK = re.compile(
    r"""
    [\x85\u2028\u2029]    # next line (NEL), line separator, paragraph separator
    """,
    re.VERBOSE,
)

# Horizontal white space other than a plain space (tab, no-break and typographic
# spaces), folded to one space so that "LONDEN\u00a0(ANP)\u2009-" reads "LONDEN (ANP) -";
# and invisible characters that scrapers leave behind (zero-width spaces and joiners,
# word joiner, stray byte order marks, soft hyphens, direction marks).  Plain strings, not
# patterns: a substring test runs at memchr speed, a regex pass over a page costs a hundred
# times more.
_ODD_BLANK_CHARS = "\t\x0b\x0c\u00a0\u1680\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad" + (
    # Direction marks and embeddings (LRM, RLM, ALM, LRE...RLO, LRI...PDI): a right-to-left
    # mark in front of "LONDEN (ANP) - " hid the dateline.
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Checked before UTF-16's: the UTF-32 little-endian BOM starts with UTF-16's.
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def _latin1_for_gaps(exc: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five byte values undefined; read them as latin-1 (C1 controls)."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


_CP1252_GAPS = "anp-extract-cp1252-gaps"
codecs.register_error(_CP1252_GAPS, _latin1_for_gaps)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of one input and how it was obtained."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes, source: str = "-") -> Decoded:
    """Decode the bytes of a scraped page.

    UTF-8 (a BOM is dropped) is tried first; bytes that are not UTF-8 are read as
    cp1252 and the record says so.  Empty input and binary input (a NUL byte) raise
    :class:`InputError`.

    The common page is valid UTF-8, so that is tried before anything else: one pass in
    C, and the checks below run on the text.  Anything else takes the careful route
    (``_decode_other``); both say the same of the same bytes.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_other(data, source, exc.start)
    if b"\x00" in data:  # memchr over the bytes: the text may be two bytes a character
        raise _binary(data, source)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or (text[0] in _ASCII_BLANKS and not text.strip(_ASCII_BLANKS)):
        # Blank as bytes.strip() sees it (an editor's "empty" file); the strip, a copy of
        # the page, only for a page that starts with a blank.
        raise InputError("empty file: no text to parse", source=source)
    return Decoded(text, "utf-8")


# What ``bytes.strip()`` strips: ASCII white space only (``str.strip()`` takes more).
_ASCII_BLANKS = " \t\n\r\x0b\x0c"


def _binary(data: bytes, source: str) -> InputError:
    nul = data.find(b"\x00")
    line = (data.count(b"\n", 0, nul) or data.count(b"\r", 0, nul)) + 1
    return InputError(
        f"binary file (NUL byte at offset {nul}, line {line}), not a text page", source=source
    )


def _decode_other(data: bytes, source: str, position: int) -> Decoded:
    """Bytes that are not UTF-8 (the first bad byte at *position*): UTF-32 or UTF-16 with
    a byte order mark, else cp1252; empty and binary input refused as for UTF-8."""
    wide = "utf-32" if data.startswith(_UTF32_BOMS) else (
        "utf-16" if data.startswith(_UTF16_BOMS) else None)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {wide.upper()} at byte {exc.start}",
                             source=source) from None
        if not text.lstrip("\ufeff").strip():
            raise InputError("empty file: no text to parse", source=source)
        return Decoded(text, wide, (f"decoded as {wide.upper()} (byte order mark)",))
    if b"\x00" in data:
        raise _binary(data, source)
    warning = f"decoded as cp1252: not valid UTF-8 (first bad byte at offset {position})"
    return Decoded(data.decode("cp1252", errors=_CP1252_GAPS), "cp1252", (warning,))


def _line_ends(text: str) -> str:
    """*text* with every line end a LF (CRLF, CR, NEL, line and paragraph separators)
    and no leading BOM.  Done before anything is removed, so that taking out an
    invisible character can never join a CR to a LF and shift the line numbers."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and ("\x85" in text or "\u2028" in text or "\u2029" in text):
        text = _ODD_BREAK.sub("\n", text)
    return text


def split_lines(text: str) -> list[str]:
    """The lines of *text* as written, whatever the line-end convention; a BOM dropped.

    ``strip`` writes these back, so they keep their spacing, trailing blanks included.
    """
    return _line_ends(text).split("\n")


def clean_lines(text: str) -> list[str]:
    """The lines of *text* as the parser reads them: blanks folded, invisibles gone, trimmed.

    The same lines as :func:`split_lines`, one for one: blank lines stay (as empty
    strings) so that line numbers match the input.  Plain ``str.replace`` per character
    present, not a regex pass: on a page it is ten times cheaper, and most pages have
    none of these characters at all.
    """
    text = _line_ends(text)
    if not text.isascii():
        for char in _INVISIBLE_CHARS:
            if char in text:
                text = text.replace(char, "")
    for char in _ODD_BLANK_CHARS:
        if char in text:
            text = text.replace(char, " ")
    while "  " in text:  # each pass halves every run of blanks
        text = text.replace("  ", " ")
    return [line.strip() for line in text.split("\n")]

