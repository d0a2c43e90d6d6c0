"""The floor of issue 2, and the generated corpus every benchmark runs on.

The floor is the least any page converter must do: read each file, decode it (UTF-8,
else cp1252) and write ``{"source", "text"}`` as a JSON line with the standard ``json``
module.  ``parse`` is measured against it: a ratio, not an absolute speed, so the
figure means the same on a laptop and on a CI runner.

Reused by ``benchmarks/bench.py`` and ``benchmarks/bench_convert.py``::

    from floor import convert_command, ensure_corpus, measure_floor
    paths = ensure_corpus(20_000)          # bench-data/, generated once
    pages_per_second = measure_floor(paths)
"""

from __future__ import annotations

import compileall
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = ROOT / "bench-data"  # gitignored
SEED = 2024


def compile_package() -> None:
    """Write the package's bytecode, as installing it does, before a benchmark starts its
    processes.  A checkout run with PYTHONDONTWRITEBYTECODE set (as on this machine)
    writes none, so each process compiled every module again: 600 M instructions at
    start-up instead of 390 M, while typer, installed by pip, had its bytecode."""
    compileall.compile_dir(ROOT / "anp_extract", quiet=1)


def floor(paths: list[Path], out: BinaryIO) -> float:
    """Seconds taken by the floor loop over *paths*, writing its JSON lines to *out*."""
    start = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        out.write((json.dumps({"source": str(path), "text": text}) + "\n").encode("utf-8"))
    out.flush()
    return time.perf_counter() - start


def measure_floor(paths: list[Path]) -> float:
    """Pages per second of the floor over *paths*, written to a scratch file.

    A real file, not /dev/null: the commands measured beside it write real output too.
    """
    with tempfile.TemporaryFile(dir=BENCH_DATA if BENCH_DATA.is_dir() else None) as out:
        seconds = floor(paths, out)
    return len(paths) / seconds


def convert_command(inputs: list[str], out: str, jobs: int) -> list[str]:
    """The real ``convert`` process the benchmarks run: quiet, one output file."""
    return [sys.executable, "-m", "anp_extract", "convert", *inputs, "-o", out, f"-j{jobs}", "-q"]


def ensure_corpus(n: int, seed: int = SEED, folder: Path | None = None) -> list[Path]:
    """*n* generated pages under ``bench-data/``, made once and again when the generator changes.

    A new corpus is written beside the old one and renamed into place, so a benchmark
    running meanwhile never sees half a corpus.
    """
    folder = folder or BENCH_DATA / f"pages-{n}-{seed}"
    support = ROOT / "tests" / "support"
    generator = [support / "generator.py", support / "generator_words.py"]
    stamp_text = f"{n} pages, seed {seed}, generator {_digest(generator)}\n"
    stamp = folder / ".complete"
    if stamp.exists() and stamp.read_text() == stamp_text:
        paths = sorted(folder.glob("*/*.txt"))
        if len(paths) == n:
            return paths
    if str(ROOT) not in sys.path:  # the generator lives in tests/, beside this folder
        sys.path.insert(0, str(ROOT))
    from tests.support.generator import write_corpus

    fresh = folder.with_name(f"{folder.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    write_corpus(fresh, n, seed)
    (fresh / ".complete").write_text(stamp_text)
    if folder.exists():
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        folder.rename(old)
        shutil.rmtree(old)
    fresh.rename(folder)
    return sorted(folder.glob("*/*.txt"))


def _digest(paths: list[Path]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()
