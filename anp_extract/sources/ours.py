"""anp-extract's own bookkeeping files, met as inputs (a scrape folder that also holds
an interrupted run's sidecars, ``--errors`` files, locks): no pages, and refused whole,
in one line, rather than failing once per line or read as a page of JSON.

Told by their names (``OUT.parts``, ``OUT.lock``, ``.anp-extract.lock``) or by their
first line (a manifest's or an index's header, an ``--errors`` file's failure line).
The sidecars' suffixes and the headers are defined here, and the batch layer that writes
them (``batch.store``, ``batch.manifest``, ``batch.update``) takes them from here: one
spelling, and reading needs nothing of the batch layer.
"""

from __future__ import annotations

import re

import orjson

PARTS, LOCK = ".parts", ".lock"  # OUT.parts: the rows so far; OUT.lock: the run's pid
# A worker's spool (batch.spool): nameless, or a hidden .OUT.xxxx.spool unlinked at once.
SPOOL = ".spool"
MANIFEST = "anp-extract convert manifest"  # the first line's "manifest" of OUT.manifest.jsonl
INDEX = "anp-extract convert index"  # the first line's "index" of OUT.index.jsonl

_LOCK = re.compile(rb"\s*\d*\s*")  # a lock holds its owner's process id, or nothing yet
_HEADERS = {
    "manifest": (MANIFEST, "anp-extract's manifest of an interrupted convert (--resume "
                 "continues it)"),
    "index": (INDEX, "anp-extract's index of convert --update"),
}


def bookkeeping(source: str, head: bytes, braced: bool) -> str | None:
    """What anp-extract file *source* is, from its name and the start of its bytes
    (*head*, whose first line is whole when it starts with "{", *braced*); None for
    anything else (a page, a container)."""
    bare = source.rsplit("/", 1)[-1]
    if bare.endswith(PARTS):
        return "anp-extract's rows of an interrupted convert (--resume continues it)"
    if bare.startswith(".") and bare.endswith(SPOOL):
        return "anp-extract's spool of a convert worker (a run killed as it started)"
    if bare.endswith(LOCK) and _LOCK.fullmatch(head[:64]) and len(head) <= 64:
        return "anp-extract's lock of a convert run"
    if not braced:
        return None
    first = head.lstrip().split(b"\n", 1)[0]
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    for key, (name, what) in _HEADERS.items():
        if value.get(key) == name and "settings" in value:
            return what
    if value.keys() == {"path", "reason"} and all(isinstance(v, str) for v in value.values()):
        return "anp-extract's list of a convert's failures (--errors)"
    return None
