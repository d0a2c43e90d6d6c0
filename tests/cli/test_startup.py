"""Start-up: a command imports only what it runs, and ``parse PATH...`` without options
takes a route without typer that gives the very bytes, messages and statuses of the
typer route (``parse --to jsonl`` goes through typer to the same loop)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from anp_extract import entry
from anp_extract.cli import app
from tests.support import ROOT, SEEDS
from tests.support.generator import write_corpus


def test_the_command_table_of_entry_is_what_the_modules_register() -> None:
    registered = {
        info.name or info.callback.__name__: info.callback.__module__.rsplit(".", 1)[1]
        for info in app.registered_commands if info.callback is not None
    }
    assert registered == entry.COMMAND_MODULES
    assert set(entry.ALL_MODULES) == set(registered.values())


@pytest.mark.parametrize(("args", "modules"), [
    (["parse", "a.txt"], ("parse",)),
    (["--no-color", "show", "a.txt"], ("inspect",)),
    (["convert", "--help"], ("convert",)),
    (["--help"], entry.ALL_MODULES),
    (["--version"], entry.ALL_MODULES),
    (["pars", "a.txt"], entry.ALL_MODULES),  # a typo: "did you mean" looks at them all
    ([], entry.ALL_MODULES),
])
def test_a_command_line_needs_the_module_of_its_command(
    args: list[str], modules: tuple[str, ...]
) -> None:
    assert entry.command_modules(args) == modules


@pytest.mark.parametrize(("args", "plain"), [
    (["parse"], True), (["parse", "a.txt", "-", "b c.txt"], True),
    (["parse", "--to", "csv", "a.txt"], False), (["parse", "a.txt", "--now", "mtime"], False),
    (["parse", "--", "a.txt"], False), (["strip", "a.txt"], False), ([], False),
])
def test_only_parse_with_paths_alone_takes_the_plain_route(args: list[str], plain: bool) -> None:
    assert entry.plain_parse(args) is plain


def _anp(*args: object, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "anp_extract", *map(str, args)], cwd=ROOT,
                          input=stdin, capture_output=True, timeout=120, check=False)


def test_plain_parse_writes_what_parse_through_typer_writes(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", 80, seed=5)  # records past one output batch
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    inputs = [*SEEDS[:3], tmp_path / "missing.txt", empty, "-", *pages]
    plain = _anp("parse", *inputs, stdin=SEEDS[4].read_bytes())
    typed = _anp("parse", "--to", "jsonl", *inputs, stdin=SEEDS[4].read_bytes())
    assert len(plain.stdout) > 128 * 1024
    assert (plain.returncode, plain.stdout, plain.stderr) == (
        typed.returncode, typed.stdout, typed.stderr)
    assert plain.returncode == 1
    assert plain.stderr.decode().splitlines() == [
        f"anp-extract: {tmp_path / 'missing.txt'}: no such file",
        f"anp-extract: {empty}: empty file: no text to parse",
    ]


def test_plain_parse_starts_without_typer_and_a_command_without_the_others() -> None:
    code = (
        "import sys\n"
        "from anp_extract import entry\n"
        "try:\n"
        "    entry.main()\n"
        "finally:\n"
        "    print(sorted(m for m in ('typer', 'pydantic', 'anp_extract.batch', "
        "'anp_extract.cli.convert', 'anp_extract.cli.inspect') if m in sys.modules), "
        "file=sys.stderr)\n"
    )
    seed = str(SEEDS[0])
    plain = subprocess.run([sys.executable, "-c", code, "parse", seed], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=False)
    assert (plain.returncode, plain.stderr) == (0, "[]\n")
    typed = subprocess.run([sys.executable, "-c", code, "parse", "--to", "csv", seed],
                           cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert (typed.returncode, typed.stderr) == (0, "['pydantic', 'typer']\n")
