"""What every command reads: --files-from, stats over containers, pages that are no
pages counted apart."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.support import SEEDS, run
from tests.support import containers as build


def test_files_from_stdin_and_nul_separated(tmp_path: Path) -> None:
    names = "\n".join(str(seed) for seed in SEEDS[:3]) + "\n"
    ran = run(["parse", "--files-from", "-"], stdin=names)
    assert (ran.code, len(ran.out.splitlines())) == (0, 3)
    listed = tmp_path / "names"
    listed.write_bytes(b"\0".join(bytes(seed) for seed in SEEDS[:2]))
    ran = run(["parse", "-0", "--files-from", listed, SEEDS[4]])
    sources = [orjson.loads(line)["source"] for line in ran.out.splitlines()]
    assert sources == [str(SEEDS[4]), str(SEEDS[0]), str(SEEDS[1])]
    empty = tmp_path / "none"
    empty.write_bytes(b"")
    assert run(["parse", "--files-from", empty], stdin="not read").out == b""
    missing = run(["parse", "--files-from", tmp_path / "nope"])
    assert missing.code == 2 and "--files-from" in missing.err


def test_stats_counts_containers_and_what_is_no_page_apart(tmp_path: Path) -> None:
    build.warc(tmp_path / "c.warc.gz")
    (tmp_path / "saved.txt").write_bytes(build.HTML)
    (tmp_path / "data.txt").write_text('{"a": 1}\n{"b": 2}\n')
    (tmp_path / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n"
                                         "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    ran = run(["stats", "--json", tmp_path])
    figures = orjson.loads(ran.out)
    assert ran.code == 1  # the HTML responses of the WARC are failures
    assert figures["pages"] == len(SEEDS) + 3
    assert figures["not_pages"] == 3 and figures["records_skipped"] == 6
    assert figures["kinds"] == {"article": 5, "listing": 0}
    assert figures["failures"] == len(SEEDS)
    records = [orjson.loads(line) for line in
               run(["parse", tmp_path / "saved.txt", tmp_path / "data.txt",
                    tmp_path / "passwd.txt"]).out.splitlines()]
    assert [record["warnings"][-1] for record in records] == [
        "not a page: looks like HTML", "not a page: looks like JSON",
        "not a page: no dateline, age or section found",
    ]
    assert records[2]["body"][0]["text"].startswith("daemon:x:1:1")  # nothing lost
