"""The laws of the pipeline commands for one page, through the core functions the commands
call: strip and split idempotent, ``strip | split | parse`` and ``split | parse`` equal to
``parse`` (see tests/cli/test_pipeline_laws.py for what "equal" means field by field).
Shared by the law tests and the fuzzing of tests/properties/test_pipeline_fuzz.py."""

from __future__ import annotations

from typing import Any

import jsonschema

from anp_extract import parse, parse_bytes
from anp_extract.core import textops
from anp_extract.core.boilerplate import parse_date_line
from anp_extract.core.contract import schema
from anp_extract.core.normalize import clean_lines, decode

NOT_CONTENT = {"source", "boilerplate", "warnings"}
VALIDATOR = jsonschema.Draft202012Validator(schema())


def content(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in NOT_CONTENT}


def date_lines(record: dict[str, Any]) -> list[str]:
    return [line for line in record["boilerplate"] if parse_date_line(line)]


def check_laws(name: str, data: bytes) -> None:
    """Every text law for one page, through the core functions the commands call."""
    try:
        decoded = decode(data, name)
    except ValueError:
        return  # binary or empty: the commands refuse it (tested in test_unix_manners)
    original = parse_bytes(data, name).to_dict()
    stripped = textops.strip(decoded.text, name, warnings=decoded.warnings)
    assert textops.strip(stripped.text).text == stripped.text, f"{name}: strip not idempotent"
    split = textops.split(stripped.text).text
    assert textops.split(split).text == split, f"{name}: split not idempotent"
    piped = parse(split).to_dict()
    assert not list(VALIDATOR.iter_errors(piped)), f"{name}: record breaks the schema"
    assert content(piped) == content(original), f"{name}: strip | split | parse differs"
    assert piped["boilerplate"] == list(stripped.kept), name
    assert set(date_lines(original)) <= set(stripped.kept), name
    removed = [clean_lines(line)[0] for _, line in stripped.removed]
    assert sorted(removed + list(stripped.kept)) == sorted(original["boilerplate"]), name
    unstripped = parse(textops.split(decoded.text).text).to_dict()
    unstripped["source"], unstripped["warnings"] = original["source"], original["warnings"]
    if "brief without an age" not in " ".join(original["warnings"]):  # names a line number
        assert unstripped == original, f"{name}: split | parse differs"


def law_broken(name: str, data: bytes) -> str | None:
    """The first law *data* breaks, in words, or None."""
    try:
        check_laws(name, data)
    except AssertionError as broken:
        return str(broken).split("\n")[0]
    return None
