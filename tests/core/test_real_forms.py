"""Issue 15: the dateline forms of real pages, read where a dateline stands and nowhere
else, and the warning of a page the scraper cut off.  Each case failed before."""

from __future__ import annotations

import pytest

from anp_extract import parse
from anp_extract.core.assemble import TRUNCATED
from tests.support import assert_valid

ARTICLE = "Kop van het stuk\n{first}\nTweede alinea.\n{later}\nMeer uit Binnenland\n"


def briefs(text: str) -> list[tuple[str | None, list[str] | None, str, str | None]]:
    record = parse(text, "p").to_dict()
    assert_valid(record)
    return [(b["dateline"] and b["dateline"]["raw"], b["dateline"] and b["dateline"]["places"],
             b["text"], b["age"]) for b in record["briefs"]]


def test_mixed_case_after_a_glued_age_as_the_last_brief() -> None:
    page = ("Meer uit Binnenland\nUTRECHT (ANP) - Eerste.\n"
            "3 uur geledenDen Haag (ANP) - Voor de voorzitter is het druk.\n4 uur geleden\n")
    assert briefs(page) == [
        ("UTRECHT (ANP) -", ["UTRECHT"], "Eerste.", "3 uur geleden"),
        ("Den Haag (ANP) -", ["DEN HAAG"], "Voor de voorzitter is het druk.", "4 uur geleden"),
    ]
    assert parse(page).unparsed == ()


def test_mixed_case_after_a_glued_age_in_the_middle_of_a_list() -> None:
    page = ("Meer uit Binnenland\nUTRECHT (ANP) - Eerste.\n"
            "3 uur geledenDen Haag (ANP) - Tweede.\n4 uur geledenKATS - Derde.\n5 uur geleden\n")
    assert [b[:3] for b in briefs(page)] == [
        ("UTRECHT (ANP) -", ["UTRECHT"], "Eerste."),
        ("Den Haag (ANP) -", ["DEN HAAG"], "Tweede."),
        ("KATS -", ["KATS"], "Derde."),
    ]


def test_mixed_case_in_a_regional_list() -> None:
    page = ("Net binnen\n- Regio 13:05 Weg weer open\nKATS - Een.\n"
            "4 dagen geledenBorsele - De gemeente Borsele is een campagne gestart.\n"
            "5 dagen geleden\n")
    assert [b[:3] for b in briefs(page)][1] == (
        "Borsele -", ["BORSELE"], "De gemeente Borsele is een campagne gestart.")


def test_mixed_case_under_a_brief_headline_and_first_after_an_age_line() -> None:
    page = ("Meer uit Binnenland\nKamer kiest voorzitter\nDen Haag (ANP) - De Kamer koos.\n"
            "1 uur geleden\nZwolle (ANP) - Zonder kop.\n2 uur geleden\n")
    assert [b[:3] for b in briefs(page)] == [
        ("Den Haag (ANP) -", ["DEN HAAG"], "De Kamer koos."),
        ("Zwolle (ANP) -", ["ZWOLLE"], "Zonder kop."),
    ]
    assert parse(page).briefs[0].title == "Kamer kiest voorzitter"


def test_mixed_case_opens_the_articles_first_paragraph_and_nothing_later() -> None:
    page = ARTICLE.format(first="Den Haag (ANP) - Het kabinet is gevallen.",
                          later="Den Haag - Dat is de stad waar het gebeurde.")
    record = parse(page).to_dict()
    assert record["dateline"] == {"raw": "Den Haag (ANP) -", "places": ["DEN HAAG"],
                                  "agencies": ["ANP"]}
    assert [block["text"] for block in record["body"]] == [
        "Het kabinet is gevallen.", "Tweede alinea.",
        "Den Haag - Dat is de stad waar het gebeurde.",
    ]


@pytest.mark.parametrize("page", [
    # Mid-article, mid-brief, or in lower case: text, as before.
    ARTICLE.format(first="Het kabinet is gevallen.", later="Den Haag - Dat is de stad."),
    "Kop\nDen Haag - dat is de stad waar het gebeurde.\n",
    "Meer uit Binnenland\nKATS - Het dorp.\nDen Haag - Dat is de stad.\n1 uur geleden\n",
    "Meer uit Binnenland\nKATS - Het dorp.\n1 uur geleden\nDen Haag - dat is de stad.\n"
    "2 uur geleden\n",
])
def test_mixed_case_elsewhere_stays_text(page: str) -> None:
    record = parse(page).to_dict()
    openings = [record["dateline"], *(b["dateline"] for b in record["briefs"])]
    assert all(d is None or d["places"] != ["DEN HAAG"] for d in openings)
    texts = [block["text"] for block in record["body"]] + [b["text"] for b in record["briefs"]]
    assert any("Den Haag -" in text for text in texts)


def test_a_full_stop_instead_of_the_dash() -> None:
    record = parse("Kop\nPARIJS (ANP/RTR). Voor Iran maakt het niet uit.\n").to_dict()
    assert record["dateline"] == {"raw": "PARIJS (ANP/RTR).", "places": ["PARIJS"],
                                  "agencies": ["ANP", "RTR"]}
    assert record["body"] == [{"kind": "paragraph", "text": "Voor Iran maakt het niet uit."}]


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u200b", "\u2066", "\u061c", "\ufeff"])
def test_an_invisible_mark_before_the_dateline_hides_nothing(mark: str) -> None:
    page = f"Meer uit Buitenland\n{mark}ŁÓDŹ (ANP) - Een.\n1 uur geleden{mark}KATS - Twee.\n" \
           "2 uur geleden\n"
    assert [b[:2] for b in briefs(page)] == [("ŁÓDŹ (ANP) -", ["ŁÓDŹ"]), ("KATS -", ["KATS"])]


