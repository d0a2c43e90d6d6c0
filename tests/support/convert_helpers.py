"""What the convert tests share: running the command in-process, reading its summary,
stopping a run in the middle."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from anp_extract import batch
from anp_extract.batch import Job
from anp_extract.batch.job import Task
from tests.support import ROOT, run

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


class Run:
    def __init__(self, args: list[str]) -> None:
        ran = run(args)
        self.code, self.out, self.err = ran.code, ran.out, ran.err
        if ran.exception and not isinstance(ran.exception, SystemExit):
            raise ran.exception

    @property
    def records(self) -> list[dict[str, Any]]:
        return [orjson.loads(line) for line in self.out.splitlines()]


def convert(*args: object) -> Run:
    return Run(["convert", *map(str, args)])


def pages_of(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.rglob("*.txt"))


def summary_counts(err: str) -> tuple[int, int]:
    """(files taken from the manifest, files parsed) from a summary line."""
    summary = err.splitlines()[-1]
    if "from the manifest" not in summary:
        return 0, int(summary.split(" files read")[0].rsplit(" ", 1)[-1])
    inside = summary.split("(")[1].split(")")[0]  # "120 from the manifest, 2880 parsed"
    reused, parsed = (int(part.split()[0]) for part in inside.split(", "))
    return reused, parsed


@contextlib.contextmanager
def interrupted_after(files: int) -> Iterator[None]:
    """Ctrl-C in the middle of a one-process run, after *files* files."""
    real = Job.__call__
    calls = 0

    def call(self: Job, task: Task) -> batch.Result:
        nonlocal calls
        calls += 1
        if calls > files:
            raise KeyboardInterrupt
        return real(self, task)

    Job.__call__ = call  # type: ignore[method-assign]
    try:
        yield
    finally:
        Job.__call__ = real  # type: ignore[method-assign]


def processes_naming(out: Path) -> list[str]:
    """Processes whose command line names *out* (the run, or workers it left behind)."""
    found = []
    for entry in os.listdir("/proc"):
        with contextlib.suppress(OSError):
            if entry.isdigit() and str(out).encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(entry)
    return found
