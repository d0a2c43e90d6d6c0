"""Shared hypothesis strategies: page-like texts built from the portal's own pieces.

Pure random text rarely holds a dateline or an age, so most strategies here draw
lines from the shapes the parser must tell apart (datelines, glued ages, ticker
lines, furniture, "Meer uit", headlines, sentences with traps) and mix in arbitrary
text, odd spaces and every line-end convention.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.support.generator_words import AGENCIES, PLACES, REGIONAL_PLACES, SECTIONS, TRAPS

WORDS = (
    "de", "het", "een", "Kabinet", "zegt", "dat", "Oekraïne", "privé", "café", "(ANP)", "(bbp).",
    "3", "uur", "geleden", "nog", "-", "–", "Meer", "uit", "ANP", "LONDEN", "/", "(", ")",
    "14:23", "Net", "binnen", "Webmail", "Editie:", "'S-HERTOGENBOSCH", "maand", "dinsdag",
    "4", "november", "2025", "…", '"', "'", ".", ",", ":", "?",
)

UNITS = ("seconden", "minuut", "minuten", "uur", "dag", "dagen", "week", "weken", "maand",
         "maanden", "jaar")

def examples(count: int) -> int:
    """A moderate example count, scaled up for a bug hunt: ``ANP_EXAMPLES_SCALE=20 pytest ...``."""
    return count * int(os.environ.get("ANP_EXAMPLES_SCALE", "1"))


words = st.lists(st.sampled_from(WORDS) | st.text(min_size=1, max_size=12), min_size=1,
                 max_size=20).map(" ".join)

place = st.sampled_from(PLACES + REGIONAL_PLACES) | st.from_regex(
    r"\A[A-Z][A-Z\-]{1,12}( [A-Z]{2,6})?\Z", fullmatch=True)


@st.composite
def agencies(draw: st.DrawFn) -> list[str]:
    """Agencies as a wire writes them, in any case (upper-cased in the record)."""
    names = draw(st.sampled_from(AGENCIES)).split("/")
    return [draw(st.sampled_from((name, name.upper(), name.lower(), name.title())))
            for name in names]


@dataclass(frozen=True)
class WireBrief:
    """A brief's dateline parts and text, to be written in any layout."""

    places: tuple[str, ...]
    agencies: tuple[str, ...]
    text: str

    def line(self, dash: str = "-", agency_case: str = "as-is") -> str:
        agencies = [a.upper() if agency_case == "upper" else a for a in self.agencies]
        head = "/".join(self.places)
        if agencies:
            head += f" ({'/'.join(agencies)})"
        return f"{head} {dash} {self.text}"


sentence = st.lists(
    st.sampled_from(("Het", "De", "Een", "kabinet", "zegt", "dat", "Oekraïne", "privé", "nog",
                     "3", "uur", "geleden", "(ANP)", "brug", "KATS", "is", "dicht", "en")),
    min_size=1, max_size=15,
).map(lambda parts: parts[0].capitalize() + "".join(" " + part for part in parts[1:]) + ".")

brief_text = st.lists(sentence | st.sampled_from(TRAPS), min_size=1, max_size=3).map(" ".join)


@st.composite
def wire_briefs(draw: st.DrawFn, regional: bool | None = None) -> WireBrief:
    with_agency = draw(st.booleans()) if regional is None else not regional
    places = tuple(draw(st.lists(place, min_size=1, max_size=2 if with_agency else 1)))
    return WireBrief(places, tuple(draw(agencies())) if with_agency else (), draw(brief_text))


@st.composite
def ages(draw: st.DrawFn) -> str:
    return f"{draw(st.integers(1, 99))} {draw(st.sampled_from(UNITS))} geleden"


@st.composite
def page_line(draw: st.DrawFn) -> str:
    """One line of the shapes a page is made of, or anything at all."""
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(st.text(max_size=80))
    if kind == 1:
        return draw(wire_briefs()).line(draw(st.sampled_from("-\u2013\u2014")))
    if kind == 2:
        return draw(ages())
    if kind == 3:
        return draw(ages()) + draw(st.sampled_from(("", "ANP "))) + draw(wire_briefs()).line()
    if kind == 4:
        return f"Meer uit {draw(st.sampled_from(SECTIONS))}"
    if kind == 5:
        return draw(st.sampled_from((
            "Webmail", "Kies je webmail", "Net binnen", "Editie: Zeeland",
            "dinsdag 4 november 2025",
            "Omdat ZeelandNet ook DELTA webmail aanbiedt, vragen we je eenmalig je voorkeur op te "
            "geven.")))
    if kind == 6:
        mark = draw(st.sampled_from("-\u2013\u2022*"))
        time = f"{draw(st.integers(0, 23))}:{draw(st.integers(10, 59))}"
        return f"{mark} {draw(st.sampled_from(SECTIONS))} {time} {draw(words)}"
    if kind == 7:
        return draw(st.sampled_from(("ANP ", ""))) + draw(words)
    if kind == 8:
        return draw(brief_text)
    if kind == 9:
        return draw(st.sampled_from(TRAPS))
    if kind == 10:
        return ""
    return draw(words)


@st.composite
def page_texts(draw: st.DrawFn, max_lines: int = 40) -> str:
    """A page-like text: portal lines, odd spaces and any line-end convention."""
    lines = draw(st.lists(page_line(), max_size=max_lines))
    if draw(st.booleans()):
        lines = [line.replace(" ", draw(st.sampled_from((" ", "\u00a0", "  ", "\t"))), 1)
                 for line in lines]
    end = draw(st.sampled_from(("\n", "\r\n", "\r")))
    bom = draw(st.sampled_from(("", "\ufeff")))
    return bom + end.join(lines) + draw(st.sampled_from(("", end)))


any_text = st.text(max_size=3000) | page_texts()


# -- mutated pages: what a scraper does to real pages ---------------------------------------

MUTATIONS = ("delete", "duplicate", "shuffle", "flip", "swap")


def mutate(data: bytes, operations: list[tuple[str, int, int]]) -> bytes:
    """*data* (a page) changed by each ``(operation, a, b)`` in turn: a line deleted,
    duplicated, swapped with another, the lines shuffled (``a`` seeds the order), or a
    byte flipped (at ``a``, xor ``b``).  Positions wrap around, so any numbers do."""
    import random

    for operation, a, b in operations:
        lines = data.splitlines(keepends=True)
        if operation == "flip" and data:
            at = a % len(data)
            data = data[:at] + bytes([data[at] ^ (b % 255 + 1)]) + data[at + 1 :]
            continue
        if not lines:
            continue
        if not lines[-1].endswith((b"\n", b"\r")):
            lines[-1] += b"\n"  # the last line may move: it gets a line end of its own
        at = a % len(lines)
        if operation == "delete":
            del lines[at]
        elif operation == "duplicate":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = b % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "shuffle":
            random.Random(a).shuffle(lines)
        data = b"".join(lines)
    return data


operations = st.lists(
    st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000), st.integers(0, 10_000)),
    min_size=1, max_size=4,
)
