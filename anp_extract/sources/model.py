"""What every reader gives: a :class:`Document` per page, a :class:`Skipped` note for
what a container held that is no page, and the :class:`ReadOptions` they read with."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from ..core.page import ParseOptions
from .files import MAX_PAGE_SIZE


class Document(NamedTuple):
    """One page as it came in: where from, its bytes, and what is known about it.

    *mtime* is the file's (or archive member's) modification time, read only when asked
    for (``--now mtime``); *scraped_at* is the scrape time the source itself carries (a
    WARC-Date, a JSON Lines time key), *url* the address the page was fetched from.
    """

    source: str
    data: bytes
    mtime: datetime | None = None
    url: str | None = None
    scraped_at: datetime | None = None


class Skipped(NamedTuple):
    """Records of a container that are no pages and were passed over (WARC requests,
    metadata): not failures, counted and said once per container."""

    source: str
    records: int
    what: str  # "3 request, 1 warcinfo"

    def __str__(self) -> str:
        records = "record" if self.records == 1 else "records"
        return f"{self.source}: {self.records} {records} skipped, not pages ({self.what})"


# The keys a JSON Lines document's text is looked for under, in order, when
# --jsonl-text is not given (scrapy, trafilatura, news-please and datatrove use these).
TEXT_KEYS = ("text", "content", "body")
TIME_KEYS = ("scraped_at",)  # looked for when --jsonl-time is not given


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read: the page size limit and the keys of JSON Lines documents.
    Picklable: convert's workers read with the same."""

    max_page_size: int = MAX_PAGE_SIZE
    jsonl_text: str | None = None  # None: the first of TEXT_KEYS present
    jsonl_url: str = "url"
    jsonl_time: str | None = None  # None: the first of TIME_KEYS present, if any


def page_options(options: ParseOptions, document: Document, now_from_mtime: bool) -> ParseOptions:
    """The options of one page: its URL and scrape time (``--now`` ISO wins, then the
    file's time with ``--now mtime``, then the time the source carries)."""
    now = document.mtime if now_from_mtime else options.now or document.scraped_at
    if now is options.now and document.url is None:
        return options
    return replace(options, now=now, url=document.url)
