"""The same Unix manners, tested against every command.

In-process (typer's CliRunner) for inputs and exit statuses; in real processes for
what only a process shows: a reader closing the pipe, a pipeline of anp-extract
stages, colour on a terminal, a crash that must not print a page.

``COMMANDS`` lists how each command is run as a filter; commands not registered yet
are skipped.  Whoever adds a command adds or corrects its entry here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import orjson
import pytest

from anp_extract import __version__
from anp_extract.cli import app
from tests import support
from tests.support import ROOT, in_pty

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PAGE = SEEDS[1]  # glued ages, no banner: every command has something to say about it


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...] = ()  # what makes it a filter writing to stdout
    reads: Literal["pages", "records"] = "pages"
    empty: int = 0  # exit status for empty input: a text filter passes it, parse refuses it
    stdin: bool = True  # no path, or '-', reads standard input
    report: bool = False  # renders or sums its inputs (show, stats) rather than filtering each
    records: bool = False  # writes page records (parse, convert)
    summary: bool = False  # ends with one summary line on stderr, by design (convert)
    many: bool = False  # a big run is many files, not one big file

    def messages(self, err: str) -> str:
        """Its stderr without the summary line it always ends with."""
        if self.summary:
            lines = err.splitlines(keepends=True)
            assert lines and lines[-1].startswith(f"anp-extract: {self.name}: "), err
            return "".join(lines[:-1])
        return err

    def __str__(self) -> str:
        return self.name


COMMANDS = [
    Command("parse", empty=1, records=True, many=True),
    Command("strip"),
    Command("split"),
    Command("datelines"),
    Command("export", reads="records"),
    # Entries for commands still being written (issues 4 and 5): correct them on arrival.
    Command("convert", args=("-o", "-"), empty=1, stdin=False, records=True, summary=True,
            many=True),
    Command("show", empty=1, report=True),
    Command("stats", args=("--json",), empty=1, stdin=False, report=True),
]


def registered() -> set[str]:
    return {
        info.name or info.callback.__name__.replace("_", "-")
        for info in app.registered_commands
        if info.callback is not None
    }


def present(commands: list[Command]) -> list[object]:
    names = registered()
    return [
        pytest.param(c, id=c.name, marks=() if c.name in names else pytest.mark.skip(
            reason=f"'{c.name}' is not registered yet"))
        for c in commands
    ]


ALL = present(COMMANDS)
STDIN = present([c for c in COMMANDS if c.stdin])


@dataclass
class Run:
    code: int
    out: bytes
    err: str


def run(args: list[str], stdin: bytes | None = None) -> Run:
    ran = support.run(args, stdin)
    return Run(ran.code, ran.out, ran.err)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("records") / "page.jsonl"
    path.write_bytes(run(["parse", str(PAGE)]).out)
    return path


def good_input(command: Command, records: Path) -> Path:
    return records if command.reads == "records" else PAGE


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Exception ignored" not in err, err


# -- help, version, usage ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(registered()))
def test_every_command_help_has_an_example(name: str) -> None:
    result = run([name, "--help"])
    assert result.code == 0
    lines = result.out.decode().splitlines()
    example = next(n for n, line in enumerate(lines) if line.startswith("  Example: anp-extract "))
    # One line in an 80-column terminal, where click wraps help text at 78.
    assert len(lines[example]) <= 78 and lines[example + 1] == ""


@pytest.mark.parametrize(
    "command",
    [c for c in COMMANDS if c.name in registered()],
    ids=str,
)
def test_every_command_help_documents_the_exit_statuses(command: Command) -> None:
    text = " ".join(run([command.name, "--help"]).out.decode().split())
    assert "Exit status: 0 all inputs read; 1 some input failed" in text
    assert "2 usage error" in text


def test_the_program_help_documents_the_exit_statuses() -> None:
    text = " ".join(run(["--help"]).out.decode().split())
    assert "Exit status: 0 all inputs read; 1 some input failed (each named on stderr) or " \
        "the output could not be written; 2 usage error" in text
    assert "Example: anp-extract parse seeds/*.txt | jq -r .title" in text


def test_version() -> None:
    assert run(["--version"]).out == f"anp-extract {__version__}\n".encode()


@pytest.mark.parametrize("command", ALL)
def test_an_unknown_option_is_a_usage_error(command: Command) -> None:
    result = run([command.name, "--no-such-option", str(PAGE)])
    assert result.code == 2 and result.out == b""
    assert "No such option" in result.err


# -- inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", STDIN)
def test_no_path_and_dash_read_stdin_like_a_path(command: Command, records: Path) -> None:
    path = good_input(command, records)
    data = path.read_bytes()
    bare = run([command.name, *command.args], data)
    dash = run([command.name, *command.args, "-"], data)
    named = run([command.name, *command.args, str(path)])
    assert bare.code == dash.code == named.code == 0
    assert bare.out == dash.out and bare.out
    # Only the name of the input may differ (parse's "source").
    assert named.out.replace(str(path).encode(), b"-") == bare.out


@pytest.mark.parametrize("command", STDIN)
def test_empty_input(command: Command) -> None:
    for empty in (b"", b"\n \n"):
        result = run([command.name, *command.args], empty)
        assert result.code == command.empty
        no_traceback(result.err)
        if command.empty:
            assert result.err.count("\n") == 1 and "anp-extract: -: " in result.err
        else:
            assert result.err == "" and result.out == b""


@pytest.mark.parametrize("command", ALL)
def test_binary_input_is_named_on_one_line_and_the_rest_goes_on(
    command: Command, records: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff")
    good = good_input(command, records)
    alone = run([command.name, *command.args, str(good)])
    both = run([command.name, *command.args, str(binary), str(good)])
    assert both.code == 1
    no_traceback(both.err)
    err = command.messages(both.err)
    assert err.count("\n") == 1 and f"anp-extract: {binary}" in err
    assert both.out == alone.out or (command.report and both.out)


@pytest.mark.parametrize("command", ALL)
def test_a_missing_file_is_named_and_the_rest_goes_on(command: Command, records: Path) -> None:
    good = good_input(command, records)
    alone = run([command.name, *command.args, str(good)])
    both = run([command.name, *command.args, "no/such.txt", str(good)])
    assert both.code == 1
    assert command.messages(both.err) == "anp-extract: no/such.txt: no such file\n"
    assert both.out == alone.out or (command.report and both.out)


@pytest.mark.parametrize("command", ALL)
def test_cp1252_input(command: Command, records: Path, tmp_path: Path) -> None:
    text = good_input(command, records).read_text("utf-8").replace("\n", "\r\n")
    utf8, windows = tmp_path / "utf8.txt", tmp_path / "win12.txt"
    utf8.write_bytes(text.encode("utf-8"))
    windows.write_bytes(text.encode("cp1252"))
    expected = run([command.name, *command.args, str(utf8)])
    result = run([command.name, *command.args, str(windows)])
    no_traceback(result.err)
    if command.reads == "records":  # JSON Lines are UTF-8: a line that is not is named
        assert result.code == 1
        assert result.err.startswith(f"anp-extract: {windows}:1: not UTF-8")
        return
    assert result.code == expected.code == 0
    out = result.out.replace(b"win12.txt", b"utf8.txt")
    if command.report:  # whatever it shows, it shows in UTF-8
        out.decode("utf-8")
    elif command.records:  # the record says how it was read
        got, want = orjson.loads(out), orjson.loads(expected.out)
        assert got.pop("warnings")[0].startswith("decoded as cp1252")
        want.pop("warnings")
        assert got == want
    else:  # a text filter says it on stderr, and writes UTF-8 all the same
        assert out == expected.out and "Israël".encode() in out
        assert result.err.startswith(f"anp-extract: {windows}: warning: decoded as cp1252")


# -- real processes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment where ``anp-extract`` is this checkout's command."""
    folder = Path(sys.executable).parent
    if not (folder / "anp-extract").exists():
        folder = tmp_path_factory.mktemp("bin")
        script = folder / "anp-extract"
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m anp_extract "$@"\n')
        script.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**clean, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "TERM": "xterm-256color"}


