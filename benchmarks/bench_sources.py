"""``convert`` over the same 20,000 generated pages as a folder, one ``.tar.gz``, one
``.warc.gz`` (text/plain conversion records, as a WET file) and one ``.jsonl.gz``
(scrapy's shape): pages/s with ``-j1`` and ``-j2``, and the peak memory of the whole
process tree (PSS).  The parent streams a container's pages to the workers, so the
container's figures say what that costs over reading files.

    python benchmarks/bench_sources.py              # 20,000 pages, best of 2
    python benchmarks/bench_sources.py 5000 --repeat 1
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
import tarfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_convert import run_convert
from floor import BENCH_DATA, ensure_corpus

WHEN = "2025-11-04T14:30:00Z"


def containers(n: int) -> dict[str, Path]:
    """The corpus as a folder and as each container, made once per corpus."""
    pages = ensure_corpus(n)
    folder = pages[0].parent.parent
    made = BENCH_DATA / f"containers-{n}"
    made.mkdir(parents=True, exist_ok=True)
    stamp = made / ".from"
    fresh = not stamp.exists() or stamp.read_text() != str(folder.stat().st_mtime_ns)
    found = {"folder": folder, "tar.gz": made / "pages.tar.gz",
             "warc.gz": made / "pages.warc.gz", "jsonl.gz": made / "pages.jsonl.gz"}
    if not fresh:
        return found
    with tarfile.open(found["tar.gz"], "w:gz") as archive:
        for path in pages:
            archive.add(path, arcname=str(path.relative_to(folder)))
    from warcio.warcwriter import WARCWriter

    from anp_extract.core.normalize import decode  # some pages are cp1252: JSON holds text

    with open(found["warc.gz"], "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for path in pages:
            writer.write_record(writer.create_warc_record(
                f"https://example.nl/{path.relative_to(folder)}", "conversion",
                payload=io.BytesIO(path.read_bytes()),
                warc_headers_dict={"Content-Type": "text/plain", "WARC-Date": WHEN}))
    with gzip.open(found["jsonl.gz"], "wb") as handle:
        for path in pages:
            handle.write(orjson.dumps({"url": f"https://example.nl/{path.name}",
                                       "text": decode(path.read_bytes()).text,
                                       "scraped_at": WHEN}) + b"\n")
    stamp.write_text(str(folder.stat().st_mtime_ns))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    inputs = containers(args.n)
    out = BENCH_DATA / "sources-out.jsonl"
    print(f"convert over {args.n:,} pages as a folder and as one container "
          f"(best of {args.repeat}; peak memory: PSS of all processes; "
          f"load average {os.getloadavg()[0]:.1f})\n")
    print("| input | size | -j1 pages/s | -j2 pages/s | -j2 / -j1 | × folder (-j1) "
          "| pages per CPU-second -j1 | -j2 | peak memory -j1 | -j2 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    folder_rate = 0.0
    for name, path in inputs.items():
        rates, cpu, peaks = [], [], []
        for jobs in (1, 2):
            runs = [run_convert(path, jobs, out) for _ in range(args.repeat)]
            rates.append(args.n / min(seconds for seconds, _, _ in runs))
            # CPU time (the parent's and its workers'): what a busy machine changes least
            cpu.append(args.n / min(used for _, used, _ in runs))
            peaks.append(max(peak.pss for _, _, peak in runs) / 2**20)
        folder_rate = folder_rate or rates[0]
        size = sum(p.stat().st_size for p in path.rglob("*.txt")) if path.is_dir() \
            else path.stat().st_size
        print(f"| {name} | {size / 2**20:.1f} MiB | {rates[0]:,.0f} | {rates[1]:,.0f} | "
              f"{rates[1] / rates[0]:.2f} | {rates[0] / folder_rate:.2f} | "
              f"{cpu[0]:,.0f} | {cpu[1]:,.0f} | "
              f"{peaks[0]:.0f} MiB | {peaks[1]:.0f} MiB |", flush=True)
    # Flat: the archive's peak memory does not grow with the number of its pages.
    quarter = BENCH_DATA / f"containers-{args.n}" / "quarter.tar.gz"
    if not quarter.exists():
        with tarfile.open(quarter, "w:gz") as archive:
            for path in ensure_corpus(args.n)[: args.n // 4]:
                archive.add(path, arcname=path.name)
    small = max(run_convert(quarter, 1, out)[2].pss for _ in range(args.repeat)) / 2**20
    whole = max(run_convert(inputs["tar.gz"], 1, out)[2].pss
                for _ in range(args.repeat)) / 2**20
    print(f"\npeak memory of convert -j1 over one tar.gz: {args.n // 4:,} pages {small:.0f} MiB, "
          f"{args.n:,} pages {whole:.0f} MiB")
    out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
