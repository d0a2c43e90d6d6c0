"""Issue 16, what an audit found still open: a page's own form feed lines, what --resume
reuses, bookkeeping files given as inputs, empty and file-blocked output folders, a
closed stderr, and schema --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from tests.support import ROOT, SEEDS, run


def _records(out: bytes) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in out.splitlines()]


def _page_with_a_form_feed_line(tmp_path: Path) -> Path:
    """A seed page with a line holding only a form feed in its middle (a PDF-ish scrape's
    page end): still one page."""
    lines = SEEDS[0].read_bytes().split(b"\n")
    middle = len(lines) // 2
    page = tmp_path / "ff.txt"
    page.write_bytes(b"\n".join([*lines[:middle], b"\f", *lines[middle:]]))
    return page


def test_a_form_feed_line_inside_a_page_read_from_a_file_splits_nothing(
        tmp_path: Path) -> None:
    page = _page_with_a_form_feed_line(tmp_path)
    direct = _records(run(["parse", page]).out)
    assert len(direct) == 1
    briefs = len(direct[0]["briefs"])  # type: ignore[arg-type]
    for command in (["strip"], ["split"]):
        piped = run([*command, page])
        assert piped.code == 0, piped.err
        assert b"\n\f\n" not in piped.out
        records = _records(run(["parse"], stdin=piped.out).out)
        assert [len(r["briefs"]) for r in records] == [briefs]  # type: ignore[arg-type]
        # and several such pages stay as many pages
        two = run([*command, page, page]).out
        assert two.count(b"\n\f\n") == 1
        assert len(_records(run(["parse"], stdin=two).out)) == 2
    # standard input redirected from the file (a real file descriptor): one page too
    for command in (["parse"], ["stats", "--json", "-"], ["show", "-"]):
        with open(page, "rb") as handle:
            done = subprocess.run([sys.executable, "-m", "anp_extract", *command],
                                  stdin=handle, capture_output=True, cwd=ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        if command == ["parse"]:
            assert len(done.stdout.splitlines()) == 1
        elif command[0] == "stats":
            assert orjson.loads(done.stdout)["pages"] == 1
        else:
            assert done.stdout.decode().count("Meer uit") <= 1
            assert done.stdout.decode().count("article ·") == 1
