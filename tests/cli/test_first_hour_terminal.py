"""Issue 16 in a real terminal: what a person sees."""

from __future__ import annotations

import os
import sys

import pexpect

from tests.support import ROOT


def spawn(args: list[str], **env: str) -> pexpect.spawn[bytes]:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return pexpect.spawn(sys.executable, ["-m", "anp_extract", *args], cwd=str(ROOT),
                         env={**clean, "TERM": "xterm-256color", **env}, timeout=30,
                         dimensions=(24, 100))


def shown(child: pexpect.spawn[bytes]) -> str:
    """What the terminal showed before the end."""
    assert child.before is not None
    return child.before.decode("utf-8", "replace")


def test_parse_without_arguments_on_a_terminal_says_it_reads_standard_input() -> None:
    child = spawn(["parse"])
    child.expect("reading standard input")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # an empty page, said as for any empty input


def test_show_pager_with_a_missing_pager_says_so_in_one_line_and_shows_the_page() -> None:
    page = sorted((ROOT / "seeds").glob("*.txt"))[1]
    child = spawn(["show", "--pager", str(page)], PAGER="nosuchpager")
    child.expect(pexpect.EOF)
    child.close()
    text = shown(child)
    assert child.exitstatus == 0
    assert "not found" not in text  # no shell error
    assert text.count("nosuchpager") == 1 and "without a pager" in text
    assert "Meer uit Buitenland" in text


def test_the_progress_bar_labels_its_times(tmp_path: object) -> None:
    from pathlib import Path

    from tests.support.generator import write_corpus

    folder = Path(str(tmp_path)) / "pages"
    write_corpus(folder, 150, seed=16)
    child = spawn(["convert", str(folder), "-o", str(Path(str(tmp_path)) / "o.jsonl"), "-j1"],
                  COLUMNS="120")
    child.expect(pexpect.EOF)
    child.close()
    bar = shown(child).split("anp-extract: convert:")[0]
    assert child.exitstatus == 0 and "elapsed" in bar and "left" in bar, bar
