"""The generator's pages against the parser: the record it expects is the record we get.

The generator computes each expected record from its own choices, so a difference is
either a parser bug or a generator bug; both are worth a failing test.  A second test
makes sure the sample really holds every variation, or the first would prove little.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from anp_extract import parse_bytes
from tests.support import assert_valid
from tests.support.generator import GeneratedPage, generate_page, generate_pages, write_corpus


def test_expected_records_equal_parser_output(generated_sample: list[GeneratedPage]) -> None:
    wrong = []
    for page in generated_sample:
        record = parse_bytes(page.data, page.name).to_dict()
        if record != page.expected:
            fields = [key for key in record if record[key] != page.expected.get(key)]
            wrong.append(f"{page.name}: {', '.join(fields)}")
    assert not wrong, f"{len(wrong)} of {len(generated_sample)} pages differ: {wrong[:10]}"


def test_expected_records_obey_the_schema(generated_sample: list[GeneratedPage]) -> None:
    for page in generated_sample[:1500]:
        assert_valid(page.expected)


def features(page: GeneratedPage) -> set[str]:
    """The variations one page shows, read off its bytes and its expected record."""
    data, record = page.data, page.expected
    text = data.decode("utf-8-sig", errors="replace")
    found = {f"kind:{page.name.rsplit('-', 1)[1].removesuffix('.txt')}"}
    checks = {
        "bom": data.startswith(b"\xef\xbb\xbf"),
        "crlf": b"\r\n" in data,
        "cr": b"\r" in data and b"\r\n" not in data,
        "cp1252": any("cp1252" in warning for warning in record["warnings"]),
        "nbsp": "\u00a0" in text or b"\xa0" in data,
        "odd-space": any(char in text for char in "\u2009\u202f\u3000\t"),
        "soft-hyphen": "\u00ad" in text or b"\xad" in data,
        "blank-lines": b"\n\n" in data or b"\r\n\r\n" in data,
        "banner": "Webmail" in record["boilerplate"],
        "repeated-headline": bool(record["title"]) and record["title"] in record["boilerplate"],
        "cookie": bool(record["unparsed"]),
        "no-article": record["title"] is None and record["section"] is not None,
        "no-briefs": not record["briefs"],
        "subheading": any(block["kind"] == "heading" for block in record["body"]),
        "en-dash": "\u2013" in text or b"\x96" in data,
        "ticker": bool(record["ticker"]),
        "date": record["date"] is not None,
        "published-date": any(b["published_at"] for b in record["briefs"]),
        "titled-briefs": any(b["title"] for b in record["briefs"]),
        "untitled-briefs": any(b["title"] is None for b in record["briefs"]),
        "glued-age": any(f"{b['age']}{b['dateline']['raw']}" in text for b in record["briefs"]),
        "glued-headline": any(f"geleden{b['title']}" in text
                              for b in record["briefs"] if b["title"]),
        "anp-headline": any(f"ANP {b['title']}" in text for b in record["briefs"] if b["title"]),
        "no-agency": any(not b["dateline"]["agencies"] for b in record["briefs"]),
        "two-places": any(len(b["dateline"]["places"]) > 1 for b in record["briefs"]),
        "lower-agency": "(afp/belga)" in text,
        "mixed-agency": "ANP/Bloomberg" in text,
        "trap": "(bbp)." in text or "3 uur geleden nog" in text,
        "final-newline": data.endswith((b"\n", b"\r")),
        # Issue 15: the forms of real pages, and pages cut off by the scraper.
        "mixed-case-dateline": any(
            d["raw"] and not d["raw"].isupper() and d["raw"][0] != "'"
            and any(c.islower() for c in d["raw"].split("(")[0])
            for d in [record["dateline"], *(b["dateline"] for b in record["briefs"])] if d),
        "full-stop-dateline": any(
            d["raw"].endswith(").")
            for d in [record["dateline"], *(b["dateline"] for b in record["briefs"])] if d),
        "mixed-case-trap": any(b["text"].startswith(("Den Haag - ", "Borsele - "))
                               for b in record["body"]),
        "invisible-mark": any(mark in text for mark in ("\u200f", "\u200e", "\u200b")),
        "dashed-headline": any(" - " in (title := b["title"] or "") or " \u2013 " in title
                               for b in record["briefs"]),
        "truncated-bare": any("dateline with no text" in w for w in record["warnings"]),
        "truncated-word": any("mid-sentence" in w for w in record["warnings"]),
        "truncated-age": any("before its age" in w for w in record["warnings"]),
    }
    found.update(name for name, present in checks.items() if present)
    for brief in record["briefs"]:
        if brief["age"] is not None:
            found.add("unit:" + brief["age"].split()[1])
        found.update(f"place:{place}" for place in brief["dateline"]["places"])
    return found


def test_sample_holds_every_variation(generated_sample: list[GeneratedPage]) -> None:
    seen = Counter(feature for page in generated_sample for feature in features(page))
    wanted = [
        "kind:a", "kind:b", "kind:cat", "kind:reg", "bom", "crlf", "cr", "cp1252", "nbsp",
        "odd-space", "soft-hyphen", "blank-lines", "banner", "repeated-headline", "cookie",
        "no-article", "no-briefs", "subheading", "en-dash", "ticker", "date", "published-date",
        "titled-briefs", "untitled-briefs", "glued-age", "glued-headline", "anp-headline",
        "no-agency", "two-places", "lower-agency", "mixed-agency", "trap", "final-newline",
        "mixed-case-dateline", "full-stop-dateline", "mixed-case-trap", "invisible-mark",
        "truncated-bare", "truncated-word", "truncated-age", "dashed-headline",
        *(f"unit:{unit}" for unit in (
            "seconden", "minuten", "minuut", "uur", "dagen", "dag", "week", "weken", "maand",
            "maanden", "jaar")),
        *(f"place:{place}" for place in (
            "'S-HERTOGENBOSCH", "SÃO PAULO", "ST. LOUIS", "AIR FORCE ONE", "MEXICO-STAD",
            "DEN HAAG", "KATS", "ŁÓDŹ", "ÎLE-DE-FRANCE", "BORSELE", "BERGEN OP ZOOM")),
    ]
    rare = {name: seen[name] for name in wanted if seen[name] < 3}
    assert not rare, f"variations (nearly) missing from the sample: {rare}"


def test_pages_are_deterministic_and_independent_of_corpus_size() -> None:
    first = list(generate_pages(50, seed=3))
    assert first == list(generate_pages(50, seed=3))
    assert first[:20] == list(generate_pages(20, seed=3))
    assert generate_page(42, seed=3) == first[42]
    assert [p.data for p in first] != [p.data for p in generate_pages(50, seed=4)]
    assert len({p.name for p in first}) == 50
    assert all(p.expected["source"] == p.name for p in first)


def test_write_corpus_shards_and_sorts(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 2100, seed=5)
    assert paths == sorted(paths)
    assert len(paths) == 2100
    folders = Counter(path.parent for path in paths)
    assert sorted(folders.values()) == [100, 1000, 1000]
    pages = {page.name: page for page in generate_pages(2100, seed=5)}
    for path in paths[::97]:
        assert path.read_bytes() == pages[path.name].data
