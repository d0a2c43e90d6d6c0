"""What the tests share: the project's paths, the record validator, and one way to run
the command in-process (``run``)."""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jsonschema
from typer.testing import CliRunner

from anp_extract.core.contract import schema

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def interruptible_children() -> None:
    """Let the processes the tests start be interrupted by SIGINT, as from a terminal.

    A shell script starts a background job (``make test &``) with SIGINT ignored, and
    an ignored signal stays ignored across exec: each anp-extract the tests sent a real
    SIGINT ignored it, ran to the end and exited 0 (nine tests failed).  A handler, unlike
    SIG_IGN, is reset to the default at exec, so this process takes Python's own and its
    children start as they would from a terminal.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def assert_valid(record: dict[str, Any]) -> None:
    """The record obeys the packaged JSON Schema; the first error names the field."""
    error = jsonschema.exceptions.best_match(VALIDATOR.iter_errors(record))
    assert error is None, f"{record.get('source')}: {error.json_path}: {error.message}"


@dataclass
class Ran:
    """What one in-process run of anp-extract gave."""

    code: int
    out: bytes  # stdout, as bytes
    err: str  # stderr
    exception: BaseException | None

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8")


def run(
    args: Sequence[object], stdin: bytes | str | None = None,
    env: Mapping[str, str | None] | None = None, cwd: Path | None = None,
) -> Ran:
    """anp-extract *args* in this process (typer's CliRunner), stdout and stderr apart."""
    from anp_extract.cli import app

    here = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, [str(arg) for arg in args], input=stdin,
                                    env=dict(env) if env else None)
    finally:
        os.chdir(here)
    return Ran(result.exit_code, result.stdout_bytes, result.stderr, result.exception)


def in_pty(command: str, **options: Any) -> tuple[str, int]:
    """``pexpect.run(command, withexitstatus=True, **options)``: what a pseudo-terminal
    showed (decoded) and the exit status.  pexpect's stubs give the result as a union of
    bytes and (bytes, status); with the status asked for it is always the pair."""
    import pexpect

    ran = pexpect.run(command, withexitstatus=True, **options)
    assert isinstance(ran, tuple)
    output, status = cast(tuple[bytes, int], ran)
    return output.decode("utf-8", "replace"), status
