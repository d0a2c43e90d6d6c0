"""Records byte for byte: write the records (and labelled lines) of a fixed set of pages
now, and compare a later version against them.

The set: the seeds and golden pages, N generated pages (the benchmark corpus), and a
fuzzed set (generated and golden pages mangled by ``tests.properties.strategies.mutate``,
with a fixed random seed).  Each page is parsed with the default options and again with a
scrape time (``--now``), and annotated (the labelled lines ``show --lines`` prints).

    python benchmarks/same_records.py write            # bench-data/reference/
    python benchmarks/same_records.py check            # exit 1 on the first differences
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import BENCH_DATA, ROOT, ensure_corpus

sys.path.insert(0, str(ROOT))
from anp_extract.core.normalize import decode
from anp_extract.core.page import ParseOptions, annotate, parse_bytes
from anp_extract.errors import AnpExtractError
from anp_extract.sinks import record_line
from tests.properties.strategies import MUTATIONS, mutate
from tests.support.generator import generate_page

REFERENCE = BENCH_DATA / "reference"
NOW = ParseOptions(now=datetime(2025, 11, 4, 15, 30, tzinfo=timezone(timedelta(hours=1))))


def pages(generated: int, fuzzed: int) -> Iterator[tuple[str, bytes]]:
    golden = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data").glob("*.txt"))
    for path in golden:
        yield f"golden:{path.name}", path.read_bytes()
    for path in ensure_corpus(generated):
        yield f"generated:{path.name}", path.read_bytes()
    rng = random.Random(14)
    bases = [path.read_bytes() for path in golden]
    bases += [generate_page(index, seed=15).data for index in range(300)]
    for n in range(fuzzed):
        operations = [(rng.choice(MUTATIONS), rng.randrange(10_000), rng.randrange(10_000))
                      for _ in range(rng.randint(1, 4))]
        yield f"fuzzed:{n}", mutate(bases[rng.randrange(len(bases))], operations)


def outputs(name: str, data: bytes) -> bytes:
    """Everything the parser says of one page, as bytes."""
    try:
        plain = record_line(parse_bytes(data, name))
        timed = record_line(parse_bytes(data, name, NOW))
        _, labelled = annotate(decode(data, name).text, name)
        lines = repr(labelled).encode("utf-8", "surrogatepass")
    except AnpExtractError as exc:
        return f"error: {exc}\n".encode()
    return plain + timed + lines + b"\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("write", "check"))
    parser.add_argument("--generated", type=int, default=20_000)
    parser.add_argument("--fuzzed", type=int, default=30_000)
    parser.add_argument("--name", default="", help="a name for the reference (another version)")
    args = parser.parse_args()
    folder = REFERENCE / args.name if args.name else REFERENCE
    folder.mkdir(parents=True, exist_ok=True)
    digests = folder / f"digests-{args.generated}-{args.fuzzed}.txt"
    full = folder / f"records-{args.generated}-{args.fuzzed}.bin"
    if args.mode == "write":
        with open(digests, "w") as lines, open(full, "wb") as everything:
            for name, data in pages(args.generated, args.fuzzed):
                said = outputs(name, data)
                everything.write(said)
                lines.write(f"{name} {hashlib.blake2b(said, digest_size=12).hexdigest()}\n")
        print(f"wrote {digests}")
        return 0
    expected = dict(line.split(" ", 1) for line in digests.read_text().splitlines())
    wrong = 0
    count = 0
    for name, data in pages(args.generated, args.fuzzed):
        count += 1
        said = outputs(name, data)
        if hashlib.blake2b(said, digest_size=12).hexdigest() != expected[name]:
            wrong += 1
            if wrong <= 5:
                print(f"DIFFERS: {name}\n{said.decode('utf-8', 'replace')[:3000]}")
    print(f"{count} pages, {wrong} differ")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
