"""``show --lines`` draws its rows itself, in runs: the same output as one rich grid of
all the rows, at a fraction of the time and memory (issue 14: on ten megabytes of
one-character lines it passed 7.8 GB and was killed)."""

from __future__ import annotations

import io
import random
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from rich.console import Console, Group, RenderableType
from rich.text import Text

from anp_extract.cli import render
from anp_extract.cli.common import plural
from anp_extract.core.page import annotate
from anp_extract.core.record import LabelledLine, Page
from tests.snapshots import EXAMPLES, SEEDS, invoke

INSERTS = ["\n", "漢字", "😀", "é", "e\u0301", "A", " ", " - ", "(ANP)", "ｗｉｄｅ",
           "LONDEN (ANP) - ", "7 uur geleden", "Meer uit Buitenland\n", "x" * 300]


def pages() -> list[str]:
    """The seeds and examples, and mutations of them: wide, combining and long text."""
    texts = [path.read_text("utf-8") for path in SEEDS + EXAMPLES]
    rnd = random.Random(14)
    for _ in range(40):
        chars = list(rnd.choice(texts))
        for _ in range(25):
            chars.insert(rnd.randrange(len(chars) + 1), rnd.choice(INSERTS))
        texts.append("".join(chars))
    return texts


def one_grid(page: Page, lines: Sequence[LabelledLine]) -> Group:
    """``show --lines`` as it was: one rich grid of every row, in one group."""
    digits = max((len(str(line.number)) for line in lines), default=1)
    unparsed = sum(1 for line in lines if line.label == "unparsed")
    glued = sum(1 for line in lines if line.glued)
    summary = Text(f"{plural(len({line.number for line in lines}), 'line')} with text",
                   style=render.MUTED)
    if glued:
        summary.append(f" · {plural(glued, 'glued age')} cut loose, {render.GLUED} marks the rest")
    summary.append(" · ")
    summary.append(f"{unparsed} unparsed", style=render.UNPARSED if unparsed else render.MUTED)
    grid = render.Rows(lines, 0, len(lines), digits).grid()
    head = Group(render._source(page), summary)
    return Group(*render._spaced([head, grid, *render._warnings(page)]))


def one_group(page: Page, lines: Sequence[LabelledLine]) -> Group:
    """``show`` as it was: a ``Text`` a body block, the page in one group."""
    parts = [render._header(page), *render._problems(page, lines), *render._article(page)]
    parts += [Text(render.HEADING + block.text, style=render.LABEL_STYLES["heading"])
              if block.kind == "heading" else Text(block.text) for block in page.body]
    if page.briefs:
        parts.append(render._briefs(page))
    if page.ticker:
        parts.append(render._ticker(page))
    parts.extend(render._removed(lines))
    return Group(*render._spaced(parts))


def console(out: io.StringIO, width: int, colour: bool) -> Console:
    return Console(file=out, width=width, force_terminal=colour, no_color=not colour,
                   color_system="truecolor" if colour else None, highlight=False,
                   markup=False, emoji=False)


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize(("view", "reference"), [
    (render.lines_view, one_grid), (render.page_view, one_group)], ids=["lines", "page"])
def test_the_parts_drawn_in_runs_are_the_view_drawn_at_once(
    view: Callable[[Page, Sequence[LabelledLine]], list[RenderableType]],
    reference: Callable[[Page, Sequence[LabelledLine]], Group],
    colour: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "ROWS_AT_ONCE", 3)  # many runs on every page
    for number, text in enumerate(pages()):
        page, lines = annotate(text, f"page-{number}.txt")
        for width in (12, 20, 31, 80, 133):
            expected, drawn = io.StringIO(), io.StringIO()
            console(expected, width, colour).print(reference(page, lines))
            parts = console(drawn, width, colour)
            for part in view(page, lines):
                parts.print(part)
            assert drawn.getvalue() == expected.getvalue(), (number, width)


@pytest.mark.parametrize("args", [["--lines"], []], ids=["lines", "page"])
def test_show_holds_one_run_of_rows_at_a_time(args: list[str], tmp_path: Path) -> None:
    """40,000 one-character lines: a grid of all the rows traced 100 MB at the peak, the
    page drawn at once (a body block a line) 53 MB; in runs, the rendering holds a run's
    segments beside the page's lines."""
    page = tmp_path / "one.txt"
    page.write_text("A\n" * 40_000)
    tracemalloc.start()
    try:
        code, out, err = invoke(["show", *args, str(page)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (code, err) == (0, "")
    assert out.count("\n") > 40_000
    assert peak < 40_000_000, f"{peak:,} bytes"


@pytest.mark.parametrize("args", [["--lines"], []], ids=["lines", "page"])
def test_show_draws_a_long_page_with_the_collector_paused(
    args: list[str], tmp_path: Path
) -> None:
    """A page over ``LONG_PAGE`` is drawn, as it is parsed, with the cyclic collector paused:
    its lists were the only long-lived objects, so every full collection walked them (75
    of them on 2.5 million lines, a fifth of the time of ``show --lines``)."""
    import gc

    from anp_extract.core.page import LONG_PAGE

    page = tmp_path / "long.txt"
    page.write_text("A\n" * (LONG_PAGE // 2 + 1))
    collections: list[int] = []

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(heard)
    try:
        code, _, err = invoke(["show", *args, str(page)])
    finally:
        gc.callbacks.remove(heard)
    assert (code, err) == (0, "")
    # Reading the page collects a few times before; drawn with the collector on, the
    # page made 2,125 collections, 11 of them full (the page view: 530 and 2).
    assert 2 not in collections and len(collections) < 100, collections
    assert gc.isenabled()
