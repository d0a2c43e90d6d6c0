"""convert on a Dask cluster: the same bytes, summary and failures as -j1, resumable."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anp_extract.batch import dask as on_dask
from tests.support import SEEDS
from tests.support.convert_helpers import Run, convert, interrupted_after, processes_naming

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
# Dask, pyarrow (and s3fs) are hundreds of thousands of objects that live to the end of
# the session: out of every later garbage collection, which the timed tests would feel.
gc.freeze()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker cluster on 127.0.0.1, shared by the tests here."""
    # The dashboard on a free port of the loopback: None would still serve it on :8787
    # of every interface, and warn when another cluster on the machine has that port.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def scrape(tmp_path: Path) -> Path:
    """The seeds, twice over, with a file that fails in the middle."""
    folder = tmp_path / "scrape"
    for copy in ("a", "b"):
        (folder / copy).mkdir(parents=True)
        for seed in SEEDS:
            shutil.copy(seed, folder / copy / seed.name)
    (folder / "a" / "002_bad.txt").write_bytes(b"\x89PNG\0\0")
    return folder


def _same_report(one: Run, other: Run) -> None:
    """The same failures and summary, the timing aside."""
    def lines(run: Run) -> list[str]:
        return [re.sub(r", [0-9.]+ s$", "", line) for line in run.err.splitlines()]

    assert lines(one) == lines(other)
    assert one.code == other.code == 1


@pytest.mark.parametrize(("name", "args"), [
    ("pages.jsonl", []),
    ("briefs.csv", ["--table", "briefs"]),
    ("unique.csv", ["--table", "briefs", "--dedupe"]),
    ("pages.parquet", []),
])
def test_same_output_as_one_process(
    name: str, args: list[str], scrape: Path, tmp_path: Path, scheduler: str
) -> None:
    local, cluster = tmp_path / f"j1-{name}", tmp_path / f"dask-{name}"
    one = convert(scrape, "-o", local, "-j1", *args)
    other = convert(scrape, "-o", cluster, "--scheduler", scheduler, *args)
    _same_report(one, other)
    assert "002_bad.txt: binary file" in other.err
    if name.endswith(".parquet"):
        assert pq.read_table(cluster).equals(pq.read_table(local))
    assert cluster.read_bytes() == local.read_bytes()


@contextlib.contextmanager
def _interrupted_on_cluster(chunks: int) -> Iterator[None]:
    """Ctrl-C in the parent after *chunks* chunks came back from the cluster."""
    real = on_dask.ordered

    def ordered(*args: Any) -> Iterator[Any]:
        for count, results in enumerate(real(*args)):
            if count == chunks:
                raise KeyboardInterrupt
            yield results

    on_dask.ordered = ordered  # type: ignore[assignment]
    try:
        yield
    finally:
        on_dask.ordered = real


@pytest.mark.parametrize("name", ["pages.jsonl", "pages.parquet"])
def test_interrupted_run_resumed(name: str, scrape: Path, tmp_path: Path,
                                 scheduler: str) -> None:
    local = tmp_path / f"j1-{name}"
    convert(scrape, "-o", local, "-j1")
    out = tmp_path / name
    with _interrupted_on_cluster(4):
        stopped = convert(scrape, "-o", out, "--scheduler", scheduler)
    assert stopped.code == 130 and not out.exists()
    resumed = convert(scrape, "-o", out, "--scheduler", scheduler, "--resume")
    # The fourth file failed: it is read again (it may have been fixed).
    assert "(3 from the manifest, 8 parsed)" in resumed.err
    assert out.read_bytes() == local.read_bytes()
    # And a -j1 run stopped midway, finished on the cluster.
    again = tmp_path / f"again-{name}"
    with interrupted_after(6):
        assert convert(scrape, "-o", again, "-j1").code == 130
    finished = convert(scrape, "-o", again, "--scheduler", scheduler, "--resume")
    assert "(5 from the manifest, 6 parsed)" in finished.err, finished.err
    assert again.read_bytes() == local.read_bytes()


