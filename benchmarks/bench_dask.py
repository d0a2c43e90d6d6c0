"""``convert --scheduler local`` (a two-worker LocalCluster) against ``convert -j2``.

Each round runs both, one after the other, as real ``convert`` processes over the same
generated pages (``floor.ensure_corpus``), so the ratio of their rates holds whatever
else the machine is doing; the rounds are interleaved, the median ratio reported, and
the cluster's output is checked to be byte-identical to -j2's.  The fixed costs are
measured apart: importing Dask's client in a fresh interpreter, starting and closing a
LocalCluster of two workers, and ``--scheduler local`` against ``-j2`` on a single page
(the whole of what a run pays before its first page).

    python benchmarks/bench_dask.py                  # 20,000 and 100,000 pages, 3 rounds
    python benchmarks/bench_dask.py 2000 --rounds 2
    python benchmarks/bench_dask.py 5000 --tree /tmp/old-checkout   # interleaved with it

``--tree DIR`` (repeatable) runs the same rounds with the ``anp_extract`` of another
checkout too (before/after a change), each tree's pair in every round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_convert import _digest
from floor import BENCH_DATA, ROOT, compile_package, convert_command, ensure_corpus

# What a fresh interpreter pays to be able to reach a cluster.
IMPORT = "import anp_extract.batch.dask, distributed"
# Starting and closing a LocalCluster as convert --scheduler local does (batch.dask.client).
CLUSTER = """
import time, anp_extract.batch.dask as d
start = time.perf_counter()
with d.client("local", 2) as c:
    c.run(lambda: None)
print(time.perf_counter() - start)
"""


def seconds(command: list[str], cwd: Path) -> float:
    return timed(command, cwd)[0]


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds of *command*, and the CPU seconds of its whole process tree (the
    workers and a LocalCluster's processes are its children, waited for)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def child(code: str, cwd: Path) -> float:
    """The float a fresh interpreter running *code* prints (or its wall time)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True,
                          capture_output=True, text=True)
    return float(done.stdout) if done.stdout.strip() else time.perf_counter() - start


def pair(folder: Path, n: int, tree: Path, scratch: Path) -> tuple[float, float, float]:
    """Pages/s of -j2 and of --scheduler local over *folder*, run from *tree*, and the
    ratio of their CPU seconds (-j2's over the cluster's); the outputs must be the same
    bytes."""
    j2, cluster = scratch / "j2.jsonl", scratch / "dask.jsonl"
    plain, plain_cpu = timed(convert_command([str(folder)], str(j2), 2), tree)
    dask, dask_cpu = timed([*convert_command([str(folder)], str(cluster), 2),
                            "--scheduler", "local"], tree)
    if _digest(j2) != _digest(cluster):
        raise SystemExit(f"{tree}: --scheduler local and -j2 wrote different bytes "
                         f"over {n} pages")
    j2.unlink()
    cluster.unlink()
    return n / plain, n / dask, plain_cpu / dask_cpu


def fixed(tree: Path, page: Path, scratch: Path, rounds: int) -> dict[str, float]:
    """Median seconds of the fixed costs, from *tree*."""
    found: dict[str, list[float]] = {"import": [], "cluster": [], "one page": []}
    out = str(scratch / "one.jsonl")
    for _ in range(rounds):
        found["import"].append(child(IMPORT, tree))
        found["cluster"].append(child(CLUSTER, tree))
        plain = seconds(convert_command([str(page)], out, 2), tree)
        dask = seconds([*convert_command([str(page)], out, 2), "--scheduler", "local"], tree)
        found["one page"].append(dask - plain)
    return {name: statistics.median(values) for name, values in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="another checkout whose anp_extract runs beside this one")
    args = parser.parse_args()
    compile_package()
    trees = [ROOT, *(tree.resolve() for tree in args.tree)]
    print(f"dask benchmark, {date.today()}, nproc {os.cpu_count()}, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at the start")
    print()
    print("| tree | pages | -j2 pages/s | --scheduler local pages/s | ratio (median; rounds) "
          "| CPU ratio (median; rounds) |")
    print("|---|---:|---:|---:|---|---|")
    BENCH_DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BENCH_DATA) as temporary:
        scratch = Path(temporary)
        first = None
        for n in args.sizes:
            paths = ensure_corpus(n)
            first = first or paths[0]
            folder = paths[0].parent.parent
            rates: dict[Path, list[tuple[float, float, float]]] = {tree: [] for tree in trees}
            for _ in range(args.rounds):
                for tree in trees:
                    rates[tree].append(pair(folder, n, tree, scratch))
            for tree in trees:
                ratios = [dask / plain for plain, dask, _ in rates[tree]]
                cpu = [ratio for _, _, ratio in rates[tree]]
                print(f"| {tree.name} | {n:,} | "
                      f"{statistics.median(p for p, _, _ in rates[tree]):,.0f} | "
                      f"{statistics.median(d for _, d, _ in rates[tree]):,.0f} | "
                      f"{statistics.median(ratios):.2f} "
                      f"({', '.join(f'{r:.2f}' for r in ratios)}) | "
                      f"{statistics.median(cpu):.2f} "
                      f"({', '.join(f'{r:.2f}' for r in cpu)}) |", flush=True)
        print()
        print("| tree | import distributed | LocalCluster start+close | "
              "one page: --scheduler local - -j2 |")
        print("|---|---:|---:|---:|")
        for tree in trees:
            costs = fixed(tree, first or ensure_corpus(1)[0], scratch, args.rounds)
            print(f"| {tree.name} | {costs['import']:.2f} s | {costs['cluster']:.2f} s | "
                  f"{costs['one page']:.2f} s |", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print("ratio: pages/s of --scheduler local over those of -j2 in the same round; CPU "
          "ratio: -j2's CPU seconds (process tree) over the cluster's, what the wall ratio "
          "is on an idle machine whose cores both runs fill.")
    print("Target (issue 13): --scheduler local at least 0.8 of -j2 at 100,000 pages.")


if __name__ == "__main__":
    main()
