"""Instructions per page, stage by stage (valgrind), over the generated pages.

Each stage is measured as the difference between two loops over the same pages: one
that does every stage up to it, and one that stops before it.  Counts, not seconds: the
same on a busy machine as on a quiet one.

    python benchmarks/stages.py               # 300 pages
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
from instructions import counted

PRELUDE = """
import sys, orjson
from anp_extract.core.normalize import clean_lines, decode
from anp_extract.core.page import parse
paths = sys.argv[1:]
out = open("/dev/null", "wb")
for path in paths:
"""

READ = "    data = open(path, 'rb').read()\n"
DECODE = READ + "    decoded = decode(data, path)\n"
PARSE = DECODE + "    page = parse(decoded.text, path, warnings=decoded.warnings)\n"
TO_DICT = PARSE + "    record = page.to_dict()\n"

# Each stage: its name and the loop body of everything up to it; a stage costs its loop
# less the loop before.  parse() normalises the text itself, so "label and assemble" is
# parse less clean_lines.
STAGES = [
    ("read (open, read)", READ),
    ("decode", DECODE),
    ("normalise (clean_lines)", DECODE + "    clean_lines(decoded.text)\n"),
    ("label and assemble (parse less clean_lines)", PARSE),
    ("to_dict", TO_DICT),
    ("JSON and write (orjson)",
     TO_DICT + "    out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))\n"),
]


def per_page(code: str, paths: list[str], folder: str) -> float:
    script = [sys.executable, "-c", code]
    (base,) = counted(script, folder).values()
    (full,) = counted(script + paths, folder).values()
    return (full - base) / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    paths = [str(path) for path in ensure_corpus(20_000)[: args.pages]]
    os.environ["PYTHONHASHSEED"] = "0"  # string hashes move counts by a few thousand
    print("| stage | instructions/page |")
    print("|---|---:|")
    before = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, body in STAGES:
            total = per_page(PRELUDE + body, paths, folder)
            print(f"| {name} | {total - before:,.0f} |", flush=True)
            before = total
    print(f"| all | {before:,.0f} |")


if __name__ == "__main__":
    main()
