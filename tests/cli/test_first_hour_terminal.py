"""Issue 16 in a real terminal: what a person sees."""

from __future__ import annotations

import os
import sys

import pexpect

from tests.support import ROOT


def spawn(args: list[str], **env: str) -> pexpect.spawn:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return pexpect.spawn(sys.executable, ["-m", "anp_extract", *args], cwd=str(ROOT),
                         env={**clean, "TERM": "xterm-256color", **env}, timeout=30,
                         dimensions=(24, 100))


def test_parse_without_arguments_on_a_terminal_says_it_reads_standard_input() -> None:
    child = spawn(["parse"])
    child.expect("reading standard input")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # an empty page, said as for any empty input
