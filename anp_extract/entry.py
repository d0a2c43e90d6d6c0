"""The ``anp-extract`` command's entry point.

The CLI (typer, rich and the core: about a third of a second of imports) is imported
inside the guard, so that Ctrl-C while it loads ends as quietly as Ctrl-C later on:
status 130 and no traceback.  The package's ``__init__`` imports nothing heavy itself
(its names are looked up when first used), so the guard covers nearly all of start-up.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # as common.EXIT_INTERRUPTED, which is not imported yet here


def main() -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    run()
