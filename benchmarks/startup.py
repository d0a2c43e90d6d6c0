"""Start-up: ``anp-extract parse`` of one page beside a bare typer app that prints hello.

Both are whole processes of the same interpreter, run in turn (hello, parse, hello,
parse, ...) so that both see the same machine; the figure is the median of the rounds,
and the ratio is of the medians.  Target (issue 14): parse within 1.2x hello.

    python benchmarks/startup.py              # 40 rounds
    python benchmarks/startup.py --rounds 100
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import ROOT, compile_package

HERE = ROOT / "benchmarks"
TARGET = 1.2


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def measure(rounds: int, page: Path) -> tuple[float, float]:
    """Median milliseconds of (hello, parse one page) over *rounds* interleaved rounds."""
    hello = [sys.executable, str(HERE / "hello_typer.py")]
    parse = [sys.executable, "-m", "anp_extract", "parse", str(page)]
    seconds(hello), seconds(parse)  # warm the page cache
    hellos, parses = [], []
    for _ in range(rounds):
        hellos.append(seconds(hello))
        parses.append(seconds(parse))
    return statistics.median(hellos) * 1000, statistics.median(parses) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    compile_package()
    page = sorted((ROOT / "seeds").glob("*.txt"))[0]
    hello, parse = measure(args.rounds, page)
    verdict = "met" if parse <= TARGET * hello else "NOT met"
    print(f"| start-up (median of {args.rounds} interleaved runs) | hello {hello:.0f} ms "
          f"| parse one page {parse:.0f} ms | {parse / hello:.2f}x | target <= {TARGET}x: "
          f"{verdict} |")


if __name__ == "__main__":
    main()
