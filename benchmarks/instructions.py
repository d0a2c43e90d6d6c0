"""``make bench-instructions``: instructions per page, counted by valgrind, not timed.

Seconds on a shared two-core machine swing by a third between runs; instruction counts
do not (the same binary, inputs and environment give the same count whatever else the
machine does).  This counts, per page, over the same generated pages:

* floor: read, decode, ``json.dumps`` of ``{"source", "text"}`` (as benchmarks/floor.py);
* parse: read, ``parse_bytes``, ``record_line`` (the loop inside ``anp-extract parse``);
* ``convert -j1`` and ``convert -j2`` as real processes, start-up subtracted, every
  process of the tree counted (a forked worker's count starts with what its parent had
  done before the fork, which is subtracted too).

Each figure is the count of a run over N pages minus the count of the same run over
none, divided by N.  Needs valgrind (``apt-get install valgrind``).

    python benchmarks/instructions.py            # 400 pages in-process, 1,000 for convert
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import ROOT, compile_package, convert_command, ensure_corpus

LOOPS = {
    "floor": """
import json
for path in paths:
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    out.write((json.dumps({"source": path, "text": text}) + "\\n").encode("utf-8"))
""",
    "parse": """
for path in paths:
    out.write(record_line(parse_bytes(open(path, "rb").read(), path)))
""",
}

PRELUDE = """
import sys
from anp_extract.sinks import record_line
from anp_extract.core.page import parse_bytes
paths = sys.argv[1:]
out = open("/dev/null", "wb")
"""


def counted(command: list[str], folder: str) -> dict[int, int]:
    """Instructions of every process of *command*'s tree under callgrind, by pid; the
    first key is the parent's (the first pid valgrind speaks for)."""
    out = os.path.join(folder, "cg.%p")
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    first = re.search(r"==(\d+)==", done.stderr)
    found = {int(pid): int(total.replace(",", "")) for pid, total in
             re.findall(r"==(\d+)== Collected : ([\d,]+)", done.stderr)}
    counts = {pid: found[pid] for pid in sorted(found, key=lambda pid: (
        pid != int(first.group(1)) if first else 0, pid))}
    for name in glob.glob(os.path.join(folder, "cg.*")):
        os.unlink(name)
    if done.returncode != 0 or not counts:
        raise SystemExit(f"{' '.join(command)} under valgrind failed:\n{done.stderr[-2000:]}")
    return counts


def in_process(kind: str, paths: list[str], folder: str) -> float:
    """Instructions per page of the in-process loop *kind*."""
    script = [sys.executable, "-c", PRELUDE + LOOPS[kind]]
    (base,) = counted(script, folder).values()
    (full,) = counted(script + paths, folder).values()
    return (full - base) / len(paths)


def convert(jobs: int, pages: list[str], folder: str) -> tuple[float, float]:
    """Instructions per page of ``convert -jN`` (all its processes, start-up subtracted),
    and of its parent process alone."""
    tree = os.path.join(folder, "tree")
    os.makedirs(tree)
    for path in pages:
        shutil.copy(path, tree)
    out = os.path.join(folder, "out.jsonl")
    command = convert_command([tree], out, jobs)
    one = os.path.join(folder, "one")
    os.makedirs(one)
    shutil.copy(pages[0], one)
    (start_up,) = counted(convert_command([one], out, jobs), folder).values()
    counts = counted(command, folder)
    parent = next(iter(counts))  # not the lowest pid: pids wrap around
    # A forked worker starts with its parent's count at the fork: about the start-up.
    total = sum(counts.values()) - start_up * len(counts)
    shutil.rmtree(tree)
    shutil.rmtree(one)
    return total / len(pages), (counts[parent] - start_up) / len(pages)


def start_up(page: str, folder: str) -> tuple[float, float]:
    """Instructions of a bare typer app printing hello, and of ``parse`` of one page."""
    (hello,) = counted([sys.executable, str(ROOT / "benchmarks" / "hello_typer.py")],
                       folder).values()
    (parse,) = counted([sys.executable, "-m", "anp_extract", "parse", page], folder).values()
    return hello, parse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=400, help="pages for the in-process loops")
    parser.add_argument("--convert-pages", type=int, default=1000)
    args = parser.parse_args()
    compile_package()
    if args.convert_pages < 500:  # each worker's start-up is estimated and subtracted
        parser.error("--convert-pages: at least 500, so that the start-up estimated for each "
                     "worker is small beside the work counted")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    paths = [str(path) for path in ensure_corpus(20_000)]
    with tempfile.TemporaryDirectory() as folder:
        floor = in_process("floor", paths[: args.pages], folder)
        parse = in_process("parse", paths[: args.pages], folder)
        j1, _ = convert(1, paths[: args.convert_pages], folder)
        j2, parent = convert(2, paths[: args.convert_pages], folder)
        hello, started = start_up(paths[0], folder)
    print("Instructions per page (valgrind --tool=callgrind), generated pages of "
          "benchmarks/floor.py")
    print()
    print("| run | instructions/page | floor / run |")
    print("|---|---:|---:|")
    print(f"| floor (read, decode, json.dumps) | {floor:,.0f} | 1.00 |")
    print(f"| parse, in-process (read, parse_bytes, record_line) | {parse:,.0f} "
          f"| {floor / parse:.2f} |")
    print(f"| convert -j1, all processes | {j1:,.0f} | {floor / j1:.2f} |")
    print(f"| convert -j2, all processes (its parent alone: {parent:,.0f}) | {j2:,.0f} "
          f"| {floor / j2:.2f} |")
    print()
    print(f"Start-up: a bare typer app printing hello {hello / 1e6:,.0f} M instructions; "
          f"`anp-extract parse` of one page {started / 1e6:,.0f} M ({started / hello:.2f}x).")
    print()
    print(f"-j2 does {j2 / j1:.2f} times the instructions of -j1 for the same pages; "
          "what it takes in seconds beyond half of -j1 is the machine's (two busy cores "
          "doing less per cycle) or the serial start-up, not work.")


if __name__ == "__main__":
    main()
