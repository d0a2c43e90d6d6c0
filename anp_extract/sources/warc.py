"""WARC and WET files (wget --warc-file, Heritrix, Browsertrix, Common Crawl WET).

Records of type ``conversion``, ``resource`` and ``response`` whose payload is plain
text are pages; an HTML payload fails with one line (convert it to text first); every
other record (request, warcinfo, metadata, images) is passed over and counted.

Read with ``warcio`` (pure Python).  ``fastwarc`` read the same 20,000 records 3.4x
faster (100,000 against 30,000 records/s), but a WARC record costs 33 µs in warcio
against ~125 µs to parse the page it holds, so warcio keeps two workers busy from one
parent; and fastwarc ended a test run with a Rust panic (a BaseException, past every
``except Exception``) on a file object without ``tell``.  See the README.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from ..errors import InputError
from .files import AMSTERDAM, too_big
from .model import Document, ReadOptions, Skipped

WARC_MAGIC = b"WARC/"
PAGE_RECORDS = ("conversion", "resource", "response")
HTML = ("text/html", "application/xhtml+xml")
HTML_FAILURE = "HTML, not a text page: convert it to text first"


def is_warc(head: bytes) -> bool:
    return head.startswith(WARC_MAGIC)


def record_source(container: str, record_id: str | None, number: int) -> str:
    """``crawl.warc.gz!urn:uuid:…``: the WARC-Record-ID without its angle brackets (the
    record's number in the file when it has none)."""
    return f"{container}!{(record_id or f'record-{number}').strip('<>')}"


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)


def warc_documents(
    stream: IO[bytes], container: str, options: ReadOptions, with_mtime: bool
) -> Iterator[Document | InputError | Skipped]:
    """The pages of a WARC file (plain, or gzip'd as a whole or per record)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    limit = options.max_page_size
    skipped: Counter[str] = Counter()
    number = 0
    try:
        for record in ArchiveIterator(stream, ensure_http_headers=False):
            number += 1
            kind = record.rec_type
            if kind not in PAGE_RECORDS:
                skipped[kind] += 1
                continue
            headers = record.rec_headers
            source = record_source(container, headers.get_header("WARC-Record-ID"), number)
            http = record.http_headers if kind == "response" else None
            if kind == "response" and http is None:
                skipped["response without HTTP headers"] += 1
                continue
            content_type = (http or headers).get_header("Content-Type") or ""
            media = content_type.split(";", 1)[0].strip().lower()
            if media in HTML:
                yield InputError(HTML_FAILURE, source=source)
                continue
            if media and media != "text/plain":
                skipped[f"{kind} {media}"] += 1
                continue
            try:
                data = record.content_stream().read(limit + 1)
            except (OSError, EOFError, ValueError) as exc:
                yield InputError(f"cannot read the record's payload ({exc})", source=source)
                continue
            if len(data) > limit:
                yield too_big(source, limit)
                continue
            url = headers.get_header("WARC-Target-URI")
            yield Document(source, data, None, url,
                           _when(headers.get_header("WARC-Date")))
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield InputError(f"WARC unreadable from record {number + 1} on ({exc})",
                         source=container)
    if skipped:
        what = ", ".join(f"{count} {name}" for name, count in sorted(skipped.items()))
        yield Skipped(container, sum(skipped.values()), what)
