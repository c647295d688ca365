"""Smoke check run by `nox -s install-check` and `nox -s publish` in a fresh environment."""

import ferrule.jsonschema as jsonschema

schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
validator = jsonschema.Draft202012Validator(schema)
assert validator.is_valid({"n": 1})
assert [e.message for e in validator.iter_errors({"n": "x"})] == ["'x' is not of type 'integer'"]
assert jsonschema.is_valid_json(b'{"n": 2}', schema)
error = jsonschema.exceptions.best_match(validator.iter_errors({}))
assert error is not None
assert error.message == "'n' is a required property"
print(f"ferrule.jsonschema {jsonschema.__version__}: ok")
