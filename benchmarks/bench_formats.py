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
from floor import BENCH_DATA, ROOT, compile_package, convert_command, ensure_corpus

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


def write(to: str, source: str, out: str) -> None:
    """In this process: the page records of the JSON Lines file *source* written to *out*
    by the writer of *to*, as convert's parent writes them (blocks of stored rows)."""
    from anp_extract.sinks import open_writer

    with open(source, "rb") as rows, open(out, "wb") as stream:
        writer = open_writer(stream, to, scratch=os.path.dirname(out))
        while block := rows.read(1 << 20):
            block += rows.readline()
            writer.encoded(block)
        writer.end()


def writing(source: Path, n: int) -> dict[str, tuple[float, float]]:
    """name: (pages/s, peak RSS in MB) of writing *source*'s records in each format, each
    in a fresh process (its start-up and imports included)."""
    found = {}
    for to, suffix in (("jsonl", ".jsonl"), ("parquet", ".parquet"), ("sqlite", ".db")):
        out = BENCH_DATA / f"write-{n}{suffix}"
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, __file__, "--write", to, str(source),
                                    str(out)], cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"writing {to} failed")
        found[f"write {to}"] = (n / seconds, usage.ru_maxrss / 1024)
        out.unlink()
    return found


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
            if name != "jsonl -j2":
                out.unlink()
    if digests["jsonl -j2"] != digests["jsonl --scheduler local"]:
        raise SystemExit(f"--scheduler local and -j2 wrote different bytes over {n} pages")
    records = BENCH_DATA / f"formats-{n}-out.jsonl"
    best.update(writing(records, n))
    records.unlink()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", nargs=3, metavar=("TO", "JSONL", "OUT"),
                        help=argparse.SUPPRESS)  # one writer-only run, in a child process
    args = parser.parse_args()
    compile_package()
    if args.write:
        write(*args.write)
        return
    print(f"formats benchmark, {date.today()}, nproc {os.cpu_count()}, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at the start")
    print()
    print("| pages | run | pages/s | × jsonl -j2 (write: × write jsonl) | peak memory |")
    print("|---:|---|---:|---:|---:|")
    for n in args.sizes:
        results = bench(n, args.repeat)
        for name, (rate, memory) in results.items():
            base = results["write jsonl" if name.startswith("write") else "jsonl -j2"][0]
            print(f"| {n:,} | `{name}` | {rate:,.0f} | {rate / base:.2f} | {memory:.0f} MB |",
                  flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print("convert runs: the process tree's peak PSS; 'write X': one process writing the "
          "records of the JSON Lines output again in format X (start-up included), its "
          "peak RSS.")
    print("Target (issue 13): --scheduler local at least 0.8 of -j2.")


if __name__ == "__main__":
    main()
