"""Outputs never destroy what they did not create (issue 11, "Output safety").

Each case was seen to destroy a file before: a device or a link replaced by a regular
file, a planted link at a sidecar's name followed, a folder swapped mid-run, two runs
on one output, a SIGINT after the final rename reported as "not written".
"""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.support import ROOT, SEEDS, run
from tests.support.generator import write_corpus

ROOTED = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOTED, reason="making a device needs root")


def _device(path: Path) -> Path:
    """A character device like /dev/null, of the test's own."""
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


@needs_root
@pytest.mark.parametrize("flag", ["-o", "--errors"])
def test_a_character_device_is_written_through_not_replaced(tmp_path: Path, flag: str) -> None:
    null = _device(tmp_path / "null")
    args = ["convert", "-q", *map(str, SEEDS), tmp_path / "missing.txt"]
    args += [flag, null] if flag == "-o" else ["-o", tmp_path / "out.jsonl", flag, null]
    ran = run(args)
    assert ran.code == 1, ran.err  # the missing file
    assert stat.S_ISCHR(os.stat(null).st_mode), "the device was replaced by a regular file"
    assert sorted(os.listdir(tmp_path)) in (["null"], ["null", "out.jsonl"])


def test_a_fifo_is_streamed_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    ran = run(["convert", "-q", *map(str, SEEDS), "-o", fifo, "--to", "jsonl"])
    reader.join(30)
    assert ran.code == 0, ran.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].count(b"\n") == len(SEEDS)


def test_a_link_to_stdout_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "out.jsonl"
    link.symlink_to("/proc/self/fd/1")
    done = subprocess.run(
        [sys.executable, "-m", "anp_extract", "convert", "-q", *map(str, SEEDS), "-o", str(link)],
        capture_output=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert done.stdout.count(b"\n") == len(SEEDS)


@pytest.mark.parametrize("flag", ["-o", "--errors"])
def test_a_link_to_a_file_keeps_the_link_and_writes_its_target(tmp_path: Path, flag: str) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target.name)
    out = tmp_path / "out.jsonl"
    args = ["convert", "-q", *map(str, SEEDS), tmp_path / "missing.txt"]
    args += ["-o", link] if flag == "-o" else ["-o", out, "--errors", link]
    ran = run(args)
    assert ran.code == 1
    assert link.is_symlink(), "the link was replaced by a regular file"
    written = target.read_bytes()
    assert written != b"old\n"
    assert written.count(b"\n") == (len(SEEDS) if flag == "-o" else 1)


def test_a_planted_link_at_the_parts_name_is_not_followed(tmp_path: Path) -> None:
    keep = tmp_path / "keep.txt"
    keep.write_text("precious\n")
    out = tmp_path / "out.jsonl"
    Path(f"{out}.parts").symlink_to(keep)
    ran = run(["convert", "-q", *map(str, SEEDS), "-o", out])
    assert ran.code == 0, ran.err
    assert keep.read_text() == "precious\n"
    assert out.read_bytes().count(b"\n") == len(SEEDS)


def test_a_planted_link_at_the_manifest_names_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    folder = tmp_path / "dir"
    folder.mkdir()
    for name in (".anp-extract.manifest.jsonl.new", ".anp-extract.manifest.jsonl"):
        (folder / name).symlink_to(victim)
    out = tmp_path / "o.jsonl"
    for name in (f"{out}.manifest.jsonl.new", f"{out}.manifest.jsonl"):
        Path(name).symlink_to(victim)
    assert run(["convert", "-q", *map(str, SEEDS), "--out-dir", folder]).code == 0
    assert run(["convert", "-q", *map(str, SEEDS), "-o", out]).code == 0
    assert victim.read_text() == "precious\n"


def test_a_folder_swapped_for_a_link_mid_run_cannot_lead_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = tmp_path / "pages"
    write_corpus(pages, 30, seed=3)  # pages/0000/…
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    real_open = os.open
    swapped: list[bool] = []

    def open_after_a_swap(path: object, flags: int, *args: object, **kwargs: object) -> int:
        # The attacker strikes at the worst moment: the output's folder was checked, and
        # the run is about to create its first file in it.
        if not swapped and "gen-" in str(path) and str(path).endswith(".part"):
            swapped.append(True)
            (out / "0000").rename(out / "parked")
            (out / "0000").symlink_to(outside)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_after_a_swap)
    run(["convert", "-q", "-j1", pages, "--out-dir", out])
    monkeypatch.undo()
    assert swapped
    assert list(outside.iterdir()) == [], "page records landed outside --out-dir"


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lock = Path(f"{out}.lock")
    with open(lock, "w") as held:  # another run holds the output
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        ran = run(["convert", "-q", *map(str, SEEDS), "-o", out])
    assert ran.code == 1
    assert f"{out} is being written by another run (pid 4242)" in ran.err
    assert not out.exists()
    assert run(["convert", "-q", *map(str, SEEDS), "-o", out]).code == 0  # free again
    assert out.read_bytes().count(b"\n") == len(SEEDS)
    assert not lock.exists()


