"""Stage: what a line looks like.  Headlines, subheadings and a listing's heading are
told from prose by their shape alone (length, words, how they end); page assembly
decides by their place on the page which one a line is.
"""

from __future__ import annotations

import re

# "Meer uit Buitenland": the heading of the list of briefs, and the page's section.
# The standard ``re``, not ``regex``: the same patterns run several times faster, and
# possessive quantifiers (Python 3.11) keep them linear.
SECTION_LINE = re.compile(
    r"""
    Meer \ uit \ ++
    (?P<section> \S .{0,79} )      # Buitenland, Binnenland, Economie ...
    \Z
    """,
    re.VERBOSE,
)

# The "ANP " mark before listing headlines ("ANP Bakkers zien prijs ..."); not part of it.
# At least one blank after it: "ANPost" and "ANP-topman" are words, not the mark.
ANP_MARK = re.compile(r"ANP \ ++ (?= \S )", re.VERBOSE)


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
