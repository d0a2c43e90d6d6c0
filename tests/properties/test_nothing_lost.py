"""Nothing lost: every non-blank input line ends up in exactly one place of the record.

Two checks that do not lean on each other:

* the labels of ``annotate``: the pieces of each line put together give the line, and
  there are as many labels of each kind as the record has things of that kind;
* the record alone: each cleaned input line (a glued line as age + rest) is found, once,
  among the strings the record's fields hold, and every such string is used up.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings

from anp_extract import annotate, parse
from anp_extract.core.normalize import clean_lines
from anp_extract.core.record import LabelledLine
from tests.properties.strategies import any_text, examples
from tests.support import SEEDS
from tests.support.generator import generate_pages

TICKER_MARKS = "-\u2013\u2022*"


def check_labels(text: str) -> None:
    page, labelled = annotate(text, "p")
    record = page.to_dict()
    lines = clean_lines(text)
    pieces: dict[int, list[LabelledLine]] = {}
    for piece in labelled:
        pieces.setdefault(piece.number, []).append(piece)
    for number, line in enumerate(lines, start=1):
        got = pieces.pop(number, [])
        if not line:
            assert not got, f"blank line {number} labelled"
            continue
        assert "".join(piece.text for piece in got) == line, f"line {number} not whole"
        assert [piece.glued for piece in got] == [False] + [True] * (len(got) - 1)
    assert not pieces, f"labels for lines that do not exist: {sorted(pieces)}"

    labels = Counter(piece.label for piece in labelled)
    briefs = record["briefs"]
    assert labels["title"] == (record["title"] is not None)
    assert labels["dateline"] == (record["dateline"] is not None)
    assert labels["paragraph"] + labels["heading"] + labels["dateline"] == len(record["body"])
    assert labels["heading"] == sum(block["kind"] == "heading" for block in record["body"])
    assert labels["section"] == (record["section"] is not None)
    assert labels["brief-title"] == sum(brief["title"] is not None for brief in briefs)
    assert labels["brief"] == sum(len(brief["text"].split("\n")) for brief in briefs)
    assert labels["age"] == sum(brief["age"] is not None for brief in briefs)
    assert labels["ticker"] == len(record["ticker"])
    assert labels["boilerplate"] == len(record["boilerplate"])
    assert labels["unparsed"] == len(record["unparsed"])


Entry = tuple[str, ...]  # the spellings one record string may have on the page


def record_entries(record: dict[str, Any]) -> tuple[list[Entry], list[Entry]]:
    """Every line the record says it holds, rebuilt from its fields; and its ages apart."""
    held: list[Entry] = []
    body = [block["text"] for block in record["body"]]
    if record["dateline"] is not None:
        held.append((f"{record['dateline']['raw']} {body.pop(0)}",))
    held.extend((text,) for text in body)
    if record["title"] is not None:
        held.append((record["title"],))
    if record["section"] is not None:
        held.append((f"Meer uit {record['section']}", record["section"]))
    ages: list[Entry] = []
    for brief in record["briefs"]:
        first, *more = brief["text"].split("\n")
        held.append((f"{brief['dateline']['raw']} {first}" if brief["dateline"] else first,))
        held.extend((text,) for text in more)
        if brief["title"] is not None:
            held.append((f"ANP {brief['title']}", brief["title"]))
        if brief["age"] is not None:
            ages.append((brief["age"],))
    for item in record["ticker"]:
        rest = f" {item['category']} {item['time']} {item['title']}"
        held.append(tuple(mark + rest for mark in TICKER_MARKS))
    held.extend((line,) for line in record["boilerplate"])
    held.extend((line,) for line in record["unparsed"])
    return held, ages


def match(lines: list[str], entries: list[Entry]) -> dict[int, int]:
    """A maximum matching of lines to entries that can spell them (augmenting paths)."""
    owner: dict[int, int] = {}  # entry -> line

    def place(line: int, seen: set[int]) -> bool:
        for entry, spellings in enumerate(entries):
            if entry in seen or lines[line] not in spellings:
                continue
            seen.add(entry)
            if entry not in owner or place(owner[entry], seen):
                owner[entry] = line
                return True
        return False

    for line in range(len(lines)):
        place(line, set())
    return owner


def check_record_holds_every_line(text: str) -> None:
    record = parse(text, "p").to_dict()
    held, ages = record_entries(record)
    entries = held + ages
    lines = [line for line in clean_lines(text) if line]
    # First whole lines; then what is left must be glued lines: an age and the rest.
    owner = match(lines, entries)
    whole = set(owner.values())
    pieces: list[str] = []
    for number, line in enumerate(lines):
        if number not in whole:
            # The age may be a brief's, or unparsed (an age with no brief to claim it).
            age = next((spelling for entry in entries for spelling in entry
                        if spelling.lower().endswith("geleden") and line.startswith(spelling)
                        and len(line) > len(spelling)), None)
            assert age is not None, f"line found nowhere in the record: {line!r}"
            pieces += [age, line[len(age):]]
    free = [entries[k] for k in range(len(entries)) if k not in owner]
    rest = match(pieces, free)
    assert len(rest) == len(pieces), f"glued lines not in the record: {pieces}"
    assert len(rest) == len(free), "record strings no line accounts for: " + repr(
        [free[k] for k in range(len(free)) if k not in rest])


@settings(max_examples=examples(150))
@given(any_text)
def test_every_line_is_labelled_once(text: str) -> None:
    check_labels(text)


@settings(max_examples=examples(150))
@given(any_text)
def test_every_line_is_somewhere_in_the_record(text: str) -> None:
    check_record_holds_every_line(text)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_nothing_lost_on_the_seeds(seed: Any) -> None:
    text = seed.read_text("utf-8")
    check_labels(text)
    check_record_holds_every_line(text)


def test_nothing_lost_on_generated_pages() -> None:
    from anp_extract.core.normalize import decode

    for page in generate_pages(400, seed=23):
        text = decode(page.data).text
        check_labels(text)
        check_record_holds_every_line(text)
