"""The tasks of a run, read as they are needed: a plain file's path (its worker reads
it), or, for a container (archive, WARC, JSON Lines), each page the parent reads out
of it, bytes and all.  So one big archive keeps every worker busy: the parent streams
its members to them, and never holds more than the pool's window of them.

A page inside a container is named as ``sources`` names it (``crawl.tar.gz!a/b.txt``,
``x.warc.gz!urn:uuid:…``, ``docs.jsonl:17``); a member that cannot be read is a
:class:`Failed` task, passed through the workers to keep the order.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator, Sequence

from .. import sources
from ..errors import AnpExtractError
from ..sources import ReadOptions, Skipped, display, is_container
from .job import Failed, Task


def task_name(task: Task) -> str:
    """The name a task's result and manifest entry carry."""
    if isinstance(task, str):
        return display(task)
    return task.path if isinstance(task, Failed) else task.source


class Tasks:
    """The tasks of *paths*, in order, made on demand; those handed on are let go."""

    def __init__(self, paths: Sequence[str], read: ReadOptions, with_mtime: bool) -> None:
        self.paths = paths
        self.read, self.with_mtime = read, with_mtime
        # This runs before the workers start: a name ending in ".txt" (most of them) is
        # no container's, so the fuller test is left for the others.
        self.containers = any(is_container(path) for path in paths
                              if not path.endswith(".txt"))
        self.skipped: list[Skipped] = []  # records no pages, said in the summary
        self._made = self._expand()
        self._held: deque[Task] = deque()
        self._first = 0  # the index of _held[0]

    def _expand(self) -> Iterator[Task]:
        for path in self.paths:
            if not is_container(path):
                yield path
                continue
            for item in sources.documents([path], self.read, with_mtime=self.with_mtime,
                                          regular_only=True):
                if isinstance(item, Skipped):
                    self.skipped.append(item)
                elif isinstance(item, AnpExtractError):
                    where = item.source if item.line is None else f"{item.source}:{item.line}"
                    yield Failed(where, item.message)
                else:
                    yield item

    def __getitem__(self, index: int) -> Task:
        """Task *index*; the tasks before it are let go (reading goes forward only)."""
        while self._first < index and self._held:
            self._held.popleft()
            self._first += 1
        while index >= self._first + len(self._held):
            task = next(self._made, None)
            if task is None:
                raise IndexError(index)
            self._held.append(task)
        return self._held[index - self._first]

    def rest(self, start: int) -> Iterator[Task]:
        """The tasks from *start* on, made as they are taken."""
        if not self.containers:  # each task is its path: nothing to make or let go
            yield from itertools.islice(self.paths, start, None)
            return
        while True:
            try:
                yield self[start]
            except IndexError:
                return
            start += 1
