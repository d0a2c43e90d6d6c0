"""Where the input or the output fails: one line on stderr, never a traceback.

The output failing (a full disk, stdout closed) is seen only in a real process: the
message comes from the console entry point, which CliRunner does not go through.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anp_extract.cli import app
from tests.support import ROOT

PAGE = sorted((ROOT / "seeds").glob("*.txt"))[0]
FULL = Path("/dev/full")  # Linux: every write fails with ENOSPC


def program(args: str, redirect: str) -> subprocess.CompletedProcess[str]:
    script = f'exec "$PY" -m anp_extract {args} {redirect}'
    return subprocess.run(
        ["bash", "-c", script], env={**os.environ, "PY": sys.executable}, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """*code* run by this Python in a process of its own, from the project folder."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


WRITERS = [
    f"parse {PAGE}",
    f"parse --to csv --table briefs {PAGE}",
    f"strip {PAGE}",
    f"split --jsonl {PAGE}",
    "export --to csv < /dev/null",
    "convert seeds -o -",
    "--version",
]


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", WRITERS)
def test_a_full_disk_is_one_line_and_status_1(args: str) -> None:
    done = program(args, "> /dev/full")
    assert done.returncode == 1
    assert done.stderr.endswith(
        "anp-extract: cannot write the output: No space left on device\n"
    ), done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.parametrize("args", [f"parse {PAGE}", "export < /dev/null"])
def test_a_closed_stdout_is_one_line_and_status_1(args: str) -> None:
    done = program(args, ">&-")
    assert (done.returncode, done.stderr) == (
        1, "anp-extract: cannot write the output: Bad file descriptor\n"
    )


def test_binary_to_export_names_the_line_also_at_the_start(tmp_path: Path) -> None:
    binary = tmp_path / "image.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = CliRunner().invoke(app, ["export", str(binary)])
    assert result.exit_code == 1
    assert result.stderr == f"anp-extract: {binary}:3: binary data (a NUL byte), not JSON Lines\n"


# Ctrl-C while the command is still importing typer, rich and the core (the first third
# of a second): raised at the import the entry point guards, so the test does not race
# a real signal against start-up.
INTERRUPTED_IMPORT = """
import builtins, sys
real = builtins.__import__
def interrupted(name, globals=None, locals=None, fromlist=(), level=0):
    if name in ("cli", "streams") and level == 1:  # the typer route, or plain parse's
        raise KeyboardInterrupt
    return real(name, globals, locals, fromlist, level)
builtins.__import__ = interrupted
from anp_extract.entry import main
main()
"""


@pytest.mark.parametrize("args", [["parse"], ["parse", "--to", "csv"]])
def test_ctrl_c_while_starting_is_status_130_without_a_traceback(args: list[str]) -> None:
    done = python(INTERRUPTED_IMPORT, *args)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")


def test_importing_the_package_imports_nothing_heavy_yet() -> None:
    # What the entry point's guard cannot cover must stay small: no core, no typing.
    code = ("import sys, anp_extract; "
            "print(sorted(m for m in sys.modules if m.startswith('anp_extract') "
            "or m in ('typing', 'regex', 'typer', 'rich')))")
    done = python(code)
    assert (done.returncode, done.stdout) == (0, "['anp_extract']\n")


def test_the_package_names_resolve_when_used() -> None:
    import anp_extract

    assert set(anp_extract.__all__) == {*anp_extract._EXPORTS, "__version__"}
    assert all(getattr(anp_extract, name) is not None for name in anp_extract.__all__)


def test_a_command_that_draws_nothing_starts_without_rich() -> None:
    # rich costs a tenth of a second at start-up: only show, stats and a progress bar need it.
    code = ("import sys\n"
            "from anp_extract.cli import app\n"
            "try:\n"
            "    app(['parse', 'seeds/000_fffbfb031fd1977c.txt'], prog_name='anp-extract')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')),"
            " file=sys.stderr)\n")
    done = python(code)
    assert done.stderr == "[]\n"
