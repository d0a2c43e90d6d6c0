"""Stage: what a line looks like.  Headlines, subheadings and a listing's heading are
told from prose by their shape alone (length, words, how they end); page assembly
decides by their place on the page which one a line is.
"""

from __future__ import annotations

import re

# The patterns of the core run on the standard ``re``, not ``regex``: the same pattern runs
# several times faster per line, and possessive quantifiers (Python 3.11) keep them
# linear.  Two classes are spelled out, so that ``re`` reads every line as ``regex``
# did (tests/properties/test_fast_paths.py holds them to it, character by character):

# Not white space, as ``regex`` has it (Unicode's White_Space): ``re``'s ``\S`` also
# refuses the ASCII separators \x1c-\x1f, which ``regex`` takes as text.
NOT_BLANK = r"[^\t\n\x0b\x0c\r\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

# A decimal digit, as ``regex`` has it: ``re``'s ``\d`` knows the digits of Python 3.11's
# Unicode (14.0); ``regex`` also those of later versions, listed here.
DIGIT = (
    r"[\d\U00010d40-\U00010d49\U000116d0-\U000116e3\U00011bf0-\U00011bf9"
    r"\U00011de0-\U00011de9\U00011f50-\U00011f59\U00016130-\U00016139"
    r"\U00016d70-\U00016d79\U0001ccf0-\U0001ccf9\U0001e4f0-\U0001e4f9"
    r"\U0001e5f1-\U0001e5fa]"
)

# "Meer uit Buitenland": the heading of the list of briefs, and the page's section.
SECTION_LINE = re.compile(
    rf"""
    Meer \ uit \ ++
    (?P<section> {NOT_BLANK} .{{0,79}} )      # Buitenland, Binnenland, Economie ...
    \Z
    """,
    re.VERBOSE,
)

# The "ANP " mark before listing headlines ("ANP Bakkers zien prijs ..."); not part of it.
# At least one blank after it: "ANPost" and "ANP-topman" are words, not the mark.
ANP_MARK = re.compile(rf"ANP \ ++ (?= {NOT_BLANK} )", re.VERBOSE)


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


# What a text that is no page looks like.
NOT_A_PAGE = "not a page: "  # the warning's prefix; stats and convert count these apart
_HTML_START = re.compile(
    r"""<(?:
        (?: !doctype\s+html    # <!DOCTYPE html>
          | html | head | body  # a document's own tags
          | meta | div | script | p   # a fragment
        )\b
      | !--                     # a comment
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def looks_like(first: str) -> str:
    """What a text with no dateline, age, section or listing looks like, by its first
    non-blank line, for its warning."""
    if _HTML_START.match(first):
        return "looks like HTML"
    if first[:1] in "{[":
        return "looks like JSON"
    return "no dateline, age or section found"
