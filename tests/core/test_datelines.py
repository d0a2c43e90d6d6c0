"""datelines.split_dateline: real datelines and the sentences that only look like one."""

from __future__ import annotations

import pytest

from anp_extract.core.datelines import (
    DASHES,
    DATELINE,
    Dateline,
    dateline_key,
    find_dateline,
    is_bare_dateline,
    mixed_hint,
    split_dateline,
)

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


# -- issue 15: the forms real pages print ----------------------------------------------------

CAPITALS_TOO = [
    # A full stop instead of the dash (other portals carrying ANP copy): raw keeps it.
    ("PARIJS (ANP/RTR). Voor Iran maakt het", "PARIJS (ANP/RTR).", ["PARIJS"], ["ANP", "RTR"],
     "Voor Iran maakt het"),
    ("BERLIJN (dpa). Het", "BERLIJN (dpa).", ["BERLIJN"], ["DPA"], "Het"),
    # Unicode capitals beyond Latin-1, composed and decomposed.
    ("ŁÓDŹ (ANP) - De stad", "ŁÓDŹ (ANP) -", ["ŁÓDŹ"], ["ANP"], "De stad"),
    ("ÎLE-DE-FRANCE (ANP/AFP) - In", "ÎLE-DE-FRANCE (ANP/AFP) -", ["ÎLE-DE-FRANCE"],
     ["ANP", "AFP"], "In"),
    ("ŁO\u0301DZ\u0301 (ANP) - De", "ŁO\u0301DZ\u0301 (ANP) -", ["ŁO\u0301DZ\u0301"], ["ANP"],
     "De"),
    ("ΑΘΗΝΑ (ANP) - Grieks", "ΑΘΗΝΑ (ANP) -", ["ΑΘΗΝΑ"], ["ANP"], "Grieks"),
    ("КИЕВ (ANP) - Cyrillisch", "КИЕВ (ANP) -", ["КИЕВ"], ["ANP"], "Cyrillisch"),
]

MIXED_CASE = [
    ("Den Haag (ANP) - Voor de voorzitter", "Den Haag (ANP) -", ["DEN HAAG"], ["ANP"],
     "Voor de voorzitter"),
    ("Borsele - De gemeente Borsele", "Borsele -", ["BORSELE"], [], "De gemeente Borsele"),
    ("Bergen op Zoom - Het", "Bergen op Zoom -", ["BERGEN OP ZOOM"], [], "Het"),
    ("'s-Hertogenbosch (ANP) - De", "'s-Hertogenbosch (ANP) -", ["'S-HERTOGENBOSCH"], ["ANP"],
     "De"),
    ("Mexico-Stad (ANP/AFP) - De", "Mexico-Stad (ANP/AFP) -", ["MEXICO-STAD"], ["ANP", "AFP"],
     "De"),
    ("Parijs (ANP/RTR). Voor Iran", "Parijs (ANP/RTR).", ["PARIJS"], ["ANP", "RTR"], "Voor Iran"),
    ("Łódź (ANP) - Een", "Łódź (ANP) -", ["ŁÓDŹ"], ["ANP"], "Een"),
    ("Den Haag/Brussel (ANP) - Twee", "Den Haag/Brussel (ANP) -", ["DEN HAAG", "BRUSSEL"],
     ["ANP"], "Twee"),
]

NEVER = [
    "Den Haag - dat is de stad",  # mixed case, text in lower case: a sentence
    "Het persbureau meldt (ANP) - dat het klopt",
    "NAVO-top in Den Haag - Het overleg",  # "NAVO-top": a word, not a place name
    "Volgens ingewijden zei hij - Dit",
    "KATS. Het dorp",  # a full stop only after the agencies
    "LONDEN (ANP) .Tekst",
    "op Zoom - Het",
    "Bergen op - Het",
    "Dit is een zin die langer is dan een plaatsnaam ooit is (ANP) - Echt",
]


@pytest.mark.parametrize(("line", "raw", "places", "agencies", "rest"), CAPITALS_TOO,
                         ids=[case[1] for case in CAPITALS_TOO])
def test_more_datelines_in_capitals(
    line: str, raw: str, places: list[str], agencies: list[str], rest: str
) -> None:
    for found in (split_dateline(line), find_dateline(line)):
        assert found is not None
        assert found[0].to_dict() == {"raw": raw, "places": places, "agencies": agencies}
        assert found[1] == rest
    assert find_dateline(line) == (*split_dateline(line), True)  # type: ignore[misc]


@pytest.mark.parametrize(("line", "raw", "places", "agencies", "rest"), MIXED_CASE,
                         ids=[case[1] for case in MIXED_CASE])
def test_mixed_case_is_found_but_not_a_dateline_anywhere(
    line: str, raw: str, places: list[str], agencies: list[str], rest: str
) -> None:
    assert split_dateline(line) is None  # only assembly decides, by where it stands
    found = find_dateline(line)
    assert found is not None
    dateline, text, capitals = found
    assert dateline.to_dict() == {"raw": raw, "places": places, "agencies": agencies}
    assert (text, capitals) == (rest, False)


@pytest.mark.parametrize("line", NEVER + TEXT[:-6])
def test_never_a_dateline(line: str) -> None:
    found = find_dateline(line)
    assert found is None or (line in TEXT and not found[2]), found


@pytest.mark.parametrize(("line", "bare"), [
    ("LONDEN (ANP) -", True), ("KATS -", True), ("Den Haag (ANP) -", True),
    ("PARIJS (ANP/RTR).", True), ("LONDEN (ANP) - Tekst", False), ("LONDEN", False),
    ("Tekst.", False),
])
def test_bare_dateline(line: str, bare: bool) -> None:
    assert is_bare_dateline(line) is bare


def test_the_dashes_of_pattern_and_pre_scan_are_one_constant() -> None:
    for dash in DASHES:
        assert split_dateline(f"LONDEN (ANP) {dash} Tekst") is not None
        assert mixed_hint(f"Den Haag (ANP) {dash} Tekst") is not None
    assert "[" + DASHES + "]" in DATELINE.pattern.replace("\\", "")  # one class, from DASHES
