"""The table options (--to, --table, --fields, --no-header, --bom) are defined once and
checked once, for parse, export and convert alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import SEEDS, run


def _command(name: str, tmp_path: Path) -> list[object]:
    if name == "convert":
        return ["convert", "-q", SEEDS[0], "-o", tmp_path / "out.csv"]
    return [name, SEEDS[0]] if name == "parse" else [name]


@pytest.mark.parametrize("name", ["parse", "export", "convert"])
def test_a_column_named_twice_is_a_usage_error_in_every_command(
    name: str, tmp_path: Path
) -> None:
    records = run(["parse", SEEDS[0]]).out
    ran = run([*_command(name, tmp_path), "--table", "briefs", "--fields", "id,places,id"],
              stdin=records)
    assert ran.code == 2, ran.err
    assert "--fields: id named more than once" in ran.err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name", ["parse", "export", "convert"])
def test_every_command_offers_the_same_table_options(name: str) -> None:
    shown = run([name, "--help"], env={"COLUMNS": "200"}).stdout
    for option in ("--to", "--table", "--fields", "--no-header", "--bom"):
        assert option in shown


def test_format_names_are_read_in_any_case(tmp_path: Path) -> None:
    ran = run(["parse", "--to", "CSV", "--table", "briefs", SEEDS[0]])
    assert ran.code == 0, ran.err
    assert ran.stdout.startswith("source,section,kind,id,")


def test_the_default_format_is_one_name_in_the_registry() -> None:
    from anp_extract import sinks
    from anp_extract.batch import Output
    from anp_extract.cli.tables import TableOptions

    assert sinks.DEFAULT in sinks.FORMATS
    assert sinks.format_for("pages") == sinks.DEFAULT  # -o FILE without an extension
    assert TableOptions().to == Output().to == sinks.DEFAULT


@pytest.mark.parametrize("name", ["parse", "export", "convert"])
def test_an_unknown_extension_is_refused_in_the_same_words_by_every_command(
    name: str, tmp_path: Path
) -> None:
    records = run(["parse", SEEDS[0]]).out
    given = ["convert", "-q", SEEDS[0]] if name == "convert" else _command(name, tmp_path)
    ran = run([*given, "-o", tmp_path / "x.xlsx"], stdin=records)
    assert ran.code == 2, ran.err
    said = f"anp-extract: {name}: -o {tmp_path / 'x.xlsx'}: the extension names no format "
    assert ran.err.startswith(said + "this writes (.jsonl, .ndjson, .json, .csv, "), ran.err
    assert ran.err.rstrip().endswith("; give --to")
    assert not (tmp_path / "x.xlsx").exists()