def test_scheduler_local(tmp_path: Path) -> None:
    """--scheduler local starts and stops its own cluster."""
    out, local = tmp_path / "pages.jsonl", tmp_path / "j1.jsonl"
    ran = convert(*SEEDS, "-o", out, "--scheduler", "local", "-j2")
    assert ran.code == 0 and ran.err.count("\n") == 1, ran.err
    convert(*SEEDS, "-o", local, "-j1")
    assert out.read_bytes() == local.read_bytes()


def test_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setattr(on_dask, "CONNECT", "1s")
    ran = convert(*SEEDS, "-o", tmp_path / "x.jsonl", "--scheduler", "tcp://127.0.0.1:9")
    assert ran.code == 1
    assert ran.err.startswith("anp-extract: convert: cannot reach the Dask scheduler at "
                              "tcp://127.0.0.1:9")
    assert ran.err.count("\n") == 1 and not (tmp_path / "x.jsonl").exists()


def test_tasks_are_big_chunks() -> None:
    """A Dask task costs milliseconds of the cluster's time: up to DASK_CHUNK files each
    (the pool's are at most 64), a quarter of a worker's share on a small run."""
    from anp_extract.batch.run import chunk_size

    assert on_dask.chunk_size(100_000, 2) == on_dask.DASK_CHUNK == 512
    assert on_dask.chunk_size(2_000, 2) == 250 > chunk_size(2_000, 2) == 64
    assert on_dask.chunk_size(11, 2) == 1  # the seeds twice: one file a task


def test_a_chunk_larger_than_the_pools(tmp_path: Path, scheduler: str) -> None:
    """1,200 generated pages and a broken one: tasks of 150 files (the pool's chunks are
    at most 64) give -j1's bytes and failures."""
    from tests.support.generator import write_corpus

    scrape = tmp_path / "scrape"
    write_corpus(scrape, 1_200, seed=7)
    (scrape / "0000" / "zz_bad.txt").write_bytes(b"\x00\x01binary\x00")
    sizes: list[int] = []
    real = on_dask.task_chunks

    def task_chunks(*args: Any) -> Iterator[list[Any]]:
        for chunk in real(*args):
            sizes.append(len(chunk))
            yield chunk

    local, cluster = tmp_path / "j1.jsonl", tmp_path / "dask.jsonl"
    one = convert(scrape, "-o", local, "-j1")
    on_dask.task_chunks = task_chunks  # type: ignore[assignment]
    try:
        other = convert(scrape, "-o", cluster, "--scheduler", scheduler)
    finally:
        on_dask.task_chunks = real
    assert max(sizes) == 1_201 // 8 > 64 and sum(sizes) == 1_201
    _same_report(one, other)
    assert cluster.read_bytes() == local.read_bytes()


def test_workers_freeze_what_they_imported(scheduler: str) -> None:
    """Each worker has the unit of work imported and frozen out of the collector's reach
    before its first task (a worker plugin: workers that join later get it too)."""
    with distributed.Client(scheduler) as connected:
        on_dask.warm_workers(connected)
        frozen = connected.run(gc.get_freeze_count)
        imported = connected.run(lambda: "anp_extract.core.page" in __import__("sys").modules)
    assert len(frozen) == 2 and min(frozen.values()) > 10_000
    assert all(imported.values())