# -- cut off by the scraper -----------------------------------------------------------------


@pytest.mark.parametrize(("page", "warning"), [
    ("Meer uit Buitenland\nPARIJS (ANP) - Een.\n36 minuten geledenLONDEN (ANP) -\n",
     "line 3: page looks truncated: ends in a dateline with no text"),
    ("Meer uit Buitenland\nPARIJS (ANP) - Een.\n36 minuten geledenLONDEN (ANP) - De Brit\n",
     "line 3: page looks truncated: ends mid-sentence"),
    ("Kop\nDEN HAAG (ANP) - Het kabinet is gevallen en de Kamer vergadert vana\n",
     "line 2: page looks truncated: ends mid-sentence"),
    ("Meer uit Buitenland\nPARIJS (ANP) - Een.\n3 uur geleden\nKop twee\nLONDEN (ANP) - Twee.\n",
     "line 5: page looks truncated: ends mid-brief, before its age"),
])
def test_a_page_cut_off_says_so(page: str, warning: str) -> None:
    record = parse(page).to_dict()
    assert warning in record["warnings"]
    assert_valid(record)


def test_the_dateline_with_nothing_after_it_stays_unparsed() -> None:
    """Decided: not a brief.  Its text and age are lost, and an empty brief would share one
    id with every other cut-off "LONDEN (ANP) -" brief, so --dedupe would merge them."""
    record = parse("Meer uit X\nPARIJS (ANP) - Een.\n36 minuten geledenLONDEN (ANP) -\n")
    assert [b.age for b in record.briefs] == ["36 minuten geleden"]
    assert record.unparsed == ("LONDEN (ANP) -",)


@pytest.mark.parametrize("page", [
    "Kop\nDEN HAAG (ANP) - Het kabinet is gevallen.\n",
    "Meer uit X\nPARIJS (ANP) - Een.\n3 uur geleden\n",
    "Kop\nDEN HAAG (ANP) - Hij zei: \"we gaan door\"\n",
    "Meer uit X\nPARIJS (ANP) - Een.\n3 uur geleden\nLees meer nieuws\n",
    "Net binnen\n- Voetbal 14:23 PSV wint\n",
])
def test_a_whole_page_is_not_truncated(page: str) -> None:
    assert not [w for w in parse(page).warnings if TRUNCATED in w]


# -- a headline with a dash above a dateline ------------------------------------------------

DASHED_HEADLINES = ["Vuurwerk - Verbod", "Kabinet – Coalitie", "Zeeland - Weer", "Kabinet — Val",
                    "Den Haag - Kabinet", "Kabinet - Coalitie Rutte"]
OPENINGS = [("DEN HAAG (ANP) - Het kabinet zegt iets.", "DEN HAAG (ANP) -"),
            ("Den Haag (ANP) - Het kabinet zegt iets.", "Den Haag (ANP) -"),
            ("Borsele - De gemeente begint een campagne.", "Borsele -"),
            ("KATS - Het dorp viert feest.", "KATS -")]


@pytest.mark.parametrize("headline", DASHED_HEADLINES)
@pytest.mark.parametrize(("opening", "raw"), OPENINGS)
@pytest.mark.parametrize("layout", [
    "Meer uit Binnenland\n{headline}\n{opening}\n3 uur geleden\n",  # first after "Meer uit"
    "Meer uit X\nKATS - Een.\n2 uur geleden\n{headline}\n{opening}\n3 uur geleden\n",  # age line
    "Meer uit X\nKATS - Een.\n2 uur geleden{headline}\n{opening}\n3 uur geleden\n",  # glued
    "Economie\nANP {headline}\n{opening}\n3 uur geleden\n",  # a category listing
])
def test_a_headline_with_a_dash_above_a_dateline_is_its_title(
    headline: str, opening: str, raw: str, layout: str
) -> None:
    """Failed on main: the headline was read as a mixed-case dateline without agency
    ("Vuurwerk -", text "Verbod"), a brief of its own without an age, and the brief below
    lost its title (or, under a mixed-case dateline, swallowed it as text)."""
    record = parse(layout.format(headline=headline, opening=opening), "p").to_dict()
    assert_valid(record)
    last = record["briefs"][-1]
    assert (last["title"], last["dateline"]["raw"], last["age"]) == (
        headline, raw, "3 uur geleden")
    assert last["text"] == opening.split(" - ", 1)[1]
    assert len(record["briefs"]) == layout.count("geleden")
    assert record["warnings"] == record["unparsed"] == []


@pytest.mark.parametrize("page", [
    # No dateline below it: a brief of its own.
    "Meer uit X\nKATS - Een.\n2 uur geleden\nGoes - Het college wil een brug.\n3 uur geleden\n",
    "Meer uit X\nKATS - Een.\n2 uur geledenGoes - Nieuwe brug\nTweede regel.\n3 uur geleden\n",
    # Not short: a brief cut off mid-word (kept from same_records' fuzzed pages), then the
    # next brief, whose age the scraper lost.
    "Net binnen\nKATS - Een.\n2 uur geleden\nGoes - " + "Het college wil een brug over het "
    "kanaal en een nieuwe weg naar de haven, zo meldt de gemeente in een verkl" + "\n"
    "SLUIS - Het dorp.\n",
])
def test_a_mixed_case_brief_without_a_dateline_below_stays_a_brief(page: str) -> None:
    record = parse(page, "p").to_dict()
    assert [b["dateline"]["raw"] for b in record["briefs"]][:2] == ["KATS -", "Goes -"]
    assert record["briefs"][1]["title"] is None