def test_two_real_runs_at_once_never_corrupt_the_output(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    write_corpus(pages, 600, seed=9)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "anp_extract", "convert", "-q", "-j1", str(pages), "-o",
               str(out)]
    first = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    statuses = [first.wait(120), second.wait(120)]
    errors = [first.stderr.read(), second.stderr.read()]  # type: ignore[union-attr]
    lines = out.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 601
    assert b"\x00" not in out.read_bytes()
    if statuses != [0, 0]:  # they overlapped: one ran, the other said so
        assert sorted(statuses) == [0, 1]
        assert any(b"is being written by another run" in err for err in errors)


def test_errors_naming_an_out_dir_output_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    assert run(["convert", "-q", SEEDS[0], "--out-dir", folder]).code == 0
    record = folder / SEEDS[0].with_suffix(".json").name
    before = record.read_bytes()
    ran = run(["convert", "-q", SEEDS[0], "--out-dir", folder, "--errors", record])
    assert ran.code == 2, ran.err
    assert "--errors" in ran.err
    assert record.read_bytes() == before


def test_an_interrupt_after_the_final_rename_says_the_output_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.jsonl"
    real = os.replace

    def replace_then_interrupt(
        src: str | os.PathLike[str], dst: str | os.PathLike[str], **kwargs: int | None
    ) -> None:
        real(src, dst, **kwargs)
        if os.fspath(dst) == str(out):
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    ran = run(["convert", "-q", *map(str, SEEDS), "-o", out])
    assert ran.code == 130
    assert out.read_bytes().count(b"\n") == len(SEEDS)
    assert "not written" not in ran.err
    assert f"{out} is complete" in ran.err


# -- a target that names an open descriptor: written through it, never replaced ----------

def _anp(*args: object) -> list[str]:
    return [sys.executable, "-m", "anp_extract", *map(str, args)]


def _descriptor_names(tmp_path: Path, fd: int) -> dict[str, str]:
    """The ways of naming descriptor *fd*: its /dev name, /proc/self/fd/N, links to both."""
    dev = {1: "/dev/stdout", 2: "/dev/stderr"}[fd]
    (tmp_path / "to-dev").symlink_to(dev)
    (tmp_path / "to-proc").symlink_to(f"/proc/self/fd/{fd}")
    return {"dev": dev, "proc": f"/proc/self/fd/{fd}", "link-to-dev": str(tmp_path / "to-dev"),
            "link-to-proc": str(tmp_path / "to-proc")}


@pytest.mark.parametrize("name", ["dev", "proc", "link-to-dev", "link-to-proc"])
@pytest.mark.parametrize("command", [["convert", "-q"], ["convert", "-q", "--to", "json"],
                                     ["parse"]])
