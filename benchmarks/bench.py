"""``make bench``: pages per second of ``parse`` beside the floor of issue 2.

The corpus is 20,000 generated pages under bench-data/ (made once).  In one process,
interleaved round by round so that both see the same machine state:

* floor: read each file, decode it, write ``{"source", "text"}`` with ``json``;
* parse: read each file (``sources.read_bytes``), ``parse_bytes``, write ``record_line``
  (what ``anp-extract parse`` does per input, without the process around it).

Then once through the real command, ``xargs anp-extract parse`` over the same files.
Prints a markdown table and writes it, with the date and the machine, to
docs/benchmark.md.  Target: parse at least 0.5 of the floor on one core.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import BinaryIO

from floor import BENCH_DATA, ROOT, compile_package, ensure_corpus, floor

from anp_extract.core.page import parse_bytes
from anp_extract.sinks import record_line
from anp_extract.sources import read_bytes

TARGET = 0.5
DOC = ROOT / "docs" / "benchmark.md"


def parse_loop(paths: list[Path], out: BinaryIO) -> float:
    """Seconds for the in-process parse loop over *paths*, writing records to *out*."""
    start = time.perf_counter()
    for path in paths:
        source = str(path)
        out.write(record_line(parse_bytes(read_bytes(source), source)))
    out.flush()
    return time.perf_counter() - start


def command_seconds(paths: list[Path]) -> tuple[float, int] | None:
    """Wall seconds and peak RSS (KiB) of ``xargs anp-extract parse`` over *paths*."""
    command = Path(sys.executable).parent / "anp-extract"
    if not command.exists() or shutil.which("xargs") is None:
        return None
    listing = BENCH_DATA / "files.txt"
    listing.write_text("".join(f"{path}\n" for path in paths))
    with open(BENCH_DATA / "command.jsonl", "wb") as out:
        start = time.perf_counter()
        done = subprocess.run(["xargs", "-a", str(listing), str(command), "parse"], stdout=out,
                              check=False)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"anp-extract parse exited with {done.returncode}", file=sys.stderr)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}; nproc {os.cpu_count()}; Python {platform.python_version()} "
            f"({platform.python_implementation()}); {platform.system()} {platform.release()}")


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--pages", type=int, default=20_000)
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--no-command", action="store_true", help="skip the real command")
    options.add_argument("--no-doc", action="store_true", help="do not write docs/benchmark.md")
    args = options.parse_args()
    compile_package()

    started = time.perf_counter()
    paths = ensure_corpus(args.pages)
    size = sum(path.stat().st_size for path in paths)
    print(f"corpus: {len(paths)} pages, {size / 1e6:.1f} MB, ready in "
          f"{time.perf_counter() - started:.1f}s ({BENCH_DATA.name}/)", file=sys.stderr)

    floors: list[float] = []
    parses: list[float] = []
    scratch = BENCH_DATA / "out.jsonl"
    for round_ in range(args.rounds + 1):  # round 0 warms the page cache and the caches
        with open(scratch, "wb") as out:
            floor_s = floor(paths, out)
        with open(scratch, "wb") as out:
            parse_s = parse_loop(paths, out)
        if round_:
            floors.append(len(paths) / floor_s)
            parses.append(len(paths) / parse_s)
        print(f"round {round_}: floor {len(paths) / floor_s:,.0f}/s, "
              f"parse {len(paths) / parse_s:,.0f}/s", file=sys.stderr)
    rss_in_process = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    floor_rate, parse_rate = statistics.median(floors), statistics.median(parses)
    rows: list[tuple[str, float, float, int | None]] = [
        ("floor (read, decode, json.dumps)", floor_rate, 1.0, None),
        ("parse, in-process (read, parse_bytes, record_line)", parse_rate,
         parse_rate / floor_rate, rss_in_process),
    ]
    command = None if args.no_command else command_seconds(paths)
    if command is not None:
        seconds, child_rss = command
        rate = len(paths) / seconds
        rows.append(("`xargs anp-extract parse` (real processes)", rate, rate / floor_rate,
                     child_rss))

    table = [
        f"{len(paths):,} generated pages ({size / 1e6:.1f} MB), median of {args.rounds} "
        "interleaved rounds; one core.",
        "",
        "| run | pages/s | × floor | peak RSS |",
        "|---|---:|---:|---:|",
    ]
    for name, rate, ratio, peak in rows:
        memory = f"{peak / 1024:.0f} MiB" if peak else "–"
        table.append(f"| {name} | {rate:,.0f} | {ratio:.2f} | {memory} |")
    verdict = "met" if parse_rate / floor_rate >= TARGET else "NOT met"
    table += ["", f"Target parse/floor ≥ {TARGET}: **{verdict}** "
              f"({parse_rate / floor_rate:.2f})."]
    print("\n".join(table))

    if not args.no_doc:
        DOC.write_text(document(table), "utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


def document(table: list[str]) -> str:
    return "\n".join([
        "# Benchmark: `parse` beside the floor",
        "",
        "Written by `make bench` (benchmarks/bench.py); the figures below are the last run's.",
        "",
        f"- Date: {date.today().isoformat()}",
        f"- Machine: {machine()}",
        f"- Load average at the end (other work on the machine): {os.getloadavg()[0]:.1f}",
        "",
        *table,
        "",
        "## What is measured",
        "",
        "- **floor**: for each file, read it, decode it (UTF-8, else cp1252) and write",
        '  `{"source", "text"}` as one line with the standard `json` module. Any converter does',
        "  at least this much; it is the yardstick, so the ratio means the same on any machine.",
        "- **parse, in-process**: for each file, read it, `parse_bytes` (decode, clean, parse)",
        "  and write `record_line` (orjson) — the loop inside `anp-extract parse`.",
        "- **real processes**: `xargs anp-extract parse` over the same files, output to a file;",
        "  includes interpreter start-up for each batch xargs makes.",
        "- The corpus comes from `tests/support/generator.py` (seed 2024): both article",
        "  layouts and both listing kinds with the encoding and spacing variations, sized like",
        "  the seeds. It is written once to `bench-data/` (gitignored) and made again when the",
        "  generator changes.",
        "- Floor and parse run interleaved in one process, after a warm-up round, so both see",
        "  the same page cache and CPU state; the table gives the median round.",
        "- Peak RSS is the process's maximum resident set (in-process: the benchmark itself,",
        "  corpus path list included; real processes: the largest child).",
        "",
        "Reuse in other benchmarks: `from floor import ensure_corpus, measure_floor`.",
        "",
    ])


if __name__ == "__main__":
    sys.exit(main())
