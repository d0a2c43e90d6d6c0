"""Parquet and SQLite against JSON Lines, and ``--scheduler local`` against ``-j2``.

Each run is a real ``convert`` process over the generated pages of ``bench-data/``
(``floor.ensure_corpus``), timed from start to exit, with the peak memory of its whole
process tree (PSS sum, as in ``bench_convert``; a LocalCluster's scheduler and worker
processes included).  The formats are run in the same session, one after the other,
so a ratio to JSON Lines means the same on any machine; the Dask run's output is
checked to be byte-identical to -j2's.

    python benchmarks/bench_formats.py              # 20,000 and 100,000 pages
    python benchmarks/bench_formats.py 5000 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_convert import Peak, _digest
from floor import BENCH_DATA, ROOT, convert_command, ensure_corpus

RUNS = {  # name: (output file name, extra arguments)
    "jsonl -j2": ("out.jsonl", []),
    "parquet -j2": ("out.parquet", []),
    "sqlite -j2": ("out.db", []),
    "briefs parquet -j2": ("briefs.parquet", ["--table", "briefs"]),
    "jsonl --scheduler local": ("dask.jsonl", ["--scheduler", "local"]),
}


def timed(folder: Path, out: Path, extra: list[str]) -> tuple[float, Peak]:
    command = convert_command([str(folder)], str(out), 2) + extra
    peak = Peak()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    watcher = threading.Thread(target=peak.watch, args=(process.pid,), daemon=True)
    watcher.start()
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    peak.stop.set()
    watcher.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return seconds, peak


def bench(n: int, repeat: int) -> dict[str, tuple[float, float]]:
    """name: (best pages/s, peak PSS in MB)."""
    folder = ensure_corpus(n)[0].parent.parent
    best: dict[str, tuple[float, float]] = {}
    digests: dict[str, bytes] = {}
    for _ in range(repeat):
        for name, (file, extra) in RUNS.items():
            out = BENCH_DATA / f"formats-{n}-{file}"
            seconds, peak = timed(folder, out, extra)
            rate, memory = best.get(name, (0.0, 0.0))
            best[name] = (max(rate, n / seconds), max(memory, peak.pss / 2**20))
            if file.endswith(".jsonl"):
                digests[name] = _digest(out)
            out.unlink()
    if digests["jsonl -j2"] != digests["jsonl --scheduler local"]:
        raise SystemExit(f"--scheduler local and -j2 wrote different bytes over {n} pages")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"formats benchmark, {date.today()}, nproc {os.cpu_count()}, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at the start")
    print()
    print("| pages | run | pages/s | × jsonl -j2 | peak memory (PSS) |")
    print("|---:|---|---:|---:|---:|")
    for n in args.sizes:
        results = bench(n, args.repeat)
        base = results["jsonl -j2"][0]
        for name, (rate, memory) in results.items():
            print(f"| {n:,} | `{name}` | {rate:,.0f} | {rate / base:.2f} | {memory:.0f} MB |",
                  flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print("Target (issue 13): --scheduler local at least 0.8 of -j2.")


if __name__ == "__main__":
    main()
