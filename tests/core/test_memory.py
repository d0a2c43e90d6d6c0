"""Memory bounds of the stages, on the page that stresses them: one-character lines.

Measured with tracemalloc (bytes the stage allocated at its peak), not timed."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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


def test_parse_writes_a_long_record_without_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``parse``'s output loop writes a page of many short lines a piece at a time: its
    record line is 15 times the input, and main held it whole, and its parts besides
    (twice the line at the peak)."""
    import hashlib
    import io

    from anp_extract import sinks, streams
    from anp_extract.core.page import ParseOptions, parse

    page = parse(ONE_CHAR)  # parsed before tracing: the output alone is measured
    line = sinks.record_line(page)
    written = hashlib.blake2b()

    class Out(io.RawIOBase):  # what reaches stdout, without keeping it
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            written.update(data)
            return len(data)

    monkeypatch.setattr(streams, "parse_bytes", lambda data, source, options: page)
    monkeypatch.setattr(streams, "stdout", Out)
    (tmp_path / "one.txt").write_text("A\n")
    peak = peak_bytes(lambda: streams.parse_records(
        [str(tmp_path / "one.txt")], lambda document: ParseOptions()))
    assert peak < 0.2 * len(line)  # a few pieces of 4,096 blocks and the 128 KiB batch
    assert written.digest() == hashlib.blake2b(line).digest()  # the same bytes


def test_parse_keeps_no_object_a_line() -> None:
    """Page assembly keeps a line's kind in a byte and its place in flat arrays: main made
    an object a content line (a tuple of six and its index, 132 bytes), which put the peak
    of parsing a page of one-character lines at 86 times its size."""
    from anp_extract.core.page import parse

    peak = peak_bytes(lambda: parse(ONE_CHAR))
    assert peak < 30 * len(ONE_CHAR)  # 25 times now: a few pointers a line, no object


def test_positions_take_eight_bytes_where_four_would_overflow() -> None:
    """Line numbers and positions are kept in four bytes each; a sequence of more lines
    than four bytes count (a library caller's, not a page a source reads) gets eight."""
    from collections.abc import Iterator, Sequence

    from anp_extract.core.boilerplate import DEFAULT_RULES
    from anp_extract.core.labels import TEXT, scan

    class Huge(Sequence[str]):  # as long as it says, for len(); three lines to iterate
        def __init__(self, length: int) -> None:
            self.length = length

        def __len__(self) -> int:
            return self.length

        def __getitem__(self, index: Any) -> Any:
            raise NotImplementedError

        def __iter__(self) -> Iterator[str]:
            return iter(["Eerste regel", "", "Derde regel"])

    for length, size in ((3, 4), ((1 << 31) - 1, 4), (1 << 31, 8)):
        found = scan(Huge(length), DEFAULT_RULES)
        assert (found.numbers.itemsize, found.content.itemsize) == (size, size)
        assert list(found.numbers) == [1, 3] and list(found.content) == [0, 1]
        assert found.kinds == bytearray([TEXT, TEXT])


@pytest.mark.parametrize("work", ["annotate", "strip", "split"])
def test_labelled_lines_are_made_as_they_are_read(work: str) -> None:
    """``annotate`` gives the labelled lines as a sequence over the scan's arrays, and
    ``strip`` and ``split`` name lines by their index and join their output once: main
    made a tuple a line (and ``strip`` a list a line number, ``split`` a list a block),
    143 to 172 times the input."""
    from anp_extract.core import page, textops

    function = {"annotate": page.annotate, "strip": textops.strip,
                "split": textops.split}[work]
    assert peak_bytes(lambda: function(ONE_CHAR)) < 40 * len(ONE_CHAR)  # 21 to 32 now


def test_labelled_lines_read_as_the_tuple_of_their_lines() -> None:
    import itertools

    from anp_extract.core.page import annotate
    from anp_extract.core.record import LabelledLine

    text = "Webmail\n\nLONDEN (ANP) - Een.\n3 uur geledenKATS - Twee.\n"
    _, lines = annotate(text)
    whole = (LabelledLine(1, "Webmail", "boilerplate"),
             LabelledLine(3, "LONDEN (ANP) - Een.", "brief"),
             LabelledLine(4, "3 uur geleden", "age"),
             LabelledLine(4, "KATS - Twee.", "brief", True))
    assert lines == whole and whole == lines and tuple(lines) == whole
    assert len(lines) == 4 and list(lines) == list(whole)
    assert [lines[k] for k in range(-4, 4)] == [whole[k] for k in range(-4, 4)]
    ends = (None, -9, -3, -1, 0, 1, 2, 5, 9)
    for start, stop, step in itertools.product(ends, ends, (None, 1, 2, -1, -2, -3)):
        assert lines[start:stop:step] == whole[start:stop:step], (start, stop, step)
    assert repr(lines) == repr(whole)
    assert lines != whole[:3] and lines != list(whole)  # a tuple's equality
    for index in (4, -5):
        with pytest.raises(IndexError):
            lines[index]
    with pytest.raises(TypeError):
        hash(lines)
