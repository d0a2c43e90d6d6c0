"""``convert``: Ctrl-C, --resume, worker processes and the progress bar.

Real processes where only a process shows it: a real SIGINT, a worker killed from
outside, a progress bar on a terminal.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from anp_extract import batch
from anp_extract.batch import Failed
from anp_extract.batch.job import Task
from anp_extract.batch.pool import Pool
from anp_extract.errors import WorkerError
from tests.support import ROOT, in_pty
from tests.support.convert_helpers import (
    convert,
    interrupted_after,
    pages_of,
    processes_naming,
    summary_counts,
)
from tests.support.generator import write_corpus


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated pages in three subfolders (every kind and variation)."""
    folder = tmp_path_factory.mktemp("tree")
    write_corpus(folder, 300, seed=4)
    return folder


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3000 generated pages: long enough to be interrupted while it runs."""
    folder = tmp_path_factory.mktemp("big")
    write_corpus(folder, 3000, seed=9)
    return folder


# -- Ctrl-C and --resume ---------------------------------------------------------------------


def test_ctrl_c_leaves_nothing_partial_and_resume_finishes_the_same(
    big: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "reference.jsonl"
    assert convert(big, "-o", reference, "-q").code == 0
    out = tmp_path / "out" / "pages.jsonl"
    out.parent.mkdir()
    manifest = Path(f"{out}.manifest.jsonl")
    command = [sys.executable, "-m", "anp_extract", "convert", str(big), "-o", str(out), "-j2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") > 1:
            break  # a first chunk is done: the run is well under way
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert time.monotonic() - sent < 1.0
    assert err.decode() == (
        f"anp-extract: convert: interrupted; {out} not written; --resume continues from "
        f"{manifest}\n"
    )
    assert sorted(os.listdir(out.parent)) == ["pages.jsonl.manifest.jsonl", "pages.jsonl.parts"]
    time.sleep(0.2)
    assert processes_naming(out) == []  # the workers went with the parent
    done = manifest.read_bytes().count(b"\n") - 1
    assert 0 < done < 3000
    resumed = subprocess.run([*command, "--resume"], capture_output=True, cwd=ROOT, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert summary_counts(resumed.stderr.decode()) == (done, 3000 - done)
    assert out.read_bytes() == reference.read_bytes()
    assert sorted(os.listdir(out.parent)) == ["pages.jsonl"]


@pytest.mark.parametrize(
    ("args", "suffix"),
    [([], "jsonl"), (["--table", "briefs", "--dedupe"], "csv"), ([], "json"),
     (["--table", "briefs", "--bom"], "tsv")],
)
def test_resume_checks_what_changed(
    tree: Path, tmp_path: Path, args: list[str], suffix: str
) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(tree, pages)
    paths = pages_of(pages)
    out = tmp_path / f"out.{suffix}"
    with interrupted_after(200):
        stopped = convert(pages, "-o", out, "-j", 1, *args)
    assert stopped.code == 130 and not out.exists()
    touched = Path(paths[10])  # same bytes, new time: the content hash says unchanged
    os.utime(touched, (1_700_000_000, 1_700_000_000))
    changed = Path(paths[150])  # new bytes: parsed again, with everything after it
    changed.write_bytes(changed.read_bytes().replace(b" ", b"  ", 1) + b"\nEen extra regel.\n")
    resumed = convert(pages, "-o", out, "-j", 2, "--resume", *args)
    assert resumed.code == 0
    assert summary_counts(resumed.err) == (150, 150)
    fresh = tmp_path / f"fresh.{suffix}"
    assert convert(pages, "-o", fresh, *args, "-q").code == 0
    assert out.read_bytes() == fresh.read_bytes()
    assert not Path(f"{out}.manifest.jsonl").exists() and not Path(f"{out}.parts").exists()


def test_resume_with_other_settings_starts_over(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with interrupted_after(100):
        assert convert(tree, "-o", out, "-j", 1).code == 130
    resumed = convert(tree, "-o", out, "--resume", "--table", "briefs")
    assert resumed.code == 0 and summary_counts(resumed.err) == (0, 300)
    assert resumed.err.startswith(f"anp-extract: {out}.manifest.jsonl: made with other "
                                  "settings (table); starting over\n")
    assert out.read_bytes() == convert(tree, "-o", "-", "--table", "briefs", "-q").out


def test_without_resume_an_interrupted_run_starts_over(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with interrupted_after(100):
        assert convert(tree, "-o", out, "-j", 1).code == 130
    again = convert(tree, "-o", out)
    assert again.code == 0 and summary_counts(again.err) == (0, 300)
    assert again.err.startswith(f"anp-extract: {out}.manifest.jsonl: an earlier run was "
                                "interrupted; starting over (--resume would continue it)\n")


def test_out_dir_resumes(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "records"
    with interrupted_after(120):
        assert convert(tree, "--out-dir", out, "-j", 1).code == 130
    written = len(list(out.rglob("*.json")))  # whole chunks: the one at work is dropped
    assert 0 < written <= 120 and not list(out.rglob("*.part"))
    resumed = convert(tree, "--out-dir", out, "--resume")
    assert resumed.code == 0 and summary_counts(resumed.err) == (written, 300 - written)
    assert len(list(out.rglob("*.json"))) == 300


def test_out_dir_resume_verifies_the_json_it_keeps(tree: Path, tmp_path: Path) -> None:
    """A kept ``.json`` is checked against the hash of what was written, not only its
    size: the same number of NUL bytes in its place is found, and that file (and the
    ones after it) are parsed again."""
    import orjson

    out = tmp_path / "records"
    with interrupted_after(120):
        assert convert(tree, "--out-dir", out, "-j", 1).code == 130
    lines = (out / ".anp-extract.manifest.jsonl").read_bytes().splitlines()
    entries = [orjson.loads(line) for line in lines[1:]]
    assert len(entries) > 10 and all("rows_blake2b" in entry for entry in entries)
    damaged = out / entries[5]["output"]
    good = damaged.read_bytes()
    damaged.write_bytes(b"\x00" * len(good))  # same size, other bytes
    resumed = convert(tree, "--out-dir", out, "--resume")
    assert resumed.code == 0 and summary_counts(resumed.err) == (5, 295)
    assert damaged.read_bytes() == good
    fresh = tmp_path / "fresh"
    assert convert(tree, "--out-dir", fresh).code == 0
    assert sorted(p.relative_to(out) for p in out.rglob("*.json")) == sorted(
        p.relative_to(fresh) for p in fresh.rglob("*.json"))
    for made in fresh.rglob("*.json"):
        assert (out / made.relative_to(fresh)).read_bytes() == made.read_bytes()


# -- worker processes ------------------------------------------------------------------------


class Dying:
    """A job whose worker dies (killed, out of memory) in the middle of a run."""

    def __call__(self, path: Task) -> batch.Result:
        assert isinstance(path, str)
        if path.endswith("7"):
            os._exit(9)
        return Failed(path, "fine")


def test_a_dead_worker_stops_the_run_instead_of_hanging() -> None:
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.alarm(30)  # a hang would show as KeyboardInterrupt, not as a stuck suite
    try:
        with Pool(2, Dying()) as pool, pytest.raises(WorkerError, match="died"):
            for _ in pool.map([[f"{k}-{n}" for k in range(4)] for n in range(20)]):
                pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_worker_killed_in_a_real_run_is_said_in_one_line(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    program = (
        "import os, sys\n"
        "from anp_extract import batch\n"
        "real = batch.Job.__call__\n"
        "def call(self, path):\n"
        "    if '-000150-' in path:\n"
        "        os.kill(os.getpid(), 9)  # as the kernel's out-of-memory killer would\n"
        "    return real(self, path)\n"
        "batch.Job.__call__ = call\n"
        "from anp_extract.cli import main\n"
        "sys.argv[0] = 'anp-extract'\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", program, "convert", str(tree), "-o", str(out),
                           "-j2"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1  # not 141: SIGPIPE from the dead worker's pipe is not ours
    assert done.stderr == (
        f"anp-extract: convert: a worker process died (exit status -9); {out} not written; "
        f"--resume continues from {out}.manifest.jsonl\n"
    )
    assert not out.exists()


# -- progress ----------------------------------------------------------------------------------


def test_a_progress_bar_on_a_terminal_and_none_with_quiet(tree: Path, tmp_path: Path) -> None:
    def shown(*extra: str) -> str:
        command = f"{sys.executable} -m anp_extract convert {tree} -o {tmp_path / 'o.jsonl'}"
        output, status = in_pty(" ".join([command, *extra]), timeout=60, cwd=str(ROOT),
                                env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"})
        assert status == 0
        return output

    assert "convert" in shown("-j1").split("anp-extract: convert:")[0]
    assert shown("-j1", "--quiet") == ""
