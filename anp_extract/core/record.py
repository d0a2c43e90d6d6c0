"""The record contract: frozen dataclasses for one page, and their JSON shape.

``SCHEMA`` names the contract version; every record carries it, and the JSON
Schema shipped in ``anp_extract/schema/`` describes exactly what ``to_dict`` gives.
A change of shape is a new version (see the versioning rule in the README): page@2
added ``url`` and ``scraped_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from .datelines import Dateline, places_key
from .slots import slot_writer
from .ticker import TickerItem

try:  # the module hashlib takes blake2b from, without loading OpenSSL as hashlib does
    from _blake2 import blake2b
except ImportError:  # another Python than CPython
    from hashlib import blake2b

SCHEMA = "anp-extract/page@2"
# The versions ``export`` reads; each has its schema file (``anp_extract/schema/``).
SCHEMAS = ("anp-extract/page@1", SCHEMA)

Kind = Literal["article", "listing"]
BlockKind = Literal["paragraph", "heading"]

# What a line of the page became; ``show --lines`` prints these.
Label = Literal[
    "boilerplate", "title", "dateline", "paragraph", "heading", "section",
    "brief-title", "brief", "age", "ticker", "unparsed",
]


@dataclass(frozen=True, slots=True)
class Block:
    """A block of the article body: a paragraph or a short subheading."""

    kind: BlockKind
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class Brief:
    """One short item of a "Meer uit" list or a listing page."""

    id: str
    title: str | None
    dateline: Dateline | None
    text: str
    age: str | None
    age_minutes: int | None
    published_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "text": self.text,
            "age": self.age,
            "age_minutes": self.age_minutes,
            "published_at": self.published_at,
        }


class LabelledLine(NamedTuple):
    """One line of the page (a glued line gives two) and what it became.

    A named tuple, not a dataclass: a page makes dozens and they must be cheap.
    """

    number: int  # 1-based line number in the input
    text: str
    label: Label
    glued: bool = False  # cut loose from the line before it on the same input line


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """The record of one page.

    The fields are the contract, in its order, so ``orjson.dumps(page)`` gives the same
    bytes as ``orjson.dumps(page.to_dict())`` (the latter is faster: orjson's dataclass
    path costs twice the dict's here).
    """

    schema: str = SCHEMA
    source: str
    url: str | None
    scraped_at: str | None
    kind: Kind
    date: str | None
    section: str | None
    title: str | None
    dateline: Dateline | None
    body: tuple[Block, ...]
    briefs: tuple[Brief, ...]
    ticker: tuple[TickerItem, ...]
    boilerplate: tuple[str, ...]
    unparsed: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON types, keys in contract order."""
        return {
            "schema": self.schema,
            "source": self.source,
            "url": self.url,
            "scraped_at": self.scraped_at,
            "kind": self.kind,
            "date": self.date,
            "section": self.section,
            "title": self.title,
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "body": [{"kind": block.kind, "text": block.text} for block in self.body],
            # Brief.to_dict and Dateline.to_dict spelled out: a page has a handful of briefs.
            "briefs": [
                {
                    "id": brief.id,
                    "title": brief.title,
                    "dateline": None if (line := brief.dateline) is None else {
                        "raw": line.raw,
                        "places": list(line.places),
                        "agencies": list(line.agencies),
                    },
                    "text": brief.text,
                    "age": brief.age,
                    "age_minutes": brief.age_minutes,
                    "published_at": brief.published_at,
                }
                for brief in self.briefs
            ],
            "ticker": [item.to_dict() for item in self.ticker],
            "boilerplate": list(self.boilerplate),
            "unparsed": list(self.unparsed),
            "warnings": list(self.warnings),
        }


def brief_id(dateline: Dateline | None, text: str) -> str:
    """A stable id for a brief: the same dateline and text give the same id on any page.

    Case, spacing and the dash of the dateline do not count, nor do runs of blanks in
    the text, so one brief scraped from two layouts gets one id.
    """
    if "  " in text or "\n" in text or "\t" in text or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())  # parsed text is folded already: rarely needed
    return folded_brief_id(dateline, text)


def folded_brief_id(dateline: Dateline | None, text: str) -> str:
    """``brief_id`` of a text that needs no folding, i.e. that brief_id's test above passes
    unchanged; the parser knows that of its texts without scanning them again.

    The id hashes ``dateline_key(dateline) + "\\n" + text``.  A hash is fed in a stream, and UTF-8
    encodes a string piece by piece, so the hasher that has taken the key and the line
    break is kept per dateline (:func:`_keyed`) and each id starts from a copy of it.
    """
    digest = (_NO_DATELINE if dateline is None else _keyed(
        dateline.places, dateline.agencies)).copy()
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=16384)  # as datelines._head: a scrape has a few thousand datelines
def _keyed(places: tuple[str, ...], agencies: tuple[str, ...]) -> Any:
    """The hasher of brief_id after the key of a dateline with these places and agencies
    (``dateline_key``) and the line break."""
    digest = _BLAKE2B_8.copy()
    digest.update((places_key(places, agencies) + "\n").encode("utf-8"))
    return digest


# The hasher of brief_id, blank; and after the key of no dateline ("") and the line break.
_BLAKE2B_8 = blake2b(digest_size=8)
_NO_DATELINE = _BLAKE2B_8.copy()
_NO_DATELINE.update(b"\n")


new_block = slot_writer(Block)  # Block(kind, text)
new_brief = slot_writer(Brief)  # Brief(id, title, dateline, text, age, age_minutes, published_at)
new_page = slot_writer(Page)  # Page(schema, source, kind, date, ... warnings), fields in order
