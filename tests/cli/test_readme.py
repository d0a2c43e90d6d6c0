"""The README shows real sessions: every ``$`` line of its console blocks is run as written
and gives the output shown (a line ending in "…" stands for any line it begins)."""

from __future__ import annotations

from pathlib import Path

from tests.support import ROOT
from tests.support.sessions import run_sessions

README = (ROOT / "README.md").read_text("utf-8")


def test_the_readme_sessions_give_the_output_they_show(tmp_path: Path) -> None:
    run_sessions("README.md", tmp_path, minimum=20, folders=("seeds", "tests/data"))


def test_the_readme_pipelines_section_is_docs_pipelines() -> None:
    # The recipes live in docs/pipelines.md (tested there too); the README carries them whole.
    assert (ROOT / "docs" / "pipelines.md").read_text("utf-8").strip() in README


def test_the_readme_names_the_set_up_commands() -> None:
    assert "make demo" in README and "make test" in README
