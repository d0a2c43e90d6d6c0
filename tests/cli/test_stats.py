"""``stats``: counts over files and folders, checked against counts made by hand."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from anp_extract import parse
from anp_extract.core.stats import Stats
from tests.snapshots import INPUTS, SEEDS, check, invoke, relative
from tests.support import in_pty

# Counted by hand from the five seed pages (the datelines of their "Meer uit" lists and
# the age after each brief), not from the parser:
#   000  ABU DHABI (ANP) 3 min, MILAAN (ANP/DPA) 6 min, LONDEN (ANP/RTR) 15 min,
#        MOSKOU (ANP/RTR) 48 min, LUXEMBURG (ANP/AFP) 51 min, BEIJING (ANP/RTR) 1 uur,
#        BEIJING (ANP/RTR/AFP) 2 uur
#   001  TEHERAN (ANP) 3 uur, TEHERAN (ANP/RTR) 3 uur, WASHINGTON (ANP) 3 uur,
#        LONDEN (ANP/AFP/RTR) 6 uur, WASHINGTON (ANP/RTR) 6 uur, MEXICO-STAD (ANP/AFP) 7 uur,
#        LONDEN (ANP/AFP) 7 uur
#   002  BRUSSEL (ANP) 13 min, AIR FORCE ONE (ANP/AFP) 1 uur, KYIV (ANP/RTR) 4 uur,
#        BRUSSEL (ANP) 5 uur, DAVOS (ANP) 5 uur, BRUSSEL (ANP) 5 uur, DAMASCUS (ANP/AFP) 5 uur
#   003  PARIJS (ANP/AFP) 16 min, KYIV (AFP/RTR) 37 min, MOSKOU (ANP/RTR) 49 min,
#        PARIJS (ANP/RTR/AFP) 55 min, OSLO (ANP) 59 min, TOKIO (ANP/RTR) 1 uur, ARNHEM (ANP) 1 uur
#   004  KYIV (ANP/RTR) 2 uur, BRUSSEL (ANP) 3 uur, DAVOS (ANP) 3 uur, BRUSSEL (ANP) 3 uur,
#        DAMASCUS (ANP/AFP) 3 uur, BRUSSEL (ANP) 3 uur, BRUSSEL (ANP) 4 uur
# 7 briefs a page: 35.  002 and 004 share five (KYIV, BRUSSEL Kallas, DAVOS, BRUSSEL Tusk,
# DAMASCUS): 30 unique.  ANP is in every brief but KYIV (AFP/RTR) of 003: 34.  RTR: 4 in 000,
# 3 in 001, 1 in 002, 4 in 003, 1 in 004 = 13.  AFP: 2 + 3 + 2 + 3 + 1 = 11.  DPA: 1.
# Sorted ages: 11 under an hour, then 60 x4, 120 x2, 180 x8 (the 18th of 35 is the median),
# 240 x2, 300 x4, 360 x2, 420 x2.
SEEDS_BY_HAND: dict[str, Any] = {
    "pages": 5,
    "briefs": 35,
    "unique_briefs": 30,
    "failures": 0,
    "pages_with_unparsed": 0,
    "unparsed_lines": 0,
    "pages_with_warnings": 0,
    "pages_truncated": 0,
    "ticker_items": 0,
    "kinds": {"article": 5, "listing": 0},
    "not_pages": 0,
    "records_skipped": 0,
    "by_section": {"Buitenland": 35},
    "by_agency": {"ANP": 34, "RTR": 13, "AFP": 11, "DPA": 1},
    "by_place": {
        "BRUSSEL": 7, "KYIV": 3, "LONDEN": 3,
        "BEIJING": 2, "DAMASCUS": 2, "DAVOS": 2, "MOSKOU": 2, "PARIJS": 2, "TEHERAN": 2,
        "WASHINGTON": 2,
        "ABU DHABI": 1, "AIR FORCE ONE": 1, "ARNHEM": 1, "LUXEMBURG": 1, "MEXICO-STAD": 1,
        "MILAAN": 1, "OSLO": 1, "TOKIO": 1,
    },
    "ages": {
        "min": 3, "median": 180, "max": 420, "without_age": 0,
        "buckets": {"<1h": 11, "1h-6h": 20, "6h-24h": 4, "1d-7d": 0, "7d-30d": 0, ">=30d": 0},
    },
    "timeline": {"timed_briefs": 0, "median_width_minutes": None, "narrowed": 0, "conflicts": 0},
    "worklist": [],
}

# The three example pages, by hand: the category listing (UTRECHT, VLISSINGEN, both ANP;
# 2 weken, 4 maand), the regional listing (DOMBURG, KAPELLE, no agency; 3 dagen, 1 week;
# two ticker lines) and the page with problems (a cookie line nobody understands; UTRECHT
# (ANP) 2 uur, and GOES without agency or age).
EXAMPLES_BY_HAND: dict[str, Any] = {
    "pages": 3,
    "briefs": 6,
    "unique_briefs": 6,
    "failures": 0,
    "pages_with_unparsed": 1,
    "unparsed_lines": 1,
    "pages_with_warnings": 1,
    "pages_truncated": 1,
    "ticker_items": 2,
    "kinds": {"article": 1, "listing": 2},
    "not_pages": 0,
    "records_skipped": 0,
    "by_section": {"(none)": 2, "Binnenland": 2, "Economie": 2},
    "by_agency": {"(none)": 3, "ANP": 3},
    "by_place": {"UTRECHT": 2, "DOMBURG": 1, "GOES": 1, "KAPELLE": 1, "VLISSINGEN": 1},
    "ages": {
        "min": 120, "median": 10080, "max": 172800, "without_age": 1,
        "buckets": {"<1h": 0, "1h-6h": 1, "6h-24h": 0, "1d-7d": 1, "7d-30d": 2, ">=30d": 1},
    },
    "timeline": {"timed_briefs": 0, "median_width_minutes": None, "narrowed": 0, "conflicts": 0},
    "worklist": [{"source": "tests/snapshots/inputs/problems.txt", "unparsed": 1}],
}


def stats_json(*args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = invoke(["stats", "--json", *args])
    loaded: dict[str, Any] = orjson.loads(out)
    return code, loaded, err


def test_seeds_by_hand() -> None:
    code, figures, err = stats_json("seeds")
    assert (code, err) == (0, "")
    for key, expected in SEEDS_BY_HAND.items():  # one key at a time: a failure names it
        assert figures[key] == expected, key
    assert list(figures) == list(SEEDS_BY_HAND)  # and nothing else, in this order
    assert list(figures["by_agency"]) == ["ANP", "RTR", "AFP", "DPA"]  # most first


def test_examples_by_hand() -> None:
    code, figures, err = stats_json(relative(INPUTS))
    assert (code, err) == (0, "")
    for key, expected in EXAMPLES_BY_HAND.items():
        assert figures[key] == expected, key


def test_files_and_folders_mix_and_add_up() -> None:
    code, figures, _ = stats_json(relative(SEEDS[0]), relative(INPUTS), "seeds")
    assert code == 0
    assert figures["pages"] == 1 + 3 + 5
    assert figures["briefs"] == 7 + 6 + 35
    assert figures["unique_briefs"] == 30 + 6  # the first seed is counted twice


def test_failures_are_counted_named_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    code, figures, err = stats_json("seeds", str(tmp_path), "no/such.txt")
    assert code == 1
    assert (figures["pages"], figures["briefs"], figures["failures"]) == (5, 35, 3)
    assert err.splitlines() == [
        f"anp-extract: {tmp_path}/empty.txt: empty file: no text to parse",
        f"anp-extract: {tmp_path}/image.txt: binary file (NUL byte at offset 4, line 1), "
        "not a text page",
        "anp-extract: no/such.txt: no such file",
    ]


def test_an_unreadable_folder_is_a_failure_as_in_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path: str) -> object:  # chmod 000 does not stop root, so refuse here
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, figures, err = stats_json("seeds", str(tmp_path))
    assert (code, figures["pages"], figures["failures"]) == (1, 5, 1)
    assert err == f"anp-extract: {locked}: cannot read folder: permission denied\n"


def test_walking_rules_match_convert(tmp_path: Path) -> None:
    """--glob picks names in folders, hidden files and folders are skipped, links only
    followed when asked; a file named directly is read whatever its name."""
    page = SEEDS[0].read_bytes()
    (tmp_path / "a.txt").write_bytes(page)
    (tmp_path / "notes.md").write_bytes(page)
    (tmp_path / ".hidden.txt").write_bytes(page)
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "b.txt").write_bytes(page)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "c.txt").write_bytes(page)
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "d.txt").write_bytes(page)
    (tmp_path / "linked").symlink_to(outside)
    folder = str(tmp_path)
    assert stats_json(folder)[1]["pages"] == 2  # a.txt, deep/er/c.txt
    assert stats_json("--follow-links", folder)[1]["pages"] == 4  # + link.txt, linked/d.txt
    assert stats_json("--glob", "*.md", folder)[1]["pages"] == 1
    assert stats_json(str(tmp_path / "notes.md"))[1]["pages"] == 1


def test_no_files_found_is_said(tmp_path: Path) -> None:
    code, figures, err = stats_json(str(tmp_path))
    assert code == 0 and figures["pages"] == 0
    assert err == "anp-extract: no files to read (in folders, only names matching " \
        "the default --glob patterns (pages, archives, WARC, JSON Lines) are read)\n"


def test_stdin_is_a_path_like_any_other() -> None:
    code, out, err = invoke(["stats", "--json", "-"], stdin=SEEDS[1].read_bytes())
    assert (code, err) == (0, "")
    assert orjson.loads(out)["briefs"] == 7


def test_a_page_needs_a_path() -> None:
    code, out, err = invoke(["stats"])
    assert code == 2 and out == "" and "Missing argument" in err


# -- the tables ------------------------------------------------------------------------------


def test_tables_snapshot_seeds() -> None:
    code, out, err = invoke(["stats", "seeds"])
    assert (code, err) == (0, "")
    assert "\x1b" not in out and max(map(len, out.splitlines())) <= 80
    check("stats/seeds.txt", out)


def test_tables_snapshot_everything_top_3() -> None:
    code, out, _ = invoke(["stats", "--top", "3", "seeds", relative(INPUTS)])
    assert code == 0
    assert "20 more" in out  # 23 places, 3 shown, the rest summed
    check("stats/seeds-and-examples-top-3.txt", out)


# -- the accumulator ------------------------------------------------------------------------


def test_worklist_is_bounded_most_first_ties_in_input_order() -> None:
    stats = Stats(worklist_size=3)
    page = parse("Kop\nDEN HAAG (ANP) - Tekst.\n")
    for number, unparsed in enumerate([1, 5, 2, 5, 0, 2, 9, 1]):
        stats.add(replace(page, source=f"p{number}", unparsed=("?",) * unparsed))
    assert [(item.source, item.unparsed) for item in stats.worklist()] == [
        ("p6", 9), ("p1", 5), ("p3", 5)
    ]
    assert (stats.pages, stats.pages_with_unparsed, stats.unparsed_lines) == (8, 7, 25)


def test_median_of_an_even_count_is_a_real_age() -> None:
    stats = Stats()
    stats.ages.update({10: 1, 20: 1, 30: 1, 40: 1})
    spread = stats.age_spread()
    assert (spread.min, spread.median, spread.max) == (10, 20, 40)
    assert Stats().age_spread().median is None


def test_only_counters_grow() -> None:
    """Streaming: after many pages the accumulator holds counters and ids, no page."""
    stats = Stats()
    page = parse(SEEDS[0].read_text("utf-8"), "seed")
    for _ in range(200):
        stats.add(page)
    assert stats.pages == 200 and stats.unique_briefs == 7
    held = [value for value in vars(stats).values() if not isinstance(value, int | str)]
    assert all(len(value) <= 20 for value in held)  # counters of a few keys, 7 ids


# -- a real terminal -------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_for_a_large_folder(tmp_path: Path) -> None:
    page = SEEDS[3].read_bytes()
    for number in range(120):
        (tmp_path / f"{number:03}.txt").write_bytes(page)
    command = str(Path(sys.executable).parent / "anp-extract")
    env = {**{k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")},
           "TERM": "xterm-256color"}

    def shown(*args: str) -> str:
        # stdout to a file, stderr on the terminal: what the user sees while it runs.
        script = f"{command} stats --json {' '.join(args)} {tmp_path} > {tmp_path}/out.json"
        output, status = in_pty(f"bash -c {script!r}", env=env, timeout=60,
                                dimensions=(24, 100))
        assert status == 0
        assert orjson.loads((tmp_path / "out.json").read_bytes())["pages"] == 120
        return output

    drawn = shown()
    assert "Reading pages" in drawn and "/120" in drawn
    assert shown("--quiet") == ""

