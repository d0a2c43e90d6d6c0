"""``anp-extract parse`` and ``anp-extract schema``, in-process and as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from anp_extract.cli import app
from anp_extract.core.contract import schema
from tests.support import DATA, ROOT, SEEDS, VALIDATOR, assert_valid
from tests.support.generator import write_corpus

BIN = Path(sys.executable).parent
NOW = "2025-11-04T14:30"


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def records(result: Result) -> list[dict[str, Any]]:
    out = [json.loads(line) for line in result.stdout.splitlines()]
    for record in out:
        assert_valid(record)
    return out


def golden(seed: Path, source: str) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(seed.with_suffix(".json").read_text("utf-8"))
    return {**expected, "source": source}


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(BIN / "anp-extract"), *args], input=stdin, capture_output=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_bytes(b"")
    return {
        "missing": str(tmp_path / "missing.txt"),
        "directory": str(tmp_path),
        "binary": str(tmp_path / "binary.txt"),
        "empty": str(tmp_path / "empty.txt"),
    }


# -- in-process ------------------------------------------------------------------------------


def test_parse_seeds_in_the_order_given() -> None:
    order = [SEEDS[3], SEEDS[0], SEEDS[4], SEEDS[1], SEEDS[2]]
    result = invoke("parse", *map(str, order))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert records(result) == [golden(DATA / seed.name, str(seed)) for seed in order]


@pytest.mark.parametrize("args", [["parse"], ["parse", "-"]], ids=["no-path", "dash"])
def test_parse_reads_stdin(args: list[str]) -> None:
    result = invoke(*args, stdin=SEEDS[1].read_bytes())
    assert result.exit_code == 0, result.stderr
    assert records(result) == [golden(DATA / SEEDS[1].name, "-")]


def test_bad_inputs_are_named_once_and_the_others_still_parsed(bad_inputs: dict[str, str]) -> None:
    bad = list(bad_inputs.values())
    result = invoke("parse", str(SEEDS[0]), *bad[:2], str(SEEDS[1]), *bad[2:], str(SEEDS[2]))
    assert result.exit_code == 1
    assert [r["source"] for r in records(result)] == [str(s) for s in SEEDS[:3]]
    messages = result.stderr.splitlines()
    assert len(messages) == len(bad), result.stderr
    for message, (problem, path) in zip(messages, bad_inputs.items(), strict=True):
        assert path in message, (problem, message)
        assert message.startswith("anp-extract: ")
    assert "no such file" in messages[0]
    assert "directory" in messages[1]
    assert "binary" in messages[2]
    assert "empty" in messages[3]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [
    ["parse", "--bogus"],
    ["parse", "--now", "yesterday"],
    ["parse", "--now"],
    ["parse", "--boilerplate", "/no/such/rules.txt", str(SEEDS[0])],
    ["parse", "--to", "xml", str(SEEDS[0])],
    ["pars"],
], ids=["option", "now", "now-value", "rules-file", "to", "command"])
def test_usage_errors_exit_2_without_output(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_a_bad_rule_is_a_usage_error_naming_file_and_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text("Lees ook\nre:(unclosed\n")
    result = invoke("parse", "--boilerplate", str(rules), str(SEEDS[0]))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{rules}:2:" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("now", "first"), [
    (NOW, "2025-11-04T14:27:00+01:00"),
    ("2025-11-04T13:30:00Z", "2025-11-04T13:27:00+00:00"),
    ("2025-07-01T12:00:00+02:00", "2025-07-01T11:57:00+02:00"),
])
def test_now_sets_published_at(now: str, first: str) -> None:
    result = invoke("parse", "--now", now, str(SEEDS[0]))
    assert result.exit_code == 0, result.stderr
    briefs = records(result)[0]["briefs"]
    assert briefs[0]["published_at"] == first  # "3 minuten geleden"
    assert all(brief["published_at"] for brief in briefs)


def test_without_now_published_at_is_null() -> None:
    briefs = records(invoke("parse", str(SEEDS[0])))[0]["briefs"]
    assert [brief["published_at"] for brief in briefs] == [None] * len(briefs)


def test_now_mtime_takes_each_files_modification_time(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(SEEDS[0].read_bytes())
    os.utime(page, (1762263000, 1762263000))  # 2025-11-04T13:30:00Z
    result = invoke("parse", "--now", "mtime", str(page))
    assert result.exit_code == 0, result.stderr
    first = records(result)[0]["briefs"][0]["published_at"]
    assert first is not None
    assert first.startswith(("2025-11-04T", "2025-11-05T", "2025-11-03T"))
    assert datetime.fromisoformat(first).timestamp() == 1762263000 - 3 * 60


def test_now_mtime_on_standard_input_says_published_at_stays_null() -> None:
    result = invoke("parse", "--now", "mtime", "-", stdin=SEEDS[0].read_bytes())
    assert result.exit_code == 0
    assert result.stderr == (
        "anp-extract: -: warning: --now mtime: standard input has no modification time; "
        "published_at stays null (give --now ISO-8601)\n"
    )
    assert {brief["published_at"] for brief in records(result)[0]["briefs"]} == {None}


def test_boilerplate_file_with_literal_and_regex_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text("# ours\nOekraïne en Rusland spreken nieuwe gevangenenruil af\n"
                     "re:Britten: Rusland wil .*\n", "utf-8")
    result = invoke("parse", "--boilerplate", str(rules), str(SEEDS[0]))
    assert result.exit_code == 0, result.stderr
    record = records(result)[0]
    plain = golden(DATA / SEEDS[0].name, str(SEEDS[0]))
    title = "Britten: Rusland wil Izjoem veroveren voor nieuw momentum"
    assert record["boilerplate"] == [*plain["boilerplate"][:3], title, title,
                                     "Oekraïne en Rusland spreken nieuwe gevangenenruil af"]
    assert (record["title"], plain["title"]) == (None, title)
    assert record["briefs"][0]["title"] is None
    assert record["briefs"][1:] == plain["briefs"][1:]
    assert (record["body"], record["section"]) == (plain["body"], plain["section"])


def test_schema_prints_the_packaged_schema() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == schema()
    VALIDATOR.check_schema(printed)


# -- real processes ---------------------------------------------------------------------------


def test_installed_command_gives_the_same_records_as_in_process() -> None:
    done = run("parse", *map(str, SEEDS))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert done.stdout.decode() == invoke("parse", *map(str, SEEDS)).stdout
    module = subprocess.run([sys.executable, "-m", "anp_extract", "parse", "-"],
                            input=SEEDS[2].read_bytes(), capture_output=True, cwd=ROOT, timeout=60)
    assert module.returncode == 0
    assert json.loads(module.stdout) == golden(DATA / SEEDS[2].name, "-")


def test_real_process_bad_inputs(bad_inputs: dict[str, str]) -> None:
    done = run("parse", *bad_inputs.values(), str(SEEDS[4]))
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 1
    err = done.stderr.decode()
    assert len(err.splitlines()) == 4
    assert all(path in err for path in bad_inputs.values())
    assert "Traceback" not in err


def test_real_process_usage_error() -> None:
    done = run("parse", "--now", "gisteren", str(SEEDS[0]))
    assert done.returncode == 2
    assert done.stdout == b""
    assert b"Traceback" not in done.stderr
    assert done.stderr.count(b"\n") <= 4


def test_real_process_now_and_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text("re:Costa na top: .*\n")
    done = run("parse", "--now", NOW, "--boilerplate", str(rules), str(SEEDS[2]))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["briefs"][0]["published_at"] == "2025-11-04T14:17:00+01:00"  # 13 minuten
    assert record["briefs"][0]["title"] is None
    assert "Costa na top: EU zal lidstaten blijven verdedigen tegen dwang" in record["boilerplate"]
    assert_valid(record)


def test_now_mtime_is_rendered_in_amsterdam_whatever_the_machine_zone(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(SEEDS[0].read_bytes())
    os.utime(page, (1762263000, 1762263000))  # 2025-11-04T13:30:00Z = 14:30 in Amsterdam
    done = run("parse", "--now", "mtime", str(page), env={**os.environ, "TZ": "America/New_York"})
    assert json.loads(done.stdout)["briefs"][0]["published_at"] == "2025-11-04T14:27:00+01:00"


def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 1500, seed=8)
    listing = tmp_path / "files"
    listing.write_text("\n".join(map(str, paths)) + "\n")
    script = (f'xargs "{BIN}/anp-extract" parse < "{listing}" | head -1; '
              'echo "status ${PIPESTATUS[0]}" >&2')
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.count("\n") == 1
    json.loads(done.stdout)
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr
    # xargs reports a child killed by SIGPIPE with status 125 and may say so in one line.
    assert done.stderr.splitlines()[-1] in ("status 125", "status 141")


def test_closed_pipe_of_one_command_with_many_files() -> None:
    files = " ".join(str(seed) for seed in SEEDS * 200)
    script = f'"{BIN}/anp-extract" parse {files} | head -1; echo "status ${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.stdout.count("\n") == 1
    assert done.stderr == "status 141\n"


def test_every_generated_record_from_the_command_validates(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 300, seed=9)
    result = invoke("parse", *map(str, paths))
    assert result.exit_code == 0, result.stderr
    assert len(records(result)) == 300
