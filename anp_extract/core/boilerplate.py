"""Stage: boilerplate, the portal furniture around the news.

The rules are data: one built-in list (the webmail banner, the edition line, the
"Net binnen" heading) plus any the user adds with ``--boilerplate FILE``, one rule
per line: a literal line, or ``re:`` and a regular expression that must match the
whole line.  The printed date ("dinsdag 4 november 2025") is furniture too, but it
also gives the page its ``date``, so it has its own pattern here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import regex

from ..errors import RuleError
from .ticker import TICKER_HEADING

# The built-in rules, in the user file format.
BUILTIN_RULES: tuple[str, ...] = (
    "Webmail",
    "Kies je webmail",
    # the sentence goes on after a space or punctuation (a class both re and regex read alike)
    r"re:Omdat ZeelandNet ook DELTA webmail aanbiedt(?:[ \t,.;:!?)–—-].*)?",
    r"re:Editie: .*",
    TICKER_HEADING,
)

_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

# The portal's date line: weekday, day, month name, year, in Dutch.  On ``regex``, unlike
# the patterns of shapes.py and ticker.py: ``re``'s case-insensitive "i" also takes the
# Turkish dotless "ı", and this pattern only sees lines that end in a digit.
DATE_LINE = regex.compile(
    r"""
    (?i:
      (?: maandag | dinsdag | woensdag | donderdag | vrijdag | zaterdag | zondag ) ,?\ +
    )?                                               # the weekday is sometimes left out
    (?P<day> \d{1,2} ) \ +
    (?P<month> (?i: januari | februari | maart | april | mei | juni | juli | augustus
                 | september | oktober | november | december ) ) \ +
    (?P<year> \d{4} )
    \Z
    """,
    regex.VERBOSE,
)


def parse_date_line(line: str) -> date | None:
    """The date of a Dutch date line ("dinsdag 4 november 2025"), else None."""
    if len(line) > 40 or not line[-1:].isdigit():
        return None
    match = DATE_LINE.match(line)
    if match is None:
        return None
    try:
        return date(int(match["year"]), _MONTHS[match["month"].lower()], int(match["day"]))
    except ValueError:  # 31 februari: not a date, so not furniture either
        return None


class Matcher(Protocol):
    """What ``Rules.pattern`` is: a compiled pattern's ``fullmatch``."""

    def fullmatch(self, line: str) -> object | None: ...


# How long one user rule may try one line.  A rule such as ``re:(a|aa)+`` backtracks
# exponentially (a 41-character line of a's: hours); every real rule takes microseconds.
RULE_TIMEOUT = 1.0


class TimedPattern:
    """User rules, compiled by the ``regex`` module and run with its ``timeout``: a rule
    that backtracks its way out of bounds fails that page with a :class:`RuleError`
    naming the rules and the line, instead of hanging the run."""

    __slots__ = ("compiled", "expression", "source")

    def __init__(self, expression: str, source: str) -> None:
        self.expression = expression
        self.source = source
        self.compiled: Any = regex.compile(expression)

    def fullmatch(self, line: str) -> object | None:
        try:
            found: object | None = self.compiled.fullmatch(line, timeout=RULE_TIMEOUT)
            return found
        except TimeoutError:
            shown = line if len(line) <= 60 else line[:57] + "..."
            raise RuleError(
                f"a boilerplate rule took over {RULE_TIMEOUT:g} s on the line {shown!r} "
                "and was stopped: a pattern that backtracks (such as (a|aa)+); rewrite it",
                source=self.source,
            ) from None

    def __reduce__(self) -> tuple[type[TimedPattern], tuple[str, str]]:
        return TimedPattern, (self.expression, self.source)  # to worker processes


@dataclass(frozen=True, slots=True)
class Rules:
    """A compiled set of boilerplate rules: literal lines and one combined pattern."""

    literals: frozenset[str]
    pattern: Matcher | None
    texts: tuple[str, ...]
    # The literal text every pattern rule starts with, when each has one: a line that
    # starts with none of them is not tried against the pattern at all.
    prefixes: tuple[str, ...] | None = None
    # Read from the fields above (__post_init__), for the scan's loop:
    # the first characters of the prefixes: a test of one character before ``startswith``,
    # which costs as much as a short regex in its reading of arguments alone;
    starts: str = field(init=False)
    # the length of the longest literal: a longer line (most of a page) is not looked up
    # in ``literals`` at all, which would hash all of it.
    longest: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", "".join(sorted(
            {prefix[0] for prefix in self.prefixes or ()})))
        object.__setattr__(self, "longest", max(map(len, self.literals), default=0))

    def matches(self, line: str) -> bool:
        """True if the cleaned *line* is boilerplate by these rules."""
        if line in self.literals:
            return True
        if self.pattern is None:
            return False
        if self.prefixes is not None and not (
            line[:1] in self.starts and line.startswith(self.prefixes)
        ):
            return False
        return self.pattern.fullmatch(line) is not None

    def extend(self, more: Rules, source: str = "<rules>") -> Rules:
        """These rules and *more*, as one set."""
        return compile_rules(self.texts + more.texts, source)


_META = set("\\.^$*+?{}[]|()")


def literal_prefix(expression: str) -> str:
    """The plain text a regular expression must start with ("Editie: " of "Editie: .*")."""
    prefix: list[str] = []
    for char in expression:
        if char in _META:
            if char in "*+?{" and prefix:  # the quantifier may make the last char optional
                prefix.pop()
            break
        prefix.append(char)
    return "".join(prefix)


def compile_rules(
    rules: Iterable[str], source: str = "<rules>", *, builtin: bool = False
) -> Rules:
    """Compile rules in the file format; blank lines and ``#`` comments are skipped.

    User rules run with a timeout (TimedPattern); the *builtin* ones, written here and
    linear, without.  Both on ``regex``: they only see lines that start with their
    literal prefix, so the speed of ``re`` would buy nothing here.
    """
    literals: set[str] = set()
    patterns: list[str] = []
    kept: list[str] = []
    for number, rule in enumerate(rules, start=1):
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            continue
        kept.append(rule)
        if rule.startswith("re:"):
            expression = rule[3:]
            try:
                regex.compile(expression) if builtin else TimedPattern(expression, source)
            except regex.error as exc:
                raise RuleError(f"bad regular expression {expression!r}: {exc}",
                                source=source, line=number) from None
            patterns.append(f"(?:{expression})")
        else:
            literals.add(" ".join(rule.split()))
    pattern: Matcher | None = None
    if patterns:
        joined = "|".join(patterns)
        pattern = regex.compile(joined) if builtin else TimedPattern(joined, source)
    prefixes = tuple(literal_prefix(rule[3:]) for rule in kept if rule.startswith("re:"))
    return Rules(frozenset(literals), pattern, tuple(kept),
                 prefixes if all(prefixes) else None)  # when each pattern has its prefix


def load_rules(text: str, source: str) -> Rules:
    """User rules from the text of a ``--boilerplate`` file, added to the built-in ones."""
    return DEFAULT_RULES.extend(compile_rules(text.splitlines(), source), source)


DEFAULT_RULES = compile_rules(BUILTIN_RULES, "<built-in>", builtin=True)
