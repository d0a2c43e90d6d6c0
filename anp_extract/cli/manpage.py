"""``make man``: the manual page, generated from the commands themselves, so it says
what ``--help`` says and cannot fall behind it.

    python -m anp_extract.cli.manpage > man/anp-extract.1 && man -l man/anp-extract.1
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

import typer
import typer.main

from .. import __version__
from . import app


def _roff(text: str) -> str:
    """*text* as literal roff: backslashes doubled, no line read as a request."""
    lines = text.replace("\\", "\\e").splitlines()
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in lines)


def manpage(today: datetime.date | None = None) -> str:
    """The page, in man(7) macros: the overview, then each command's help as written."""
    group = typer.main.get_command(app)
    wide: dict[str, Any] = {"max_content_width": 78, "terminal_width": 78}
    root = typer.Context(group, info_name="anp-extract", **group.context_settings, **wide)
    date = (today or datetime.date.today()).isoformat()
    out = [
        f'.TH ANP-EXTRACT 1 "{date}" "anp-extract {__version__}" "User Commands"',
        ".SH NAME",
        "anp-extract \\- turn scraped pages of Dutch ANP news into structured records",
        ".SH SYNOPSIS",
        ".B anp-extract",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        ".nf",
        _roff(group.get_help(root)),
        ".fi",
        ".SH COMMANDS",
    ]
    commands = getattr(group, "commands", {})
    for name, command in commands.items():
        context = typer.Context(command, info_name=name, parent=root, **wide)
        out += [f".SS {name}", ".nf", _roff(command.get_help(context)), ".fi"]
    out += [".SH SEE ALSO", "README.md and docs/*.md in the source tree.", ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(manpage())
