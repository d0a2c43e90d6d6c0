"""The record contract as data: the JSON Schema shipped in the package."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from .record import SCHEMA, SCHEMAS

# One schema file per version: page@1 is page-1.json, page@2 page-2.json.
SCHEMA_FILE = "page-2.json"


def schema_file(version: str = SCHEMA) -> str:
    return f"page-{version.rsplit('@', 1)[1]}.json"


@cache
def schema_text(version: str = SCHEMA) -> str:
    """The JSON Schema of a record version (the current one by default), as shipped."""
    return (resources.files("anp_extract") / "schema" / schema_file(version)).read_text("utf-8")


def schema(version: str = SCHEMA) -> dict[str, Any]:
    """The JSON Schema as a dict."""
    loaded: dict[str, Any] = json.loads(schema_text(version))
    assert loaded["$id"] == version
    return loaded


@cache
def _root(version: str = SCHEMA) -> dict[str, Any]:
    return schema(version)


# JSON types by name, as Python sees them (orjson and json give these).
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "null": (type(None),),
    "integer": (int,), "number": (int, float), "boolean": (bool,),
}
_NAMES = {dict: "an object", list: "an array", str: "a string", type(None): "null",
          int: "a number", float: "a number", bool: "a boolean"}


def problem(record: Any) -> str | None:
    """The first way *record* breaks the contract, as ``"where: what"``; None if it keeps it.

    Checks the keywords the shipped schema uses (type, const, enum, required,
    properties, additionalProperties, items, minItems, minLength, minimum, pattern,
    format date, oneOf, $ref), so a reader of records needs no JSON Schema library: ``export`` uses
    it on every line, and the tests hold it to the ``jsonschema`` package's verdict.
    """
    version = record.get("schema") if isinstance(record, dict) else None
    return _problem(record, _root(version if version in SCHEMAS else SCHEMA), "record")


def _resolved(rule: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in rule:  # "#/$defs/brief"
        # The definitions are the same in every version (page@2 added top-level fields).
        resolved: dict[str, Any] = _root()["$defs"][rule["$ref"].rsplit("/", 1)[1]]
        return resolved
    return rule


def _type_fits(value: Any, rule: dict[str, Any]) -> bool:
    names = rule.get("type")
    if names is None:
        return True
    for name in [names] if isinstance(names, str) else names:
        if isinstance(value, bool):  # JSON booleans are not numbers
            fits = name == "boolean"
        elif name == "integer" and isinstance(value, float):
            fits = value.is_integer()
        else:
            fits = isinstance(value, _TYPES[name])
        if fits:
            return True
    return False


def _problem(value: Any, rule: dict[str, Any], where: str) -> str | None:
    rule = _resolved(rule)
    if "oneOf" in rule:
        options = [_resolved(option) for option in rule["oneOf"]]
        found = [_problem(value, option, where) for option in options]
        if found.count(None) == 1:
            return None
        # Report against the form of the value's own type ("dateline: no 'raw' field").
        typed = [p for p, o in zip(found, options, strict=True) if _type_fits(value, o)]
        if not typed:
            wanted = " or ".join(_wanted(option) for option in options)
            return f"{where}: {_NAMES.get(type(value), 'a value')}, not {wanted}"
        return next((p for p in typed if p), f"{where}: fits more than one of its forms")
    if not _type_fits(value, rule):
        return f"{where}: {_NAMES.get(type(value), 'a value')}, not {_wanted(rule)}"
    if "const" in rule and value != rule["const"]:
        return f"{where}: {value!r}, not {rule['const']!r}"
    if "enum" in rule and value not in rule["enum"]:
        return f"{where}: {value!r}, not one of " + ", ".join(map(str, rule["enum"]))
    if isinstance(value, dict):
        return _object_problem(value, rule, where)
    if isinstance(value, list):
        if len(value) < rule.get("minItems", 0):
            return f"{where}: fewer than {rule['minItems']} items"
        if "items" in rule:
            for index, item in enumerate(value):
                if found_in := _problem(item, rule["items"], f"{where}[{index}]"):
                    return found_in
    if isinstance(value, str):
        if len(value) < rule.get("minLength", 0):
            return f"{where}: empty"
        if "pattern" in rule and not re.search(rule["pattern"], value):
            return f"{where}: {value!r} is not in the form {rule['pattern']}"
        if rule.get("format") == "date" and not _is_date(value):
            return f"{where}: {value!r} is not a date"
    if "minimum" in rule and not isinstance(value, bool) and isinstance(value, int | float) \
            and value < rule["minimum"]:
        return f"{where}: {value!r}, below {rule['minimum']}"
    return None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _object_problem(value: dict[str, Any], rule: dict[str, Any], where: str) -> str | None:
    for key in rule.get("required", ()):
        if key not in value:
            return f"{where}: no {key!r} field"
    properties = rule.get("properties", {})
    for key, item in value.items():
        if key in properties:
            if found := _problem(item, properties[key], key if where == "record" else
                                 f"{where}.{key}"):
                return found
        elif rule.get("additionalProperties") is False:
            return f"{where}: unknown field {key!r}"
    return None


def _wanted(rule: dict[str, Any]) -> str:
    """What a rule's type asks for: "a string or null"."""
    names = rule["type"]
    return " or ".join(_WANTED[name] for name in ([names] if isinstance(names, str) else names))


_WANTED = {"object": "an object", "array": "an array", "string": "a string", "null": "null",
           "integer": "an integer", "number": "a number", "boolean": "a boolean"}
