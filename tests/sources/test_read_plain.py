"""``sources.read_plain``, convert's quick read of a plain page file: the page ``read``
gives, or None when ``read`` must decide (then convert reads it the long way)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from anp_extract import sources
from anp_extract.sources import Document, ReadOptions
from tests.support import SEEDS, containers


def _plain(path: Path, options: ReadOptions = ReadOptions(), with_mtime: bool = False
           ) -> Document | None:
    name = sources.display(str(path))
    return sources.read_plain(str(path), name, os.stat(path), options, with_mtime=with_mtime)


@pytest.mark.parametrize("with_mtime", [False, True])
def test_a_plain_page_is_the_document_read_gives(tmp_path: Path, with_mtime: bool) -> None:
    for seed in SEEDS:
        quick = _plain(seed, with_mtime=with_mtime)
        (slow,) = sources.read(str(seed), with_mtime=with_mtime)
        assert quick == slow


def test_an_empty_file_is_a_page_too(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _plain(path) == Document(str(path), b"")


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(gzip.compress(SEEDS[0].read_bytes())),  # compressed
    lambda p: p.write_bytes(b'{"text": "DEN HAAG (ANP) - Tekst."}\n'),  # JSON Lines
    lambda p: containers.tar(p, mode="w"),  # an archive named .txt
    lambda p: containers.zip_archive(p),
    lambda p: containers.warc(p, gzipped=False),
])
def test_what_may_be_something_else_is_left_to_read(tmp_path: Path, make: object) -> None:
    path = tmp_path / "page.txt"
    make(path)  # type: ignore[operator]
    assert _plain(path) is None


def test_our_sidecars_and_json_lines_names_are_left_to_read(tmp_path: Path) -> None:
    for name in ("out.jsonl.parts", "out.jsonl.lock", "docs.jsonl", "docs.ndjson.gz"):
        path = tmp_path / name
        path.write_bytes(b"123\n" if name.endswith(".lock") else SEEDS[0].read_bytes())
        assert _plain(path) is None, name


def test_past_the_page_size_limit_or_grown_it_is_left_to_read(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(SEEDS[0].read_bytes())
    assert _plain(path, ReadOptions(max_page_size=100)) is None
    info = os.stat(path)
    with open(path, "ab") as handle:
        handle.write(b"more\n")
    assert sources.read_plain(str(path), str(path), info) is None
