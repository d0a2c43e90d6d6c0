"""Reading must never take the machine or the run down: each fault found by fault
injection, reproduced in a real process (the way a user meets it: bytes in argv, a
closed descriptor, a memory limit, a timeout instead of a hang).

Each of these failed on the commit before the sources gained their limits
(5f1be75): a traceback, an endless read, a hang, or a whole run aborted.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.support import ROOT, SEEDS, run

BAD = b"bad\xff.txt"  # a file name that is not UTF-8
GIB = 1 << 30


def program(
    *args: str | bytes | Path, stdin: int | None = subprocess.DEVNULL, cwd: Path = ROOT,
    memory: int | None = None, close_stdin: bool = False, timeout: float = 30,
) -> subprocess.CompletedProcess[bytes]:
    """anp-extract *args* in a process of its own (arguments may be raw bytes)."""

    def limits() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if close_stdin:
            os.close(0)

    return subprocess.run(
        [sys.executable, "-m", "anp_extract", *(os.fsencode(arg) if isinstance(arg, Path)
                                                 else arg for arg in args)],
        cwd=cwd, stdin=None if close_stdin else stdin, capture_output=True, timeout=timeout,
        preexec_fn=limits,
        env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
    )


def no_traceback(done: subprocess.CompletedProcess[bytes]) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


# -- file names that are not UTF-8 ----------------------------------------------------------


@pytest.fixture
def bad_name(tmp_path: Path) -> Path:
    folder = tmp_path / "scrape"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "good.txt")
    with open(os.fsencode(folder) + b"/" + BAD, "wb") as handle:
        handle.write(SEEDS[1].read_bytes())
    return folder


@pytest.mark.parametrize("command", [["parse"], ["split", "--jsonl"],
                                     ["parse", "--to", "csv", "--table", "briefs"]])
def test_a_file_name_that_is_not_utf8_is_read_and_named_escaped(
    bad_name: Path, command: list[str]
) -> None:
    done = program(*command, b"scrape/" + BAD, cwd=bad_name.parent)
    no_traceback(done)
    assert done.returncode == 0
    assert b"scrape/bad\\\\xff.txt" in done.stdout or b"scrape/bad\\xff.txt" in done.stdout


def test_convert_reads_a_folder_holding_such_a_name(bad_name: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages.jsonl"
    done = program("convert", bad_name, "-o", out, "-j", "2", "--errors", tmp_path / "e.jsonl")
    no_traceback(done)
    assert done.returncode == 0
    sources = [orjson.loads(line)["source"] for line in out.read_bytes().splitlines()]
    assert sources == [f"{bad_name}/bad\\xff.txt", f"{bad_name}/good.txt"]
    assert sorted(os.listdir(tmp_path)) == ["e.jsonl", "pages.jsonl", "scrape"]  # no sidecars


# -- reads without bound ------------------------------------------------------------------


@pytest.mark.parametrize(("args", "device"), [
    (["parse"], "/dev/zero"), (["datelines"], "/dev/zero"), (["split"], "/dev/urandom"),
    (["strip", "--boilerplate"], "/dev/zero"),
])
def test_an_endless_input_fails_alone_at_the_page_size_limit(
    args: list[str], device: str
) -> None:
    done = program(*args, device, str(SEEDS[0]), memory=2 * GIB, timeout=60)
    err = no_traceback(done)
    assert "larger than the page size limit (64 MiB; --max-page-size)" in err
    assert done.returncode in (1, 2)


def test_a_huge_sparse_file_fails_alone_in_convert_under_a_memory_limit(tmp_path: Path) -> None:
    folder = tmp_path / "scrape"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(8 * GIB)  # sparse: no disk used
    out = tmp_path / "out.jsonl"
    done = program("convert", folder, "-o", out, "-j", "2", memory=2 * GIB, timeout=60)
    err = no_traceback(done)
    assert done.returncode == 1
    assert f"{folder}/huge.txt: larger than the page size limit" in err
    assert len(out.read_bytes().splitlines()) == 1


def test_max_page_size_is_an_option(tmp_path: Path) -> None:
    ran = run(["parse", "--max-page-size", "1K", *SEEDS[:2]])
    assert ran.code == 1
    assert ran.err.count("larger than the page size limit (1 KiB; --max-page-size)") == 2
    assert run(["parse", "--max-page-size", "lots", SEEDS[0]]).code == 2


# -- a FIFO in a folder, a looping link ---------------------------------------------------


def test_stats_passes_a_named_pipe_in_a_folder_as_convert_does(tmp_path: Path) -> None:
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    done = program("stats", "--json", tmp_path, timeout=30)
    err = no_traceback(done)
    assert done.returncode == 1
    assert f"{tmp_path}/pipe.txt: not a regular file (a named pipe)" in err
    assert orjson.loads(done.stdout)["pages"] == 1


def test_a_looping_link_fails_alone_under_follow_links(tmp_path: Path) -> None:
    folder = tmp_path / "scrape"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    out = tmp_path / "out.jsonl"
    done = program("convert", "--follow-links", folder, "-o", out)
    err = no_traceback(done)
    assert done.returncode == 1
    assert f"{folder}/loop.txt: cannot read: a looping symbolic link" in err
    assert len(out.read_bytes().splitlines()) == 1


# -- UTF-32 ---------------------------------------------------------------------------------


def test_utf32_with_a_byte_order_mark_is_decoded_as_utf32(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(SEEDS[0].read_text("utf-8").encode("utf-32"))  # BOM, little-endian
    got = orjson.loads(run(["parse", page]).out)
    want = orjson.loads(run(["parse", SEEDS[0]]).out)
    assert got["title"] == want["title"] and got["briefs"] == want["briefs"]
    assert got["warnings"] == ["decoded as UTF-32 (byte order mark)"]


# -- closed standard input ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["parse", "strip", "split", "datelines", "show", "export"])
def test_closed_stdin_is_one_line_not_a_traceback(command: str) -> None:
    done = program(command, close_stdin=True)
    err = no_traceback(done)
    assert done.returncode == 1
    assert err == "anp-extract: -: standard input is closed\n"


def test_convert_out_dir_writes_and_resumes_such_a_name(bad_name: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):  # the second run finds the first's outputs in its place
        done = program("convert", bad_name, "--out-dir", out, "--resume")
        no_traceback(done)
        assert done.returncode == 0
    assert sorted(os.listdir(os.fsencode(out))) == [BAD[:-4] + b".json", b"good.json"]
