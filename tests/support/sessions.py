"""The docs show real sessions: every ``$`` line of their console blocks, run as written,
prints the lines shown under it.  One reader and one runner serve the README and every
page of docs/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.support import ROOT


def console_sessions(markdown: str) -> list[tuple[str, list[str]]]:
    """``(command, output lines)`` for each ``$`` line of the console blocks."""
    sessions: list[tuple[str, list[str]]] = []
    inside = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            inside = line == "```console"
        elif inside and line.startswith("$ "):
            sessions.append((line[2:], []))
        elif inside:
            sessions[-1][1].append(line)
    return sessions


def shown_as(expected: list[str], actual: list[str]) -> bool:
    """The documented output, where a line ending in '…' stands for any line it begins."""
    if len(expected) != len(actual):
        return False
    return all(
        got.startswith(want[:-1].rstrip()) if want.endswith("…") else got.rstrip() == want.rstrip()
        for want, got in zip(expected, actual, strict=True)
    )


def run_sessions(
    page: str,
    tmp_path: Path,
    *,
    minimum: int,
    folders: tuple[str, ...] = ("seeds",),
    normalise: Callable[[str], str] = lambda line: line,
) -> None:
    """Run the sessions of *page* (a path under the repository) in bash, in a copy of
    *folders*, stdout and stderr together, and check each prints what the page shows."""
    for folder in folders:  # once: pages may run one after another in one folder
        if not (tmp_path / folder).exists():
            shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    sessions = console_sessions((ROOT / page).read_text("utf-8"))
    assert len(sessions) >= minimum, f"{page}: only {len(sessions)} sessions"
    for command, expected in sessions:
        done = subprocess.run(
            ["bash", "-c", f"{{ {command}\n}} 2>&1"], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=60,
        )
        actual = [normalise(line) for line in done.stdout.splitlines()]
        wanted = [normalise(line) for line in expected]
        assert shown_as(wanted, actual), f"{page}: $ {command}\n" + "\n".join(actual)
