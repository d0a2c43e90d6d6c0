"""``convert``'s resource bounds: how many workers it starts, and what it says when the
pipes to them cannot be had."""

from __future__ import annotations

import importlib
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from anp_extract.batch import Job, pool
from anp_extract.batch.spool import Spool
from anp_extract.cli import convert as convert_cli
from tests.support import ROOT
from tests.support.convert_helpers import SEEDS, convert

# The module, not the function of the same name that anp_extract.batch exports.
run = importlib.import_module("anp_extract.batch.run")


def _tree(folder: Path, files: int) -> Path:
    folder.mkdir()
    for n in range(files):
        shutil.copy(SEEDS[n % len(SEEDS)], folder / f"page{n:03d}.txt")
    return folder


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers each Pool of the run was asked for (the pool still runs)."""
    asked: list[int] = []

    class Counting(pool.Pool):
        def __init__(self, jobs: int, job: Job, spool: Spool | None = None) -> None:
            asked.append(jobs)
            super().__init__(jobs, job, spool)

    monkeypatch.setattr(run, "Pool", Counting)
    monkeypatch.setattr(convert_cli, "cpus", lambda: 1)
    return asked


def test_workers_are_capped_at_a_multiple_of_the_cpus_and_the_cap_is_said(
    tmp_path: Path, started: list[int]
) -> None:
    tree = _tree(tmp_path / "tree", 12)
    result = convert(tree, "-o", tmp_path / "out.jsonl", "-j", 50)
    assert result.code == 0, result.err
    most = run.WORKERS_PER_CPU
    assert started == [most]
    lines = [line for line in result.err.splitlines() if "capped" in line]
    assert lines == [f"anp-extract: convert: -j 50: capped at {most} worker processes "
                     f"({most} per CPU, 1 CPU)"]
    assert "12 files read, 12 pages" in result.err


def test_a_huge_j_is_capped_not_forked_until_the_memory_is_gone(
    tmp_path: Path, started: list[int]
) -> None:
    tree = _tree(tmp_path / "tree", 6)
    result = convert(tree, "-o", tmp_path / "out.jsonl", "-j", "99999999999999999999")
    assert result.code == 0, result.err
    assert started == [run.WORKERS_PER_CPU]
    assert "-j 99999999999999999999: capped at" in result.err
    assert "Traceback" not in result.err


def test_workers_never_outnumber_the_files_and_that_is_not_worth_a_line(
    tmp_path: Path, started: list[int]
) -> None:
    tree = _tree(tmp_path / "tree", 3)
    result = convert(tree, "-o", tmp_path / "out.jsonl", "-j", 4)
    assert result.code == 0, result.err
    assert started == [3]
    assert "capped" not in result.err


def _few_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (12, 12))


@pytest.mark.skipif(sys.platform == "win32", reason="ulimit -n is POSIX")
def test_too_many_open_files_blames_the_worker_pipes_not_the_output(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree", 6)
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "anp_extract", "convert", str(tree), "-o", str(out), "-j", "2"],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=_few_descriptors, timeout=120,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "cannot start 2 worker processes: the pipes to them" in lines[0]
    assert "ulimit -n (12)" in lines[0]
    assert f"cannot write {out}" not in lines[0]
    assert not out.exists()
