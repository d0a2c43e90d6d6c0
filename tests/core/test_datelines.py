"""datelines.split_dateline: real datelines and the sentences that only look like one."""

from __future__ import annotations

import pytest

from anp_extract.core.datelines import Dateline, dateline_key, split_dateline

OPENS = [
    # line, raw, places, agencies, rest
    ("IZJOEM/LONDEN (ANP/RTR) - Het Russische leger", "IZJOEM/LONDEN (ANP/RTR) -",
     ["IZJOEM", "LONDEN"], ["ANP", "RTR"], "Het Russische leger"),
    ("'S-HERTOGENBOSCH (ANP) - De rechtbank", "'S-HERTOGENBOSCH (ANP) -",
     ["'S-HERTOGENBOSCH"], ["ANP"], "De rechtbank"),
    ("\u2019S-HERTOGENBOSCH (ANP) - De rechtbank", "\u2019S-HERTOGENBOSCH (ANP) -",
     ["\u2019S-HERTOGENBOSCH"], ["ANP"], "De rechtbank"),
    ("SÃO PAULO (ANP/AFP) - Braziliaanse", "SÃO PAULO (ANP/AFP) -",
     ["SÃO PAULO"], ["ANP", "AFP"], "Braziliaanse"),
    ("ST. LOUIS (ANP/RTR) - Een", "ST. LOUIS (ANP/RTR) -", ["ST. LOUIS"], ["ANP", "RTR"], "Een"),
    ("AIR FORCE ONE (ANP/AFP) - Foto's van", "AIR FORCE ONE (ANP/AFP) -",
     ["AIR FORCE ONE"], ["ANP", "AFP"], "Foto's van"),
    ("MEXICO-STAD (ANP/AFP) - De Mexicaanse", "MEXICO-STAD (ANP/AFP) -",
     ["MEXICO-STAD"], ["ANP", "AFP"], "De Mexicaanse"),
    ("DEN HAAG (ANP) - Het kabinet", "DEN HAAG (ANP) -", ["DEN HAAG"], ["ANP"], "Het kabinet"),
    ("WASHINGTON D.C. (ANP) - Het", "WASHINGTON D.C. (ANP) -", ["WASHINGTON D.C."], ["ANP"], "Het"),
    ("L'AQUILA (ANP) - Een beving", "L'AQUILA (ANP) -", ["L'AQUILA"], ["ANP"], "Een beving"),
    ("BOGOTÁ/ZÜRICH (ANP) - Twee", "BOGOTÁ/ZÜRICH (ANP) -", ["BOGOTÁ", "ZÜRICH"], ["ANP"], "Twee"),
    ("BEIJING (ANP/RTR/AFP) - China", "BEIJING (ANP/RTR/AFP) -",
     ["BEIJING"], ["ANP", "RTR", "AFP"], "China"),
    ("LONDEN (ANP/Bloomberg) - De", "LONDEN (ANP/Bloomberg) -",
     ["LONDEN"], ["ANP", "BLOOMBERG"], "De"),
    ("BRUSSEL (afp/belga) - De", "BRUSSEL (afp/belga) -", ["BRUSSEL"], ["AFP", "BELGA"], "De"),
    ("KYIV (AFP/RTR) - Oekraïne", "KYIV (AFP/RTR) -", ["KYIV"], ["AFP", "RTR"], "Oekraïne"),
    ("LONDEN (ANP) \u2013 En dash", "LONDEN (ANP) \u2013", ["LONDEN"], ["ANP"], "En dash"),
    ("LONDEN (ANP) \u2014 Em dash", "LONDEN (ANP) \u2014", ["LONDEN"], ["ANP"], "Em dash"),
    ("LONDEN (ANP)- Geen spatie", "LONDEN (ANP)-", ["LONDEN"], ["ANP"], "Geen spatie"),
    ("IZJOEM / LONDEN (ANP / RTR) - X", "IZJOEM / LONDEN (ANP / RTR) -",
     ["IZJOEM", "LONDEN"], ["ANP", "RTR"], "X"),
    ("KATS - In Kats", "KATS -", ["KATS"], [], "In Kats"),
    ("'S-HEER ARENDSKERKE - Het dorp", "'S-HEER ARENDSKERKE -", ["'S-HEER ARENDSKERKE"], [],
     "Het dorp"),
    ("DOMBURG \u2013 Het strand", "DOMBURG \u2013", ["DOMBURG"], [], "Het strand"),
    ("TEHERAN (ANP) - \"Citaat\" aan het begin", "TEHERAN (ANP) -", ["TEHERAN"], ["ANP"],
     "\"Citaat\" aan het begin"),
    ("VLISSINGEN (ANP) - …", "VLISSINGEN (ANP) -", ["VLISSINGEN"], ["ANP"], "…"),
]

TEXT = [
    "Het persbureau meldt (ANP) - dat het klopt",
    "Volgens ANP (ANP) - zo staat het er",
    "Oekraïne (ANP) - dat is het land",
    "De economie groeide met 2 procent van het bruto binnenlands product (bbp).",
    "NAVO-chef Rutte zei - volgens ingewijden - dat",
    "WASHINGTON en Londen (ANP/RTR) overleggen - zo meldt de BBC",
    "Londen (ANP) - gemengde letters",
    "LONDEN (ANP) -",  # nothing after the dash
    "LONDEN (ANP) -Tekst",  # no blank after the dash
    "LONDEN (ANP) Tekst zonder streep",
    "Meer uit Buitenland",
    "3 uur geleden",
    "- Voetbal 14:23 PSV wint",
    "A" * 200 + " (ANP) - te lang voor een dateline",
    "",
    "'",
    "(ANP) - zonder plaats",
]


@pytest.mark.parametrize(("line", "raw", "places", "agencies", "rest"), OPENS,
                         ids=[case[1] for case in OPENS])
def test_dateline_opens_the_paragraph(
    line: str, raw: str, places: list[str], agencies: list[str], rest: str
) -> None:
    found = split_dateline(line)
    assert found is not None
    dateline, text = found
    assert dateline.to_dict() == {"raw": raw, "places": places, "agencies": agencies}
    assert text == rest


@pytest.mark.parametrize("line", TEXT)
def test_sentence_is_not_a_dateline(line: str) -> None:
    assert split_dateline(line) is None


def test_key_ignores_spelling_of_dash_case_and_blanks() -> None:
    lines = ("LONDEN (ANP/AFP) - x", "LONDEN (anp/afp) \u2013 x", "LONDEN (ANP / AFP)- x",
             "LONDEN  (Anp/Afp) \u2014 x")
    found = [split_dateline(line) for line in lines]
    assert {dateline_key(f[0]) for f in found if f} == {"LONDEN|ANP/AFP"}
    assert all(found)
    assert dateline_key(None) == ""
    assert dateline_key(Dateline("KATS -", ("KATS",), ())) != dateline_key(
        Dateline("KATS (ANP) -", ("KATS",), ("ANP",)))
