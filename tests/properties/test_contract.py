"""The contract checker that ``export`` runs on every record agrees with the
``jsonschema`` package on the shipped schema: valid records pass, and records broken
in any one place (a field gone, a value of another type or out of range, a field
added) fail with both, whatever the place."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anp_extract import parse_bytes
from anp_extract.core.contract import problem
from tests.support import SEEDS, VALIDATOR
from tests.support.generator import generate_pages

RECORDS = [parse_bytes(path.read_bytes(), str(path)).to_dict() for path in SEEDS] + [
    orjson.loads(orjson.dumps(page.expected)) for page in generate_pages(60, seed=5)
]

ODD_VALUES = [None, 0, -1, 1.5, True, "", "x", "2025-13-45", "2025-11-04", "ANP", "anp",
              [], [""], {}, {"raw": "X -"}, "0123456789abcdef", "12:30"]


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every value inside a record."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


def test_every_record_keeps_the_contract() -> None:
    for record in RECORDS:
        assert problem(record) is None, record["source"]
        assert VALIDATOR.is_valid(record)


@settings(max_examples=400)
@given(st.data())
def test_a_record_broken_anywhere_fails_with_both(data: st.DataObject) -> None:
    record = copy.deepcopy(data.draw(st.sampled_from(RECORDS)))
    path = data.draw(st.sampled_from(places(record)[1:]))
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    change = data.draw(st.sampled_from(["drop", "replace", "add"]))
    if change == "drop" and isinstance(parent, dict):
        del parent[path[-1]]
    elif change == "add" and isinstance(parent, dict):
        parent["extra"] = 1
    else:
        parent[path[-1]] = data.draw(st.sampled_from(ODD_VALUES))
    found = problem(record)
    assert (found is None) == VALIDATOR.is_valid(record), (path, change, found)


DROP = object()


@pytest.mark.parametrize(("path", "value", "message"), [
    (("date",), "2025-13-45", "date: '2025-13-45' is not a date"),
    (("date",), "4 november", r"date: '4 november' is not in the form ^\d{4}-\d{2}-\d{2}$"),
    (("kind",), "page", "kind: 'page', not one of article, listing"),
    (("schema",), "anp-extract/page@3", "schema: 'anp-extract/page@3', not 'anp-extract/page@2'"),
    (("schema",), "anp-extract/page@1", "record: unknown field 'url'"),
    (("unparsed",), DROP, "record: no 'unparsed' field"),
    (("dateline",), "LONDEN", "dateline: a string, not null or an object"),
    (("dateline", "places"), [], "dateline.places: fewer than 1 items"),
    (("briefs", 2, "dateline", "agencies"), ["afp"],
     "briefs[2].dateline.agencies[0]: 'afp' is not in the form ^[^a-z]+$"),
    (("briefs", 0, "age_minutes"), True,
     "briefs[0].age_minutes: a boolean, not an integer or null"),
    (("body", 0, "kind"), "quote", "body[0].kind: 'quote', not one of paragraph, heading"),
    (("ticker",), [{"category": "Sport", "time": "1430", "title": "X"}],
     r"ticker[0].time: '1430' is not in the form ^\d{1,2}[:.]\d{2}$"),
])
def test_a_broken_record_is_named_where_it_breaks(
    path: tuple[Any, ...], value: Any, message: str
) -> None:
    record = copy.deepcopy(RECORDS[0])
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    if value is DROP:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    assert problem(record) == message
    assert not VALIDATOR.is_valid(record)
