"""The README shows real sessions: every ``$`` line of its console blocks is run as written
and gives the output shown (a line ending in "…" stands for any line it begins)."""

from __future__ import annotations

import re
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


def _architecture_tree() -> dict[str, str]:
    """The modules the README's architecture tree lists, by path under the repository
    (``anp_extract/core/page.py``), each with its line's description."""
    section = README.split("\n## Architecture\n", 1)[1]
    block = section.split("```\n", 2)[1]
    listed: dict[str, str] = {}
    folders: list[str] = []
    for line in block.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name, _, said = line.strip().partition(" ")
        del folders[depth:]
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
            continue
        path = "/".join([*folders, name])
        assert name.endswith(".py") and "," not in name, f"one module a line: {line!r}"
        assert path not in listed, f"{path} listed twice"
        assert said.strip(), f"{path}: no description"
        listed[path] = said.strip()
    return listed


def test_the_architecture_tree_lists_every_module_and_only_modules_that_exist() -> None:
    listed = set(_architecture_tree())
    present = {path.relative_to(ROOT).as_posix()
               for path in (ROOT / "anp_extract").rglob("*.py")}
    assert sorted(present - listed) == [], "modules missing from README's architecture tree"
    assert sorted(listed - present) == [], "README's architecture tree lists no such module"


def test_readme_and_docs_run_one_after_another_in_one_checkout(tmp_path: Path) -> None:
    """As a new user runs them: the README's sessions, then each page of docs/, in one
    folder (a folder an example makes may be there already: ``mkdir -p``)."""
    untimed = re.compile(r"\d+\.\d\d s$")
    for page in ("README.md", "docs/pipelines.md", "docs/convert.md"):
        run_sessions(page, tmp_path, minimum=10, folders=("seeds", "tests/data"),
                     normalise=lambda line: untimed.sub("T s", line))


def test_the_docs_install_extras_from_the_checkout() -> None:
    """anp-extract is not on a package index: an extra is installed from the checkout
    (``pip install '.[parquet]'``), never as ``pip install 'anp-extract[...]'``."""
    for page in (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))):
        text = " ".join(page.read_text("utf-8").split())
        assert "pip install 'anp-extract[" not in text, page.name
