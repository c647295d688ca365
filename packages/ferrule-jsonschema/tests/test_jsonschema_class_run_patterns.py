"""``pattern``s of one repeated class (FHIR's ``^[ \\r\\n\\t\\S]+$``, ``^\\S*$``, ``id``'s
``^[A-Za-z0-9\\-\\.]{1,64}$``) are checked without the regex engine on ASCII text, sixteen
bytes at a time where the class has every graphic character: against python-jsonschema, on
Python objects and on JSON text, for strings mixing members, spaces, control characters, DEL
and non-ASCII characters at any offset of several blocks."""

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
