"""Compressed outputs: named by the extension, for every text format, the same bytes
whatever -j and when resumed."""

from __future__ import annotations

import contextlib
import gzip
from pathlib import Path

import pytest

from tests.support import ROOT, run
from tests.support.convert_helpers import convert, interrupted_after

zstandard = pytest.importorskip("zstandard", reason="the zstd extra is not installed")


def unpack(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data)
    unpacked: bytes = zstandard.ZstdDecompressor().stream_reader(data).read()
    return unpacked


@pytest.mark.parametrize("name", ["pages.jsonl.gz", "pages.jsonl.zst", "briefs.csv.gz",
                                  "briefs.tsv.zst", "pages.json.gz", "pages.gz"])
def test_compressed_is_the_plain_output(name: str, tmp_path: Path) -> None:
    table = "briefs" if name.startswith("briefs") else "pages"
    plain = tmp_path / name.rsplit(".", 1)[0]
    if plain.suffix == "":
        plain = plain.with_suffix(".jsonl")  # no extension: JSON Lines
    packed = tmp_path / name
    with contextlib.chdir(ROOT):
        assert convert("seeds", "-o", plain, "--table", table, "-q").code == 0
        assert convert("seeds", "-o", packed, "--table", table, "-q", "-j2").code == 0
    assert unpack(packed) == plain.read_bytes()
    assert packed.read_bytes() != plain.read_bytes()


def test_to_with_a_compressed_name_is_not_silently_plain(tmp_path: Path) -> None:
    out = tmp_path / "x.gz"
    result = run(["convert", "seeds", "-o", out, "--to", "csv", "--table", "briefs", "-q"],
                 cwd=ROOT)
    assert result.code == 0
    assert gzip.decompress(out.read_bytes()).startswith(b"source,section,kind,id,")


def test_same_bytes_whatever_jobs_and_resumed(tmp_path: Path) -> None:
    one, two, resumed = (tmp_path / f"{name}.csv.gz" for name in ("one", "two", "resumed"))
    with contextlib.chdir(ROOT):
        assert convert("seeds", "-o", one, "-j1", "-q", "--dedupe").code == 0
        assert convert("seeds", "-o", two, "-j2", "-q", "--dedupe").code == 0
        with interrupted_after(2):
            assert convert("seeds", "-o", resumed, "-j1", "-q", "--dedupe").code == 130
        assert "2 from the manifest" in convert("seeds", "-o", resumed, "--resume", "--dedupe").err
    assert one.read_bytes() == two.read_bytes() == resumed.read_bytes()


def test_binary_formats_are_not_compressed_by_name(tmp_path: Path) -> None:
    result = run(["convert", "seeds", "-o", tmp_path / "x.parquet.gz"], cwd=ROOT)
    assert result.code == 2
    assert result.err.strip().endswith("parquet is compressed inside; leave out the gzip "
                                       "extension")
