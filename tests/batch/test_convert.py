"""``convert``: whole trees into one dataset: formats, order whatever -j, failures,
usage, --dedupe, --out-dir, the unit of work, and the sessions of docs/convert.md.

Ctrl-C, --resume and the worker processes are in test_convert_resume.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from anp_extract.batch import Converted, Failed, Job, Output, convert_one
from anp_extract.batch.outdir import DirSink, mirror
from anp_extract.core.page import ParseOptions
from anp_extract.core.timeline import COLUMNS as TIMELINE_COLUMNS
from anp_extract.errors import Refused
from tests.support import ROOT, assert_valid
from tests.support.convert_helpers import SEEDS, Run, convert, pages_of
from tests.support.generator import write_corpus
from tests.support.sessions import run_sessions

ROOTED = os.geteuid() == 0  # root reads a chmod 000 file all the same


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated pages in three subfolders (every kind and variation)."""
    folder = tmp_path_factory.mktemp("tree")
    write_corpus(folder, 300, seed=4)
    return folder


# -- the output ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "suffix"), [("pages", "jsonl"), ("briefs", "csv"), ("ticker", "tsv"),
                          ("briefs", "json")]
)
def test_the_output_is_the_same_bytes_whatever_the_number_of_jobs(
    tree: Path, tmp_path: Path, table: str, suffix: str
) -> None:
    outputs = []
    for jobs in (1, 2, 3):
        out = tmp_path / f"j{jobs}.{suffix}"
        result = convert(tree, "-o", out, "--table", table, "-j", jobs, "-q")
        assert (result.code, result.err, result.out) == (0, "", b"")
        outputs.append(out.read_bytes())
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]


def test_a_dataset_is_what_parse_gives_in_sorted_path_order(tree: Path) -> None:
    result = convert(tree, "-o", "-", "-j", 2, "-q")
    assert result.code == 0 and result.err == ""
    parsed = Run(["parse", *pages_of(tree)])
    assert result.out == parsed.out
    assert [r["source"] for r in result.records] == pages_of(tree)
    for record in result.records[:50]:
        assert_valid(record)


@pytest.mark.parametrize("to", ["jsonl", "json", "csv", "tsv"])
@pytest.mark.parametrize(
    "extra", [[], ["--fields", "source,id,age_minutes"], ["--bom", "--no-header"]], ids=str
)
def test_every_format_is_what_parse_then_export_gives(
    to: str, extra: list[str], tmp_path: Path
) -> None:
    records = tmp_path / "records.jsonl"
    records.write_bytes(Run(["parse", *map(str, SEEDS)]).out)
    exported = Run(["export", str(records), "--to", to, "--table", "briefs", *extra]).out
    by_extension = tmp_path / f"briefs.{to}"
    assert convert(ROOT / "seeds", "-o", by_extension, "--table", "briefs", *extra).code == 0
    assert by_extension.read_bytes() == exported
    to_stdout = convert(ROOT / "seeds", "-o", "-", "--to", to, "--table", "briefs", *extra)
    assert to_stdout.out == exported


def test_json_is_one_array_and_csv_reads_back(tree: Path, tmp_path: Path) -> None:
    assert convert(tree, "-o", tmp_path / "pages.json", "-j", 2).code == 0
    pages = json.loads((tmp_path / "pages.json").read_bytes())
    assert [page["source"] for page in pages] == pages_of(tree)
    assert convert(tree, "-o", tmp_path / "briefs.csv", "--table", "briefs").code == 0
    with open(tmp_path / "briefs.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == sum(len(page["briefs"]) for page in pages)
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "x.txt").write_bytes(b"")
    assert convert(empty, "-o", tmp_path / "none.json", "-q").code == 1
    assert (tmp_path / "none.json").read_bytes() == b"[]\n"


def test_dash_writes_data_to_stdout_and_the_summary_to_stderr() -> None:
    result = convert(ROOT / "seeds", "-o", "-")
    assert len(result.records) == 5
    assert result.err == (
        "anp-extract: convert: 5 files read, 5 pages, 35 briefs, 0 unparsed lines, "
        f"0 failures, {result.err.split(', ')[-1]}"
    )
    assert result.err.endswith(" s\n")


