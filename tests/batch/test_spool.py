"""``convert -j N`` into a file: workers leave their rows in spool files (``batch.spool``)
that the parent copies into OUT.parts.

The spool files live in the output's folder and have no name (or lose it at once):
whatever ends the run, nothing of them is left, and a name left by a kill is refused as
input.  Real processes where only a process shows it: the workers' open files, a real
SIGINT, a worker killed from outside.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from anp_extract.batch import spool
from anp_extract.batch.job import Converted, Failed, Result
from anp_extract.batch.spool import Rows, Writer, open_spool
from tests.support import ROOT
from tests.support.convert_helpers import convert, processes_naming
from tests.support.generator import write_corpus


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tree")
    write_corpus(folder, 400, seed=12)
    return folder


def converted(path: str, data: bytes) -> Converted:
    return Converted(path, data, 1, 0, 0, (), len(data), 0, "d", 0, "r")


# -- the spool files ------------------------------------------------------------------------


def test_a_spool_is_made_in_the_folder_given_and_has_no_name(tmp_path: Path) -> None:
    fd = open_spool(str(tmp_path), "out.jsonl.parts")
    try:
        assert os.listdir(tmp_path) == []
        assert os.fstat(fd).st_dev == os.stat(tmp_path).st_dev
        assert os.fstat(fd).st_nlink == 0
        os.pwrite(fd, b"rows\n", 0)
        assert os.pread(fd, 5, 0) == b"rows\n"
    finally:
        os.close(fd)


def test_without_o_tmpfile_a_spool_is_named_hidden_in_the_folder_and_unlinked_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spool, "_TMPFILE", 0)
    unlinked: list[str] = []
    real = os.unlink

    def unlink(path: str, *, dir_fd: int | None = None) -> None:
        assert dir_fd is not None and os.path.samefile(f"/proc/self/fd/{dir_fd}", tmp_path)
        unlinked.append(path)
        real(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    # A link planted at every name would be refused (O_EXCL): only a new file is made.
    fd = open_spool(str(tmp_path), "out.jsonl.parts")
    try:
        assert os.listdir(tmp_path) == [] and os.fstat(fd).st_nlink == 0
        (name,) = unlinked
        assert name.startswith(".out.jsonl.parts.") and name.endswith(".spool")
    finally:
        os.close(fd)


def test_a_folder_swapped_after_the_spool_is_made_loses_nothing_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without O_TMPFILE: the folder renamed away and another put in its place, with a
    file of the spool's very name, between making the spool and unlinking it.  The
    unlink takes the spool, where it was made; the other folder's file stays."""
    monkeypatch.setattr(spool, "_TMPFILE", 0)
    folder, moved = tmp_path / "out", tmp_path / "moved"
    folder.mkdir()
    real_open = os.open

    def open_then_swap(path: str, flags: int, mode: int = 0o777, *,
                       dir_fd: int | None = None) -> int:
        fd = real_open(path, flags, mode, dir_fd=dir_fd)
        if path.endswith(".spool"):
            folder.rename(moved)
            folder.mkdir()
            (folder / path).write_text("someone else's")
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    fd = open_spool(str(folder), "out.jsonl.parts")
    os.close(fd)
    assert os.listdir(moved) == []
    (kept,) = folder.iterdir()
    assert kept.read_text() == "someone else's"


def test_a_spool_left_by_a_killed_run_is_refused_as_input(tmp_path: Path) -> None:
    # A kill between the spool's creation and its unlink (no O_TMPFILE) leaves a name;
    # given as input it is said to be ours, not read as a page of JSON text.
    rows = convert(ROOT / "seeds", "-o", "-", "-q").out[:3000]
    left = tmp_path / ".pages.jsonl.parts.0123456789ab.spool"
    left.write_bytes(rows)
    done = convert(left, "-o", tmp_path / "out.jsonl")
    assert done.code == 1
    assert done.err.startswith(f"anp-extract: {left}: anp-extract's spool of a convert "
                               "worker (a run killed as it started), not pages\n")


def test_a_worker_reuses_the_space_of_the_rows_the_parent_copied(tmp_path: Path) -> None:
    fd = open_spool(str(tmp_path), "out")
    try:
        writer = Writer(fd)
        chunk: list[Result] = [converted("a", b"A" * 100), Failed("b", "why"),
                               converted("c", b"C" * 50)]
        results, first = writer.put(chunk, 0)
        assert first == Rows(fd, 0, 150)
        assert os.pread(fd, 150, 0) == b"A" * 100 + b"C" * 50
        assert [r.data if isinstance(r, Converted) else r for r in results] == [
            b"", Failed("b", "why"), b""]
        assert [r.length for r in results if isinstance(r, Converted)] == [100, 50]
        _, second = writer.put([converted("d", b"D" * 10)], 0)  # the first not copied yet
        assert second.offset == 150
        _, third = writer.put([converted("e", b"E" * 200)], 1)  # first copied: 0-150 free
        assert third.offset == 160  # 200 bytes do not fit before the second's range
        _, fourth = writer.put([converted("f", b"F" * 100)], 1)
        assert fourth.offset == 0  # these do
        _, fifth = writer.put([converted("g", b"G" * 5)], 4)  # all copied
        assert fifth.offset == 0
        assert os.fstat(fd).st_size == 360  # not the 465 bytes put
    finally:
        os.close(fd)


