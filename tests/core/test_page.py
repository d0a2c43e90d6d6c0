"""page: assembly of whole pages, small enough to read at a glance."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from anp_extract import ParseOptions, annotate, parse
from tests.support import DATA, assert_valid

NOW = datetime(2025, 11, 4, 14, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))

ARTICLE = """\
Deze website gebruikt cookies. Door verder te klikken ga je akkoord.
Kop van het stuk
Kop van het stuk
DEN HAAG (ANP) - Het kabinet zei 3 uur geleden nog dat het meevalt.
Twee uur geleden lag het schip nog in de haven.
3 uur geleden lag het schip er ook al.
Het persbureau ANP (ANP) meldde het eerst.
De economie groeide met 2 procent van het bruto binnenlands product (bbp).
Reacties
Meer uit Binnenland
Brug dicht
GOES (ANP) - De brug is dicht.
5 minuten geleden
KATS - Een.
2 dagen geledenMIDDELBURG (anp/Bloomberg) \u2013 Twee.
1 week geleden
"""


def test_article_with_traps() -> None:
    page, labelled = annotate(ARTICLE, "a.txt")
    record = page.to_dict()
    assert record["unparsed"] == [
        "Deze website gebruikt cookies. Door verder te klikken ga je akkoord."]
    assert record["boilerplate"] == ["Kop van het stuk"]
    assert record["title"] == "Kop van het stuk"
    assert record["body"] == [
        {"kind": "paragraph", "text": "Het kabinet zei 3 uur geleden nog dat het meevalt."},
        {"kind": "paragraph", "text": "Twee uur geleden lag het schip nog in de haven."},
        {"kind": "paragraph", "text": "3 uur geleden lag het schip er ook al."},
        {"kind": "paragraph", "text": "Het persbureau ANP (ANP) meldde het eerst."},
        {"kind": "paragraph",
         "text": "De economie groeide met 2 procent van het bruto binnenlands product (bbp)."},
        {"kind": "heading", "text": "Reacties"},
    ]
    assert [(b["title"], b["dateline"]["raw"], b["text"], b["age_minutes"])
            for b in record["briefs"]] == [
        ("Brug dicht", "GOES (ANP) -", "De brug is dicht.", 5),
        (None, "KATS -", "Een.", 2880),
        (None, "MIDDELBURG (anp/Bloomberg) \u2013", "Twee.", 10080),
    ]
    assert record["briefs"][2]["dateline"]["agencies"] == ["ANP", "BLOOMBERG"]
    assert [b["published_at"] for b in record["briefs"]] == [None, None, None]
    assert [line.label for line in labelled] == [
        "unparsed", "boilerplate", "title", "dateline", "paragraph", "paragraph", "paragraph",
        "paragraph", "heading", "section", "brief-title", "brief", "age", "brief", "age", "brief",
        "age"]
    assert [line.glued for line in labelled].count(True) == 1
    assert_valid(record)


def test_now_gives_published_at_with_offset() -> None:
    record = parse(ARTICLE, options=ParseOptions(now=NOW)).to_dict()
    assert [b["published_at"] for b in record["briefs"]] == [
        "2025-11-04T14:25:00+01:00", "2025-11-02T14:30:00+01:00", "2025-10-28T14:30:00+01:00"]


def test_listing_date_gives_plain_dates_and_now_wins_over_it() -> None:
    text = (DATA / "listing_category.txt").read_text("utf-8")
    dated = parse(text).to_dict()
    assert [b["published_at"] for b in dated["briefs"]] == ["2025-10-21", "2025-07-07"]
    young = parse(text.replace("2 weken geleden", "23 uur geleden")).to_dict()
    assert [b["published_at"] for b in young["briefs"]] == [None, "2025-07-07"]
    timed = parse(text, options=ParseOptions(now=NOW)).to_dict()
    # Elapsed time, not wall-clock: summer time ended in between, so 15:30 in summer.
    assert [b["published_at"] for b in timed["briefs"]] == [
        "2025-10-21T15:30:00+02:00", "2025-07-07T15:30:00+02:00"]


def test_brief_without_age_is_kept_with_a_warning() -> None:
    text = "Kop\nDEN HAAG (ANP) - Tekst.\nMeer uit Binnenland\nKATS - Een.\n3 uur geleden\n"
    text += "GOES - Twee.\n"
    record = parse(text).to_dict()
    assert [(b["text"], b["age"]) for b in record["briefs"]] == [
        ("Een.", "3 uur geleden"), ("Twee.", None)]
    assert record["warnings"] == [
        "line 6: brief without an age",
        "line 6: page looks truncated: ends mid-brief, before its age",
    ]
    assert_valid(record)


@pytest.mark.parametrize(("text", "warnings"), [
    ("", ["no article, briefs or ticker found"]),
    ("Webmail\nKies je webmail\n", ["no article, briefs or ticker found"]),
    ("Kop\nDEN HAAG (ANP) - Tekst.\nMeer uit Binnenland\n", []),
])
def test_pages_with_little_in_them(text: str, warnings: list[str]) -> None:
    record = parse(text).to_dict()
    assert record["warnings"] == warnings
    assert record["briefs"] == []
    assert_valid(record)


def test_meer_uit_without_briefs_names_the_section() -> None:
    record = parse("Kop\nDEN HAAG (ANP) - Tekst.\nMeer uit Economie\n").to_dict()
    assert (record["kind"], record["section"], record["title"]) == ("article", "Economie", "Kop")


def test_regional_listing_with_a_date_line() -> None:
    text = "zaterdag 1 maart 2025\n" + (DATA / "listing_regional.txt").read_text("utf-8")
    record = parse(text).to_dict()
    assert record["date"] == "2025-03-01"
    assert [b["published_at"] for b in record["briefs"]] == ["2025-02-26", "2025-02-22"]
    assert record["boilerplate"] == ["zaterdag 1 maart 2025", "Net binnen"]


@pytest.mark.parametrize(("headline", "title"), [
    ("ANP Bakkers zien prijs van boter stijgen", "Bakkers zien prijs van boter stijgen"),
    ("ANP  Bakkers zien prijs van boter stijgen", "Bakkers zien prijs van boter stijgen"),
    ("ANPost verhoogt tarieven", "ANPost verhoogt tarieven"),  # a word, not the mark
    ("ANP-topman vertrekt", "ANP-topman vertrekt"),
    ("ANPost meldt: ANP stopt", "ANPost meldt: ANP stopt"),  # the mark only opens a line
])
def test_only_a_separate_anp_mark_is_taken_off_a_headline(headline: str, title: str) -> None:
    text = (DATA / "listing_category.txt").read_text("utf-8")
    text = text.replace("ANP Bakkers zien prijs van boter verder stijgen", headline)
    record = parse(text).to_dict()
    assert record["briefs"][0]["title"] == title


def test_ticker_lines_count_only_under_net_binnen() -> None:
    text = (
        "Optocht in Goes\n"
        "GOES (ANP) - Het programma van zaterdag:\n"
        "- Optocht 14:00 door het centrum\n"
        "- Vuurwerk 22:30 boven de haven\n"
        "Net binnen\n"
        "\n"
        "- Voetbal 14:23 PSV wint\n"
        "- Binnenland 14:20 Treinen rijden weer\n"
        "KATS - Een.\n"
        "- Later 15:00 niet meer onder de kop\n"
    )
    page, labelled = annotate(text)
    record = page.to_dict()
    assert [item["category"] for item in record["ticker"]] == ["Voetbal", "Binnenland"]
    assert [block["text"] for block in record["body"]][1:3] == [
        "- Optocht 14:00 door het centrum", "- Vuurwerk 22:30 boven de haven"]
    assert [line.label for line in labelled if line.text.startswith("- Later")] == ["paragraph"]
    assert_valid(record)


def test_ticker_lines_at_the_top_of_a_page_without_its_heading() -> None:
    # What strip leaves of a regional page: the banner and "Net binnen" gone, the date kept.
    text = "zaterdag 1 maart 2025\n- Voetbal 14:23 PSV wint\nKATS - Een.\n1 uur geleden\n"
    assert [item.category for item in parse(text).ticker] == ["Voetbal"]


UNTITLED_LISTING = """\
Economie

