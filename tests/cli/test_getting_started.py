"""Issue 16, getting started: packaging metadata, the version, completion, the man
page, and the README's set-up."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import tomllib

import anp_extract
from tests.support import ROOT, run

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
README = (ROOT / "README.md").read_text("utf-8")


def test_packaging_metadata_is_complete_and_current() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"  # SPDX, not the deprecated table
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert any(c.startswith("Programming Language :: Python :: 3.11")
               for c in project["classifiers"])
    # one source for the version: the package's __version__
    assert "version" not in project and project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "anp_extract.__version__"}
    metadata = importlib.metadata.metadata("anp-extract")
    assert metadata["Version"] == anp_extract.__version__
    assert metadata["License-Expression"] == "MIT"


def test_dash_v_prints_the_version() -> None:
    ran = run(["-V"])
    assert ran.code == 0 and ran.stdout == f"anp-extract {anp_extract.__version__}\n"


def test_shell_completion_is_offered_and_completes() -> None:
    text = run(["--help"]).stdout
    assert "--install-completion" in text and "--show-completion" in text
    env = {"COMP_WORDS": "anp-extract parse --ta", "COMP_CWORD": "2",
           "_ANP_EXTRACT_COMPLETE": "complete_bash", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "anp-extract")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.split() == ["--table"]


def test_the_readme_says_how_to_get_the_command_on_path() -> None:
    assert "source .venv/bin/activate" in README and "pipx install ." in README
    done = subprocess.run(["bash", "-c", "source .venv/bin/activate && anp-extract -V"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("anp-extract ")


def test_make_man_writes_a_manual_page_of_every_command(tmp_path: object) -> None:
    done = subprocess.run(["make", "-s", "man"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    page = (ROOT / "man" / "anp-extract.1").read_text("utf-8")
    assert page.startswith(".TH ANP-EXTRACT 1 ")
    for command in ("parse", "schema", "strip", "split", "datelines", "export", "convert",
                    "show", "stats"):
        assert f"\n.SS {command}\n" in page, command
    if shutil.which("groff") is None:  # the page is checked where groff is
        return
    checked = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(ROOT / "man" /
                              "anp-extract.1")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stderr == ""


def test_the_demo_shows_the_file_it_names_as_the_readme_shows_it() -> None:
    done = subprocess.run(["make", "-s", "demo"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("demo-out/briefs.tsv"))
    shown = lines[start + 1 : start + 7]
    written = (ROOT / "demo-out" / "briefs.tsv").read_text("utf-8").splitlines()[:6]
    assert shown == ["\t".join(row.split("\t")[i] for i in (6, 7, 9, 12)) for row in written]
    assert "\n".join([lines[start], *shown]) in README
