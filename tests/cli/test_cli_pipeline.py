"""strip, split, datelines, export and ``parse --to``: each command on its own, in-process."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anp_extract.cli import app
from anp_extract.core.tables import COLUMNS
from tests import support
from tests.support import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED_A = str(ROOT / "seeds" / "000_fffbfb031fd1977c.txt")  # banner, headlines, age lines
SEED_B = str(ROOT / "seeds" / "001_e73d07e3b0bfa2d9.txt")  # no banner, glued ages

LISTING = """\
Webmail

Kies je webmail

dinsdag 4 november 2025
Editie: NL & Wereld | Zeeland

Economie

ANP Bakkers zien prijs van boter verder stijgen

UTRECHT (ANP) - Bakkers betalen opnieuw meer voor boter, "flink", zegt men.

2 weken geleden
ANP Haven van Vlissingen breidt uit

VLISSINGEN (ANP) - De haven groeit.
Dat meldt de gemeente; "fors, echt".

4 maand geleden
"""


def run(args: list[str], stdin: bytes | str | None = None) -> tuple[int, str, str]:
    ran = support.run(args, stdin)
    return ran.code, ran.stdout, ran.err


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


# -- strip -----------------------------------------------------------------------------------


def test_strip_takes_out_banner_and_repeated_headline_and_the_blank_lines_after_them() -> None:
    code, out, err = run(["strip", SEED_A])
    lines = Path(SEED_A).read_text("utf-8").split("\n")
    assert code == 0 and err == ""
    # Lines 1-8 (banner, blanks, the headline's first copy) go; from line 9 on, all stays.
    assert out == "\n".join(lines[8:]) + "\n"
    assert out.startswith("Britten: Rusland wil Izjoem veroveren voor nieuw momentum\n\nIZJOEM")


def test_strip_show_removed_lists_each_line_with_its_number_on_stderr() -> None:
    code, out, err = run(["--no-color", "strip", "--show-removed", SEED_A])
    assert code == 0
    assert err.splitlines() == [
        f"{SEED_A}:1: Webmail",
        f"{SEED_A}:3: Kies je webmail",
        f"{SEED_A}:5: Omdat ZeelandNet ook DELTA webmail aanbiedt, vragen we je eenmalig je "
        "voorkeur op te geven.",
        f"{SEED_A}:7: Britten: Rusland wil Izjoem veroveren voor nieuw momentum",
    ]
    assert "Webmail" not in out


def test_strip_leaves_a_page_without_boilerplate_as_it_was() -> None:
    code, out, _ = run(["strip", SEED_B])
    # The seed has no final line end; strip writes LF line ends throughout.
    assert code == 0 and out == Path(SEED_B).read_text("utf-8") + "\n"


def test_strip_keeps_the_date_line_and_unparsed_lines() -> None:
    page = "Cookies accepteren?\n\nWebmail\n\n" + LISTING
    code, out, err = run(["--no-color", "strip", "--show-removed"], page)
    assert code == 0
    assert out.startswith("Cookies accepteren?\n\ndinsdag 4 november 2025\nEconomie\n")
    assert [line.split(": ", 1)[1] for line in err.splitlines()] == [
        "Webmail", "Webmail", "Kies je webmail", "Editie: NL & Wereld | Zeeland"
    ]


def test_strip_keeps_a_glued_age_when_the_rest_of_its_line_is_boilerplate() -> None:
    page = (
        "Meer uit Binnenland\nKATS - Een brief.\n3 uur geledenWebmail\nKATS - Nog een.\n"
        "1 uur geleden\n"
    )
    code, out, err = run(["strip", "--show-removed"], page)
    assert code == 0
    assert out == page.replace("3 uur geledenWebmail", "3 uur geleden")
    assert err == "-:3: Webmail\n"


def test_strip_applies_user_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text("# our own furniture\nre:Lees ook: .*\n", "utf-8")
    page = "Kop van het stuk\nLees ook: iets anders\n\nDEN HAAG (ANP) - Tekst van het stuk.\n"
    code, out, _ = run(["strip", "--boilerplate", str(rules), "-"], page)
    assert code == 0 and out == "Kop van het stuk\nDEN HAAG (ANP) - Tekst van het stuk.\n"


def test_strip_keeps_every_other_line_as_written_trailing_blanks_too() -> None:
    page = "Webmail  \n\u200b\nKop\t \n\nGOES (ANP) - Tekst.   \n"
    code, out, _ = run(["strip"], page)
    assert code == 0 and out == "Kop\t \n\nGOES (ANP) - Tekst.   \n"


def test_strip_writes_lf_utf8_whatever_came_in() -> None:
    page = "Webmail\r\n\r\nKop\r\nLONDEN (ANP) - Oekra\xefne, caf\xe9.\r\n"
    code, out, err = run(["strip"], page.encode("cp1252"))
    assert code == 0
    assert out == "Kop\nLONDEN (ANP) - Oekraïne, café.\n"
    assert err.startswith("anp-extract: -: warning: decoded as cp1252")


@pytest.mark.parametrize("command", ["strip", "split", "datelines"])
@pytest.mark.parametrize("empty", [b"", b"\n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n \r\n"])
def test_text_filters_pass_empty_input_on_as_empty_output(command: str, empty: bytes) -> None:
    assert run([command], empty) == (0, "", "")


# -- split -----------------------------------------------------------------------------------


def blocks(text: str) -> list[list[str]]:
    return [block.split("\n") for block in text.rstrip("\n").split("\n\n")]


def test_split_cuts_glued_ages_loose_and_gives_each_brief_its_age() -> None:
    code, out, _ = run(["split", SEED_B])
    assert code == 0
    found = blocks(out)
    # title, dateline paragraph, three paragraphs, "Meer uit", seven briefs
    assert len(found) == 13
    assert found[5] == ["Meer uit Buitenland"]
    briefs = found[6:]
    assert all(len(block) == 2 for block in briefs)
    assert [block[1] for block in briefs] == [
        "3 uur geleden", "3 uur geleden", "3 uur geleden", "6 uur geleden",
        "6 uur geleden", "7 uur geleden", "7 uur geleden",
    ]
    assert briefs[0][0].startswith("TEHERAN (ANP) - De leider")
    assert briefs[6][0].startswith("LONDEN (ANP/AFP) - De Britse premier Keir Starmer")
    assert "geledenT" not in out and "geledenL" not in out


def test_split_keeps_headline_dateline_and_age_of_a_brief_together() -> None:
    code, out, _ = run(["split", SEED_A])
    assert code == 0
    found = blocks(out)
    first = found.index(["Meer uit Buitenland"]) + 1
    assert found[first][0] == "Oekraïne en Rusland spreken nieuwe gevangenenruil af"
    assert found[first][1].startswith("ABU DHABI (ANP) - Het overleg")
    assert found[first][2] == "3 minuten geleden"
    assert len(found[first:]) == 7 and all(len(block) == 3 for block in found[first:])
    assert found[0] == ["Webmail"]  # split keeps boilerplate: taking it out is strip's job


def test_split_keeps_a_brief_of_several_lines_in_one_block() -> None:
    code, out, _ = run(["split"], LISTING)
    assert code == 0
    assert blocks(out)[-1] == [
        "ANP Haven van Vlissingen breidt uit",
        "VLISSINGEN (ANP) - De haven groeit.",
        'Dat meldt de gemeente; "fors, echt".',
        "4 maand geleden",
    ]


def test_split_jsonl_writes_the_briefs_of_the_record_with_source_and_section() -> None:
    _, parsed, _ = run(["parse", SEED_B])
    code, out, _ = run(["split", "--jsonl", SEED_B])
    assert code == 0
    page = records(parsed)[0]
    rows = records(out)
    assert [{key: row[key] for key in b} for row, b in zip(rows, page["briefs"], strict=True)] \
        == page["briefs"]
    assert list(rows[0])[:4] == ["source", "section", "kind", "id"]
    # One shape of brief row: split --jsonl is export --table briefs of the record.
    _, table, _ = run(["export", "--table", "briefs"], stdin=parsed)
    assert records(table) == rows


def test_split_jsonl_takes_now_for_published_at() -> None:
    code, out, _ = run(["split", "--jsonl", "--now", "2025-06-01T12:00+02:00", SEED_B])
    assert code == 0
    assert records(out)[0]["published_at"] == "2025-06-01T09:00:00+02:00"  # 3 uur geleden


def test_split_separates_pages_with_a_form_feed_line() -> None:
    code, out, _ = run(["split", SEED_B, SEED_B])
    _, one, _ = run(["split", SEED_B])
    assert code == 0 and out == one + "\f\n" + one


def test_split_names_a_binary_input_and_goes_on() -> None:
    code, out, err = run(["split", "-", SEED_B], b"Kop\x00\x01\x02")
    _, one, _ = run(["split", SEED_B])
    assert code == 1 and out == one
    assert err == "anp-extract: -: binary file (NUL byte at offset 3, line 1), not a text page\n"


# -- datelines -------------------------------------------------------------------------------


def test_datelines_reads_each_line_that_opens_with_one() -> None:
    _, text, _ = run(["split", SEED_B])
    code, out, _ = run(["datelines"], text)
    assert code == 0
    rows = records(out)
    assert len(rows) == 8  # the article and seven briefs
    assert rows[0] == {
        "raw": "IZJOEM/LONDEN (ANP/RTR) -",
        "places": ["IZJOEM", "LONDEN"],
        "agencies": ["ANP", "RTR"],
        "text": rows[0]["text"],
    }
    assert str(rows[0]["text"]).startswith("Het Russische leger trekt op")
    assert [row["places"] for row in rows[1:4]] == [["TEHERAN"], ["TEHERAN"], ["WASHINGTON"]]


def test_datelines_does_not_look_behind_a_glued_age() -> None:
    # Documented: a line with a glued age opens with the age; 'split' first cuts it loose.
    code, out, _ = run(["datelines", SEED_B])
    assert code == 0 and [r["raw"] for r in records(out)] == [
        "IZJOEM/LONDEN (ANP/RTR) -", "TEHERAN (ANP) -"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("'S-HERTOGENBOSCH (afp/belga) \u2013 Tekst.",
         {"raw": "'S-HERTOGENBOSCH (afp/belga) \u2013", "places": ["'S-HERTOGENBOSCH"],
          "agencies": ["AFP", "BELGA"], "text": "Tekst."}),
        ("KATS - Regionaal bericht.",
         {"raw": "KATS -", "places": ["KATS"], "agencies": [], "text": "Regionaal bericht."}),
        ("De minister (ANP) - zei iets.", None),
        ("Dat meldt de krant (bbp).", None),
    ],
)
def test_datelines_table(line: str, expected: dict[str, object] | None) -> None:
    code, out, _ = run(["datelines"], line + "\n")
    assert code == 0
    assert records(out) == ([expected] if expected else [])


def test_datelines_all_passes_every_other_line_in_order() -> None:
    text = "Kop\n\nDEN HAAG (ANP) - Tekst.\nSlot\u00a0 van  het stuk.\n"
    code, out, _ = run(["datelines", "--all"], text)
    assert code == 0
    assert records(out) == [
        {"text": "Kop"},
        {"text": ""},
        {"raw": "DEN HAAG (ANP) -", "places": ["DEN HAAG"], "agencies": ["ANP"], "text": "Tekst."},
        {"text": "Slot van het stuk."},
    ]


# -- export ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_records() -> str:
    code, out, _ = run(["parse", *map(str, SEEDS)])
    assert code == 0
    return out


def test_export_briefs_csv_has_the_documented_columns(seed_records: str) -> None:
    result = CliRunner().invoke(app, ["export", "--table", "briefs", "--to", "csv"],
                                input=seed_records)
    assert result.exit_code == 0
    data = result.stdout_bytes  # .stdout would turn CRLF into LF
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == list(COLUMNS["briefs"])
    assert rows[1][:3] == [str(SEEDS[0]), "Buitenland", "article"]
    assert data.count(b"\r\n") == len(rows) == 36  # RFC 4180 line ends, no newline in a text


def test_export_fields_chooses_and_orders_columns(seed_records: str) -> None:
    code, out, _ = run(
        ["export", "--table", "briefs", "--to", "tsv", "--fields", "age_minutes,places"],
        seed_records,
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "age_minutes\tplaces" and lines[1] == "3\tABU DHABI"
    assert len(lines) == 36


def test_export_fields_json_keeps_only_those_keys(seed_records: str) -> None:
    code, out, _ = run(["export", "--table", "ticker", "--to", "json"], seed_records)
    assert code == 0 and json.loads(out) == []  # no ticker on the seeds: an empty array
    code, out, _ = run(["export", "--to", "json", "--fields", "title,source"], seed_records)
    assert code == 0
    assert json.loads(out)[0] == {
        "title": "Britten: Rusland wil Izjoem veroveren voor nieuw momentum",
        "source": str(SEEDS[0]),
    }


def test_export_a_field_named_twice_is_a_usage_error() -> None:
    code, out, err = run(["export", "--table", "briefs", "--fields", "id,age,id"], "")
    assert (code, out, err) == (2, "", "anp-extract: --fields: id named more than once\n")


def test_export_unknown_fields_is_a_usage_error_naming_the_valid_columns() -> None:
    code, out, err = run(["export", "--table", "briefs", "--fields", "id,agency,text"], "")
    assert code == 2 and out == ""
    assert err == (
        "anp-extract: --fields: agency: not a column of the briefs table; valid: "
        + ",".join(COLUMNS["briefs"]) + "\n"
    )


def test_export_no_header_and_bom(seed_records: str) -> None:
    result = CliRunner().invoke(
        app, ["export", "--table", "briefs", "--to", "csv", "--no-header", "--bom"],
        input=seed_records,
    )
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf" + str(SEEDS[0]).encode())
    assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))) == 35


def test_export_of_nothing_is_an_empty_table() -> None:
    result = CliRunner().invoke(app, ["export", "--to", "csv", "--table", "ticker"], input="")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"source,section,kind,category,time,title\r\n"
    assert run(["export", "--to", "json"], "") == (0, "[]\n", "")
    assert run(["export"], "") == (0, "", "")


def test_export_names_each_bad_line_and_exports_the_rest(tmp_path: Path, seed_records: str) -> None:
    good = seed_records.splitlines()[0]
    lines = [
        good,
        "this is not json",
        "[1, 2]",
        '{"title": "no schema"}',
        '{"schema": "anp-extract/page@9", "briefs": []}',
        '{"schema": "anp-extract/page@1", "briefs": [1, 2]}',
        "",
        good.replace('"title":', '"titel":', 1),
        re.sub(r'"age_minutes":(\d+)', r'"age_minutes":"\1"', good, count=1),
        good,
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, err = run(["export", "--table", "briefs", "--to", "csv", str(path)])
    assert code == 1
    assert len(out.splitlines()) == 1 + 7 + 7
    messages = err.splitlines()
    assert [m.split(": ", 2)[1] for m in messages] == [
        f"{path}:{n}" for n in (2, 3, 4, 5, 6, 8, 9)
    ]
    assert messages[0].startswith(f"anp-extract: {path}:2: not JSON (")
    assert messages[1].endswith("a JSON array, not a page record (an object)")
    assert messages[2].endswith(
        'no "schema" field: not a page record this version reads '
        '(anp-extract/page@1, anp-extract/page@2)'
    )
    assert "schema 'anp-extract/page@9'" in messages[3]
    assert messages[4].endswith(
        "not a valid anp-extract/page@1 record: record: no 'source' field")
    assert messages[5].endswith("record: no 'title' field")
    assert messages[6].endswith("briefs[0].age_minutes: a string, not an integer or null")


def test_export_of_a_page_instead_of_records_names_ten_lines_then_counts() -> None:
    code, out, err = run(["export", SEED_A])
    messages = err.splitlines()
    assert code == 1 and out == ""
    assert messages[0] == (
        f"anp-extract: {SEED_A}:1: not JSON (unexpected character, expected a JSON value, "
        "column 1); export reads what 'parse' writes"
    )
    assert [m.split(": ")[1] for m in messages[:10]] == [f"{SEED_A}:{n}" for n in range(1, 21, 2)]
    assert messages[10:] == [f"anp-extract: {SEED_A}: 21 more lines were not page records"]


def test_export_json_fields_places(seed_records: str) -> None:
    code, out, _ = run(["export", "--table", "briefs", "--fields", "id,places"], seed_records)
    assert code == 0 and records(out)[0]["places"] == ["ABU DHABI"]


def test_export_reads_a_bom_and_crlf_and_goes_on_after_a_missing_file(
    tmp_path: Path, seed_records: str
) -> None:
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + seed_records.replace("\n", "\r\n").encode("utf-8"))
    code, out, err = run(["export", "--to", "tsv", "--fields", "title", "nope.jsonl", str(path)])
    assert code == 1 and err == "anp-extract: nope.jsonl: no such file\n"
    assert len(out.splitlines()) == 6


# -- parse --to ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["--table", "briefs", "--to", "csv"],
        ["--to", "tsv", "--no-header"],
        ["--table", "briefs", "--to", "json", "--fields", "id,places"],
        ["--to", "jsonl", "--bom"],
    ],
)
def test_parse_to_is_parse_piped_to_export(options: list[str], seed_records: str) -> None:
    one = CliRunner().invoke(app, ["parse", *options, *map(str, SEEDS)])
    two = CliRunner().invoke(app, ["export", *options], input=seed_records)
    assert one.exit_code == two.exit_code == 0
    assert one.stdout_bytes == two.stdout_bytes and one.stdout_bytes


def test_parse_to_keeps_going_past_a_bad_input() -> None:
    code, out, err = run(["parse", "--table", "briefs", "--to", "json", "nope.txt", SEED_B])
    assert code == 1 and err == "anp-extract: nope.txt: no such file\n"
    assert len(json.loads(out)) == 7


def test_parse_to_checks_fields_before_reading() -> None:
    code, out, err = run(["parse", "--table", "ticker", "--fields", "text", SEED_B])
    assert code == 2 and out == "" and "valid: source,section,kind,category,time,title" in err

