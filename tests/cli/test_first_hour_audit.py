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


def _scrape_with_bookkeeping(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A scrape folder of 30 pages that also holds what real runs left there: an
    interrupted run's parts and manifest, an --out-dir manifest, an --errors file, an
    --update index, a lock."""
    import shutil

    from tests.support.convert_helpers import convert, interrupted_after
    from tests.support.generator import write_corpus

    scrape = tmp_path / "scrape"
    write_corpus(scrape, 30, seed=3)
    assert convert(scrape, "-o", tmp_path / "x.jsonl", "--update").code == 0
    with interrupted_after(10):
        assert convert(scrape, "--out-dir", tmp_path / "records", "-j", 1).code == 130
    shutil.copy(tmp_path / "records" / ".anp-extract.manifest.jsonl",
                scrape / "dir.manifest.jsonl")
    (scrape / "bad.txt").write_bytes(b"\x00binary")
    assert convert(scrape, "-o", tmp_path / "y.jsonl", "--errors", scrape / "errors.jsonl"
                   ).code == 1
    shutil.copy(tmp_path / "x.jsonl.index.jsonl", scrape / "x.index.jsonl")
    (scrape / "bad.txt").unlink()
    with interrupted_after(25):
        assert convert(scrape, "-o", scrape / "pages.jsonl", "-j", 1).code == 130
    (scrape / "pages.jsonl.lock").write_bytes(b"4242\n")
    ours = [scrape / name for name in ("dir.manifest.jsonl", "errors.jsonl", "x.index.jsonl",
                                       "pages.jsonl.manifest.jsonl", "pages.jsonl.parts",
                                       "pages.jsonl.lock")]
    assert all(path.stat().st_size > 0 for path in ours)
    return scrape, ours


def test_bookkeeping_files_given_as_inputs_are_refused_once_each(tmp_path: Path) -> None:
    scrape, ours = _scrape_with_bookkeeping(tmp_path)
    walked = ours[:4]  # the JSON Lines names a folder walk takes
    pages = sorted(scrape.glob("0*/*.txt")) or sorted(scrape.rglob("*.txt"))
    assert len(pages) == 30
    fresh = run(["convert", *pages, "-o", "-", "-q"]).out
    done = run(["convert", scrape, "-o", tmp_path / "out.jsonl"])
    assert done.code == 1 and (tmp_path / "out.jsonl").read_bytes() == fresh
    lines = done.err.splitlines()
    assert len(lines) == len(walked) + 1, done.err  # one line each, and the summary
    for path in walked:
        assert sum(path.name in line for line in lines) == 1
    assert all("not pages" in line and "anp-extract's" in line for line in lines[:-1])
    counted = run(["stats", "--json", scrape])
    assert orjson.loads(counted.out)["pages"] == 30 and len(counted.err.splitlines()) == 4
    for command in (["parse"], ["stats", "--json"], ["show"], ["strip"],
                    ["convert", "-o", tmp_path / "each.jsonl", "-q"]):
        for path in ours:
            said = run([*command, path])
            assert said.code == 1, (command, path, said.err)
            assert said.exception is None or isinstance(said.exception, SystemExit)
            assert len(said.err.splitlines()) == 1, (command, path, said.err)
            assert "not pages" in said.err and "Traceback" not in said.err


def test_an_empty_out_dir_or_errors_is_a_usage_error(tmp_path: Path) -> None:
    for args in (["--out-dir", ""], ["--out-dir", " "],
                 ["-o", tmp_path / "a.jsonl", "--errors", ""],
                 ["--out-dir", tmp_path / "d", "--errors", ""]):
        done = run(["convert", *SEEDS, *args], cwd=tmp_path)
        assert done.code == 2, (args, done.err)
        assert done.err.count("\n") == 1 and "an empty name" in done.err, done.err
        assert "Traceback" not in done.err
    assert sorted(tmp_path.iterdir()) == []  # nothing written, not even "." as a file


def test_a_file_where_the_output_folder_should_be_is_refused_alike(tmp_path: Path) -> None:
    blocker = tmp_path / "x"
    blocker.write_bytes(b"keep me\n")
    records = tmp_path / "pages.jsonl"
    records.write_bytes(run(["parse", SEEDS[0]]).out)
    cases = [
        (["convert", *SEEDS, "--out-dir", blocker], f"--out-dir {blocker}"),
        (["convert", *SEEDS, "--out-dir", blocker / "sub"], f"--out-dir {blocker}/sub"),
        (["convert", *SEEDS, "-o", blocker / "out.jsonl"], f"-o {blocker}/out.jsonl"),
        (["convert", *SEEDS, "-o", blocker / "a" / "out.csv"], f"-o {blocker}/a/out.csv"),
        (["convert", *SEEDS, "-o", tmp_path / "ok.jsonl", "--errors", blocker / "e.jsonl"],
         f"--errors {blocker}/e.jsonl"),
        (["parse", SEEDS[0], "-o", blocker / "out.jsonl"], f"-o {blocker}/out.jsonl"),
        (["export", records, "-o", blocker / "out.csv"], f"-o {blocker}/out.csv"),
    ]
    for args, named in cases:
        done = run(args)
        assert done.code == 2, (args, done.err)
        assert done.err == f"anp-extract: {named}: {blocker} is a file, not a folder\n"
        assert done.exception is None or isinstance(done.exception, SystemExit)
    assert blocker.read_bytes() == b"keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages.jsonl", "x"]


def test_stats_workers_send_back_figures_not_records(tmp_path: Path) -> None:
    """What a worker of stats -j returns for a page is its figures (a few numbers and
    names), not the whole Page: the parent's cost of taking each in is what kept -j2
    from being faster than -j1.  Counted alike whichever it gets."""
    import pickle

    from anp_extract.cli.common import parse_options
    from anp_extract.cli.inspect import _Count
    from anp_extract.core.page import parse_bytes
    from anp_extract.core.stats import PageFigures, Stats, figures
    from tests.support.generator import write_corpus

    write_corpus(tmp_path, 200, seed=16)
    count = _Count(parse_options(None, "2024-05-01T12:00"))
    by_pages, by_figures = Stats(), Stats()
    sent_bytes = page_bytes = 0
    for path in sorted(tmp_path.rglob("*.txt")):
        sent = count(str(path))
        assert len(sent) == 1 and isinstance(sent[0], PageFigures)
        page = parse_bytes(path.read_bytes(), str(path), count.options.base)
        sent_bytes += len(pickle.dumps(sent))
        page_bytes += len(pickle.dumps([page]))
        by_pages.add(page)
        by_figures.add_figures(figures(page))
    assert sent_bytes * 4 < page_bytes
    assert by_pages.to_dict() == by_figures.to_dict()
    assert by_figures.to_dict()["timeline"]["timed_briefs"] > 0
    one = run(["stats", "--json", "-j", "1", "--now", "2024-05-01T12:00", tmp_path])
    two = run(["stats", "--json", "-j", "2", "--now", "2024-05-01T12:00", tmp_path])
    assert one.code == two.code == 0 and one.out == two.out


def test_with_stderr_closed_convert_and_stats_still_do_all_their_work(tmp_path: Path) -> None:
    """``2>&-`` in a real shell: every message is lost, not the run.  Enough files for
    the workers of -j2 (and one that fails, and one that is missing)."""
    import shlex

    from tests.support.generator import write_corpus

    write_corpus(tmp_path / "pages", 150, seed=16)
    (tmp_path / "pages" / "bad.txt").write_bytes(b"\x00binary")
    missing = tmp_path / "missing.txt"
    python = shlex.quote(sys.executable)
    for args in (["convert", tmp_path / "pages", missing, "-o", "-", "-j2"],
                 ["convert", tmp_path / "pages", missing, "-o", "-", "-j1", "-q"],
                 ["stats", "--json", tmp_path / "pages", missing, "-j2"],
                 ["stats", tmp_path / "pages", missing, "-j1"],
                 ["parse", *sorted((tmp_path / "pages").rglob("*.txt"))[:3], missing]):
        line = f"{python} -m anp_extract " + " ".join(shlex.quote(str(a)) for a in args)
        heard = subprocess.run(["bash", "-c", line + " 2>/dev/null"], capture_output=True,
                               cwd=ROOT, timeout=120)
        closed = subprocess.run(["bash", "-c", line + " 2>&-"], capture_output=True,
                                cwd=ROOT, timeout=120)
        assert heard.returncode == 1 and heard.stdout, args
        assert (closed.returncode, closed.stdout) == (heard.returncode, heard.stdout), args
    out = tmp_path / "out.jsonl"
    line = (f"{python} -m anp_extract convert {shlex.quote(str(tmp_path / 'pages'))} -o "
            f"{shlex.quote(str(out))} -j2 2>&-")
    assert subprocess.run(["bash", "-c", line], cwd=ROOT, timeout=120).returncode == 1
    assert len(out.read_bytes().splitlines()) == 150


def test_help_of_every_command_exits_0_schema_too() -> None:
    """``schema --help`` was reported to exit 2; it exits 0, as every command's help
    does: through the command (the entry's routes) and in-process."""
    from anp_extract.entry import COMMAND_MODULES

    for command in COMMAND_MODULES:
        for flag in ("--help", "-h"):
            done = subprocess.run([sys.executable, "-m", "anp_extract", command, flag],
                                  capture_output=True, cwd=ROOT, timeout=60)
            assert done.returncode == 0 and not done.stderr, (command, flag, done.stderr)
            assert done.stdout.startswith(f"Usage: anp-extract {command} ".encode())
            assert run([command, flag]).code == 0
    listed = run(["schema", "--help"]).stdout
    assert "Exit status: 0 printed" in " ".join(listed.split())
