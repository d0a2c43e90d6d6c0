"""``--no-color`` after the command name, on the one filter that colours (``strip
--show-removed`` on a terminal), as ``show`` and ``stats`` take it."""

from __future__ import annotations

import os
import sys

from tests.support import ROOT, in_pty

PAGE = sorted((ROOT / "seeds").glob("*.txt"))[0]


def in_terminal(args: str) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return in_pty(
        f"bash -c '{sys.executable} -m anp_extract {args} > /dev/null'",
        env={**env, "TERM": "xterm-256color"}, cwd=str(ROOT), timeout=60,
    )


def test_strip_takes_no_color_after_the_command_name() -> None:
    coloured, status = in_terminal(f"strip --show-removed {PAGE}")
    assert status == 0 and "\x1b[" in coloured  # the control
    plain, status = in_terminal(f"strip --show-removed --no-color {PAGE}")
    assert status == 0 and "Webmail" in plain and "\x1b" not in plain, plain
