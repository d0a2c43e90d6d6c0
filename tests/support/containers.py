"""Real containers of the seed pages, written with the real libraries (tarfile, zipfile,
gzip, bz2, lzma, zstandard, warcio), for the tests of ``sources`` and ``convert``."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from pathlib import Path

import orjson
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support import SEEDS

# The scrape time every WARC record and JSON Lines document carries here.
WHEN = "2025-11-04T14:30:00Z"
HTML = b"<!DOCTYPE html>\n<html><body><p>DEN HAAG (ANP) - Tekst.</p></body></html>\n"


def pages() -> list[tuple[str, bytes]]:
    """The seed pages: name and bytes."""
    return [(seed.name, seed.read_bytes()) for seed in SEEDS]


def compress(data: bytes, kind: str) -> bytes:
    if kind == "gz":
        return gzip.compress(data)
    if kind == "bz2":
        return bz2.compress(data)
    if kind == "xz":
        return lzma.compress(data)
    if kind == "zst":
        return zstandard.ZstdCompressor().compress(data)
    raise ValueError(kind)


def tar(path: Path, mode: str = "w:gz", prefix: str = "2025/06/",
        extra: list[tarfile.TarInfo] | None = None) -> Path:
    """A tar archive of the seeds under *prefix*, plus *extra* members (links, ...)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        for name, data in pages():
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
        for info in extra or []:
            archive.addfile(info, io.BytesIO(b"x" * info.size) if info.isreg() else None)
    data = raw.getvalue()
    kind = mode.partition(":")[2]
    path.write_bytes(compress(data, kind) if kind else data)
    return path


def zip_archive(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in pages():
            archive.writestr("pages/" + name, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def warc(path: Path, gzipped: bool = True) -> Path:
    """A WARC mixing text/plain conversion records (the seeds), HTML response records,
    request records and a warcinfo record."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for number, (_, data) in enumerate(pages()):
            url = f"https://www.zeelandnet.nl/nieuws/{number}"
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "zeelandnet.nl")],
                                              protocol="HTTP/1.1", is_http_request=True),
                warc_headers_dict={"WARC-Date": WHEN},
            )
            writer.write_record(request)
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(HTML),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                              protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": WHEN},
            )
            writer.write_record(response)
            conversion = writer.create_warc_record(
                url, "conversion", payload=io.BytesIO(data),
                warc_headers_dict={"Content-Type": "text/plain", "WARC-Date": WHEN,
                                   "WARC-Record-ID": f"<urn:uuid:page-{number}>"},
            )
            writer.write_record(conversion)
    return path


def jsonl(path: Path, gzipped: bool = False, bad: bool = False) -> Path:
    """A scrapy-style JSON Lines file: url, title, text, scraped_at per line."""
    lines = [
        orjson.dumps({"url": f"https://www.zeelandnet.nl/nieuws/{n}", "title": name,
                      "text": data.decode("utf-8"), "scraped_at": WHEN})
        for n, (name, data) in enumerate(pages())
    ]
    if bad:
        lines[1:1] = [b"{not json", orjson.dumps({"url": "https://x", "html": "<p>"})]
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path
