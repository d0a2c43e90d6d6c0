"""Stage 1, decoding and normalising: bytes as scrapers saved them to clean lines.

Scrapes arrive as UTF-8 with or without a byte order mark, as cp1252 when a
Windows tool touched them, with LF, CRLF or bare CR line ends, and with no-break
and other typographic spaces.  Everything downstream sees ``str`` lines with
single ASCII spaces and no trailing blanks.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import regex

from .errors import InputError

# Line ends of every convention; CRLF first so it is one break, not two.
_LINE_BREAK = regex.compile(
    r"""
    \r\n          # Windows
    | [\r\n\x85\u2028\u2029]   # old Mac CR, Unix LF, NEL, Unicode separators
    """,
    regex.VERBOSE,
)

# Horizontal white space other than a plain space, and runs of spaces: folded to one space
# so that "LONDEN\u00a0(ANP)\u2009-" reads like "LONDEN (ANP) -".
_ODD_SPACE_RUN = regex.compile(
    r"""
    [\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000 ]{2,}   # a run of any blanks
    | [\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]       # or one odd blank
    """,
    regex.VERBOSE,
)

# Invisible characters that scrapers leave behind and that no reader wants.
_INVISIBLE = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Any byte outside ASCII: a cheap test for "needs the slow path".
_ODD_CHARS = regex.compile(r"[^\n -~]")

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return Decoded(data.decode("utf-16"), "utf-16", ("decoded as UTF-16 (byte order mark)",))
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-16 at byte {exc.start}", source=source) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file (NUL byte at offset {nul}), not a text page", source=source)
    if not data.strip():
        raise InputError("empty file: no text to parse", source=source)
    try:
        text = data.decode("utf-8")
        return Decoded(text[1:] if text.startswith("\ufeff") else text, "utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    warning = f"decoded as cp1252: not valid UTF-8 (first bad byte at offset {position})"
    return Decoded(data.decode("cp1252", errors=_CP1252_GAPS), "cp1252", (warning,))


def split_lines(text: str) -> list[str]:
    """Split text on any line-end convention, dropping the BOM and trailing blanks."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return [line.rstrip() for line in _LINE_BREAK.split(text)]


def clean_line(line: str) -> str:
    """One line as the parser reads it: odd spaces folded, invisibles dropped, trimmed."""
    if _ODD_CHARS.search(line) is None and "  " not in line:
        return line.strip()
    line = _INVISIBLE.sub("", line)
    return _ODD_SPACE_RUN.sub(" ", line).strip()
