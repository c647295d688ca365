"""JSON Schema validation on a Rust core, with the API of the ``jsonschema`` package.

>>> import ferrule.jsonschema as jsonschema
>>> schema = {"type": "object", "required": ["name"]}
>>> jsonschema.Draft202012Validator(schema).is_valid({"name": "x"})
True
>>> jsonschema.validate({}, schema)
Traceback (most recent call last):
    ...
ferrule.jsonschema.exceptions.ValidationError: 'name' is a required property
...
>>> jsonschema.is_valid_json(b'{"name": 1}', schema)
True
"""

from __future__ import annotations

from ferrule.jsonschema import exceptions, validators
from ferrule.jsonschema._format import (
    FormatChecker,
    draft4_format_checker,
    draft6_format_checker,
    draft7_format_checker,
    draft201909_format_checker,
    draft202012_format_checker,
)
from ferrule.jsonschema._native import __version__
from ferrule.jsonschema.exceptions import (
    ErrorTree,
    FormatError,
    JSONDecodeError,
    SchemaCompileError,
    SchemaError,
    ValidationError,
)
from ferrule.jsonschema.validators import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
    evaluate,
    evaluate_json,
    is_valid_json,
    iter_errors_json,
    validate,
    validate_json,
    validator_for,
)

__all__ = [
    "Draft4Validator",
    "Draft6Validator",
    "Draft7Validator",
    "Draft201909Validator",
    "Draft202012Validator",
    "ErrorTree",
    "FormatChecker",
    "FormatError",
    "JSONDecodeError",
    "SchemaCompileError",
    "SchemaError",
    "ValidationError",
    "__version__",
    "draft4_format_checker",
    "draft6_format_checker",
    "draft7_format_checker",
    "draft201909_format_checker",
    "draft202012_format_checker",
    "evaluate",
    "evaluate_json",
    "exceptions",
    "is_valid_json",
    "iter_errors_json",
    "validate",
    "validate_json",
    "validator_for",
    "validators",
]
