"""``convert`` at the edges a real scrape folder has: unreadable folders, an output
folder inside the tree read, an output that cannot be written, and the modes of what
it writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.convert_helpers import SEEDS, convert


def _tree(folder: Path) -> Path:
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    shutil.copy(SEEDS[0], folder / "a" / "page.txt")
    shutil.copy(SEEDS[1], folder / "b" / "page.txt")
    return folder


def test_an_unreadable_folder_is_a_failure_not_silently_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = _tree(tmp_path / "tree")
    locked = str(tree / "b")
    real = os.scandir

    def scandir(path: str) -> object:  # chmod 000 does not stop root, so refuse here
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    errors = tmp_path / "errors.jsonl"
    result = convert(tree, "-o", tmp_path / "out.jsonl", "-j", 1, "--errors", errors)
    assert result.code == 1
    assert f"anp-extract: {locked}: cannot read folder: permission denied\n" in result.err
    assert "1 file read, 1 page" in result.err and "1 failure" in result.err
    assert errors.read_text() == (
        f'{{"path":"{locked}","reason":"cannot read folder: permission denied"}}\n')
    assert len((tmp_path / "out.jsonl").read_bytes().splitlines()) == 1


def test_an_out_dir_inside_the_tree_is_not_read_again_on_the_next_run(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree")
    out = tree / "records"
    first = convert(tree, "--glob", "*", "--out-dir", out, "-q")
    assert first.code == 0, first.err
    before = {path: path.read_bytes() for path in out.rglob("*.json")}
    again = convert(tree, "--glob", "*", "--out-dir", out)
    assert again.code == 0, again.err
    assert "2 files read, 2 pages" in again.err
    assert {path: path.read_bytes() for path in out.rglob("*.json")} == before
    assert sorted(str(p.relative_to(out)) for p in before) == ["a/page.json", "b/page.json"]


def test_out_dir_files_get_the_mode_of_any_new_file(tmp_path: Path) -> None:
    result = convert(SEEDS[0], "--out-dir", tmp_path / "out", "-q")
    assert result.code == 0
    (tmp_path / "probe").write_text("")  # what the umask gives a new file
    written = next((tmp_path / "out").glob("*.json"))
    assert oct(written.stat().st_mode & 0o777) == oct((tmp_path / "probe").stat().st_mode & 0o777)


@pytest.mark.parametrize("where", ["-o", "--out-dir", "--errors"])
def test_an_output_that_cannot_be_written_is_one_line_and_status_1(
    tmp_path: Path, where: str
) -> None:
    # What root meets too (a read-only folder does not stop it): a name that is taken.
    # A file where a folder of the output should be is known before the run: refused
    # (status 2), as -o says it (tests/cli/test_first_hour_audit.py).
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "out.jsonl.parts").mkdir()
    target = {"-o": ["-o", tmp_path / "out.jsonl"],
              "--out-dir": ["--out-dir", tmp_path / "file" / "records"],
              "--errors": ["-o", "-", "--errors", tmp_path / "file" / "errors.jsonl"]}
    result = convert(SEEDS[0], *target[where], "-j", 1)
    assert "Traceback" not in result.err and len(result.err.splitlines()) == 1, result.err
    if where == "-o":
        assert result.code == 1
        assert result.err.startswith(f"anp-extract: convert: cannot write {tmp_path}/")
    else:
        assert result.code == 2
        assert result.err.endswith(f": {tmp_path}/file is a file, not a folder\n")
    assert not (tmp_path / "out.jsonl").exists()


def test_an_input_is_not_overwritten_through_a_link_to_its_folder(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree")
    (tmp_path / "link").symlink_to(tree / "a")
    page = (tree / "a" / "page.txt").read_bytes()
    result = convert(tree, "-o", tmp_path / "link" / "page.txt", "--to", "jsonl")
    assert result.code == 2 and "is one of the inputs; it would be overwritten" in result.err
    assert (tree / "a" / "page.txt").read_bytes() == page


@pytest.mark.parametrize("errors", ["out.jsonl", "out.jsonl.manifest.jsonl", "tree/a/page.txt"])
def test_the_errors_file_replaces_neither_the_output_nor_an_input(
    tmp_path: Path, errors: str
) -> None:
    tree = _tree(tmp_path / "tree")
    page = (tree / "a" / "page.txt").read_bytes()
    result = convert(tree, "-o", tmp_path / "out.jsonl", "--errors", tmp_path / errors)
    assert result.code == 2 and f"--errors {tmp_path / errors}: is " in result.err
    assert (tree / "a" / "page.txt").read_bytes() == page
    assert not (tmp_path / "out.jsonl").exists()
