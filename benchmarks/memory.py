"""Peak memory and time of ``anp-extract parse`` on a page of ten megabytes of
one-character lines (``'A\\n' * 5_000_000``, five million lines) beside a normal page of
the same size (a seed with its briefs repeated, as tests/core/test_linear.py makes it).

Each run is a real process; its peak resident set comes from ``wait4``.

    python benchmarks/memory.py            # parse
    python benchmarks/memory.py --show     # show --lines as well (about a minute)
    python benchmarks/memory.py --all      # every command that reads a page whole
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import ROOT, compile_package

SIZE = 10_000_000


def normal_page(size: int) -> str:
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text("utf-8")
    briefs = seed.split("Meer uit Buitenland")[1]
    return (seed + ("\n" + briefs) * (size // len(briefs) + 1))[:size]


def run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of ``anp-extract ARGS``, output discarded."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen([sys.executable, "-m", "anp_extract", *args], cwd=ROOT,
                                   stdout=null)
        _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="also show --lines")
    parser.add_argument("--all", action="store_true",
                        help="also convert, stats, strip, split, datelines, show, show --lines")
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "out.jsonl")  # convert's output, made again for each page
        commands = [["parse"]] + ([["show", "--lines"]] if args.show and not args.all else [])
        if args.all:
            commands += [["convert", "-q", "-j1", "-o", out], ["stats"], ["strip"], ["split"],
                         ["datelines"], ["show"], ["show", "--lines"]]
        pages = {"one-character lines": Path(folder) / "one.txt",
                 "normal page": Path(folder) / "normal.txt"}
        pages["one-character lines"].write_text("A\n" * (SIZE // 2))
        pages["normal page"].write_text(normal_page(SIZE))
        print("| command | page (10 MB) | seconds | peak RSS | × input | × normal page's time |")
        print("|---|---|---:|---:|---:|---:|")
        for command in commands:
            normal = None
            for name, path in reversed(pages.items()):  # the normal page first: the yardstick
                seconds, peak = run([*command, str(path)])
                Path(out).unlink(missing_ok=True)
                normal = normal or seconds
                shown = " ".join(command).replace(out, "OUT")
                print(f"| {shown} | {name} | {seconds:.1f} | {peak / 2**20:,.0f} MiB "
                      f"| {peak / SIZE:.0f} | {seconds / normal:.1f} |", flush=True)
        print("Targets (issue 14): memory a small multiple of the input; one-character lines "
              "within 20x the time of the normal page.")


if __name__ == "__main__":
    main()
