"""anp-extract: scraped plain-text pages of Dutch ANP news in, structured records out.

The core is pure: ``parse(text) -> Page``; no I/O, no CLI.

>>> from anp_extract import parse
>>> page = parse("Kop\\nDEN HAAG (ANP) - Tekst.")
>>> page.title, page.dateline.places
('Kop', ('DEN HAAG',))
"""

from __future__ import annotations

import importlib

# Not ``typing.TYPE_CHECKING``: importing typing is a start-up cost the guard in
# ``entry`` cannot cover yet (mypy takes this spelling as well).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .boilerplate import DEFAULT_RULES, Rules, compile_rules, load_rules
    from .datelines import Dateline, split_dateline
    from .errors import AnpExtractError, InputError, RecordError, RuleError
    from .page import ParseOptions, annotate, parse, parse_bytes
    from .record import SCHEMA, Block, Brief, LabelledLine, Page
    from .ticker import TickerItem

# The public names and the modules they live in: imported when first used, so that
# ``import anp_extract`` costs nothing until the core is needed (the command's Ctrl-C
# guard, in ``entry``, covers the imports that follow).
_EXPORTS = {
    "DEFAULT_RULES": "boilerplate", "Rules": "boilerplate", "compile_rules": "boilerplate",
    "load_rules": "boilerplate",
    "Dateline": "datelines", "split_dateline": "datelines",
    "AnpExtractError": "errors", "InputError": "errors", "RecordError": "errors",
    "RuleError": "errors",
    "ParseOptions": "page", "annotate": "page", "parse": "page", "parse_bytes": "page",
    "SCHEMA": "record", "Block": "record", "Brief": "record", "LabelledLine": "record",
    "Page": "record",
    "TickerItem": "ticker",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