UTRECHT (ANP) - Bakkers betalen opnieuw meer voor boter.

2 weken geleden
VLISSINGEN (ANP) - De haven breidt uit.

4 maand geleden
"""


def test_a_short_line_above_the_first_of_untitled_items_is_the_listings_heading() -> None:
    page, labelled = annotate(UNTITLED_LISTING)
    record = page.to_dict()
    assert (record["kind"], record["section"]) == ("listing", "Economie")
    assert [brief["title"] for brief in record["briefs"]] == [None, None]
    assert [line.label for line in labelled if line.text == "Economie"] == ["section"]
    assert_valid(record)


@pytest.mark.parametrize("text", [
    UNTITLED_LISTING.split("2 weken geleden")[0] + "2 weken geleden\n",  # one item only
    UNTITLED_LISTING.replace("VLISSINGEN", "Haven groeit\nVLISSINGEN"),  # titled items
    UNTITLED_LISTING.replace("Economie", "Bakkers betalen meer voor boter en eieren"),
])
def test_a_headline_stays_a_headline_where_the_page_does_not_say_otherwise(text: str) -> None:
    record = parse(text).to_dict()
    assert record["section"] is None
    assert record["briefs"][0]["title"] is not None


def test_what_follows_the_last_brief_without_an_age_is_not_its_text() -> None:
    text = (
        "Kop\nDEN HAAG (ANP) - Tekst.\nMeer uit Binnenland\n"
        "GOES (ANP) - De brug is dicht.\n5 minuten geleden\n"
        "ZWOLLE (ANP) - Zonder leeftijd.\nDe tweede zin staat apart.\n"
        "Lees meer nieuws\nCookie-instellingen\n"
    )
    record = parse(text).to_dict()
    assert [(b["text"], b["age"]) for b in record["briefs"]] == [
        ("De brug is dicht.", "5 minuten geleden"),
        ("Zonder leeftijd.\nDe tweede zin staat apart.", None),
    ]
    assert record["unparsed"] == ["Lees meer nieuws", "Cookie-instellingen"]
    assert record["warnings"] == ["line 6: brief without an age"]  # a footer follows: not cut off
