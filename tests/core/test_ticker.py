"""ticker: the "Net binnen" lines of regional pages."""

from __future__ import annotations

import pytest

from anp_extract.core.ticker import parse_ticker_line

ITEMS = [
    ("- Voetbal 14:23 PSV wint in blessuretijd van Go Ahead Eagles",
     "Voetbal", "14:23", "PSV wint in blessuretijd van Go Ahead Eagles"),
    ("- Binnenland 14:20 Treinverkeer rond Amersfoort hervat",
     "Binnenland", "14:20", "Treinverkeer rond Amersfoort hervat"),
    ("\u2013 Regio 9.05 Brug bij Kapelle dicht", "Regio", "9.05", "Brug bij Kapelle dicht"),
    ("\u2022 Show 08:00 Nieuwe film", "Show", "08:00", "Nieuwe film"),
    ("* Economie 23:59 Beurs sluit hoger", "Economie", "23:59", "Beurs sluit hoger"),
    ("- Cultuur & Media 10:00 Omroep stopt", "Cultuur & Media", "10:00", "Omroep stopt"),
    ("- Voetbal 14:23 Ajax wint met 3-1 van PSV: 14:23 was het moment",
     "Voetbal", "14:23", "Ajax wint met 3-1 van PSV: 14:23 was het moment"),
    ("- Voetbal 14:23 " + "x" * 300, "Voetbal", "14:23", "x" * 300),  # long titles stay whole
    ("- Formule 1 14:00 Verstappen wint in Zandvoort", "Formule 1", "14:00",
     "Verstappen wint in Zandvoort"),
]

NOT_ITEMS = [
    "- Voetbal PSV wint",  # no time
    "-Voetbal 14:23 PSV wint",  # no blank after the mark
    "- 14:23 PSV wint",  # no category
    "- Voetbal 14:23",  # no title
    "- Voetbal 14:73 PSV wint",  # not a time
    "Voetbal 14:23 PSV wint",  # no mark
    "- " + "Lange categorie " * 5 + "14:23 Titel",  # a head this long is prose
    "- dit is een opsomming van 3 dingen",
    "",
]


@pytest.mark.parametrize(("line", "category", "time", "title"), ITEMS)
def test_ticker_line(line: str, category: str, time: str, title: str) -> None:
    item = parse_ticker_line(line)
    assert item is not None
    assert item.to_dict() == {"category": category, "time": time, "title": title}


@pytest.mark.parametrize("line", NOT_ITEMS)
def test_not_a_ticker_line(line: str) -> None:
    assert parse_ticker_line(line) is None
