"""anp-extract: scraped plain-text pages of Dutch ANP news in, structured records out.

The core is pure: ``parse(text) -> Page``; no I/O, no CLI.

>>> from anp_extract import parse
>>> page = parse("Kop\\nDEN HAAG (ANP) - Tekst.")
>>> page.title, page.dateline.places
('Kop', ('DEN HAAG',))
"""

from __future__ import annotations

from .boilerplate import DEFAULT_RULES, Rules, compile_rules, load_rules
from .datelines import Dateline, split_dateline
from .errors import AnpExtractError, InputError, RecordError, RuleError
from .page import ParseOptions, annotate, parse, parse_bytes
from .record import SCHEMA, Block, Brief, LabelledLine, Page
from .ticker import TickerItem

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_RULES",
    "SCHEMA",
    "AnpExtractError",
    "Block",
    "Brief",
    "Dateline",
    "InputError",
    "LabelledLine",
    "Page",
    "ParseOptions",
    "RecordError",
    "RuleError",
    "Rules",
    "TickerItem",
    "__version__",
    "annotate",
    "compile_rules",
    "load_rules",
    "parse",
    "parse_bytes",
    "split_dateline",
]
