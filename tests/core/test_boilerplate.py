"""boilerplate: the built-in rules, user rules (literal and ``re:``), bad rules, date lines."""

from __future__ import annotations

from datetime import date

import pytest

from anp_extract import ParseOptions, parse
from anp_extract.core.boilerplate import DEFAULT_RULES, compile_rules, load_rules, parse_date_line
from anp_extract.errors import RuleError

BUILT_IN = [
    ("Webmail", True),
    ("Kies je webmail", True),
    ("Omdat ZeelandNet ook DELTA webmail aanbiedt, vragen we je eenmalig je voorkeur op te "
     "geven.", True),
    ("Editie: NL & Wereld | Zeeland", True),
    ("Editie: Zeeland", True),
    ("Net binnen", True),
    ("Webmail is vandaag niet bereikbaar.", False),
    ("De Editie: van vandaag", False),
    ("Net binnen: nieuws", False),
    ("webmail", False),
    ("Meer uit Buitenland", False),
]

USER_RULES = """\
# advertising blocks of the portal
Lees ook
re:Advertentie\\b.*

re:\\d+ reacties
"""

USER = [
    ("Lees ook", True),
    ("Lees  ook", False),  # a literal is compared with the cleaned line, blanks folded
    ("Advertentie: koop nu", True),
    ("Advertentie", True),
    ("Advertenties", False),
    ("Dit is een Advertentie", False),  # re: rules match the whole line
    ("12 reacties", True),
    ("12 reacties en meer", False),
    ("Webmail", True),  # the built-in rules still hold
    ("# advertising blocks of the portal", False),  # a comment is not a rule
]

BAD = [
    ("re:(", 1),
    ("Lees ook\nre:[a-", 2),
    ("# comment\n\nre:x{2,1}", 3),
    ("re:*abc", 1),
]

DATES = [
    ("dinsdag 4 november 2025", date(2025, 11, 4)),
    ("4 november 2025", date(2025, 11, 4)),
    ("Dinsdag 4 November 2025", date(2025, 11, 4)),
    ("zondag, 2 maart 2025", date(2025, 3, 2)),
    ("maandag 29 februari 2024", date(2024, 2, 29)),
    ("31 februari 2025", None),
    ("dinsdag 4 november", None),
    ("op 4 november 2025 gebeurde het", None),
    ("dinsdag 4 novembre 2025", None),
    ("4-11-2025", None),
]


@pytest.mark.parametrize(("line", "matches"), BUILT_IN)
def test_built_in_rules(line: str, matches: bool) -> None:
    assert DEFAULT_RULES.matches(line) is matches


@pytest.mark.parametrize(("line", "matches"), USER)
def test_user_rules(line: str, matches: bool) -> None:
    assert load_rules(USER_RULES, "rules.txt").matches(line) is matches


@pytest.mark.parametrize(("text", "line"), BAD)
def test_bad_rule_names_file_and_line(text: str, line: int) -> None:
    with pytest.raises(RuleError) as caught:
        load_rules(text, "rules.txt")
    assert (caught.value.source, caught.value.line) == ("rules.txt", line)
    assert str(caught.value).startswith(f"rules.txt:{line}: bad regular expression")
    assert "\n" not in str(caught.value)


def test_rules_without_a_literal_prefix_still_match() -> None:
    rules = compile_rules(["re:.*cookies.*", "re:(Lees|Bekijk) ook"])
    assert rules.matches("Deze site gebruikt cookies.")
    assert rules.matches("Bekijk ook")
    assert not rules.matches("Bekijk ook dit")


def test_pattern_rules_are_tried_on_lines_that_start_with_their_prefix() -> None:
    """Each pattern rule's literal prefix, and the first characters of all of them, guard
    the pattern (the scan reads the same fields): lines starting otherwise are never tried,
    and every line starting so is."""
    from anp_extract.core.labels import scan

    rules = load_rules("re:Lees meer.*\nre:Advertentie( \\d+)?\n", "rules.txt")
    assert rules.starts == "AELO"
    for line, furniture in [("Lees meer nieuws", True), ("Advertentie 3", True),
                            ("Editie: Zeeland", True), ("Lees", False), ("Advertenties", False),
                            ("Kees meer", False), ("A", False), ("LONDEN (ANP) - Lees.", False)]:
        assert rules.matches(line) is furniture, line
        assert (scan([line], rules).labels == ["boilerplate"]) is furniture, line


@pytest.mark.parametrize(("line", "day"), DATES)
def test_date_line(line: str, day: date | None) -> None:
    assert parse_date_line(line) == day


def test_user_rules_take_lines_out_of_the_page() -> None:
    text = "Kop van het stuk\nAdvertentie: koop nu\nDEN HAAG (ANP) - Tekst.\n12 reacties\n"
    text += "Lees ook\n"
    plain = parse(text).to_dict()  # without the rules the advert passes for the headline
    assert (plain["title"], plain["unparsed"]) == ("Advertentie: koop nu", ["Kop van het stuk"])
    ruled = parse(text, options=ParseOptions(rules=load_rules(USER_RULES, "r"))).to_dict()
    assert ruled["boilerplate"] == ["Advertentie: koop nu", "12 reacties", "Lees ook"]
    assert ruled["title"] == "Kop van het stuk"
    assert ruled["body"] == [{"kind": "paragraph", "text": "Tekst."}]
    assert ruled["unparsed"] == []
