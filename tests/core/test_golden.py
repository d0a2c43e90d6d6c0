"""Golden records: each page in tests/data/ beside the record it must give.

The records were checked by hand against their pages, field by field.  They change
only on purpose: ``UPDATE_GOLDEN=1 pytest tests/test_core_golden.py`` rewrites them from
the parser's current output; review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from anp_extract import parse_bytes
from tests.support import DATA, ROOT, SEEDS, assert_valid

PAGES = sorted(DATA.glob("*.txt"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def record_of(page: Path) -> dict[str, Any]:
    return parse_bytes(page.read_bytes(), str(page.relative_to(ROOT))).to_dict()


def golden(page: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(page.with_suffix(".json").read_text("utf-8"))
    return loaded


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_record_equals_golden(page: Path) -> None:
    record = record_of(page)
    if UPDATE:
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        page.with_suffix(".json").write_text(text, "utf-8")
    expected = golden(page)
    for field in expected:  # one field at a time: the failure names it
        assert record[field] == expected[field], field
    assert record == expected
    assert_valid(record)


def test_every_seed_has_a_golden_copy() -> None:
    assert len(SEEDS) == 5
    for seed in SEEDS:
        copy = DATA / seed.name
        assert copy.read_bytes() == seed.read_bytes(), f"{copy} differs from {seed}"
        assert copy.with_suffix(".json").exists()


def test_goldens_are_not_being_rewritten() -> None:
    assert not UPDATE, "UPDATE_GOLDEN=1 rewrote the goldens: review the diff, then run without it"


# -- facts read off the pages by hand, independent of the golden files --------------------


def test_seeds_002_and_004_share_five_briefs_two_hours_apart() -> None:
    early, late = (golden(DATA / name) for name in (
        "002_4737fd2011465099.txt", "004_61d4c29380775753.txt"))
    early_ids = {brief["id"]: brief for brief in early["briefs"]}
    shared = [(early_ids[b["id"]], b) for b in late["briefs"] if b["id"] in early_ids]
    assert len(shared) == 5
    for first, second in shared:
        assert first["text"] == second["text"]
        assert first["age_minutes"] - second["age_minutes"] == 120
    assert [b["dateline"]["places"][0] for b, _ in shared] == [
        "KYIV", "BRUSSEL", "DAVOS", "BRUSSEL", "DAMASCUS"]


def test_seed_003_has_the_spoorrails_heading_between_paragraphs() -> None:
    body = golden(DATA / "003_86f2966f36db17d2.txt")["body"]
    assert [block["kind"] for block in body] == ["paragraph"] * 3 + ["heading"] + ["paragraph"] * 2
    assert body[3]["text"] == "Spoorrails"


def test_layout_b_age_after_a_brief_belongs_to_it() -> None:
    briefs = golden(DATA / "001_e73d07e3b0bfa2d9.txt")["briefs"]
    assert [(b["dateline"]["raw"], b["age"]) for b in briefs] == [
        ("TEHERAN (ANP) -", "3 uur geleden"),
        ("TEHERAN (ANP/RTR) -", "3 uur geleden"),
        ("WASHINGTON (ANP) -", "3 uur geleden"),
        ("LONDEN (ANP/AFP/RTR) -", "6 uur geleden"),
        ("WASHINGTON (ANP/RTR) -", "6 uur geleden"),
        ("MEXICO-STAD (ANP/AFP) -", "7 uur geleden"),
        ("LONDEN (ANP/AFP) -", "7 uur geleden"),
    ]
    assert briefs[-1]["text"].endswith("aldus Starmer voorafgaand aan hun privégesprek.")


def test_layout_a_keeps_banner_and_repeated_headline_out_of_content() -> None:
    record = golden(DATA / "000_fffbfb031fd1977c.txt")
    assert record["boilerplate"] == [
        "Webmail",
        "Kies je webmail",
        "Omdat ZeelandNet ook DELTA webmail aanbiedt, vragen we je eenmalig je voorkeur op te "
        "geven.",
        "Britten: Rusland wil Izjoem veroveren voor nieuw momentum",
    ]
    assert record["title"] == "Britten: Rusland wil Izjoem veroveren voor nieuw momentum"
    assert [b["age"] for b in record["briefs"]] == [
        "3 minuten geleden", "6 minuten geleden", "15 minuten geleden", "48 minuten geleden",
        "51 minuten geleden", "1 uur geleden", "2 uur geleden"]


def test_category_listing_of_issue_6() -> None:
    record = golden(DATA / "listing_category.txt")
    assert record["kind"] == "listing"
    assert (record["date"], record["section"]) == ("2025-11-04", "Economie")
    assert [(b["title"], b["age_minutes"], b["published_at"]) for b in record["briefs"]] == [
        ("Bakkers zien prijs van boter verder stijgen", 14 * 1440, "2025-10-21"),
        ("Haven van Vlissingen breidt uit", 4 * 30 * 1440, "2025-07-07"),
    ]
    assert record["boilerplate"][-2:] == [
        "dinsdag 4 november 2025", "Editie: NL & Wereld | Zeeland"]


def test_regional_listing_of_issue_6() -> None:
    record = golden(DATA / "listing_regional.txt")
    assert [tuple(item.values()) for item in record["ticker"]] == [
        ("Voetbal", "14:23", "PSV wint in blessuretijd van Go Ahead Eagles"),
        ("Binnenland", "14:20", "Treinverkeer rond Amersfoort hervat"),
    ]
    assert [(b["dateline"], b["age"]) for b in record["briefs"]] == [
        ({"raw": "DOMBURG -", "places": ["DOMBURG"], "agencies": []}, "3 dagen geleden"),
        ({"raw": "KAPELLE -", "places": ["KAPELLE"], "agencies": []}, "1 week geleden"),
    ]
    assert record["boilerplate"] == ["Net binnen"]
    assert [b["published_at"] for b in record["briefs"]] == [None, None]  # no date on the page
