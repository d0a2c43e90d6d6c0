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

    from .core.boilerplate import DEFAULT_RULES, Rules, compile_rules, load_rules
    from .core.datelines import Dateline, split_dateline
    from .core.page import ParseOptions, annotate, parse, parse_bytes
    from .core.record import SCHEMA, Block, Brief, LabelledLine, Page
    from .core.ticker import TickerItem
    from .errors import AnpExtractError, InputError, RecordError, RuleError
    from .sinks.arrow import arrow_schema

# The public names and the modules they live in: imported when first used, so that
# ``import anp_extract`` costs nothing until the core is needed (the command's Ctrl-C
# guard, in ``entry``, covers the imports that follow).
_EXPORTS = {
    "DEFAULT_RULES": "core.boilerplate", "Rules": "core.boilerplate",
    "compile_rules": "core.boilerplate", "load_rules": "core.boilerplate",
    "Dateline": "core.datelines", "split_dateline": "core.datelines",
    "AnpExtractError": "errors", "InputError": "errors", "RecordError": "errors",
    "RuleError": "errors",
    "ParseOptions": "core.page", "annotate": "core.page", "parse": "core.page",
    "parse_bytes": "core.page",
    "SCHEMA": "core.record", "Block": "core.record", "Brief": "core.record",
    "LabelledLine": "core.record", "Page": "core.record",
    "TickerItem": "core.ticker",
    "arrow_schema": "sinks.arrow",
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
    "arrow_schema",
    "compile_rules",
    "load_rules",
    "parse",
    "parse_bytes",
    "split_dateline",
]
