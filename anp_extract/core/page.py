"""The entry points of the parser: text or bytes in, one page record out.

Two stages do the work, as packaging's tokenizer feeds its parser:
:mod:`anp_extract.core.labels` scans the cleaned lines (furniture, date, ticker, and
the content lines sorted into ages, datelines, "Meer uit" and text), and
:mod:`anp_extract.core.assemble` builds the article and the briefs from them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from .assemble import Builder, ParseOptions
from .labels import LabelledLines, scan
from .normalize import clean_lines, decode
from .record import Page

__all__ = ["ParseOptions", "annotate", "parse", "parse_bytes"]


def annotate(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> tuple[Page, LabelledLines]:
    """Parse one page and say, line by line, what each line became (``show --lines``)."""
    return _route(_annotate, text, source, options, warnings)


def parse(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> Page:
    """Parse the text of one scraped page into its record."""
    if len(text) > LONG_PAGE:
        return _route(_parse, text, source, options, warnings)
    found = scan(clean_lines(text), options.rules)  # _parse, inline
    return Builder.of(found, source, options, list(warnings)).build()


def _parse(text: str, source: str, options: ParseOptions, warnings: Sequence[str]) -> Page:
    found = scan(clean_lines(text), options.rules)
    return Builder.of(found, source, options, list(warnings)).build()


def _annotate(
    text: str, source: str, options: ParseOptions, warnings: Sequence[str]
) -> tuple[Page, LabelledLines]:
    builder = Builder.of(scan(clean_lines(text), options.rules), source, options, list(warnings))
    page = builder.build()
    return page, builder.labelled_lines()


# A page longer than this is parsed with the cyclic garbage collector paused.  Parsing makes
# no reference cycles, but a page of a million short lines makes millions of objects, and
# the collector, woken every few hundred, walked them all again and again: half the time
# of such a page.  Ordinary pages are far shorter and take the usual route.
LONG_PAGE = 1 << 20

_T = TypeVar("_T")


@contextmanager
def collector_paused(text: str) -> Iterator[None]:
    """The cyclic collector paused while a long page (*text*) is worked on: parsed, or
    drawn by ``show``, which makes a few objects a line and keeps none.  (With the
    collector on, the page's lists, the only long-lived objects, were walked again at
    each of its full collections: a fifth of ``show --lines``'s time on five million
    lines.)"""
    if len(text) <= LONG_PAGE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _route(
    work: Callable[[str, str, ParseOptions, Sequence[str]], _T],
    text: str, source: str, options: ParseOptions, warnings: Sequence[str],
) -> _T:
    """*work* (_parse or _annotate) of a page, with the collector paused on a long one."""
    with collector_paused(text):
        return work(text, source, options, warnings)


def parse_bytes(data: bytes, source: str = "-", options: ParseOptions = ParseOptions()) -> Page:
    """Decode and parse one page as saved by a scraper.  Raises InputError for bad bytes.

    This is the unit of work of batch conversion: a pure, picklable function of its
    arguments.
    """
    decoded = decode(data, source)
    return parse(decoded.text, source, options, decoded.warnings)
