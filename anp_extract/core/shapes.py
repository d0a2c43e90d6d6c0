"""Stage: what a line looks like.  Headlines, subheadings and a listing's heading are
told from prose by their shape alone (length, words, how they end); page assembly
decides by their place on the page which one a line is.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

# "Meer uit Buitenland": the heading of the list of briefs, and the page's section.
SECTION_LINE = regex.compile(
    r"""
    Meer \ uit \ ++
    (?P<section> \S .{0,79} )      # Buitenland, Binnenland, Economie ...
    \Z
    """,
    regex.VERBOSE,
)

# The "ANP " mark before listing headlines ("ANP Bakkers zien prijs ..."); not part of it.
# At least one blank after it: "ANPost" and "ANP-topman" are words, not the mark.
ANP_MARK = regex.compile(r"ANP \ ++ (?= \S )", regex.VERBOSE)


def without_anp_mark(headline: str) -> str:
    """A listing headline without its "ANP " mark (the same text when it has none)."""
    return ANP_MARK.sub("", headline, count=1) if headline.startswith("ANP ") else headline


# Endings that make a line a sentence, not a headline (closing quotes looked through).
_SENTENCE_END = (".", ",", ";", ":")
_CLOSERS = "\"'”’)»"
_HEADING_END = (".", ",", ";", ":", "!", "?", "\"", "”", "'", "’", ")", "…")


def is_headline(text: str) -> bool:
    """A line that can be a headline: not too long, not ending like a sentence."""
    return len(text) <= 200 and not text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def is_heading(text: str) -> bool:
    """A short subheading inside an article ("Spoorrails")."""
    return (
        len(text) <= 60
        and len(text.split()) <= 8
        and text[0].isupper()
        and not text.endswith(_HEADING_END)
    )


def is_section_heading(text: str) -> bool:
    """A listing's heading ("Economie", "Regio Goes"): a short subheading of a few words."""
    return len(text.split()) <= 4 and is_heading(text)


# What a text that is no page looks like, by its first non-blank line.
NOT_A_PAGE = "not a page: "  # the warning's prefix; stats and convert count these apart
_HTML_START = regex.compile(
    r"""<(?:
        !doctype\s+html      # <!DOCTYPE html>
      | html | head | body   # a document's own tags
      | meta | div | script | p | !--   # a fragment
    )\b""",
    regex.IGNORECASE | regex.VERBOSE,
)


def looks_like(lines: Sequence[str]) -> str:
    """What a text with no dateline, age, section or listing looks like, for its warning."""
    first = next((line for line in lines if line), "")
    if _HTML_START.match(first):
        return "looks like HTML"
    if first[:1] in "{[":
        return "looks like JSON"
    return "no dateline, age or section found"