def test_stdout_appended_to_a_file_is_written_through_not_replaced(
    tmp_path: Path, name: str, command: list[str]
) -> None:
    # anp-extract convert seeds -o /dev/stdout >> log: log was replaced by the records.
    expected = subprocess.run(_anp(*command, *SEEDS, "-o", "-"), capture_output=True, cwd=ROOT,
                              timeout=120, check=True).stdout
    target = _descriptor_names(tmp_path, 1)[name]
    log = tmp_path / "log"
    log.write_bytes(b"before\n")
    inode = log.stat().st_ino
    with open(log, "ab") as appended:
        done = subprocess.run(_anp(*command, *SEEDS, "-o", target), stdout=appended,
                              stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert log.stat().st_ino == inode, "log was replaced, not appended to"
    assert log.read_bytes() == b"before\n" + expected
    assert sorted(os.listdir(tmp_path)) == ["log", "to-dev", "to-proc"]


@pytest.mark.parametrize("name", ["dev", "proc", "link-to-dev"])
def test_errors_to_stderr_appended_to_a_file_is_written_through(tmp_path: Path, name: str) -> None:
    target = _descriptor_names(tmp_path, 2)[name]
    log = tmp_path / "errors.log"
    log.write_bytes(b"before\n")
    inode = log.stat().st_ino
    with open(log, "ab") as appended:
        done = subprocess.run(
            _anp("convert", "-q", SEEDS[0], tmp_path / "missing.txt", "-o", "-", "--errors",
                 target),
            stdout=subprocess.DEVNULL, stderr=appended, cwd=ROOT, timeout=120)
    assert done.returncode == 1
    assert log.stat().st_ino == inode, "the log was replaced, not appended to"
    written = log.read_bytes()
    assert written.startswith(b"before\n"), written
    assert b'{"path":' in written and b"missing.txt" in written


# -- a link whose target is an input ------------------------------------------------------

@pytest.mark.parametrize("flag", ["-o", "--errors"])
def test_a_link_to_an_input_is_refused_as_an_output(tmp_path: Path, flag: str) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(SEEDS[0].read_bytes())
    link = tmp_path / "link.jsonl"
    link.symlink_to(page)
    args = ["convert", "-q", page, flag, link]
    args += ["-o", tmp_path / "out.jsonl"] if flag == "--errors" else []
    ran = run(args)
    assert ran.code == 2, ran.err
    assert ran.err.count("\n") == 1 and f"{flag} {link}: " in ran.err, ran.err
    assert "one of the inputs" in ran.err
    assert page.read_bytes() == SEEDS[0].read_bytes()
    assert link.is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["link.jsonl", "page.txt"]


def test_parse_refuses_a_link_to_an_input_as_its_output(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(SEEDS[0].read_bytes())
    link = tmp_path / "out.jsonl"
    link.symlink_to(page)
    ran = run(["parse", page, "-o", link])
    assert ran.code == 2, ran.err
    assert ran.err.count("\n") == 1 and "one of the inputs" in ran.err
    assert page.read_bytes() == SEEDS[0].read_bytes()


# -- a real SIGINT just after the final rename --------------------------------------------

# The run as anp-extract, in a process that sends itself SIGINT right after OUT is renamed
# into place: the worst moment, made certain.
_INTERRUPTED_AFTER_RENAME = """
import os, signal, sys
out = sys.argv.pop(1)
real = os.replace
def replace(src, dst, **kwargs):
    real(src, dst, **kwargs)
    if os.fspath(dst) == out:
        os.kill(os.getpid(), signal.SIGINT)
os.replace = replace
sys.argv[0] = "anp-extract"
from anp_extract.entry import main
main()
"""


@pytest.mark.parametrize("name", ["out.jsonl", "out.json", "out.jsonl.gz", "out.csv.gz"])
def test_a_real_sigint_after_the_final_rename_leaves_no_sidecars_and_says_so(
    tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_AFTER_RENAME, str(out), "convert", "-q", "-j1",
         *map(str, SEEDS), "-o", str(out)],
        capture_output=True, cwd=ROOT, timeout=120,
    )
    err = done.stderr.decode()
    assert done.returncode == 130, err
    assert err == f"anp-extract: convert: interrupted after the output was written; {out} " \
        "is complete\n"
    assert sorted(os.listdir(tmp_path)) == [name], "sidecars left behind"
    fresh = tmp_path / "fresh" / name
    assert run(["convert", "-q", *map(str, SEEDS), "-o", fresh]).code == 0
    if name.endswith(".gz"):
        import gzip
        assert gzip.decompress(out.read_bytes()) == gzip.decompress(fresh.read_bytes())
    else:
        assert out.read_bytes() == fresh.read_bytes()


def test_a_real_sigint_after_update_renamed_out_says_it_is_complete(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in SEEDS:
        (pages / seed.name).write_bytes(seed.read_bytes())
    out = tmp_path / "out.jsonl"
    assert run(["convert", "-q", pages, "-o", out, "--update"]).code == 0
    (pages / "new.txt").write_bytes(SEEDS[0].read_bytes().replace(b"ANP", b"AFP", 1))
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_AFTER_RENAME, str(out), "convert", "-q", "-j1",
         str(pages), "-o", str(out), "--update"],
        capture_output=True, cwd=ROOT, timeout=120,
    )
    err = done.stderr.decode()
    assert done.returncode == 130, err
    assert err == f"anp-extract: convert: interrupted after the output was written; {out} " \
        "is complete\n"
    fresh = tmp_path / "fresh.jsonl"
    assert run(["convert", "-q", pages, "-o", fresh]).code == 0
    assert out.read_bytes() == fresh.read_bytes()
    # The index may be the last run's: its rows are checked against their hash before use.
    assert run(["convert", "-q", pages, "-o", out, "--update"]).code == 0
    assert out.read_bytes() == fresh.read_bytes()


def test_an_update_run_holds_the_lock_while_it_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed on main: --update gave up its lock before writing OUT its own way, so a second
    run could write OUT at the same time (the first run's lock file was gone)."""
    from anp_extract.batch import update
    from anp_extract.batch.store import lock_path
    from anp_extract.cli import convert as command
    from anp_extract.sinks.files import Busy, OutputLock

    out = tmp_path / "out.jsonl"
    args = ["convert", "-q", *map(str, SEEDS), "-o", out, "--update"]
    assert run(args).code == 0
    real, tried = update.update, []

    def update_while_another_tries(*args: object, **kwargs: object) -> object:
        other = OutputLock(lock_path(str(out)))
        with pytest.raises(Busy, match=f"pid {os.getpid()}"):
            other.acquire(str(out))
        tried.append(True)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "run_update", update_while_another_tries)
    assert run(args).code == 0
    assert tried
    assert not Path(f"{out}.lock").exists()


@pytest.mark.parametrize("output", ["/dev/stdout", "s3://bucket/out.jsonl"])
def test_update_into_no_local_file_is_a_usage_error(tmp_path: Path, output: str) -> None:
    """Failed on main: -o /dev/stdout --update wrote nothing and exited 0; an s3:// output
    said "cannot write s3://bucket/.out.jsonl….part" after parsing."""
    ran = subprocess.run(
        [sys.executable, "-m", "anp_extract", "convert", *map(str, SEEDS), "-o", output,
         "--update"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2, ran.stderr
    assert f"--update needs -o FILE, a local file it keeps: {output} is not one" in ran.stderr
    assert ran.stderr.count("\n") == 1 and ran.stdout == ""
    assert os.listdir(tmp_path) == []
