"""Issue 16, the filters and parse: several pages through a pipe stay several pages,
one brief-row shape, -o FILE, colour switches, and messages for a person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tests.support import SEEDS, run


def _records(out: bytes) -> list[dict[str, Any]]:
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


def test_parse_and_export_write_a_file_with_o(tmp_path: Path) -> None:
    records = tmp_path / "new" / "sub" / "pages.jsonl"
    ran = run(["parse", "-o", records, *SEEDS])
    assert ran.code == 0 and ran.out == b"", ran.err
    assert records.read_bytes() == run(["parse", *SEEDS]).out
    table = tmp_path / "briefs.csv"
    ran = run(["export", "--table", "briefs", "-o", table, records])
    assert ran.code == 0 and ran.out == b"", ran.err
    assert table.read_bytes().count(b"\r\n") == 36
    assert run(["parse", "-o", "-", SEEDS[0]]).out == run(["parse", SEEDS[0]]).out


def test_o_leaves_no_partial_file_and_never_replaces_an_input(tmp_path: Path) -> None:
    target = tmp_path / "pages.jsonl"
    target.write_bytes(b"old\n")
    ran = run(["parse", "-o", target, SEEDS[0], tmp_path / "missing.txt"])
    assert ran.code == 1  # the run goes on; what it read is written
    assert len(target.read_bytes().splitlines()) == 1 and target.read_bytes() != b"old\n"
    page = tmp_path / "page.txt"
    page.write_bytes(SEEDS[0].read_bytes())
    ran = run(["parse", "--to", "jsonl", "-o", page, page])
    assert ran.code == 2 and "is one of the inputs" in ran.err
    assert page.read_bytes() == SEEDS[0].read_bytes()


def test_an_empty_o_is_a_usage_error(tmp_path: Path) -> None:
    for command in (["parse", SEEDS[0]], ["export"], ["convert", SEEDS[0]]):
        ran = run([*command, "-o", ""], stdin=b"")
        assert ran.code == 2, (command, ran.err)
        assert ran.err.count("\n") == 1 and "-o: an empty name" in ran.err


def test_convert_o_creates_its_folders_as_out_dir_does(tmp_path: Path) -> None:
    out = tmp_path / "nodir" / "sub" / "out.jsonl"
    ran = run(["convert", SEEDS[0], "-o", out, "-q"])
    assert ran.code == 0, ran.err
    assert out.exists()


COMMANDS = ["parse", "schema", "strip", "split", "datelines", "export", "convert", "show",
            "stats"]


def test_every_command_takes_the_colour_options() -> None:
    for command in COMMANDS:
        text = " ".join(run([command, "--help"]).stdout.split())
        assert "--no-color" in text and "--color [always|auto|never]" in text, command
    assert run(["parse", "--no-color", SEEDS[0]]).code == 0
    assert run(["datelines", "--color", "never", SEEDS[0]]).code == 0


def test_color_always_and_force_color_colour_a_pipe() -> None:
    clean = {"NO_COLOR": None, "FORCE_COLOR": None}
    assert b"\x1b[" not in run(["show", SEEDS[0]], env=clean).out
    assert b"\x1b[" in run(["show", "--color", "always", SEEDS[0]], env=clean).out
    assert b"\x1b[" in run(["--color", "always", "show", SEEDS[0]], env=clean).out
    assert b"\x1b[" in run(["show", SEEDS[0]], env={**clean, "FORCE_COLOR": "1"}).out
    assert b"\x1b[" not in run(["show", SEEDS[0]],
                               env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).out
    assert b"\x1b[" not in run(["show", "--color", "never", SEEDS[0]],
                               env={**clean, "FORCE_COLOR": "1"}).out
    assert b"\x1b[" in run(["--no-color", "show", "--color", "always", SEEDS[0]],
                           env=clean).out
    # the setting of one run does not stay for the next (in-process runs)
    assert b"\x1b[" not in run(["show", SEEDS[0]], env=clean).out


def test_stats_in_several_processes_counts_the_same(tmp_path: Path) -> None:
    from tests.support.generator import write_corpus

    write_corpus(tmp_path, 240, seed=16)
    (tmp_path / "bad.txt").write_bytes(b"\x00binary")
    one = run(["stats", "--json", "-j", "1", tmp_path])
    two = run(["stats", "--json", "-j", "2", tmp_path])
    assert one.code == two.code == 1
    assert one.out == two.out and orjson.loads(two.out)["pages"] == 240
    assert one.err == two.err and "bad.txt" in two.err


HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x9b31m"


def _hostile_page(tmp_path: Path) -> Path:
    page = SEEDS[1].read_text("utf-8")
    page = page.replace("Britten", f"Britten{HOSTILE}", 1).replace(
        "Het Russische", f"Het{HOSTILE} Russische", 1).replace("TEHERAN", f"TEH{HOSTILE}ERAN", 1)
    path = tmp_path / f"page{HOSTILE}.txt"
    path.write_text(page, "utf-8")
    return path


def _controls(text: str) -> list[str]:
    return [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7f <= ord(ch) < 0xa0]


def test_control_characters_never_reach_a_person(tmp_path: Path) -> None:
    page = _hostile_page(tmp_path)
    for args in (["show", page], ["show", "--lines", page]):
        shown = run(args)
        assert shown.code == 0 and "pwned" in shown.stdout
        assert _controls(shown.stdout) == [], args
    coloured = run(["show", "--color", "always", page]).stdout
    assert "\x1b[2J" not in coloured and "\x1b]0" not in coloured and "\x07" not in coloured
    counted = run(["stats", "--top", "50", page])
    assert "TEH" in counted.stdout and _controls(counted.stdout) == []
    missing = run(["parse", tmp_path / f"gone{HOSTILE}\n.txt"])
    assert missing.code == 1 and _controls(missing.err.rstrip("\n")) == []
    assert missing.err.count("\n") == 1
    removed = run(["strip", "--show-removed", page])
    assert _controls(removed.err.replace("\n", "")) == []
    # data output keeps the text as it is
    assert HOSTILE in run(["strip", page]).stdout
    assert HOSTILE in orjson.loads(run(["parse", page]).out)["title"]


def test_an_age_glued_on_furniture_ends_the_ticker_top_as_on_its_own_line() -> None:
    # Found by tests/cli/test_pipeline_laws.py's hypothesis run: strip changed the record.
    page = b"3 uur geledenWebmail\n- Voetbal 14:23 PSV wint\n"
    direct = _records(run(["parse"], stdin=page).out)[0]
    stripped = run(["strip"], stdin=page).out
    piped = _records(run(["parse"], stdin=stripped).out)[0]
    assert (direct["ticker"], direct["unparsed"]) == (piped["ticker"], piped["unparsed"])


def test_stats_keeps_its_layout_without_ages_and_at_40_columns(tmp_path: Path) -> None:
    page = tmp_path / "noage.txt"
    page.write_text("Kop van een artikel\nAMSTERDAM (ANP) - Een tekst zonder leeftijd.\n")
    plain = run(["stats", page], env={"COLUMNS": "80"}).stdout
    assert "Ages of briefs" in plain.splitlines()[0]
    narrow = run(["stats", *SEEDS], env={"COLUMNS": "40"}).stdout
    assert all(len(line) <= 40 for line in narrow.splitlines())
    for title in ("Ages of briefs", "Briefs per section", "Briefs per agency", "Top places",
                  "Worklist"):
        assert f"\n\n{title}" in narrow, title


def test_usage_lines_and_argument_help_read_plainly() -> None:
    for command in COMMANDS:
        text = run([command, "--help"]).stdout
        assert "<list[str]>" not in text and "{PATH}" not in text, command
    # PATH is optional: --files-from may name them all.
    assert "Usage: anp-extract convert [OPTIONS] [PATH]..." in run(["convert", "--help"]).stdout


def test_choice_errors_are_plain_and_choices_take_any_case() -> None:
    upper = run(["parse", "--to", "CSV", "--table", "Briefs", "--color", "NEVER", SEEDS[0]])
    assert upper.code == 0 and upper.out.startswith(b"source,section,kind,id"), upper.err
    for args, option in ((["--to", "xml"], "--to"), (["--table", "lines"], "--table"),
                         (["--color", "sometimes"], "--color")):
        wrong = run(["parse", *args, SEEDS[0]])
        assert wrong.code == 2 and "Value error" not in wrong.err, wrong.err
        assert f"{option}: {args[1]!r} is not one of" in wrong.err
        assert wrong.err.count("\n") == 1


def test_format_is_another_name_for_to() -> None:
    # 'parse --format csv' suggested --bom; now it does what it says
    ran = run(["parse", "--format", "csv", SEEDS[0]])
    assert ran.code == 0 and ran.out == run(["parse", "--to", "csv", SEEDS[0]]).out


def test_schema_help_lists_only_the_statuses_it_can_have() -> None:
    text = " ".join(run(["schema", "--help"]).stdout.split())
    assert "input failed" not in text and "141" in text


def test_convert_quiet_help_says_the_summary_goes_too() -> None:
    text = " ".join(run(["convert", "--help"]).stdout.split())
    assert "No progress bar and no summary" in text


def test_datelines_all_gives_each_line_back_as_the_docs_say() -> None:
    from anp_extract.core.normalize import clean_lines, decode

    for seed in SEEDS:
        lines = clean_lines(decode(seed.read_bytes(), str(seed)).text)
        lines = lines[:-1] if lines and lines[-1] == "" else lines
        rows = _records(run(["datelines", "--all", seed]).out)
        text_only = [row["text"] for row in rows]
        rebuilt = [" ".join(str(row[key]) for key in ("raw", "text") if row.get(key))
                   for row in rows]
        assert rebuilt == lines, seed
        assert any(raw != text for raw, text in zip(text_only, lines, strict=True))


def test_with_stderr_unwritable_the_other_inputs_are_still_processed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.support import ROOT

    args = [sys.executable, "-m", "anp_extract", "parse", str(SEEDS[0]),
            str(tmp_path / "missing.txt"), str(SEEDS[1])]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=full, cwd=ROOT, timeout=60)
    assert done.returncode == 1 and len(done.stdout.splitlines()) == 2
    closed = subprocess.run(" ".join(args) + " 2>&-", shell=True, stdout=subprocess.PIPE,
                            cwd=ROOT, timeout=60)
    assert closed.returncode == 1 and len(closed.stdout.splitlines()) == 2


def test_show_keeps_the_line_ends_it_draws_apart() -> None:
    shown = run(["show", "--lines", "-"],
                stdin="Kop\rAMSTERDAM (ANP) - Tekst.\x85Meer\r\n".encode())
    assert shown.code == 0 and "\u240d" not in shown.stdout and "\ufffd" not in shown.stdout
    assert "3 lines with text" in shown.stdout
