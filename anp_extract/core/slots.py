"""Positional constructors for the frozen slots dataclasses of the parser's hot path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

_T = TypeVar("_T")


def slot_writer(cls: type[_T]) -> Callable[..., _T]:
    """A positional constructor for the frozen slots dataclass *cls*: all fields, in order.

    The same object as ``cls(...)`` gives, made cheaper: a frozen dataclass's ``__init__``
    assigns each field through ``object.__setattr__`` (its own ``__setattr__`` refuses),
    which makes a Brief cost three times this.  Here each slot is written through its
    descriptor, one call per field written out, the way ``dataclasses`` writes its own
    ``__init__`` (a loop over the fields costs twice as much).  Dataclasses check nothing
    at run time, so nothing is skipped.  For the parser's hot path.
    """
    names = [item.name for item in fields(cls)]  # type: ignore[arg-type]
    source = (
        f"def make({', '.join(names)}):\n"
        "    instance = new(cls)\n"
        + "".join(f"    set_{name}(instance, {name})\n" for name in names)
        + "    return instance\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    namespace.update({f"set_{name}": getattr(cls, name).__set__ for name in names})
    exec(source, namespace)
    make: Callable[..., _T] = namespace["make"]
    return make
