"""Fast paths of ``pattern``, against python-jsonschema on Python objects and on JSON text.

Patterns of one repeated class (FHIR's ``^[ \\r\\n\\t\\S]+$``, ``^\\S*$``, ``id``'s
``^[A-Za-z0-9\\-\\.]{1,64}$``) are checked without the regex engine on ASCII text, sixteen
bytes at a time where the class has every graphic character: strings mix members, spaces,
control characters, DEL and non-ASCII characters at any offset of several blocks. Other
patterns (FHIR's ``date``, ``dateTime``, ``code``) read ASCII text through a table taken from
the regex's lazy DFA: dates, near-dates and text with non-ASCII characters."""

from __future__ import annotations

import json

import jsonschema as reference
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

PATTERNS = [
    r"^[ \r\n\t\S]+$",
    r"^\S*$",
    r"^[^\s]+$",
    r"^[A-Za-z0-9\-\.]{1,64}$",
    r"^[!-~]{2,40}$",
    r"^[ -~]*$",
]
# Characters whose class is the same in Python's `re` and ECMA-262 (not \x1c-\x1f or \x85,
# which Python counts as whitespace), in runs long enough to fill 16-byte blocks.
ALPHABET = "aZ09-.~! \t\n\r\x7f\x01\u00e9\u3000\u00a0"
TEXTS = st.one_of(
    st.text(alphabet=ALPHABET, max_size=70),
    st.builds(
        lambda n, c, m: "x" * n + c + "y" * m,
        st.integers(0, 50),
        st.sampled_from(ALPHABET),
        st.integers(0, 50),
    ),
    # Python's `$` also matches before a final newline, ECMA's does not.
).filter(lambda text: not text.endswith("\n"))


@settings(max_examples=300, deadline=None)
@given(pattern=st.sampled_from(PATTERNS), text=TEXTS)
def test_class_runs_match_python_jsonschema(pattern: str, text: str) -> None:
    schema = {"pattern": pattern}
    expected = reference.Draft202012Validator(schema).is_valid(text)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(text) == expected
    assert validator.is_valid_json(json.dumps(text)) == expected
    assert validator.is_valid_json(json.dumps(text, ensure_ascii=False)) == expected
    errors = [e.message for e in validator.iter_errors(text)]
    assert errors == [e.message for e in reference.Draft202012Validator(schema).iter_errors(text)]


# Other patterns read ASCII strings through a table taken from the regex's lazy DFA.
TABLE_PATTERNS = [
    r"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$",
    r"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$",
    r"^[^\s]+(\s[^\s]+)*$",
    r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$",
    r"^true|false$",
    r"^[0]|([1-9][0-9]*)$",
    r"^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$",
    r"\bab",
    r"[0-9]{2}x",
]
DATE_ALPHABET = "0123456789-:T.Z+ ab\te\u00e9"
DATES = st.one_of(
    st.text(alphabet=DATE_ALPHABET, max_size=30),
    st.builds(
        lambda y, m, d, rest: f"{y:04d}-{m:02d}-{d:02d}{rest}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.sampled_from(["", "T10:57:34+01:00", "T23:59:60.5Z", "T24:00:00Z", " ", "\u00e9"]),
    ),
    st.text(alphabet=ALPHABET, max_size=20),
).filter(lambda text: not text.endswith("\n"))


@settings(max_examples=400, deadline=None)
@given(pattern=st.sampled_from(TABLE_PATTERNS), text=DATES)
def test_table_patterns_match_python_jsonschema(pattern: str, text: str) -> None:
    schema = {"pattern": pattern}
    expected = reference.Draft202012Validator(schema).is_valid(text)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(text) == expected
    assert validator.is_valid_json(json.dumps(text)) == expected
    assert [e.message for e in validator.iter_errors(text)] == [
        e.message for e in reference.Draft202012Validator(schema).iter_errors(text)
    ]


# Literal patterns (with ECMA escapes) are compared as strings, and runs of one literal
# character as class runs: neither reaches the regex engine.
LITERAL_PATTERNS = [
    "^abc$",
    "^$",
    "abc$",
    "^x-",
    r"^\$ref",
    r"^a\.b$",
    r"a\$b",
    r"\(a\)",
    "bc",
    "^x*$",
    "^x+$",
    "^x{2,5}$",
    r"^\.*$",
]
LITERAL_TEXTS = st.one_of(
    st.text(alphabet="abcx-$.()\n\u00e9\u3000 ", max_size=20),
    st.builds(
        lambda n, c, m: "x" * n + c + "x" * m,
        st.integers(0, 40),
        st.sampled_from(["", "x", "y", ".", "\n", "\u00e9", "\x7f"]),
        st.integers(0, 40),
    ),
    st.sampled_from(["abc", "$ref", "a.b", "a$b", "(a)", "x-y", "", "..."]),
    # Python's `$` also matches before a final newline, ECMA's does not.
).filter(lambda text: not text.endswith("\n"))


@settings(max_examples=400, deadline=None)
@given(pattern=st.sampled_from(LITERAL_PATTERNS), text=LITERAL_TEXTS)
def test_literal_patterns_match_python_jsonschema(pattern: str, text: str) -> None:
    schema = {"pattern": pattern, "patternProperties": {pattern: False}}
    reference_validator = reference.Draft202012Validator(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for instance in (text, {text: 1}):
        expected = reference_validator.is_valid(instance)
        assert validator.is_valid(instance) == expected
        assert validator.is_valid_json(json.dumps(instance, ensure_ascii=False)) == expected
        assert [(e.message, list(e.path)) for e in validator.iter_errors(instance)] == [
            (e.message, list(e.path)) for e in reference_validator.iter_errors(instance)
        ]
