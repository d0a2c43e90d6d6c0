"""Memory bounds of the stages this module's pages stress: a page of ten megabytes of
one-character lines is five million lines, so every object kept per line counts.

Measured with tracemalloc (bytes the stage allocated at its peak), not timed."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

from anp_extract.core.normalize import clean_lines, decode

LINES = 500_000
ONE_CHAR = "A\n" * LINES  # 1 MB; a list of its lines is 4 MB of pointers on its own
POINTER = 8


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        kept = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak


def test_clean_lines_holds_one_list_of_the_lines_not_two() -> None:
    lines = clean_lines(ONE_CHAR)
    assert len(lines) == LINES + 1 and lines[0] == "A"
    peak = peak_bytes(lambda: clean_lines(ONE_CHAR))
    # One list of LINES + 1 pointers (with the slack of a growing list), the text once.
    assert peak < 1.5 * POINTER * LINES + 2 * len(ONE_CHAR), peak


def test_decode_keeps_one_copy_of_the_text() -> None:
    data = ONE_CHAR.encode()
    assert peak_bytes(lambda: decode(data)) < 1.2 * len(data)
