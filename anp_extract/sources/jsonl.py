"""JSON Lines of documents, as scrapy, trafilatura, news-please and datatrove write
them: one JSON object per line, the page's text under one key, its URL and scrape
time under others.  Each line is a page, named ``docs.jsonl:17``; a line that is not
JSON, or holds no text, fails alone with its line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import orjson

from ..errors import InputError
from .files import AMSTERDAM, CHUNK, size_text
from .model import TEXT_KEYS, TIME_KEYS, Document, ReadOptions

NAMES = (".jsonl", ".ndjson")
RECORD_START = b'{"schema":"anp-extract/page@'  # as parse and convert write a record


def is_jsonl(name: str, head: bytes, options: ReadOptions) -> bool:
    """A JSON Lines file of documents: so named (compressed or not), or a first line
    that is a JSON object holding a text key."""
    bare = name.lower()
    for end in (".gz", ".bz2", ".xz", ".zst"):
        bare = bare.removesuffix(end)
    if bare.endswith(NAMES):
        return True
    if not head.lstrip().startswith(b"{"):
        return False
    first = head.lstrip().split(b"\n", 1)
    if len(first) < 2:  # the first line is longer than the head: look no further
        return False
    try:
        value = orjson.loads(first[0])
    except orjson.JSONDecodeError:
        return False
    keys = (options.jsonl_text,) if options.jsonl_text else TEXT_KEYS
    return isinstance(value, dict) and any(isinstance(value.get(key), str) for key in keys)


def line_source(container: str, number: int) -> str:
    return f"{container}:{number}"


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Each line of *stream* and whether it was too long (then cut, the rest skipped)."""
    while True:
        line = stream.readline(limit + 1) if hasattr(stream, "readline") else b""
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield b"", True
            continue
        yield line, False


def jsonl_documents(
    stream: IO[bytes], container: str, options: ReadOptions
) -> Iterator[Document | InputError]:
    """The documents of a JSON Lines file, line by line."""
    limit = options.max_page_size
    for number, (line, too_long) in enumerate(_lines(stream, limit), start=1):
        source = line_source(container, number)
        if too_long:
            yield InputError(f"line longer than the page size limit ({size_text(limit)}; "
                             "--max-page-size)", source=source)
            continue
        if not line.strip():
            continue
        if number == 1 and line.startswith(RECORD_START):  # anp-extract's own output
            yield InputError("page records (what anp-extract writes), not documents: "
                             "read them with 'export'", source=container)
            return
        try:
            yield document(line, source, options)
        except InputError as exc:
            yield exc


def document(line: bytes, source: str, options: ReadOptions) -> Document:
    """The document on one line; InputError when it holds none."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON ({exc.msg}, column {exc.colno})", source=source) from None
    if not isinstance(value, dict):
        raise InputError("not a JSON object", source=source)
    text = _text(value, options, source)
    url = value.get(options.jsonl_url)
    return Document(source, text.encode("utf-8", "surrogatepass"), None,
                    url if isinstance(url, str) else None, _time(value, options, source))


def _text(value: dict[str, Any], options: ReadOptions, source: str) -> str:
    keys = (options.jsonl_text,) if options.jsonl_text else TEXT_KEYS
    for key in keys:
        text = value.get(key)
        if isinstance(text, str):
            return text
        if text is not None:
            raise InputError(f"{key!r} is not a string", source=source)
    raise InputError(f"no text (no key {' or '.join(repr(key) for key in keys)})",
                     source=source)


def _time(value: dict[str, Any], options: ReadOptions, source: str) -> datetime | None:
    keys = (options.jsonl_time,) if options.jsonl_time else TIME_KEYS
    for key in keys:
        raw = value.get(key)
        if raw is None:
            continue
        when = None
        if isinstance(raw, str):
            try:
                when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                when = None
        if when is None:
            raise InputError(f"{key!r} is not an ISO 8601 time: {raw!r}", source=source)
        return when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)
    return None
