"""normalize: bytes as scrapers saved them to text, and text to the lines the parser reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anp_extract import parse_bytes
from anp_extract.core.normalize import clean_lines, decode, split_lines
from anp_extract.errors import AnpExtractError, InputError

PAGE = "Kop\nDEN HAAG (ANP) - Oekraïne – privé.\n"

DECODED = [
    # bytes, text, encoding, warnings
    (PAGE.encode(), PAGE, "utf-8", ()),
    (b"\xef\xbb\xbf" + PAGE.encode(), PAGE, "utf-8", ()),
    (PAGE.encode("cp1252"), PAGE, "cp1252",
     ("decoded as cp1252: not valid UTF-8 (first bad byte at offset 26)",)),
    ("Caf\u00e9\n".encode("cp1252"), "Caf\u00e9\n", "cp1252",
     ("decoded as cp1252: not valid UTF-8 (first bad byte at offset 3)",)),
    (b"\x93quote\x94 \x85 \x80", "\u201cquote\u201d \u2026 \u20ac", "cp1252",
     ("decoded as cp1252: not valid UTF-8 (first bad byte at offset 0)",)),
    # The five bytes cp1252 leaves undefined are read as latin-1, not refused.
    (b"gap \x81 \x8d \x8f \x90 \x9d", "gap \x81 \x8d \x8f \x90 \x9d", "cp1252",
     ("decoded as cp1252: not valid UTF-8 (first bad byte at offset 4)",)),
    (b"\xff\xfe" + PAGE.encode("utf-16-le"), PAGE, "utf-16",
     ("decoded as UTF-16 (byte order mark)",)),
    (b"\xfe\xff" + PAGE.encode("utf-16-be"), PAGE, "utf-16",
     ("decoded as UTF-16 (byte order mark)",)),
]

REFUSED = [
    (b"", "empty file"),
    (b"  \n\r\n\t\n", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
    (b"\xef\xbb\xbf\r\n \n", "empty file"),
    (b"Kop\x00tekst", "binary file (NUL byte at offset 3, line 1)"),
    (b"\x00", "binary file (NUL byte at offset 0, line 1)"),
    (b"GOES (ANP) - Tekst.\r\nMeer\r\n\x00", "binary file (NUL byte at offset 27, line 3)"),
    (b"Kop\rTekst\r\x00", "binary file (NUL byte at offset 10, line 3)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL byte at offset 8, line 3)"),
    (b"\xff\xfeA", "not valid UTF-16"),
]

LINES = [
    ("a\r\nb\r\nc", ["a", "b", "c"]),
    ("a\rb\rc", ["a", "b", "c"]),
    ("a\n\nb\n", ["a", "", "b", ""]),
    ("a\u2028b\x85c\u2029d", ["a", "b", "c", "d"]),
    ("\ufeffKop", ["Kop"]),
    ("LONDEN\u00a0(ANP)\u2009- Tekst", ["LONDEN (ANP) - Tekst"]),
    ("twee  spaties\tén tab", ["twee spaties én tab"]),
    ("smal\u202fen\u3000breed", ["smal en breed"]),
    ("  ingesprongen en na  \t\u00a0", ["ingesprongen en na"]),
    ("Oekra\u00adïne\u200b en zero\u200dwidth\u2060", ["Oekraïne en zerowidth"]),
    ("\u00a0\n\t\n", ["", "", ""]),
]


@pytest.mark.parametrize(("data", "text", "encoding", "warnings"), DECODED,
                         ids=lambda value: None)
def test_decode(data: bytes, text: str, encoding: str, warnings: tuple[str, ...]) -> None:
    decoded = decode(data, "page.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (text, encoding, warnings)


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_refused_input_names_the_source(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, "scrape/page.txt")
    assert caught.value.source == "scrape/page.txt"
    assert message in str(caught.value)
    assert str(caught.value).startswith("scrape/page.txt: ")
    with pytest.raises(AnpExtractError):  # parse_bytes refuses it the same way
        parse_bytes(data, "scrape/page.txt")


@pytest.mark.parametrize(("text", "lines"), LINES)
def test_clean_lines(text: str, lines: list[str]) -> None:
    assert clean_lines(text) == lines


def test_split_lines_keeps_inner_spacing() -> None:
    assert split_lines("a  b\u00a0c \r\nd\t\n") == ["a  b\u00a0c ", "d\t", ""]


@given(st.text(alphabet="a \r\n\u200b\ufeff\u00a0\u2028\x85\t"))
def test_clean_lines_are_the_written_lines_one_for_one(text: str) -> None:
    # Taking out an invisible character between CR and LF must not join two lines.
    assert len(clean_lines(text)) == len(split_lines(text))


def test_an_invisible_character_between_cr_and_lf_keeps_the_lines_apart() -> None:
    assert clean_lines("Kop\r\u200b\nTekst") == ["Kop", "", "Tekst"]


def test_cp1252_page_parses_like_its_utf8_twin() -> None:
    text = "Kop van het stuk\r\nSÃO PAULO (ANP/AFP) – Café in Curaçao.\r\n"
    utf8 = parse_bytes(text.encode(), "p").to_dict()
    cp1252 = parse_bytes(text.encode("cp1252"), "p").to_dict()
    assert cp1252["warnings"] == [
        "decoded as cp1252: not valid UTF-8 (first bad byte at offset 19)"]
    assert {**cp1252, "warnings": []} == utf8
    assert utf8["dateline"]["places"] == ["SÃO PAULO"]
