"""The laws of the pipeline commands, over every seed, generated pages and random pages.

* ``strip | split | parse`` gives the same content fields as ``parse`` on the original.
  Content fields are all but ``source`` (the pipeline reads stdin), ``warnings`` (they
  name line numbers, and strip writes UTF-8 where a page came as cp1252) and
  ``boilerplate``: taking boilerplate out is what strip is for, so the pipeline's
  ``boilerplate`` holds only what strip keeps on purpose: the page's date line (it gives
  ``date`` and ``published_at``) and a "Net binnen" heading a ticker below other content.
  What strip took out is checked instead: it is exactly the original's ``boilerplate``
  minus what it kept.  (The laws themselves: ``tests/support/laws.py``.)
* ``split | parse`` gives everything ``parse`` gives, boilerplate included.
* ``strip`` and ``split`` are idempotent.
* ``parse | export --to jsonl`` is byte-identical to ``parse``; ``export --to csv``
  read back with Python's csv (TSV: split at tabs, escapes undone) gives the values.
* ``parse seeds/* | export --table briefs --to csv``: one header, 35 rows.
* The recipes of docs/pipelines.md give the output they show.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from anp_extract.cli import app
from anp_extract.core.tables import TABLES, Table, flatten, items
from anp_extract.core.textops import strip as strip_text
from tests import support
from tests.properties.strategies import examples
from tests.support import ROOT
from tests.support.laws import check_laws, content
from tests.support.sessions import run_sessions

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NOT_CONTENT = {"source", "boilerplate", "warnings"}

try:
    from tests.support.generator import generate_pages, write_corpus
except ModuleNotFoundError as missing:  # not committed yet: the seeds and random pages still run
    if missing.name != "tests.generator":
        raise
    generate_pages = write_corpus = None  # type: ignore[assignment]

needs_generator = pytest.mark.skipif(generate_pages is None, reason="tests/generator.py missing")
GENERATED_COUNT, GENERATED_SEED = 1000, 20240611


def pages() -> Iterator[tuple[str, bytes]]:
    for seed in SEEDS:
        yield seed.name, seed.read_bytes()


def generated() -> Iterator[tuple[str, bytes]]:
    assert generate_pages is not None
    for page in generate_pages(GENERATED_COUNT, GENERATED_SEED):
        yield page.name, page.data


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_laws_hold_on_every_seed(seed: Path) -> None:
    check_laws(seed.name, seed.read_bytes())


@needs_generator
def test_laws_hold_on_generated_pages() -> None:
    checked = 0
    for name, data in generated():
        check_laws(name, data)
        checked += 1
    assert checked == GENERATED_COUNT


# -- the same through the commands -------------------------------------------------------------


def invoke(args: list[str], stdin: bytes | None = None) -> bytes:
    ran = support.run(args, stdin)
    assert ran.code == 0, ran.err
    return ran.out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_strip_split_parse_through_the_commands(seed: Path) -> None:
    stripped = invoke(["strip", str(seed)])
    assert invoke(["strip"], stripped) == stripped
    piped = orjson.loads(invoke(["parse"], invoke(["split"], stripped)))
    original = orjson.loads(invoke(["parse", str(seed)]))
    assert content(piped) == content(original)
    assert piped["boilerplate"] == []


@needs_generator
def test_strip_split_parse_through_the_commands_on_generated_pages(tmp_path: Path) -> None:
    for name, data in list(generated())[:25]:
        if not data.strip() or b"\x00" in data:
            continue
        piped = invoke(["parse"], invoke(["split"], invoke(["strip"], data)))
        original = orjson.loads(invoke(["parse"], data))
        assert content(orjson.loads(piped)) == content(original), name


# -- export ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_jsonl() -> bytes:
    return invoke(["parse", *map(str, SEEDS)])


@pytest.fixture(scope="module")
def generated_jsonl(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if write_corpus is None:
        pytest.skip("tests/generator.py missing")
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, GENERATED_COUNT, GENERATED_SEED)
    files = sorted(str(path) for path in folder.rglob("*") if path.is_file())
    result = CliRunner().invoke(app, ["parse", *files])
    assert result.exit_code in (0, 1)  # the generator may include pages that must fail
    return result.stdout_bytes


@pytest.fixture(params=["seed", "generated"])
def jsonl(request: pytest.FixtureRequest) -> bytes:
    data: bytes = request.getfixturevalue(f"{request.param}_jsonl")
    return data


def test_export_jsonl_is_byte_identical_to_parse(jsonl: bytes) -> None:
    assert invoke(["export", "--to", "jsonl"], jsonl) == jsonl
    assert invoke(["export"], jsonl) == jsonl  # the default


def unescape_tsv(cell: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), cell)


def test_tsv_is_one_row_per_line_with_breaks_tabs_and_backslashes_escaped() -> None:
    page = "Kop\nDEN HAAG (ANP) - Eerste alinea met C:\\pad.\nTweede alinea.\n"
    jsonl = invoke(["parse"], page.encode("utf-8"))
    out = invoke(["export", "--to", "tsv", "--fields", "title,body"], jsonl)
    assert out.decode() == (
        "title\tbody\n"
        "Kop\tEerste alinea met C:\\\\pad.\\nTweede alinea.\n"
    )


def as_csv(value: Any) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("to", ["csv", "tsv"])
def test_export_csv_reads_back_to_the_same_values(jsonl: bytes, table: Table, to: str) -> None:
    out = invoke(["export", "--to", to, "--table", table], jsonl)
    if to == "csv":
        reader: Iterator[dict[str, str]] = csv.DictReader(io.StringIO(out.decode(), newline=""))
    else:  # one row per line, escapes undone
        lines = out.decode().split("\n")
        assert lines.pop() == ""
        header, *rows = [[unescape_tsv(cell) for cell in line.split("\t")] for line in lines]
        reader = (dict(zip(header, row, strict=True)) for row in rows)
    expected = [
        {name: as_csv(value) for name, value in flatten(item, table).items()}
        for line in jsonl.splitlines()
        for item in items(orjson.loads(line), table)
    ]
    got = list(reader)
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        assert row == {name: want.get(name, "") for name in row}
    if table == "briefs" and jsonl.count(b"\n") == len(SEEDS):
        assert len(got) == 35


def test_briefs_of_the_seeds_make_one_header_and_35_rows(seed_jsonl: bytes) -> None:
    out = invoke(["export", "--table", "briefs", "--to", "csv"], seed_jsonl)
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert rows[0][:4] == ["source", "section", "kind", "id"]
    assert len(rows) == 36 and rows.count(rows[0]) == 1


def test_csv_keeps_quotes_commas_and_line_breaks() -> None:
    page = (
        'Kop met "aanhalingstekens", komma\'s; en meer\n'
        'DEN HAAG (ANP) - Hij zei: "ja, nee".\nTweede alinea, met "quotes".\n'
    )
    jsonl = invoke(["parse"], page.encode("utf-8"))
    out = invoke(["export", "--to", "csv", "--fields", "title,body"], jsonl)
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert rows[1] == [
        'Kop met "aanhalingstekens", komma\'s; en meer',
        'Hij zei: "ja, nee".\nTweede alinea, met "quotes".',
    ]


# -- random pages ------------------------------------------------------------------------------

_SEED_LINES = sorted({line for seed in SEEDS for line in seed.read_text("utf-8").split("\n")})
_PARTS = st.one_of(
    st.sampled_from(_SEED_LINES),
    st.sampled_from([
        "", "Webmail", "Kies je webmail", "Meer uit Binnenland", "dinsdag 4 november 2025",
        "Editie: Zeeland", "3 uur geleden", "12 minuten geleden", "1 dag geleden",
        "Net binnen", "- Voetbal 14:23 PSV wint", "KATS - Regionaal.", "Kop zonder punt",
    ]),
    st.builds(
        lambda age, line: age + line,
        st.sampled_from(["3 uur geleden", "5 minuten geleden", "2 weken geleden"]),
        # Seed lines of layout b open with an age already: two glued ages in a row.
        st.sampled_from([*_SEED_LINES, "Webmail", "Kop zonder punt", "KATS - Regionaal."]),
    ),
    st.text(st.sampled_from("AB (ANP)-/.\u00a0 abc1\t\u200b\u2013\u2028\x85\r\x0c"), max_size=30),
    st.builds(lambda line: f" \u00a0{line}\u200b  ", st.sampled_from(_SEED_LINES)),
)


@settings(max_examples=examples(300), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PARTS, max_size=40), st.sampled_from(["\n", "\r\n"]))
def test_laws_hold_on_random_pages(lines: list[str], end: str) -> None:
    check_laws("random", end.join(lines).encode("utf-8"))


def test_two_ages_glued_in_a_row() -> None:
    check_laws("two-ages", b"Meer uit Zeeland\n3 uur geleden1 uur geledenKATS - Bericht.\n")


# -- the recipes of docs/pipelines.md, run as written ------------------------------------------


def test_the_pipeline_recipes_give_the_output_they_show(tmp_path: Path) -> None:
    run_sessions("docs/pipelines.md", tmp_path, minimum=12)


# -- issue 15: the counter-examples the fuzzing found, each broke a law before ---------------


@pytest.mark.parametrize("page", [
    # A ticker under "Net binnen" below other content: strip took the heading out, and the
    # ticker line became body text.
    "Lees meer nieuws\nNet binnen\n- Voetbal 14:23 PSV wint\n",
    "3 uur geledenNet binnen\n- Voetbal 14:23 PSV wint\n",
    # A ticker line glued onto an age: a ticker at the top for parse, a brief's headline
    # once split had put the age on a line of its own.
    "1 jaar geleden- Binnenland 14:20 Treinverkeer\nDOMBURG - Het strand.\n",
    "Net binnen\n3 uur geleden- Voetbal 14:23 PSV wint\nKATS - Iets.\n",
    # A stray byte order mark opening a kept line 2: read again, it was line 1's BOM.
    "Webmail\n\ufeffKop\nDEN HAAG (ANP) - Tekst.\n",
    "Webmail\n\ufeff\ufeffKop\nDEN HAAG (ANP) - Tekst.\n",
], ids=["ticker-below-content", "ticker-below-glued-age", "glued-ticker", "glued-under-heading",
        "bom-line-2", "two-boms-line-2"])
def test_the_counter_examples_keep_the_laws(page: str) -> None:
    check_laws("counter-example", page.encode("utf-8"))


def test_strip_keeps_a_ticker_heading_only_below_content() -> None:
    below = strip_text("Lees meer nieuws\nNet binnen\n- Voetbal 14:23 PSV wint\n")
    assert below.text == "Lees meer nieuws\nNet binnen\n- Voetbal 14:23 PSV wint\n"
    assert below.kept == ("Net binnen",)
    top = strip_text("Webmail\nNet binnen\n- Voetbal 14:23 PSV wint\n")
    assert top.text == "- Voetbal 14:23 PSV wint\n"
    assert top.kept == ()
