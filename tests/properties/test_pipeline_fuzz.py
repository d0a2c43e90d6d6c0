"""The pipeline laws under fuzzing (issue 15): seed and generated pages as a scraper
mangles them (lines deleted, duplicated, swapped or shuffled, bytes flipped).  Before the
laws held by construction, 2% of such pages broke one, all at the edges of the ticker,
glued ages and stray byte order marks; ``law_broken`` names the law."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.properties.strategies import examples, mutate, operations
from tests.support import DATA
from tests.support.generator import generate_page
from tests.support.laws import law_broken


@cache
def bases() -> tuple[bytes, ...]:
    """Every golden page (the seeds among them) and 200 generated pages of every kind."""
    pages = [path.read_bytes() for path in sorted(DATA.glob("*.txt"))]
    return (*pages, *(generate_page(index, seed=15).data for index in range(200)))


@settings(max_examples=examples(300), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), operations)
def test_laws_hold_on_mutated_pages(base: int, changes: list[tuple[str, int, int]]) -> None:
    pages = bases()
    page = mutate(pages[base % len(pages)], changes)
    assert law_broken("mutated", page) is None


def test_mutations_do_what_they_say() -> None:
    page = b"a\nb\nc\n"
    assert mutate(page, [("delete", 1, 0)]) == b"a\nc\n"
    assert mutate(page, [("duplicate", 2, 0)]) == b"a\nb\nc\nc\n"
    assert mutate(page, [("swap", 0, 2)]) == b"c\nb\na\n"
    assert sorted(mutate(page, [("shuffle", 7, 0)]).splitlines()) == [b"a", b"b", b"c"]
    assert mutate(page, [("flip", 0, 2)]) == b"b\nb\nc\n"  # "a" xor 3
    assert mutate(b"a\nb", [("swap", 0, 1)]) == b"b\na\n"
