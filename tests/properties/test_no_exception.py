"""No input makes the parser fail: any text gives a valid record, any bytes a record or
one typed error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from anp_extract import AnpExtractError, parse, parse_bytes
from tests.properties.strategies import any_text, examples, page_texts
from tests.support import assert_valid


@settings(max_examples=examples(300))
@given(any_text)
def test_parse_never_raises_and_gives_a_valid_record(text: str) -> None:
    record = parse(text, "hyp.txt").to_dict()
    assert_valid(record)


@settings(max_examples=examples(300))
@given(st.binary(max_size=2000) | page_texts().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_parse_bytes_raises_only_its_own_errors(data: bytes) -> None:
    try:
        record = parse_bytes(data, "hyp.txt").to_dict()
    except AnpExtractError as exc:
        assert exc.source == "hyp.txt"
        assert "\n" not in str(exc)
        return
    assert_valid(record)


@settings(max_examples=examples(100))
@given(page_texts(), st.sampled_from(("utf-8", "utf-8-sig", "cp1252", "utf-16")))
def test_any_encoding_of_a_page_parses(text: str, encoding: str) -> None:
    text = text.replace("\x00", "")  # a NUL makes a binary file, refused on purpose
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, "replace")
    try:
        parse_bytes(data, "hyp.txt")
    except AnpExtractError as exc:  # only ever the empty page
        assert "empty file" in str(exc), exc
        assert not text.replace("\ufeff", "").strip(), exc  # a BOM alone is empty too