def test_now_mtime_and_boilerplate_are_those_of_parse(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for number, seed in enumerate(SEEDS):
        copy = pages / seed.name
        copy.write_bytes(seed.read_bytes())
        os.utime(copy, (1_762_000_000 + number * 3600,) * 2)
    rules = tmp_path / "rules.txt"
    rules.write_text("re:Spoor.*\n", "utf-8")
    args = ["--now", "mtime", "--boilerplate", str(rules)]
    parsed = Run(["parse", *pages_of(pages), *args])
    converted = convert(pages, "-o", "-", "-q", "-j", 2, *args)
    assert converted.out == parsed.out
    assert converted.records[0]["briefs"][0]["published_at"]
    assert "Spoorrails" in converted.records[3]["boilerplate"]
    assert converted.out != convert(pages, "-o", "-", "-q").out


# -- failures --------------------------------------------------------------------------------


def bad_tree(folder: Path) -> tuple[list[str], dict[str, str]]:
    """Good pages with bad files in the middle: the good ones, and the bad ones' reasons."""
    good: list[str] = []
    for number, seed in enumerate(SEEDS * 2):
        path = folder / ("a" if number < 4 else "c") / f"{number:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(seed.read_bytes())
        good.append(str(path))
    bad = folder / "b"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.txt").write_bytes(b" \n\n")
    os.mkfifo(bad / "pipe.txt")
    (bad / "locked.txt").write_bytes(SEEDS[0].read_bytes())
    (bad / "locked.txt").chmod(0)
    (bad / "folder.txt").mkdir()  # a folder named like a page is walked into, not read
    (bad / "folder.txt" / "inside.txt").write_bytes(SEEDS[1].read_bytes())
    good.append(str(bad / "folder.txt" / "inside.txt"))
    (bad / "gone.txt").symlink_to(bad / "nowhere.txt")  # followed with --follow-links
    reasons = {
        str(bad / "binary.txt"): "binary file (NUL byte at offset 8, line 3), not a text page",
        str(bad / "blank.txt"): "empty file: no text to parse",
        str(bad / "empty.txt"): "empty file: no text to parse",
        str(bad / "gone.txt"): "broken symbolic link",
        str(bad / "pipe.txt"): "not a regular file (a named pipe)",
    }
    if ROOTED:
        good.append(str(bad / "locked.txt"))
    else:
        reasons[str(bad / "locked.txt")] = "permission denied"
    return sorted(good), dict(sorted(reasons.items()))


@pytest.mark.parametrize("jobs", [1, 2])
def test_failures_are_named_and_every_other_file_lands(tmp_path: Path, jobs: int) -> None:
    good, reasons = bad_tree(tmp_path / "tree")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = convert(tmp_path / "tree", "-o", out, "--errors", errors, "--follow-links",
                     "-j", jobs)
    assert result.code == 1
    assert [orjson.loads(line)["source"] for line in out.read_bytes().splitlines()] == good
    lines = result.err.splitlines()
    assert lines[:-1] == [f"anp-extract: {path}: {reason}" for path, reason in reasons.items()]
    assert f"{len(reasons)} failures" in lines[-1] and "Traceback" not in result.err
    assert [orjson.loads(line) for line in errors.read_bytes().splitlines()] == [
        {"path": path, "reason": reason} for path, reason in reasons.items()
    ]
    assert sorted(os.listdir(tmp_path)) == ["errors.jsonl", "out.jsonl", "tree"]


def test_without_failures_the_errors_file_is_empty(tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    assert convert(ROOT / "seeds", "-o", tmp_path / "out.csv", "--errors", errors).code == 0
    assert errors.read_bytes() == b""


def test_a_folder_without_pages_and_a_missing_path_are_failures(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    result = convert(tmp_path / "nothing", tmp_path / "missing.txt", SEEDS[0], "-o", "-")
    assert result.code == 1 and len(result.records) == 1
    assert result.err.splitlines()[:2] == [
        f"anp-extract: {tmp_path / 'nothing'}: no files matching the default --glob patterns "
        "(pages, archives, WARC, JSON Lines)",
        f"anp-extract: {tmp_path / 'missing.txt'}: no such file",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["seeds"], "give -o OUT"),
        (["seeds", "-o", "-", "--out-dir", "x"], "give -o OUT"),
        (["-", "-o", "-"], "not standard input"),
        (["seeds", "-o", "-", "--resume"], "--resume needs an output file"),
        (["seeds", "-o", "-", "--table", "ticker", "--dedupe"], "--dedupe is about briefs"),
        (["seeds", "--out-dir", "x", "--table", "briefs"], "--out-dir writes one page"),
        (["seeds", "-o", "-", "--fields", "nope"], "--fields: nope: not a column"),
        (["seeds", "-o", "-", "--fields", "seen"], "--fields: seen: not a column"),
        (["seeds", "-o", ""], "-o: an empty name"),
        (["seeds", "-o", "seeds"], "is a folder"),
        (["seeds", "-o", "seeds/000_fffbfb031fd1977c.txt", "--to", "jsonl"],
         "is one of the inputs"),
        (["seeds", "-o", "x.xlsx"], "-o x.xlsx: the extension names no format"),
        (["seeds", "-o", "pages.txt"], "give --to"),
        (["seeds", "-o", "-", "-j", "0"], "Invalid value for '--jobs'"),
    ],
)
def test_usage_errors(args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = convert(*args)
    assert result.code == 2 and result.out == b"" and message in result.err
    assert not Path("x").exists()


def test_the_output_and_its_sidecars_are_never_inputs(tmp_path: Path) -> None:
    for seed in SEEDS:
        shutil.copy(seed, tmp_path)
    out = tmp_path / "all.jsonl"
    assert convert(tmp_path, "-o", out, "--glob", "*", "-q").code == 0
    again = convert(tmp_path, "-o", out, "--glob", "*", "-q")
    assert again.code == 2 and "is one of the inputs" in again.err
    assert len(out.read_bytes().splitlines()) == 5


# -- --dedupe --------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_dedupe_on_the_seeds_keeps_30_briefs_and_counts_them(jobs: int) -> None:
    result = convert(ROOT / "seeds", "-o", "-", "--table", "briefs", "--dedupe", "-j", jobs)
    briefs = result.records
    assert len(briefs) == 30 and len({brief["id"] for brief in briefs}) == 30
    assert sorted(brief["seen"] for brief in briefs) == [1] * 25 + [2] * 5
    assert "35 briefs (30 unique)" in result.err
    every = convert(ROOT / "seeds", "-o", "-", "--table", "briefs", "-q").records
    first: dict[str, dict[str, Any]] = {}
    for brief in every:
        first.setdefault(brief["id"], brief)
    added = ("seen", *TIMELINE_COLUMNS)  # without --now: no times, and published_at as parsed
    assert [{k: v for k, v in b.items() if k not in added} for b in briefs] == list(
        first.values())
    assert {b["conflict"] for b in briefs} == {None}


def test_dedupe_of_pages_drops_briefs_met_before_and_csv_has_seen(tmp_path: Path) -> None:
    pages = convert(ROOT / "seeds", "-o", "-", "--dedupe", "-q").records
    assert sum(len(page["briefs"]) for page in pages) == 30
    assert all("seen" in brief for page in pages for brief in page["briefs"])
    out = tmp_path / "briefs.csv"
    assert convert(ROOT / "seeds", "-o", out, "--table", "briefs", "--dedupe").code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"), newline="")))
    assert len(rows) == 30 and list(rows[0])[-6:] == ["seen", *TIMELINE_COLUMNS]
    picked = convert(ROOT / "seeds", "-o", "-", "--table", "briefs", "--dedupe", "--fields",
                     "id,seen", "-q").records
    assert len(picked) == 30 and set(picked[0]) == {"id", "seen"}


# -- --out-dir -------------------------------------------------------------------------------


def test_out_dir_mirrors_the_tree_with_one_record_per_page(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "records"
    result = convert(tree, "--out-dir", out, "-j", 2, "-q")
    assert result.code == 0 and result.out == b""
    for page in pages_of(tree)[::37]:
        relative = Path(page).relative_to(tree).with_suffix(".json")
        assert (out / relative).read_bytes() == Run(["parse", page]).out
    assert len(list(out.rglob("*.json"))) == 300
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no manifest left


def test_out_dir_mirrors_several_folders_each_under_its_name(tmp_path: Path) -> None:
    for folder in ("2025-10", "2025-11"):
        (tmp_path / folder / "zee").mkdir(parents=True)
        shutil.copy(SEEDS[0], tmp_path / folder / "zee" / "page.txt")
    shutil.copy(SEEDS[1], tmp_path / "loose.txt")
    out = tmp_path / "records"
    result = convert(tmp_path / "2025-10", tmp_path / "2025-11", tmp_path / "loose.txt",
                     "--out-dir", out, "-q")
    assert result.code == 0, result.err
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == [
        "2025-10/zee/page.json", "2025-11/zee/page.json", "loose.json"]


def test_out_dir_writes_nothing_through_a_link_out_of_it(tmp_path: Path) -> None:
    tree, out, elsewhere = tmp_path / "tree", tmp_path / "out", tmp_path / "elsewhere"
    for folder in ("a", "b"):
        (tree / folder).mkdir(parents=True)
        shutil.copy(SEEDS[0], tree / folder / "page.txt")
    out.mkdir()
    elsewhere.mkdir()
    (out / "b").symlink_to(elsewhere)  # out/b/page.json would land in elsewhere/
    result = convert(tree, "--out-dir", out)
    assert result.code == 1
    assert f"anp-extract: {tree / 'b' / 'page.txt'}: output {out / 'b' / 'page.json'} would " \
        f"land outside {out} (a link)\n" in result.err
    assert list(elsewhere.iterdir()) == [] and (out / "a" / "page.json").is_file()


@pytest.mark.parametrize("name", ["../page.json", "/tmp/page.json", "a/../../page.json", ""])
def test_out_dir_refuses_names_that_escape_it(tmp_path: Path, name: str) -> None:
    sink = DirSink(str(tmp_path / "out"), [], set(), {}, Job(ParseOptions(), Output()), False)
    with pytest.raises(Refused, match="would land outside"):
        sink.place(name)
    assert mirror("tree/a/b.txt", "tree") == "a/b.json"
    assert mirror("../../x/page", None) == "page.json"


def test_out_dir_never_overwrites_an_input(tmp_path: Path) -> None:
    page = SEEDS[0].read_bytes()
    (tmp_path / "a.txt").write_bytes(page)
    (tmp_path / "a.json").write_bytes(page)  # an input too, with --glob '*'
    result = convert(tmp_path, "--out-dir", tmp_path, "--glob", "*")
    assert result.code == 1
    assert result.err.count("is an input: not overwritten") == 2
    assert (tmp_path / "a.json").read_bytes() == page


# -- the unit of work and the pool -----------------------------------------------------------


def test_the_unit_of_work_is_a_pure_picklable_function(tmp_path: Path) -> None:
    job = Job(ParseOptions(), Output("csv", "briefs"))
    assert pickle.loads(pickle.dumps(convert_one)) is convert_one
    copy = pickle.loads(pickle.dumps(job))  # what a worker (or Dask, or Spark) gets
    first, second = convert_one(str(SEEDS[2]), job.options, job.output), copy(str(SEEDS[2]))
    assert isinstance(first, Converted) and first == second
    assert first.rows == first.briefs == 7 and first.data.count(b"\r\n") == 7
    assert pickle.loads(pickle.dumps(first)) == first
    (tmp_path / "nul.txt").write_bytes(b"abc\x00")
    for path in (tmp_path / "nul.txt", tmp_path, tmp_path / "missing.txt"):
        assert isinstance(convert_one(str(path), ParseOptions()), Failed)


def test_the_worker_hashes_the_rows_the_manifest_keeps() -> None:
    """The rows' digest travels with the result (the parent of -j2 does not hash them),
    and a result made without one still gets the rows' own hash in its entry."""
    from anp_extract.batch.job import digest
    from anp_extract.batch.manifest import entry_of

    result = convert_one(str(SEEDS[2]), ParseOptions(), Output("csv", "briefs"))
    assert isinstance(result, Converted) and result.rows_digest == digest(result.data)
    assert entry_of(result, False)["rows_blake2b"] == result.rows_digest
    assert entry_of(result._replace(rows_digest=""), False)["rows_blake2b"] == result.rows_digest


def test_one_folder_walked_without_links_needs_no_check_for_repeats() -> None:
    from anp_extract.batch.plan import walked_once
    from anp_extract.sources import WalkOptions

    assert walked_once(["scrapes"], WalkOptions())
    assert not walked_once(["scrapes"], WalkOptions(follow_links=True))
    assert not walked_once(["scrapes", "scrapes/a.txt"], WalkOptions())


# -- docs/convert.md shows real sessions -----------------------------------------------------


def test_the_sessions_of_the_docs_print_what_they_show(tmp_path: Path) -> None:
    untimed = re.compile(r"\d+\.\d\d s$")  # the summary's seconds differ run to run
    run_sessions("docs/convert.md", tmp_path, minimum=10,
                 normalise=lambda line: untimed.sub("T s", line))