def test_ctrl_c_on_a_local_cluster_then_resume_parquet(tmp_path: Path) -> None:
    """A real Ctrl-C (SIGINT to the process group, the cluster's processes too) during
    `--scheduler local -j2 -o pages.parquet`: exit 130, one line, nothing partial, no
    process left; --resume on a new cluster gives -j1's table (and bytes)."""
    from tests.support import ROOT
    from tests.support.generator import write_corpus

    scrape = tmp_path / "scrape"
    write_corpus(scrape, 4_000, seed=11)
    reference = tmp_path / "j1.parquet"
    assert convert(scrape, "-o", reference, "-j1", "-q").code == 0
    out = tmp_path / "out" / "pages.parquet"
    out.parent.mkdir()
    manifest = Path(f"{out}.manifest.jsonl")
    command = [sys.executable, "-m", "anp_extract", "convert", str(scrape), "-o", str(out),
               "--scheduler", "local", "-j2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, cwd=ROOT,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") > 1:
            break  # a first chunk came back from the cluster
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C at a terminal does
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode() == (
        f"anp-extract: convert: interrupted; {out} not written; --resume continues from "
        f"{manifest}\n")
    assert sorted(os.listdir(out.parent)) == [
        "pages.parquet.manifest.jsonl", "pages.parquet.parts"]
    done = manifest.read_bytes().count(b"\n") - 1
    assert 0 < done < 4_000
    time.sleep(0.5)
    assert processes_naming(out) == []
    resumed = subprocess.run([*command, "--resume"], capture_output=True, cwd=ROOT,
                             timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({done} from the manifest, {4_000 - done} parsed)" in resumed.stderr.decode()
    assert pq.read_table(out).equals(pq.read_table(reference))
    assert out.read_bytes() == reference.read_bytes()
    assert sorted(os.listdir(out.parent)) == ["pages.parquet"]


def test_broken_symbolic_link_on_a_local_cluster(tmp_path: Path) -> None:
    """A broken link among the inputs (in the folder, and named): --scheduler local names
    the same failure, with the same summary and exit status, as -j1, and the same bytes."""
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, scrape / seed.name)
    (scrape / "002_broken.txt").symlink_to(tmp_path / "gone.txt")
    local, cluster = tmp_path / "j1.csv", tmp_path / "dask.csv"
    named = [scrape, scrape / "002_broken.txt"]
    one = convert(*named, "-o", local, "-j1", "--table", "briefs")
    other = convert(*named, "-o", cluster, "--scheduler", "local", "-j2", "--table", "briefs")
    _same_report(one, other)
    assert f"{scrape / '002_broken.txt'}: broken symbolic link" in other.err
    assert other.err.count("broken symbolic link") == 1
    assert cluster.read_bytes() == local.read_bytes()


def test_a_local_cluster_that_will_not_start_is_one_line(tmp_path: Path) -> None:
    """A worker that cannot start (here a preload in the user's Dask configuration that
    does not exist): one line naming the cause, exit 1, no traceback."""
    import dask

    with dask.config.set({"distributed.worker.preload": ["no_such_module_for_anp"]}):
        ran = convert(*SEEDS, "-o", tmp_path / "x.jsonl", "--scheduler", "local", "-j2")
    assert ran.code == 1
    assert ran.err.startswith("anp-extract: convert: cannot start a local Dask cluster: ")
    assert "No module named 'no_such_module_for_anp'" in ran.err
    assert ran.err.count("\n") == 1 and not (tmp_path / "x.jsonl").exists()


BLOCK_ANP = '''
import sys


class _NoAnpExtract:
    """A worker where anp-extract is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "anp_extract":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NoAnpExtract())
'''


def test_workers_without_anp_extract_are_one_line(tmp_path: Path) -> None:
    """Workers that cannot import anp_extract (not installed on the cluster's machines):
    one line saying so, exit 1, no traceback (a real process: Dask's loop logs too)."""
    from tests.support import ROOT

    preload = tmp_path / "no_anp_extract.py"
    preload.write_text(BLOCK_ANP)
    out = tmp_path / "x.jsonl"
    ran = subprocess.run(
        [sys.executable, "-m", "anp_extract", "convert", *map(str, SEEDS), "-o", str(out),
         "--scheduler", "local", "-j2"], capture_output=True, cwd=ROOT, timeout=120,
        env={**os.environ, "DASK_DISTRIBUTED__WORKER__PRELOAD": f'["{preload}"]'})
    err = ran.stderr.decode()
    assert ran.returncode == 1, err
    assert err.startswith(
        "anp-extract: convert: the Dask workers cannot run anp-extract (is it installed "
        "there?): "), err
    assert "No module named 'anp_extract" in err
    assert err.count("\n") == 1 and not out.exists()
