"""Stable ids: one brief gets one id on every page and in every layout it appears in.

The id hashes the brief's normalised dateline (places and agencies, any case, any dash)
and its text; the headline above it and the age after it do not count.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from anp_extract import parse
from anp_extract.core.datelines import Dateline
from anp_extract.core.record import brief_id
from tests.properties.strategies import WireBrief, ages, examples, wire_briefs
from tests.support.generator_words import MIXED_PLACES

HEADLINES = ("Brug bij Kapelle weer open", "Kremlin: geen bereidheid tot vrede",
             "Trump kijkt terug op 'ongelooflijke tijd' in Davos", "Wat gebeurt er nu?")


def layout_a(briefs: list[tuple[WireBrief, str, str]], dash: str) -> str:
    """Banner-less layout A: headline, dateline paragraph, age line, blank lines."""
    blocks = ["Kop", "Kop", "DEN HAAG (ANP) - Artikel.", "Meer uit Buitenland"]
    blocks += [f"{title}\n\n{brief.line(dash)}\n\n{age}" for brief, title, age in briefs]
    return "\n\n".join(blocks) + "\n"


def layout_b(briefs: list[tuple[WireBrief, str, str]], dash: str) -> str:
    """Layout B: no headlines, each age glued onto the next brief's dateline."""
    lines = ["Kop", "DEN HAAG (ANP) - Artikel.", "Meer uit Buitenland"]
    age = ""
    for brief, _, next_age in briefs:
        lines.append(age + brief.line(dash, agency_case="upper"))
        age = next_age
    return "\r\n".join([*lines, age])


def category_listing(briefs: list[tuple[WireBrief, str, str]], dash: str) -> str:
    lines = ["dinsdag 4 november 2025", "Editie: Zeeland", "Economie"]
    for brief, title, age in briefs:
        lines += [f"ANP {title}", brief.line(dash), age]
    return "\n".join(lines)


def ids_of(text: str, target: WireBrief) -> list[str]:
    record = parse(text).to_dict()
    agencies = [a.upper() for a in target.agencies]
    return [b["id"] for b in record["briefs"]
            if b["text"] == target.text and tuple(b["dateline"]["places"]) == target.places
            and b["dateline"]["agencies"] == agencies]


context = st.lists(st.tuples(wire_briefs(regional=False), st.sampled_from(HEADLINES), ages()),
                   max_size=4)


@settings(max_examples=examples(150))
@given(wire_briefs(), context, context, st.sampled_from(HEADLINES), st.sampled_from(HEADLINES),
       ages(), ages(), st.sampled_from("-\u2013\u2014"))
def test_same_brief_same_id_in_any_layout_and_page(
    brief: WireBrief,
    before: list[tuple[WireBrief, str, str]],
    after: list[tuple[WireBrief, str, str]],
    title: str,
    other_title: str,
    age: str,
    other_age: str,
    dash: str,
) -> None:
    expected = brief_id(
        Dateline("", brief.places, tuple(a.upper() for a in brief.agencies)), brief.text)
    pages = [
        layout_a([*before, (brief, title, age), *after], "-"),
        layout_a([(brief, other_title, other_age), *after], dash),
        layout_b([*after, (brief, title, age), *before], dash),
        category_listing([*before, (brief, other_title, age)], dash),
    ]
    for page in pages:
        found = ids_of(page, brief)
        assert found, f"brief not found on:\n{page}"
        assert set(found) == {expected}, page


@settings(max_examples=examples(100))
@given(wire_briefs(), wire_briefs())
def test_different_briefs_different_ids(first: WireBrief, second: WireBrief) -> None:
    def key(brief: WireBrief) -> tuple[object, ...]:
        return (tuple(p.upper() for p in brief.places), tuple(a.upper() for a in brief.agencies),
                " ".join(brief.text.split()))

    page = layout_a(
        [(first, "Kop een", "1 uur geleden"), (second, "Kop twee", "2 uur geleden")], "-")
    ids = [b["id"] for b in parse(page).to_dict()["briefs"]]
    assert len(ids) == 2
    assert (ids[0] == ids[1]) == (key(first) == key(second))


# -- the dateline and headline of a brief, in any layout (issue 15) ---------------------------

# Headlines a brief is printed with, short ones with a dash among them ("Vuurwerk - Verbod").
TITLES = (*HEADLINES[:3], "Vuurwerk - Verbod", "Zeeland \u2013 Weer", "Kabinet \u2014 Val",
          "Den Haag - Kabinet", "Zorg - Wachtlijsten", "Kabinet - coalitie")


@st.composite
def opened_briefs(draw: st.DrawFn) -> WireBrief:
    """A wire brief whose place is now and then in mixed case ("Den Haag", "Borsele")."""
    brief = draw(wire_briefs())
    if draw(st.integers(0, 2)) == 0:
        return WireBrief((draw(st.sampled_from(MIXED_PLACES)),), brief.agencies, brief.text)
    return brief


@settings(max_examples=examples(150))
@given(opened_briefs(), context, st.sampled_from(TITLES), ages(), st.sampled_from("-\u2013\u2014"))
@example(WireBrief(("KATS",), (), "Het dorp."), [], "Vuurwerk - Verbod", "1 uur geleden", "-")
@example(WireBrief(("Borsele",), (), "De gemeente."), [], "Zeeland \u2013 Weer", "1 uur geleden",
         "-")
def test_a_brief_keeps_its_dateline_and_headline_in_any_layout(
    brief: WireBrief, before: list[tuple[WireBrief, str, str]], title: str, age: str, dash: str,
) -> None:
    """Failed on main with a headline like "Vuurwerk - Verbod" (a capital after its dash):
    read as a mixed-case dateline without agency, a brief of its own."""
    places = tuple(place.upper() for place in brief.places)
    for page, titled in ((layout_a([*before, (brief, title, age)], dash), True),
                         (category_listing([*before, (brief, title, age)], dash), True),
                         (layout_b([*before, (brief, title, age)], dash), False)):
        record = parse(page).to_dict()
        last = record["briefs"][-1]
        assert (tuple(last["dateline"]["places"]), last["text"], last["title"], last["age"]) == (
            places, brief.text, title if titled else None, age), page
        assert len(record["briefs"]) == len(before) + 1, page
