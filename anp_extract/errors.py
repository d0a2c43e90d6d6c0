"""Typed errors of the core.

Every error a user can cause is an :class:`AnpExtractError` (a ``ValueError``)
that names the input and, where it helps, the line, so that the CLI can print
one clear line and go on with the next input.
"""

from __future__ import annotations

from typing import Any


class AnpExtractError(ValueError):
    """Base class: a problem with one input, never a bug in anp-extract."""

    def __init__(self, message: str, *, source: str = "-", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


class InputError(AnpExtractError):
    """The bytes of an input cannot be read as a page (empty, binary, unreadable)."""


class RuleError(AnpExtractError):
    """A user boilerplate rule is not valid."""


class RecordError(AnpExtractError):
    """A line given to a record-reading command is not a valid page record."""


class Refused(AnpExtractError):
    """A request that must not run as given: an output over an input, options that do
    not go together.  Said before anything is written (a usage error, exit 2)."""

    def __str__(self) -> str:
        return self.message


class MissingExtra(Refused):
    """A format or a feature whose optional dependency is not installed."""


def need(module: str, extra: str, what: str) -> Any:
    """*module*, imported; :class:`MissingExtra` naming the extra when it is not there."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        # anp-extract is installed from its checkout (no package index has it), so the
        # extra is named as installed from there.
        raise MissingExtra(f"{what} needs {module.split('.')[0]}: "
                           f"pip install '.[{extra}]' in anp-extract's checkout") from None


class WorkerError(AnpExtractError):
    """A bug in a worker (not bad input, which gives a Failed): its traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class WorkerDied(WorkerError):
    """A worker process ended in the middle of a run (killed, out of memory)."""
