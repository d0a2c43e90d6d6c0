"""User boilerplate rules run with a timeout: a rule that backtracks exponentially fails
the page it meets, with one line that says why, instead of hanging the run.

Each case runs in a child process, so that without the timeout the test fails (the
child is killed at the guard) rather than hanging the suite.  The guard is a bound on
a hang, not a speed requirement: it is a hundred times the rule's timeout.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

from anp_extract.core.boilerplate import DEFAULT_RULES, RULE_TIMEOUT, load_rules
from tests.support import ROOT

HANG_GUARD = 100 * RULE_TIMEOUT
EVIL = "re:(a|aa)+\n"
LINE = "a" * 40 + "b"  # 41 characters: fib(40) ways to fail


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=HANG_GUARD, check=False)


def test_a_backtracking_rule_fails_with_a_rule_error_instead_of_running_forever() -> None:
    done = _python(f"""
        from anp_extract.core.boilerplate import load_rules
        from anp_extract.errors import RuleError
        rules = load_rules({EVIL!r}, "rules.txt")
        try:
            rules.matches({LINE!r})
        except RuleError as exc:
            print(exc)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rules.txt: a boilerplate rule took over ")
    assert LINE in done.stdout


def test_parse_names_the_rule_problem_in_one_line_and_goes_on(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text(EVIL)
    bad = tmp_path / "bad.txt"
    bad.write_text(f"Kop\nDEN HAAG (ANP) - Tekst.\n{LINE}\n")
    good = tmp_path / "good.txt"
    good.write_text("Kop\nDEN HAAG (ANP) - Tekst.\naaaa\n")
    done = subprocess.run(
        [sys.executable, "-m", "anp_extract", "parse", "--boilerplate", str(rules),
         str(bad), str(good)],
        cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"anp-extract: {rules}: a boilerplate rule took over")
    assert "Traceback" not in done.stderr
    (record,) = done.stdout.splitlines()  # the good page still parsed: "aaaa" is furniture
    assert '"boilerplate":["aaaa"]' in record


def test_user_rules_still_match_and_travel_to_worker_processes() -> None:
    rules = load_rules("re:(Lees|Bekijk) ook.*\n", "rules.txt")
    again = pickle.loads(pickle.dumps(rules))
    for each in (rules, again):
        assert each.matches("Lees ook dit")
        assert not each.matches("Lees dit ook niet")
        assert each.matches("Editie: Zeeland")  # the built-in rules come along
    assert DEFAULT_RULES.matches("Editie: Zeeland")
