"""The ``anp-extract`` command: a thin typer layer over the core.

Data goes to stdout, messages to stderr; every way a run can end has one documented
exit status (``common.EXIT_CODES_HELP``).
"""

from __future__ import annotations

import importlib
import sys

import typer

from .. import __version__, entry
from ..streams import default_sigpipe, output_failed
from .common import EXIT_CODES_HELP, EXIT_OK, SETTINGS, NoColor

app = typer.Typer(
    name="anp-extract",
    help="Turn scraped plain-text pages of Dutch ANP news into structured records.\n\n"
    "Example: anp-extract parse seeds/*.txt | jq -r .title\n\n"
    + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"anp-extract {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    no_color: NoColor = False,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn scraped plain-text pages of Dutch ANP news into structured records."""
    SETTINGS.color = not no_color


# The commands register themselves on ``app`` when imported; --help lists them in this
# order: the record, the filters, the batch job, the inspection commands.  Started as
# the command, only the module of the command run is imported (``entry.needed``).
for _module in entry.needed or entry.ALL_MODULES:
    importlib.import_module(f"{__name__}.{_module}")


def main() -> None:
    """Console entry point.

    A closed pipe (``anp-extract parse big/* | head -1``) ends the process quietly with
    status 141, the way ``cat`` and ``grep`` end: the default action of SIGPIPE.
    """
    default_sigpipe()
    try:
        app(prog_name="anp-extract")
    except OSError as exc:
        # Every read is turned into an InputError where it happens; what is left is the
        # output failing (a full disk, a closed stdout): one line, not a traceback.
        sys.exit(output_failed(exc))
