"""Time stays linear in input size: no input shape makes the parser crawl.

No absolute timings: each adversarial input is compared with a normal page of the
same size parsed in the same test run, and may take at most ``FACTOR`` times as long.
A shape that backtracks or copies quadratically is off by hundreds, not by two.  Each
parse runs in a child process that is stopped at the limit, so a regression fails
the test instead of hanging the suite.
"""

from __future__ import annotations

import multiprocessing
import time
from functools import cache
from multiprocessing.connection import Connection

import pytest

from anp_extract import parse
from tests.support import SEEDS

FACTOR = 20
MB = 1_000_000


def fill(unit: str, size: int, line: int | None = None) -> str:
    """*size* characters of *unit* repeated, cut into lines of *line* characters."""
    if line is None:
        return (unit * (size // len(unit) + 1))[:size]
    one = (unit * (line // len(unit) + 1))[:line]
    return "\n".join([one] * (size // (line + 1) + 1))[:size]


@cache
def normal_page(size: int) -> str:
    """One real-looking page of *size* characters: a seed with its briefs repeated."""
    seed = SEEDS[0].read_text("utf-8")
    briefs = seed.split("Meer uit Buitenland")[1]
    return (seed + ("\n" + briefs) * (size // len(briefs) + 1))[:size]


def _child(text: str, out: Connection) -> None:
    start = time.perf_counter()
    parse(text)
    out.send(time.perf_counter() - start)


def timed_parse(text: str, limit: float) -> float | None:
    """Seconds to parse *text* in a child process, or None if it passed *limit*."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(text, send))
    child.start()
    ready = receive.poll(limit)
    seconds: float | None = receive.recv() if ready else None
    if child.is_alive():
        child.kill()
    child.join()
    return seconds


def measure_floor(size: int) -> float:
    """The time a normal page of *size* takes here and now: the best of three."""
    text = normal_page(size)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - start)
    return best


floor_seconds = cache(measure_floor)


SHAPES = [
    # name, size, text maker
    ("capitals, slashes, brackets in 100k-char lines", 10 * MB,
     lambda size: fill("ABC/DEF (GHI/JKL) (MNO/", size, 100_000)),
    ("capitals, slashes, brackets in one line", 10 * MB,
     lambda size: fill("ABC/DEF (GHI/JKL) (MNO/", size)),
    ("dateline heads with a dash far in", 10 * MB,
     lambda size: fill("A/B (C/D) " * 15 + "- x ", size, 1000)),
    ("place words", 10 * MB, lambda size: fill("AB ", size, 100_000)),
    ("'S- prefixes", 10 * MB, lambda size: fill("'S-", size, 100_000)),
    ("brackets and slashes", 10 * MB, lambda size: fill("(((((/////)))))", size, 100_000)),
    ("agency lists", 10 * MB, lambda size: fill("LONDEN (ANP/RTR/AFP/", size, 100_000)),
    ("digits", 10 * MB, lambda size: fill("1234567890", size, 100_000)),
    ("ticker heads", 10 * MB, lambda size: fill("- A ", size, 100_000)),
    ("meer uit", 10 * MB, lambda size: fill("Meer uit ", size, 100_000)),
    ("dashes", 10 * MB, lambda size: fill("A \u2013\u2014 -", size, 100_000)),
    ("date words", 10 * MB, lambda size: fill("dinsdag 4 november 2025 ", size, 100_000)),
    ("odd spaces", 2 * MB, lambda size: fill("A\u00a0\u2009 \u200b", size, 100_000)),
    ("ticker lines", 2 * MB, lambda size: fill("- Voetbal 14:23 X\n", size)),
    ("short datelines", 2 * MB, lambda size: fill("A/B (C) - x\n", size)),
    ("age lines", 2 * MB, lambda size: fill("3 uur geleden\n", size)),
    ("headline lines", 2 * MB, lambda size: fill("Kop van een stuk\n", size)),
    ("one long brief", 2 * MB, lambda size: "Meer uit X\nKATS - a\n" + fill("Tekst.\n", size - 20)),
    ("glued ages in one line", 2 * MB, lambda size: fill("1 uur geleden", size)),
    # Issue 15: mixed-case heads, full stops after brackets, particles, bare datelines.
    ("mixed-case words", 10 * MB, lambda size: fill("Den Haag op Zoom ", size, 100_000)),
    ("mixed-case heads", 2 * MB, lambda size: fill("Den Haag (ANP) - Tekst\n", size)),
    ("full stops after brackets", 10 * MB, lambda size: fill("A (B). ", size, 100_000)),
    ("mixed-case lines", 2 * MB, lambda size: fill("Den Haag - dat is\n", size)),
    ("bare datelines", 2 * MB, lambda size: fill("LONDEN (ANP) -\n", size)),
]


@pytest.mark.parametrize(("name", "size", "make"), SHAPES, ids=lambda value: (
    value if isinstance(value, str) else "" if callable(value) else f"{value // MB}MB"))
def test_adversarial_input_parses_in_linear_time(name: str, size: int, make: object) -> None:
    assert callable(make)
    text = make(size)
    assert len(text) == size
    limit = FACTOR * floor_seconds(size) + 0.5  # the half second: process start-up
    seconds = timed_parse(text, limit)
    if seconds is None:
        # The floor was measured once, earlier in the run; a shared machine may have got
        # busier since.  Measure it again now and give the shape one more try: a shape
        # that is really non-linear is hundreds of times off and fails this too.
        limit = FACTOR * measure_floor(size) + 0.5
        seconds = timed_parse(text, limit)
    assert seconds is not None, f"{name}: over {limit:.1f}s ({FACTOR}x a normal page), stopped"


def test_normal_page_time_grows_linearly() -> None:
    small, large = floor_seconds(2 * MB), floor_seconds(10 * MB)
    assert large < 5 * small * 3, f"2 MB: {small:.2f}s, 10 MB: {large:.2f}s"


def test_a_page_of_one_character_lines_parses_line_for_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shape of issue 14's resource bound, small: every line a block, nothing lost, and
    the long-page route (collector paused, the body written in pieces), made to start at
    a few kilobytes here, gives what the usual one does."""
    import gc

    import orjson

    from anp_extract import sinks
    from anp_extract.core import page as page_module

    text = "A\n" * 5000
    usual = parse(text)
    assert usual.title == "A" and len(usual.body) == 4999
    assert {block.kind for block in usual.body} == {"heading"}
    assert len({id(block) for block in usual.body}) == 1  # equal texts share one block
    line = sinks.record_line(usual)
    monkeypatch.setattr(page_module, "LONG_PAGE", 1000)
    monkeypatch.setattr(sinks, "MANY_BLOCKS", 7)
    long = parse(text)
    assert gc.isenabled()  # the collector back on after the long route
    assert long == usual
    assert sinks.record_line(long) == line == orjson.dumps(
        usual.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
