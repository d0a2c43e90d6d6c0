"""The README shows real sessions: every ``$`` line of its console blocks is run as written
and gives the output shown (a line ending in "…" stands for any line it begins)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_pipeline_laws import console_sessions, shown_as

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def test_the_readme_sessions_give_the_output_they_show(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "tests" / "data", tmp_path / "tests" / "data")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    sessions = console_sessions(README)
    assert len(sessions) >= 20
    for command, expected in sessions:
        done = subprocess.run(
            ["bash", "-c", f"{{ {command}\n}} 2>&1"], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=60,
        )
        actual = done.stdout.splitlines()
        assert shown_as(expected, actual), f"$ {command}\n" + "\n".join(actual)


def test_the_readme_pipelines_section_is_docs_pipelines() -> None:
    # The recipes live in docs/pipelines.md (tested there too); the README carries them whole.
    assert (ROOT / "docs" / "pipelines.md").read_text("utf-8").strip() in README


def test_the_readme_names_the_set_up_commands() -> None:
    assert "make demo" in README and "make test" in README
