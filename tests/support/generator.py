"""Generated portal pages, each with the exact record the parser must give for it.

The expected record is built from the generator's own choices, never by calling the
parser: a page is rendered from a plan (title, dateline, body, briefs, ticker ...)
and the plan is the record.  Only ``brief_id`` and the ``Dateline`` type are reused.

Four kinds of page, as the portal serves them:

* ``a``: article layout A: webmail banner, headline printed twice, blank lines between
  blocks, briefs each with headline, dateline paragraph and an age line of its own;
* ``b``: article layout B: no banner, no blank lines, briefs without headlines, each
  age glued onto the next brief's dateline (``7 uur geledenLONDEN (ANP/AFP) - ...``);
* ``cat``: category listing: date line, "Editie: ..." line, section heading, "ANP "
  headlines;
* ``reg``: regional listing: "Net binnen" ticker and datelines without agency.

On top come variations: CRLF or CR, BOM, cp1252, odd spaces, runs of blanks, trailing
blanks, soft hyphens, en dashes, no banner, no article, no briefs, glued headlines,
subheadings, an unknown cookie notice (unparsed) and traps inside sentences.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from anp_extract.core.datelines import Dateline
from anp_extract.core.record import SCHEMA, brief_id
from tests.support.generator_words import (
    AGENCIES,
    BANNER,
    CLAIMS,
    COOKIES,
    DASHED_HEADLINE_HEADS,
    DASHED_HEADLINE_TAILS,
    EDITIONS,
    HEADINGS,
    HEADLINE_CLAIMS,
    HEADLINE_SUBJECTS,
    INVISIBLE_MARKS,
    MIXED_PLACES,
    MIXED_TRAPS,
    MONTHS,
    ODD_SPACES_CP1252,
    ODD_SPACES_UTF8,
    PLACES,
    REGIONAL_PLACES,
    SECTIONS,
    SUBJECTS,
    TAILS,
    TICKER_CATEGORIES,
    TRAPS,
    UNITS,
    VERBS,
    WEEKDAYS,
    WIDE_PLACES,
)

# normalize.decode's warning, word for word: the record carries it.
CP1252_WARNING = "decoded as cp1252: not valid UTF-8 (first bad byte at offset {})"
KINDS = ("a", "a", "a", "b", "b", "b", "cat", "reg")


@dataclass(frozen=True)
class GeneratedPage:
    """A rendered page and the record ``parse_bytes(data, source=name).to_dict()`` must give."""

    name: str
    data: bytes
    expected: dict[str, Any]


@dataclass
class _Brief:
    title: str | None
    dateline: Dateline
    written: str  # the dateline as written, odd spaces aside
    text: str
    age: str
    minutes: int


class _Page:
    """One page being rendered: its lines (``None`` is a blank line) and its record."""

    def __init__(self, rng: random.Random, name: str) -> None:
        self.rng = rng
        self.lines: list[str | None] = []
        self.record: dict[str, Any] = {
            "schema": SCHEMA, "source": name, "url": None, "scraped_at": None,
            "kind": "article", "date": None,
            "section": None, "title": None, "dateline": None, "body": [], "briefs": [],
            "ticker": [], "boilerplate": [], "unparsed": [], "warnings": [],
        }
        self.blanks = rng.random() < 0.5
        self.en_dash = rng.random() < 0.15
        self.page_date: date | None = None
        self.later_boilerplate: list[str] = []  # the repeated headline, found after the rest
        self.odd_spaces = ODD_SPACES_UTF8

    def emit(self, line: str, blank: bool | None = None) -> None:
        self.lines.append(line)
        if self.blanks if blank is None else blank:
            self.lines.append(None)

    def furniture(self, line: str) -> None:
        self.emit(line)
        self.record["boilerplate"].append(line)

    # -- pieces ------------------------------------------------------------------------

    def sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return rng.choice(TRAPS)
        subject, verb, claim = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(CLAIMS)
        return f"{subject} {verb} {claim}{rng.choice(TAILS)}."

    def paragraph(self, least: int = 2, most: int = 5) -> str:
        # Real paragraphs run to three or four sentences (300-400 characters).
        return " ".join(self.sentence() for _ in range(self.rng.randint(least, most)))

    def headline(self, dashed: bool = True) -> str:
        """A headline; now and then (*dashed*) a short one with a dash ("Vuurwerk - Verbod"),
        which above a dateline is no mixed-case dateline."""
        rng = self.rng
        if dashed and rng.random() < 0.04:
            dash = " \u2013 " if self.en_dash else " - "
            return f"{rng.choice(DASHED_HEADLINE_HEADS)}{dash}{rng.choice(DASHED_HEADLINE_TAILS)}"
        return f"{rng.choice(HEADLINE_SUBJECTS)}: {rng.choice(HEADLINE_CLAIMS)}"

    def dateline(self, regional: bool = False, mixed: bool = True) -> tuple[Dateline, str]:
        """A dateline and how it is written.  *mixed*: where a dateline stands, so that a
        mixed-case one ("Den Haag (ANP) - ") is read as one."""
        rng = self.rng
        if regional:
            places = [rng.choice(REGIONAL_PLACES)]
            agencies: list[str] = []
        else:
            places = rng.sample(PLACES, 1 if rng.random() < 0.85 else 2)
            agencies = rng.choice(AGENCIES).split("/")
        form = rng.random()
        if mixed and form < 0.08:
            places = [rng.choice(MIXED_PLACES)]
        elif form < 0.11:
            places = [rng.choice(WIDE_PLACES)]
        raw = "/".join(places)
        if agencies:
            raw += f" ({'/'.join(agencies)})"
        if agencies and rng.random() < 0.05:
            raw += "."  # other portals carrying ANP copy: a full stop instead of the dash
        else:
            raw += " \u2013" if self.en_dash else " -"
        upper = tuple(place.upper() for place in places)
        return Dateline(raw, upper, tuple(a.upper() for a in agencies)), raw

    def age(self, listing: bool) -> tuple[str, int]:
        rng = self.rng
        weights = (1, 6, 8, 3, 2, 2, 1) if listing else (1, 8, 8, 1, 1, 1, 1)
        one, many, minutes, top = rng.choices(UNITS, weights)[0]
        count = rng.randint(1, top)
        unit = one if count == 1 else rng.choice(many)
        total = count // 60 if minutes == 0 else count * minutes
        return f"{count} {unit} geleden", total

    def new_brief(self, title: str | None, regional: bool, listing: bool) -> _Brief:
        dateline, written = self.dateline(regional)
        text = self.paragraph(1, 4)
        age, minutes = self.age(listing)
        return _Brief(title, dateline, written, text, age, minutes)

    # -- blocks ------------------------------------------------------------------------

    def banner(self) -> None:
        for line in BANNER:
            self.furniture(line)

    def article(self, layout: str) -> None:
        rng, record = self.rng, self.record
        title = self.headline()
        if rng.random() < 0.08:
            self.emit(cookie := rng.choice(COOKIES))
            record["unparsed"].append(cookie)
        if layout == "a" and rng.random() < 0.9:
            self.emit(title)
            later_boilerplate = [title]
        else:
            later_boilerplate = []
        self.emit(title)
        # A cookie notice above the headline hides where the first paragraph starts: only
        # a dateline in capitals is read there.
        dateline, written = self.dateline(mixed=not record["unparsed"])
        first = self.paragraph()
        self.emit(f"{written} {first}")
        record["title"], record["dateline"] = title, dateline.to_dict()
        record["body"].append({"kind": "paragraph", "text": first})
        for _ in range(0 if rng.random() < 0.05 else rng.randint(2, 5)):
            if rng.random() < 0.15:
                heading = rng.choice(HEADINGS)
                self.emit(heading)
                record["body"].append({"kind": "heading", "text": heading})
            # Mid-article, "Den Haag - Dat is ..." is a sentence, not a dateline.
            text = rng.choice(MIXED_TRAPS) if rng.random() < 0.04 else self.paragraph()
            self.emit(text)
            record["body"].append({"kind": "paragraph", "text": text})
        self.later_boilerplate = later_boilerplate

    def briefs(
        self, briefs: list[_Brief], glue: bool, titles_prefix: str = "", cut: str | None = None
    ) -> None:
        """The list of briefs; each age follows its brief, alone or glued onto the next.

        *cut*: the page ends cut off by the scraper: ``"bare"``, a dateline with nothing
        after it as the last line (unparsed); ``"word"``, the last brief stops mid-word,
        before its age; ``"age"``, the last brief's age is missing.
        """
        rng, record = self.rng, self.record
        pending_age: str | None = None
        for n, brief in enumerate(briefs):
            last = n == len(briefs) - 1
            if last and cut == "word":
                text = _cut_mid_word(brief.text, rng)
                cut = "word" if text != brief.text else "age"
                brief.text = text
            first_lines = []
            if brief.title is not None:
                first_lines.append(titles_prefix + brief.title)
            mark = rng.choice(INVISIBLE_MARKS) if rng.random() < 0.03 else ""
            first_lines.append(f"{mark}{brief.written} {brief.text}")
            if pending_age is not None:
                first_lines[0] = pending_age + first_lines[0]
            for line in first_lines:
                self.emit(line)
            opening = self.line_number()  # the line the brief's text is on
            if last and cut in ("word", "age"):
                record["briefs"].append(self.brief_record(brief, aged=False))
                record["warnings"].append(f"line {opening}: brief without an age")
                if cut == "word":
                    self.truncated(opening, "ends mid-sentence")
                else:
                    self.truncated(opening, "ends mid-brief, before its age")
                return
            if glue:
                pending_age = brief.age
            else:
                self.emit(brief.age, blank=False)
            record["briefs"].append(self.brief_record(brief))
        if cut == "bare":
            _, written = self.dateline(regional=not briefs[-1].dateline.agencies,
                                       mixed=False)
            self.emit((pending_age or "") + written)
            record["unparsed"].append(written)
            self.truncated(self.line_number(), "ends in a dateline with no text")
        elif pending_age is not None:
            self.emit(pending_age)

    def line_number(self) -> int:
        """The number of the last non-blank line emitted so far."""
        return max(k for k, line in enumerate(self.lines, start=1) if line is not None)

    def truncated(self, line: int, why: str) -> None:
        self.record["warnings"].append(f"line {line}: page looks truncated: {why}")

    def brief_record(self, brief: _Brief, aged: bool = True) -> dict[str, Any]:
        published = None
        if aged and self.page_date is not None and brief.minutes >= 1440:
            published = (self.page_date - timedelta(days=brief.minutes // 1440)).isoformat()
        return {
            "id": brief_id(brief.dateline, brief.text),
            "title": brief.title,
            "dateline": brief.dateline.to_dict(),
            "text": brief.text,
            "age": brief.age if aged else None,
            "age_minutes": brief.minutes if aged else None,
            "published_at": published,
        }

    def date_line(self) -> None:
        day = date(2020, 1, 1) + timedelta(days=self.rng.randint(0, 2500))
        self.page_date = day
        self.record["date"] = day.isoformat()
        weekday = WEEKDAYS[day.weekday()] + " " if self.rng.random() < 0.9 else ""
        self.furniture(f"{weekday}{day.day} {MONTHS[day.month - 1]} {day.year}")

    def ticker(self) -> None:
        for _ in range(self.rng.randint(1, 6)):
            category = self.rng.choice(TICKER_CATEGORIES)
            hour, minute = self.rng.randint(0, 23), self.rng.randint(0, 59)
            time = f"{hour:02d}:{minute:02d}" if self.rng.random() < 0.9 else f"{hour}.{minute:02d}"
            title = self.headline(dashed=False)
            self.emit(f"- {category} {time} {title}", blank=False)
            self.record["ticker"].append({"category": category, "time": time, "title": title})

    def cut(self, briefs: list[_Brief]) -> str | None:
        """How the scraper cut this page off, if it did (a page with briefs, now and then)."""
        draw = self.rng.random()
        if not briefs or draw >= 0.09:
            return None
        # Without any age a page is no list of briefs: a lone brief keeps its age.
        return "bare" if draw < 0.03 or len(briefs) < 2 else "word" if draw < 0.06 else "age"

    # -- whole pages -------------------------------------------------------------------

    def build(self, kind: str) -> None:
        rng, record = self.rng, self.record
        if kind == "b":
            self.blanks = rng.random() < 0.1
        elif kind == "a":
            self.blanks = rng.random() < 0.9
        banner = rng.random() < (0.85 if kind in ("a", "cat") else 0.15)
        if banner:
            self.banner()
        if kind in ("a", "b"):
            no_article = rng.random() < 0.05
            if not no_article:
                self.article(kind)
            else:
                record["kind"] = "listing"
            count = 0 if rng.random() < 0.08 else rng.randint(3, 9)
            if count or no_article or rng.random() < 0.5:
                record["section"] = rng.choice(SECTIONS)
                self.emit(f"Meer uit {record['section']}")
            titled = kind == "a"
            briefs = [
                self.new_brief(self.headline() if titled and rng.random() < 0.95 else None,
                               regional=False, listing=False)
                for _ in range(count)
            ]
            glue = kind == "b" or rng.random() < 0.15
            self.briefs(briefs, glue, cut=self.cut(briefs))
            if not count and no_article:
                record["warnings"].append("no article, briefs or ticker found")
        elif kind == "cat":
            record["kind"] = "listing"
            self.date_line()
            self.furniture(rng.choice(EDITIONS))
            if rng.random() < 0.9:
                record["section"] = rng.choice(SECTIONS)
                self.emit(record["section"])
            briefs = [self.new_brief(self.headline(), regional=False, listing=True)
                      for _ in range(rng.randint(1, 8))]
            self.briefs(briefs, glue=rng.random() < 0.2, titles_prefix="ANP ",
                        cut=self.cut(briefs))
        else:
            record["kind"] = "listing"
            if rng.random() < 0.2:
                self.date_line()
            self.furniture("Net binnen")
            self.ticker()
            briefs = [self.new_brief(None, regional=True, listing=True)
                      for _ in range(rng.randint(1, 8))]
            self.briefs(briefs, glue=rng.random() < 0.8, cut=self.cut(briefs))
        record["boilerplate"].extend(self.later_boilerplate)

    def text(self) -> str:
        """The page as a scraper saved it, before encoding."""
        rng = self.rng
        odd = rng.random() < 0.15
        trailing = rng.random() < 0.15
        shy = rng.random() < 0.05
        out: list[str] = []
        for line in self.lines:
            if line is None:
                out.append("")
                continue
            if odd and rng.random() < 0.3 and " " in line:
                at = rng.choice([k for k, char in enumerate(line) if char == " "])
                line = line[:at] + rng.choice(self.odd_spaces) + line[at + 1 :]
            if shy and rng.random() < 0.2:
                words = line.split(" ")
                k = rng.randrange(len(words))
                if len(words[k]) > 3:  # inside a word, never at its edges
                    words[k] = words[k][:2] + "\u00ad" + words[k][2:]
                line = " ".join(words)
            if trailing and rng.random() < 0.3:
                line += rng.choice((" ", "  ", "\t", "\u00a0"))
            out.append(line)
        while out and out[-1] == "":
            out.pop()
        text = "\n".join(out) + ("\n" if rng.random() < 0.6 else "")
        ending = rng.random()
        if ending < 0.15:
            text = text.replace("\n", "\r\n")
        elif ending < 0.2:
            text = text.replace("\n", "\r")
        return text

    def render(self) -> bytes:
        rng = self.rng
        cp1252 = rng.random() < 0.1
        self.odd_spaces = ODD_SPACES_CP1252 if cp1252 else ODD_SPACES_UTF8
        text = self.text()
        if cp1252:
            try:
                data = text.encode("cp1252")
            except UnicodeEncodeError:  # "ŁÓDŹ", a direction mark: such a page is UTF-8
                cp1252 = False
        if cp1252:
            try:
                if data.decode("utf-8") == text:
                    return data  # plain ASCII: nothing to warn about
            except UnicodeDecodeError as exc:
                self.record["warnings"].insert(0, CP1252_WARNING.format(exc.start))
                return data
            # cp1252 bytes that happen to be valid UTF-8 would be read as UTF-8: not cp1252.
        data = text.encode("utf-8")
        return b"\xef\xbb\xbf" + data if rng.random() < 0.1 else data


def _cut_mid_word(text: str, rng: random.Random) -> str:
    """*text* cut between two letters of a word, as a scraper that stops mid-page does."""
    inside = [k for k in range(1, len(text)) if text[k - 1].isalpha() and text[k].isalpha()]
    return text[: rng.choice(inside)] if inside else text


def generate_page(index: int, seed: int = 0) -> GeneratedPage:
    """Page number *index* of the corpus of *seed*: the same whatever the corpus size."""
    rng = random.Random(seed * 1_000_003 + index)
    kind = rng.choice(KINDS)
    name = f"gen-{seed}-{index:06d}-{kind}.txt"
    page = _Page(rng, name)
    page.build(kind)
    data = page.render()
    return GeneratedPage(name, data, page.record)


def generate_pages(n: int, seed: int = 0) -> Iterator[GeneratedPage]:
    """*n* pages, deterministic for *seed*."""
    for index in range(n):
        yield generate_page(index, seed)


def write_corpus(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """Write *n* pages under *folder*, at most 1000 per subfolder; the sorted paths."""
    paths = []
    for index, page in enumerate(generate_pages(n, seed)):
        shard = folder / f"{index // 1000:04d}"
        if index % 1000 == 0:
            shard.mkdir(parents=True, exist_ok=True)
        path = shard / page.name
        path.write_bytes(page.data)
        paths.append(path)
    return sorted(paths)
