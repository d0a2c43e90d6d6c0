"""Issue 16, the filters and parse: several pages through a pipe stay several pages,
one brief-row shape, -o FILE, colour switches, and messages for a person."""

from __future__ import annotations

import orjson

from tests.support import SEEDS, run


def _records(out: bytes) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in out.splitlines()]


def test_pages_through_a_text_filter_stay_pages() -> None:
    direct = _records(run(["parse", *SEEDS]).out)
    for command in (["strip"], ["split"], ["strip"], ["split"]):
        piped = run([*command, *SEEDS])
        assert piped.code == 0, piped.err
        assert piped.out.count(b"\n\f\n") == len(SEEDS) - 1
        parsed = run(["parse"], stdin=piped.out)
        assert parsed.code == 0, parsed.err
        records = _records(parsed.out)
        assert len(records) == len(SEEDS)
        assert [len(r["briefs"]) for r in records] == [len(r["briefs"]) for r in direct]
        assert sum(len(r["unparsed"]) for r in records) == 0


def test_filters_read_pages_from_a_pipe_and_keep_them_apart() -> None:
    stripped = run(["strip", *SEEDS]).out
    assert run(["strip"], stdin=stripped).out == stripped  # strip | strip = strip
    split = run(["split"], stdin=stripped).out
    assert split.count(b"\n\f\n") == len(SEEDS) - 1
    assert run(["split"], stdin=split).out == split


def test_stats_and_show_read_several_pages_from_a_pipe() -> None:
    stripped = run(["strip", *SEEDS]).out
    counted = orjson.loads(run(["stats", "--json", "-"], stdin=stripped).out)
    assert counted["pages"] == len(SEEDS) and counted["briefs"] == 35
    shown = run(["show", "-"], stdin=stripped)
    assert shown.code == 0 and shown.out.decode().count("Meer uit") == len(SEEDS)


def test_brief_rows_have_one_shape_whatever_the_fields() -> None:
    default = _records(run(["parse", "--table", "briefs", *SEEDS]).out)
    picked = _records(run(["parse", "--table", "briefs", "--fields", "places,agencies",
                           *SEEDS]).out)
    # jq 'select(.agencies|index("AFP"))' finds the same briefs in both
    afp = [row for row in default if "AFP" in row["agencies"]]
    assert len(afp) == 11
    assert [row["agencies"] for row in afp] == [
        row["agencies"] for row in picked if "AFP" in row["agencies"]]
    assert all({"places": row["places"], "agencies": row["agencies"]} == picked[n]
               for n, row in enumerate(default))
    from anp_extract.core.tables import COLUMNS
    assert all(list(row) == list(COLUMNS["briefs"]) for row in default)


def test_the_table_help_says_pages_csv_counts_briefs() -> None:
    assert "columns are counts" in " ".join(run(["export", "--help"]).stdout.split())