def bash(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Inputs whose output is far more than a pipe holds."""
    folder = tmp_path_factory.mktemp("big")
    pages = b"\n".join(seed.read_bytes() for seed in SEEDS) * 60
    (folder / "pages.txt").write_bytes(pages)
    (folder / "records.jsonl").write_bytes(run(["parse", *map(str, SEEDS * 40)]).out)
    # 200 files under 200 names: a command that reads each file once (convert) still has
    # far more to write than a pipe holds.
    many = folder / "many"
    many.mkdir()
    for n, seed in enumerate(SEEDS * 40):
        (many / f"{n:03d}-{seed.name}").write_bytes(seed.read_bytes())
    return {"pages": folder / "pages.txt", "records": folder / "records.jsonl", "many": many}


@pytest.mark.parametrize("command", ALL)
def test_a_closed_pipe_ends_quietly(
    command: Command, env: dict[str, str], big: dict[str, Path]
) -> None:
    if command.many:
        inputs = " ".join(str(page) for page in sorted(big["many"].iterdir()))
    else:
        inputs = str(big[command.reads])
    args = " ".join(command.args)
    done = bash(f"anp-extract {command.name} {args} {inputs} | head -1; "
                'echo "status ${PIPESTATUS[0]}" >&2', env)
    assert done.stdout.count("\n") == 1
    # SIGPIPE's status, and not a word more (a report may be short enough to fit the pipe).
    assert done.stderr == "status 141\n" or (command.report and done.stderr == "status 0\n")


def reading_stdin(pid: int, within: float = 30.0) -> None:
    """Wait until the process is blocked reading its stdin (started up, handlers in place)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            call = Path(f"/proc/{pid}/syscall").read_text().split()
        except OSError:  # no /proc: give it time instead
            time.sleep(3)
            return
        if call[:2] == ["0", "0x0"]:  # read(0, ...)
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never read its standard input")


def test_ctrl_c_ends_every_command_quietly_with_130(env: dict[str, str]) -> None:
    names = registered()
    waiting = {
        c.name: subprocess.Popen(
            ["anp-extract", c.name, *c.args], env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for c in COMMANDS if c.stdin and c.name in names
    }
    for process in waiting.values():
        reading_stdin(process.pid)
    for process in waiting.values():
        process.send_signal(signal.SIGINT)
    for name, process in waiting.items():
        out, err = process.communicate(timeout=30)
        assert (name, process.returncode, out) == (name, 130, b"")
        no_traceback(err.decode())


# A process started with SIGINT ignored (a background job) that starts a child, and the
# SIGINT handler the child's Python has: its own (KeyboardInterrupt), unless ignored.
_ASKS_ITS_CHILD = """
import signal, subprocess, sys
from tests.support import interruptible_children
{call}
child = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).stdout)
"""


@pytest.mark.parametrize(("call", "interruptible"), [
    ("", "False"),  # the fault: the Ctrl-C tests' processes ignored their SIGINT
    ("interruptible_children()", "True"),  # what conftest does
])
def test_the_suite_s_processes_take_sigint_when_it_runs_in_the_background(
    call: str, interruptible: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ASKS_ITS_CHILD.format(call=call)], cwd=ROOT,
        capture_output=True, text=True, check=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as `make test &`
    )
    assert done.stdout.strip() == interruptible


def test_strip_split_parse_pipeline_of_real_processes(env: dict[str, str]) -> None:
    # One seed of each layout (every seed goes through the same law in-process).
    seeds = SEEDS[:2]
    done = bash(
        f"for page in {' '.join(f'seeds/{seed.name}' for seed in seeds)}; do "
        'cat "$page" | anp-extract strip | anp-extract split | anp-extract parse; done', env
    )
    assert done.returncode == 0 and done.stderr == ""
    direct = [orjson.loads(line) for line in run(["parse", *map(str, seeds)]).out.splitlines()]
    piped = [orjson.loads(line) for line in done.stdout.splitlines()]
    skip = {"source", "boilerplate", "warnings"}
    assert len(piped) == 2
    assert [{k: v for k, v in r.items() if k not in skip} for r in piped] == [
        {k: v for k, v in r.items() if k not in skip} for r in direct
    ]


def test_parse_export_pipeline_of_real_processes(env: dict[str, str]) -> None:
    done = bash("anp-extract parse seeds/* | anp-extract export --table briefs --to csv "
                "| wc -l", env)
    assert done.returncode == 0 and done.stdout.strip() == "36"


def test_version_of_the_installed_command(env: dict[str, str]) -> None:
    done = bash("anp-extract --version", env)
    assert (done.returncode, done.stdout) == (0, f"anp-extract {__version__}\n")


def test_a_crash_never_prints_the_page(env: dict[str, str], tmp_path: Path) -> None:
    """A bug (not bad input) gives a plain traceback: code, never the values of locals."""
    page = tmp_path / "secret.txt"
    page.write_text("DEN HAAG (ANP) - GEHEIM-PAGINA-TEKST staat hierin.\n", "utf-8")
    program = (
        "import anp_extract.core.page as page\n"
        "def broken(data, source, options):\n"
        "    text = data.decode()\n"
        "    raise RuntimeError('bug')\n"
        "page.parse_bytes = broken\n"
        "from anp_extract.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, "parse", str(page)],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1 and "RuntimeError: bug" in done.stderr
    assert "GEHEIM" not in done.stderr + done.stdout


# -- colour ------------------------------------------------------------------------------------


def in_terminal(command: str, env: dict[str, str]) -> str:
    """Run *command* with stdout and stderr on a pseudo-terminal; what it showed."""
    output, status = in_pty(f"bash -c {command!r}", env=env, cwd=str(ROOT), timeout=60)
    assert status == 0, output
    return output


def test_colour_shows_on_a_terminal(env: dict[str, str]) -> None:
    # The control for the tests below: a command that colours, coloured.
    shown = in_terminal(f"anp-extract strip --show-removed seeds/{SEEDS[0].name} >/dev/null", env)
    assert "\x1b[" in shown and "Webmail" in shown


@pytest.mark.parametrize("command", ALL)
@pytest.mark.parametrize("how", ["NO_COLOR=1 anp-extract", "anp-extract --no-color"])
def test_no_color_means_no_escape_codes(
    command: Command, how: str, env: dict[str, str], records: Path
) -> None:
    extra = "--show-removed" if command.name == "strip" else ""
    good = SEEDS[0] if command.reads == "pages" else records
    shown = in_terminal(f"{how} {command.name} {extra} {' '.join(command.args)} {good}", env)
    assert "\x1b" not in shown and shown.strip()