@pytest.mark.parametrize("refused", [errno.EXDEV, errno.ENOSYS, errno.EINVAL])
def test_rows_are_copied_where_copy_file_range_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: int
) -> None:
    def no(*args: object) -> int:
        raise OSError(refused, os.strerror(refused))

    ways = [no, spool._sendfile, spool._read_write]
    monkeypatch.setattr(spool, "_WAYS", ways)
    source = open_spool(str(tmp_path), "out")
    try:
        os.pwrite(source, b"xx" + b"0123456789" * 300_000, 0)
        with open(tmp_path / "out", "wb") as out:
            out.write(b"lead\n")
            out.flush()
            spool.copy(Rows(source, 2, 3_000_000), out.fileno())
            assert ways == [spool._sendfile, spool._read_write]  # dropped for the run
            monkeypatch.setattr(spool, "_WAYS", [spool._read_write])
            spool.copy(Rows(source, 2, 20), out.fileno())
        assert (tmp_path / "out").read_bytes() == (
            b"lead\n" + b"0123456789" * 300_000 + b"0123456789" * 2)
    finally:
        os.close(source)


def test_a_spool_shorter_than_said_is_an_error_not_a_hang(tmp_path: Path) -> None:
    source = open_spool(str(tmp_path), "out")
    try:
        os.pwrite(source, b"rows\n", 0)
        with open(tmp_path / "out", "wb") as out, pytest.raises(OSError, match="shorter"):
            spool.copy(Rows(source, 0, 10), out.fileno())
    finally:
        os.close(source)


# -- real runs ---------------------------------------------------------------------------


def test_spooled_runs_write_the_bytes_of_one_process(tree: Path, tmp_path: Path) -> None:
    for suffix, args in (("jsonl", []), ("csv", []), ("json", []),
                         ("tsv", ["--table", "briefs", "--dedupe"])):
        one, two = tmp_path / f"one.{suffix}", tmp_path / f"two.{suffix}"
        assert convert(tree, "-o", one, "-j1", "-q", *args).code == 0
        assert convert(tree, "-o", two, "-j2", "-q", *args).code == 0
        assert one.read_bytes() == two.read_bytes(), suffix
    assert sorted(os.listdir(tmp_path)) == ["one.csv", "one.json", "one.jsonl", "one.tsv",
                                            "two.csv", "two.json", "two.jsonl", "two.tsv"]


# Each worker's spool, seen from outside: a file of the output's folder with no name.
SLOW = (
    "import sys, time\n"
    "from anp_extract import batch\n"
    "real = batch.Job.__call__\n"
    "def call(self, path):\n"
    "    time.sleep(0.002)\n"
    "    return real(self, path)\n"
    "batch.Job.__call__ = call\n"
    "{extra}"
    "from anp_extract.cli import main\n"
    "sys.argv[0] = 'anp-extract'\n"
    "main()\n"
)


def _workers_spools(parent: int, under: Path) -> set[str]:
    """The files without a name under *under* that *parent*'s children hold open (not
    pytest's capture files: the workers inherit those)."""
    found = set()
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        for fd in Path(f"/proc/{child}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(str(under)) and target.endswith(" (deleted)"):
                found.add(target)
    return found


@pytest.mark.parametrize("extra", ["", "from anp_extract.batch import spool\n"
                                       "spool._TMPFILE = 0\n"])
def test_a_real_sigint_leaves_no_spool_and_the_workers_spool_in_the_outputs_folder(
    tree: Path, tmp_path: Path, extra: str
) -> None:
    out = tmp_path / "out" / "pages.jsonl"
    out.parent.mkdir()
    manifest = Path(f"{out}.manifest.jsonl")
    command = [sys.executable, "-c", SLOW.format(extra=extra), "convert", str(tree),
               "-o", str(out), "-j2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") > 1:
            break
        time.sleep(0.005)
    spools = _workers_spools(process.pid, tmp_path)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err.decode() == (
        f"anp-extract: convert: interrupted; {out} not written; --resume continues from "
        f"{manifest}\n"
    )
    assert len(spools) == 2, spools  # one a worker (the second also holds the first's)
    for target in spools:
        assert os.path.dirname(target) == str(out.parent), target
    assert sorted(os.listdir(out.parent)) == ["pages.jsonl.manifest.jsonl", "pages.jsonl.parts"]
    time.sleep(0.2)
    assert processes_naming(out) == []
    resumed = subprocess.run([sys.executable, "-m", "anp_extract", "convert", str(tree), "-o",
                              str(out), "-j2", "--resume", "-q"], cwd=ROOT, timeout=120)
    assert resumed.returncode == 0
    assert out.read_bytes() == convert(tree, "-o", "-", "-q").out
    assert sorted(os.listdir(out.parent)) == ["pages.jsonl"]


def test_a_worker_killed_leaves_no_spool(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    program = SLOW.format(extra=(
        "import os\n"
        "slow = batch.Job.__call__\n"
        "def dying(self, path):\n"
        "    if '-000250-' in path:\n"
        "        os.kill(os.getpid(), 9)\n"
        "    return slow(self, path)\n"
        "batch.Job.__call__ = dying\n"
    ))
    done = subprocess.run([sys.executable, "-c", program, "convert", str(tree), "-o",
                           str(out), "-j2"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr == (
        f"anp-extract: convert: a worker process died (exit status -9); {out} not written; "
        f"--resume continues from {out}.manifest.jsonl\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["out.jsonl.manifest.jsonl", "out.jsonl.parts"]
