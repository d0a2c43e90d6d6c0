"""``show``: what a page looks like to the parser, plain at 80 columns and coloured on a
terminal.  Renderings of every seed and example are snapshots (tests/snapshots/)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.snapshots import EXAMPLES, ROOT, SEEDS, WIDTH, check, invoke, relative
from tests.support.sessions import console_sessions

PAGES = SEEDS + EXAMPLES
PROBLEMS = next(path for path in EXAMPLES if path.stem == "problems")
GLUED = SEEDS[1]  # layout (b): every age glued onto the next brief
RULE = "─" * WIDTH
ESC = "\x1b"


def show(*args: str, width: int = WIDTH) -> str:
    code, out, err = invoke(["show", *args], width)
    assert (code, err) == (0, "")
    return out


def assert_plain(out: str, width: int = WIDTH) -> None:
    """No escape codes, nothing past the width, no blanks padding the lines."""
    assert ESC not in out
    for line in out.splitlines():
        assert len(line) <= width, line
        assert line == line.rstrip(), repr(line)


# -- snapshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_show_snapshot(page: Path) -> None:
    out = show(relative(page))
    assert_plain(out)
    check(f"show/{page.stem}.txt", out)


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_show_lines_snapshot(page: Path) -> None:
    out = show("--lines", relative(page))
    assert_plain(out)
    check(f"lines/{page.stem}.txt", out)


# -- what the views say ----------------------------------------------------------------------


def test_the_dateline_is_set_apart_into_places_and_agencies() -> None:
    out = show(relative(SEEDS[0]))
    assert "dateline  IZJOEM/LONDEN (ANP/RTR) -\nplaces    IZJOEM, LONDEN\n" \
        "agencies  ANP, RTR\n" in out


def test_unparsed_lines_and_warnings_come_first_boilerplate_last() -> None:
    out = show(relative(PROBLEMS))
    unparsed = out.index("! 1 line not understood (unparsed):\n"
                         "  1 Wij gebruiken cookies om de site te verbeteren. Akkoord?\n")
    warning = out.index("warning: line 12: brief without an age")
    title = out.index("Brand in Middelburg\ndateline")
    removed = out.index("Removed as boilerplate: 2 lines\n  2 Webmail\n  3 Kies je webmail\n")
    assert unparsed < warning < title < removed
    assert "§ Rookwolk" in out  # a subheading of the body
    assert "[update" in out  # news text is never read as console markup


def test_lines_labels_every_line_and_splits_glued_ages() -> None:
    out = show("--lines", relative(GLUED))
    rows = out.splitlines()[3:]  # after the source, the summary and a blank line
    # 14 input lines, six of them an age glued onto the next brief: 20 rows.
    assert len(rows) == 20
    assert sum(row.startswith(" ↳ brief ") for row in rows) == 6
    assert " 8 age         3 uur geleden" in rows
    assert rows[rows.index(" 8 age         3 uur geleden") + 1].startswith(
        " ↳ brief       TEHERAN (ANP/RTR) - ")
    assert "6 glued ages cut loose" in out


def test_lines_marks_unparsed_in_capitals() -> None:
    out = show("--lines", relative(PROBLEMS))
    assert " 1 UNPARSED    Wij gebruiken cookies" in out
    assert "warning: line 12: brief without an age" in out


def test_a_decoding_fallback_is_shown_with_the_page(tmp_path: Path) -> None:
    page = tmp_path / "win.txt"
    page.write_bytes(SEEDS[0].read_text("utf-8").encode("cp1252"))
    out = show(str(page))
    assert "warning: decoded as cp1252" in out and "Italië" in out


def test_several_pages_one_after_the_other_with_a_rule_between() -> None:
    one, two = show(relative(SEEDS[0])), show(relative(SEEDS[3]))
    assert show(relative(SEEDS[0]), relative(SEEDS[3])) == one + RULE + "\n" + two


def test_bad_inputs_are_named_and_the_others_shown(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    good = show(relative(SEEDS[3]))
    code, out, err = invoke(["show", "no/such.txt", relative(SEEDS[3]), str(binary)])
    assert code == 1
    assert out == good  # no rule for the pages that could not be read
    assert err.splitlines() == [
        "anp-extract: no/such.txt: no such file",
        f"anp-extract: {binary}: binary file (NUL byte at offset 4, line 1), not a text page",
    ]


def test_stdin_reads_like_a_path() -> None:
    named = show(relative(SEEDS[2]))
    code, out, err = invoke(["show", "-"], stdin=SEEDS[2].read_bytes())
    assert (code, err) == (0, "")
    assert out == named.replace(relative(SEEDS[2]), "-", 1)


@pytest.mark.parametrize("width", [50, 120])
def test_the_rendering_fits_the_width(width: int) -> None:
    for args in ([relative(SEEDS[1])], ["--lines", relative(SEEDS[1])]):
        out = show(*args, width=width)
        assert_plain(out, width)
        assert max(len(line) for line in out.splitlines()) >= width - 10  # and uses it


def test_without_a_terminal_the_pager_is_not_used() -> None:
    assert show("--pager", relative(SEEDS[4])) == show(relative(SEEDS[4]))


# -- a real terminal -------------------------------------------------------------------------


def terminal(args: list[str], env: dict[str, str], columns: int = 100) -> str:
    """Run the installed command on a pseudo-terminal of *columns*; what it showed."""
    command = str(Path(sys.executable).parent / "anp-extract")
    child = pexpect.spawn(command, args, cwd=str(ROOT), env=env, dimensions=(50, columns),
                          encoding="utf-8", timeout=60)
    shown = str(child.read())
    child.close()
    assert child.exitstatus == 0, shown
    return shown


@pytest.fixture
def tty_env() -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items()
             if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PAGER")}
    return {**clean, "TERM": "xterm-256color"}


def test_colour_on_a_terminal_and_none_with_no_color(tty_env: dict[str, str]) -> None:
    page = relative(SEEDS[0])
    coloured = terminal(["show", page], tty_env)
    assert f"{ESC}[1m" in coloured and f"{ESC}[2m" in coloured  # bold headline, dim boilerplate
    assert re.search(r"\x1b\[[0-9;]*3[0-9]m|\x1b\[[0-9;]*38;5;", coloured)  # a colour proper
    plain = [
        terminal(["show", page], {**tty_env, "NO_COLOR": "1"}),
        terminal(["show", "--no-color", page], tty_env),
        terminal(["--no-color", "show", page], tty_env),
    ]
    for shown in plain:
        assert ESC not in shown and "IZJOEM, LONDEN" in shown
    # The same words either way: colour is the only difference (and the blanks that pad
    # coloured lines to the width, trimmed from plain ones).
    def words(shown: str) -> list[str]:
        return [line.rstrip() for line in re.sub(r"\x1b\[[0-9;]*m", "", shown).splitlines()]

    assert words(coloured) == words(plain[0])


def test_a_terminal_rendering_fits_the_terminal_width(tty_env: dict[str, str]) -> None:
    shown = terminal(["show", "--no-color", relative(SEEDS[0])], tty_env, columns=100)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) == 100  # the briefs table spans the terminal
    assert "─" * 100 in lines


def test_pager_only_when_asked(tty_env: dict[str, str], tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {**tty_env, "PAGER": f"cat > {paged}"}
    assert "Removed as boilerplate" in terminal(["show", relative(SEEDS[0])], env)
    assert not paged.exists()
    shown = terminal(["show", "--pager", relative(SEEDS[0]), relative(SEEDS[2])], env)
    assert "Removed as boilerplate" not in shown  # it all went to the pager
    text = paged.read_text("utf-8")
    assert f"{ESC}[1m" in text  # colours kept for the pager (less -R)
    assert "Britten: Moskou werft militairen" in text and "─" * 100 in text


# -- docs/inspect.md shows real output ------------------------------------------------------


def test_every_session_in_the_docs_is_real() -> None:
    found = console_sessions((ROOT / "docs" / "inspect.md").read_text("utf-8"))
    assert len(found) == 5
    for command, shown in found:
        args = command.split()[1:]  # in-process, at the snapshots' fixed width
        code, out, err = invoke(args)
        assert (code, err) == (0, ""), args
        assert out.splitlines() == shown, f"docs/inspect.md: '{command}' prints otherwise"


def test_a_terminal_that_reports_no_width_gets_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    from anp_extract.cli import inspect

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    assert inspect.terminal_width() == 80
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((132, 40)))
    assert inspect.terminal_width() == 132
