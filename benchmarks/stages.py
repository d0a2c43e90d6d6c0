"""Instructions per page, stage by stage (valgrind), over the generated pages.

Each stage is measured as the difference between two loops over the same pages: one
that does every stage up to it, and one that stops before it.  Counts, not seconds: the
same on a busy machine as on a quiet one.

Then issue 14's budget: ``parse`` at half the floor may spend twice the floor's
instructions on a page; what reading, decoding, normalising, ``to_dict`` and JSON take of
that leaves the rest for labelling and assembly.  Beside it, what labelling alone takes
(``labels.scan``), and two loops that do a sliver of it over the same cleaned lines: one
that only files each line (the four appends every line gets), and the same trying the
dateline pattern on each line where the scan tries it: bare (``DATELINE.match``), and as
the scan asks it (``find_dateline``, which builds the Dateline and caches the heads).

    python benchmarks/stages.py               # 300 pages
    python benchmarks/stages.py --corpus DIR  # the first 300 pages (*/*.txt) of DIR
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import ensure_corpus
from instructions import LOOPS, counted

# Every loop's imports, the budget's slivers' too: a run over no pages counts them, and is
# subtracted (per_page).
PRELUDE = """
import sys, orjson
from anp_extract.core.boilerplate import DEFAULT_RULES
from anp_extract.core.datelines import DATELINE, find_dateline
from anp_extract.core.labels import scan
from anp_extract.core.normalize import clean_lines, decode
from anp_extract.core.page import parse
paths = sys.argv[1:]
out = open("/dev/null", "wb")
for path in paths:
"""

READ = "    data = open(path, 'rb').read()\n"
DECODE = READ + "    decoded = decode(data, path)\n"
NORMALISE = DECODE + "    lines = clean_lines(decoded.text)\n"
PARSE = DECODE + "    page = parse(decoded.text, path, warnings=decoded.warnings)\n"
TO_DICT = PARSE + "    record = page.to_dict()\n"

# Each stage: its name and the loop body of everything up to it; a stage costs its loop
# less the loop before.  parse() normalises the text itself, so "label and assemble" is
# parse less clean_lines.
STAGES = [
    ("read (open, read)", READ),
    ("decode", DECODE),
    ("normalise (clean_lines)", NORMALISE),
    ("label and assemble (parse less clean_lines)", PARSE),
    ("to_dict", TO_DICT),
    ("JSON and write (orjson)",
     TO_DICT + "    out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))\n"),
]


# The floor of instructions.py, and the slivers of labelling (after normalise: each figure
# is its loop less the normalise stage's).  The dateline is tried where the scan tries it:
# on a line that opens with a capital (or an apostrophe) not followed by a lower-case
# letter, the scan's own guard.
FLOOR = "import sys\npaths = sys.argv[1:]\nout = open('/dev/null', 'wb')\n" + LOOPS["floor"]
FILE_LINES = """
    texts, numbers, labels, kinds = [], [], [], bytearray()
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        texts.append(line); numbers.append(number); labels.append("unparsed"); kinds.append(3)
"""
MATCH_DATELINES = FILE_LINES + """\
        if (line[0].isupper() or line[0] in "'\u2019") and not line[1:2].islower() \\
                and match(line, 0, 160) is not None:
            kinds[-1] = 1
"""
FIND_DATELINES = FILE_LINES + """\
        if (line[0].isupper() or line[0] in "'\u2019") and not line[1:2].islower() \\
                and find_dateline(line) is not None:
            kinds[-1] = 1
"""
SLIVERS = [
    ("of which labelling (labels.scan) alone", NORMALISE + "    scan(lines, DEFAULT_RULES)\n"),
    ("a loop that only files each line (four appends)", NORMALISE + FILE_LINES),
    ("the same, trying DATELINE.match (nothing built) where the scan tries a dateline",
     "    match = DATELINE.match\n" + NORMALISE + MATCH_DATELINES),
    ("the same, asking find_dateline (the scan's test: a Dateline, heads cached) instead",
     NORMALISE + FIND_DATELINES),
]


def per_page(code: str, paths: list[str], folder: str) -> float:
    script = [sys.executable, "-c", code]
    (base,) = counted(script, folder).values()
    (full,) = counted(script + paths, folder).values()
    return (full - base) / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--corpus", type=Path, help="pages (*/*.txt) other than the "
                        "benchmark's 20,000 (bench-data/pages-20000-2024)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    pages = sorted(args.corpus.glob("*/*.txt")) if args.corpus else ensure_corpus(20_000)
    paths = [str(path) for path in pages[: args.pages]]
    os.environ["PYTHONHASHSEED"] = "0"  # string hashes move counts by a few thousand
    print("| stage | instructions/page |")
    print("|---|---:|")
    before = 0.0
    totals: dict[str, float] = {}  # each stage's loop: it and every stage before it
    with tempfile.TemporaryDirectory() as folder:
        for name, body in STAGES:
            totals[name] = total = per_page(PRELUDE + body, paths, folder)
            print(f"| {name} | {total - before:,.0f} |", flush=True)
            before = total
    print(f"| all | {before:,.0f} |")
    budget(paths, totals)


def budget(paths: list[str], totals: dict[str, float]) -> None:
    """Issue 14's budget for labelling and assembly, and the slivers of it (see above)."""
    normalise = totals["normalise (clean_lines)"]
    labelling = totals["label and assemble (parse less clean_lines)"] - normalise
    fixed = totals["JSON and write (orjson)"] - labelling  # every stage but labelling's
    with tempfile.TemporaryDirectory() as folder:
        floor = per_page(FLOOR, paths, folder)
        slivers = [(name, per_page(PRELUDE + body, paths, folder) - normalise)
                   for name, body in SLIVERS]
    print()
    print("| issue 14's budget | instructions/page |")
    print("|---|---:|")
    print(f"| the floor (instructions.py's loop) | {floor:,.0f} |")
    print(f"| parse at half the floor: twice that | {2 * floor:,.0f} |")
    print(f"| of it, read, decode, normalise, to_dict, JSON (the stages above) | {fixed:,.0f} |")
    print(f"| left for labelling and assembly | {2 * floor - fixed:,.0f} |")
    print(f"| labelling and assembly today (above) | {labelling:,.0f} |")
    for name, cost in slivers:
        print(f"| {name} | {cost:,.0f} |")


if __name__ == "__main__":
    main()
