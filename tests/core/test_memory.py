"""Memory bounds of the stages, on the page that stresses them: one-character lines.

Measured with tracemalloc (bytes the stage allocated at its peak), not timed."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

from anp_extract.core.normalize import decode

ONE_CHAR = "A\n" * 500_000  # 1 MB


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        kept = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak


def test_decode_keeps_one_copy_of_the_text() -> None:
    data = ONE_CHAR.encode()
    assert peak_bytes(lambda: decode(data)) < 1.2 * len(data)
