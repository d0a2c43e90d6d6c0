"""The entry points of the parser: text or bytes in, one page record out.

Two stages do the work, as packaging's tokenizer feeds its parser:
:mod:`anp_extract.core.labels` scans the cleaned lines (furniture, date, ticker, and
the content lines sorted into ages, datelines, "Meer uit" and text), and
:mod:`anp_extract.core.assemble` builds the article and the briefs from them.
"""

from __future__ import annotations

from collections.abc import Sequence

from .assemble import Builder, ParseOptions
from .labels import scan
from .normalize import clean_lines, decode
from .record import LabelledLine, Page

__all__ = ["ParseOptions", "annotate", "parse", "parse_bytes"]


def annotate(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> tuple[Page, tuple[LabelledLine, ...]]:
    """Parse one page and say, line by line, what each line became (``show --lines``)."""
    found, content = scan(clean_lines(text), options.rules)
    builder = Builder.of(found, source, options, list(warnings))
    page = builder.build(content)
    return page, builder.labelled_lines()


def parse(
    text: str,
    source: str = "-",
    options: ParseOptions = ParseOptions(),
    warnings: Sequence[str] = (),
) -> Page:
    """Parse the text of one scraped page into its record."""
    found, content = scan(clean_lines(text), options.rules)
    return Builder.of(found, source, options, list(warnings)).build(content)


def parse_bytes(data: bytes, source: str = "-", options: ParseOptions = ParseOptions()) -> Page:
    """Decode and parse one page as saved by a scraper.  Raises InputError for bad bytes.

    This is the unit of work of batch conversion: a pure, picklable function of its
    arguments.
    """
    decoded = decode(data, source)
    return parse(decoded.text, source, options, decoded.warnings)
