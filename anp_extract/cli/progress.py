"""A progress bar on stderr for commands that walk folders (convert, stats).

Animated only when stderr is a terminal; silent otherwise and with ``--quiet``.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from .terminal import (
    stderr_console,
)

BAR_FROM = 100  # files: fewer are done before a bar would be worth drawing


def _ignore(n: int = 1) -> None:
    """Progress nobody watches."""


@contextlib.contextmanager
def progress_bar(
    total: int | None, label: str, quiet: bool = False
) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; shows files, files/s and ETA on a terminal, nothing elsewhere."""
    if quiet or not sys.stderr.isatty():
        yield _ignore
        return
    # rich is imported where it draws: a command that draws nothing starts without it.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("elapsed", markup=False),  # two bare times say nothing
        TimeElapsedColumn(),
        TextColumn("left", markup=False),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task(label, total=total, rate="")

        def advance(n: int = 1) -> None:
            bar.advance(task, n)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:,.0f} files/s" if speed else "")

        yield advance
