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
