"""The JSON Schema output formats (2020-12 section 12): the specification's example, the
JSON-Schema-Test-Suite's ``output-tests`` and ``annotations`` suites, and the output schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

import pytest

import ferrule.jsonschema as jsonschema

SUITE = Path(__file__).resolve().parents[3].parent / "shared" / "JSON-Schema-Test-Suite"
OUTPUT_SCHEMA_URI = "https://json-schema.org/draft/2020-12/output/schema"
FORMATS = ("basic", "detailed", "verbose")

# The specification's example (2020-12 section 12.4).
POLYGON = {
    "$id": "https://example.com/polygon",
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "point": {
            "type": "object",
            "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
            "additionalProperties": False,
            "required": ["x", "y"],
        }
    },
    "type": "array",
    "items": {"$ref": "#/$defs/point"},
    "minItems": 3,
}
POLYGON_INSTANCE = [{"x": 2.5, "y": 1.3}, {"x": 1, "z": 6.7}]


def _output_validator() -> Any:
    document = json.loads(
        (SUITE / "output-tests" / "draft2020-12" / "output-schema.json").read_text()
    )

    def retrieve(uri: str) -> Any:
        assert uri == OUTPUT_SCHEMA_URI, uri
        return document

    return jsonschema.Draft202012Validator({"$ref": OUTPUT_SCHEMA_URI}, retrieve=retrieve)


OUTPUT_VALIDATOR = _output_validator()


def _strip(unit: dict[str, Any]) -> dict[str, Any]:
    """A unit without its messages (their wording is the implementation's)."""
    out = {k: v for k, v in unit.items() if k not in ("error",)}
    for key in ("errors", "annotations"):
        if key in out:
            out[key] = [_strip(u) for u in out[key]]
    return out


def test_spec_example_basic() -> None:
    out = jsonschema.Draft202012Validator(POLYGON).evaluate(POLYGON_INSTANCE, output="basic")
    assert out["valid"] is False
    units = {(u["keywordLocation"], u["instanceLocation"]) for u in out["errors"]}
    assert units == {
        ("/items/$ref/required", "/1"),
        # python-jsonschema's additionalProperties error is at the object, not the property.
        ("/items/$ref/additionalProperties", "/1"),
        ("/minItems", ""),
    }
    by_location = {u["keywordLocation"]: u for u in out["errors"]}
    assert (
        by_location["/items/$ref/required"]["absoluteKeywordLocation"]
        == "https://example.com/polygon#/$defs/point/required"
    )
    assert by_location["/items/$ref/required"]["error"] == '"y" is a required property'
    assert by_location["/minItems"]["error"] == "[{...}, {...}] is too short" or by_location[
        "/minItems"
    ]["error"].endswith("is too short")
    assert all(u["valid"] is False for u in out["errors"])


def test_spec_example_detailed() -> None:
    out = jsonschema.Draft202012Validator(POLYGON).evaluate(POLYGON_INSTANCE, output="detailed")
    assert _strip(out) == {
        "valid": False,
        "keywordLocation": "",
        "absoluteKeywordLocation": "https://example.com/polygon#",
        "instanceLocation": "",
        "errors": [
            {
                "valid": False,
                "keywordLocation": "/items/$ref",
                "absoluteKeywordLocation": "https://example.com/polygon#/$defs/point",
                "instanceLocation": "/1",
                "errors": [
                    {
                        "valid": False,
                        "keywordLocation": "/items/$ref/additionalProperties",
                        "absoluteKeywordLocation": (
                            "https://example.com/polygon#/$defs/point/additionalProperties"
                        ),
                        "instanceLocation": "/1",
                    },
                    {
                        "valid": False,
                        "keywordLocation": "/items/$ref/required",
                        "absoluteKeywordLocation": (
                            "https://example.com/polygon#/$defs/point/required"
                        ),
                        "instanceLocation": "/1",
                    },
                ],
            },
            {
                "valid": False,
                "keywordLocation": "/minItems",
                "absoluteKeywordLocation": "https://example.com/polygon#/minItems",
                "instanceLocation": "",
            },
        ],
    }


def test_spec_example_verbose_has_every_unit() -> None:
    out = jsonschema.Draft202012Validator(POLYGON).evaluate(POLYGON_INSTANCE, output="verbose")
    seen: list[tuple[str, str, bool]] = []

    def walk(unit: dict[str, Any]) -> None:
        seen.append((unit["keywordLocation"], unit["instanceLocation"], unit["valid"]))
        for child in unit.get("errors", []) + unit.get("annotations", []):
            walk(child)

    walk(out)
    assert ("/type", "", True) in seen
    assert ("/items", "/0", True) in seen
    assert ("/items/$ref/properties/x/type", "/0/x", True) in seen
    assert ("/items/$ref/required", "/1", False) in seen
    assert ("/minItems", "", False) in seen


@pytest.mark.parametrize("output", ["flag", *FORMATS])
def test_every_output_matches_the_output_schema(output: str) -> None:
    validator = jsonschema.Draft202012Validator(POLYGON)
    for instance in (POLYGON_INSTANCE, [{"x": 1, "y": 2}] * 3, "not an array"):
        out = validator.evaluate(instance, output=output)  # type: ignore[arg-type]
        assert out["valid"] is validator.is_valid(instance)
        assert OUTPUT_VALIDATOR.is_valid(out), list(OUTPUT_VALIDATOR.iter_errors(out))


def test_json_text_variant_is_the_same() -> None:
    validator = jsonschema.Draft202012Validator(POLYGON)
    text = json.dumps(POLYGON_INSTANCE)
    for output in ("flag", *FORMATS):
        assert validator.evaluate_json(text, output=output) == validator.evaluate(  # type: ignore[arg-type]
            POLYGON_INSTANCE,
            output=output,  # type: ignore[arg-type]
        )
        assert validator.evaluate_json(text.encode(), output=output) == validator.evaluate_json(  # type: ignore[arg-type]
            text,
            output=output,  # type: ignore[arg-type]
        )
    with pytest.raises(jsonschema.JSONDecodeError):
        validator.evaluate_json(b"[1,", output="basic")


def test_module_level_functions() -> None:
    assert jsonschema.evaluate(3, {"minimum": 5}, output="flag") == {"valid": False}
    out = jsonschema.evaluate_json(b"3", {"minimum": 5}, jsonschema.Draft7Validator)
    assert out["errors"][0]["keywordLocation"] == "/minimum"


def test_unknown_output_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'list'"):
        jsonschema.Draft202012Validator({}).evaluate(1, output="list")  # type: ignore[arg-type]


def test_annotations_of_a_valid_instance() -> None:
    schema = {
        "title": "root",
        "properties": {"a": {"default": 1, "readOnly": True}},
        "patternProperties": {"^b": True},
        "additionalProperties": {"description": "rest"},
        "x-vendor": {"k": 1},
    }
    out = jsonschema.Draft202012Validator(schema).evaluate({"a": 1, "bb": 2, "c": 3})
    got = {
        (u["keywordLocation"], u["instanceLocation"]): u["annotation"] for u in out["annotations"]
    }
    assert got == {
        ("/title", ""): "root",
        ("/properties", ""): ["a"],
        ("/properties/a/default", "/a"): 1,
        ("/properties/a/readOnly", "/a"): True,
        ("/patternProperties", ""): ["bb"],
        ("/additionalProperties", ""): ["c"],
        ("/additionalProperties/description", "/c"): "rest",
        ("/x-vendor", ""): {"k": 1},
    }
    # A failing instance has no annotations at all.
    out = jsonschema.Draft202012Validator({**schema, "type": "array"}).evaluate({"a": 1})
    assert "annotations" not in out


def test_failed_branch_annotations_are_dropped() -> None:
    schema = {"anyOf": [{"type": "string", "title": "s"}, {"type": "integer", "title": "i"}]}
    out = jsonschema.Draft202012Validator(schema).evaluate(3)
    titles = [u["annotation"] for u in out["annotations"] if u["keywordLocation"].endswith("title")]
    assert titles == ["i"]
    detailed = jsonschema.Draft202012Validator(schema).evaluate(3, output="detailed")
    assert '"s"' not in json.dumps(detailed)
    assert '"i"' in json.dumps(detailed)


def _output_cases() -> list[Any]:
    cases = []
    for draft in ("draft2019-09", "draft2020-12"):
        for path in sorted((SUITE / "output-tests" / draft / "content").glob("*.json")):
            for case in json.loads(path.read_text()):
                for test in case["tests"]:
                    for output, expected in test["output"].items():
                        cases.append(
                            pytest.param(
                                draft,
                                case["schema"],
                                test["data"],
                                output,
                                expected,
                                id=f"{draft}-{path.stem}-{test['description']}-{output}",
                            )
                        )
    return cases


@pytest.mark.parametrize(("draft", "schema", "data", "output", "expected"), _output_cases())
def test_output_suite(draft: str, schema: Any, data: Any, output: str, expected: Any) -> None:
    cls = (
        jsonschema.Draft201909Validator
        if draft == "draft2019-09"
        else jsonschema.Draft202012Validator
    )
    out = cls(schema).evaluate(data, output=output)  # type: ignore[arg-type]
    suite_schema = json.loads((SUITE / "output-tests" / draft / "output-schema.json").read_text())

    def retrieve(uri: str) -> Any:
        assert uri.endswith("/output/schema"), uri
        return suite_schema

    checker = jsonschema.Draft202012Validator(expected, retrieve=retrieve)
    assert checker.is_valid(out), [e.message for e in checker.iter_errors(out)]


def _compatible(compatibility: str | None, year: str) -> bool:
    if compatibility is None:
        return True
    order = ["3", "4", "6", "7", "2019", "2020", "9999"]
    for bound in compatibility.split(","):
        if bound.startswith("="):
            if bound[1:] != year:
                return False
        elif bound.startswith("<="):
            if order.index(year) > order.index(bound[2:]):
                return False
        elif order.index(year) < order.index(bound):
            return False
    return True


def _annotation_cases() -> list[Any]:
    cases = []
    for path in sorted((SUITE / "annotations" / "tests").glob("*.json")):
        for case in json.loads(path.read_text())["suite"]:
            for year in ("2019", "2020"):
                if not _compatible(case.get("compatibility"), year):
                    continue
                for index, test in enumerate(case["tests"]):
                    cases.append(
                        pytest.param(
                            year,
                            case["schema"],
                            test,
                            id=f"{path.stem}-{case['description']}-{index}-{year}",
                        )
                    )
    return cases


def _resources(schema: Any, base: str, pointer: str, out: dict[str, str]) -> None:
    """Embedded resources' URIs -> their pointers in the root document (the suite's
    locations are pointers from the root, the output's are canonical URIs)."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            _resources(item, base, f"{pointer}/{index}", out)
    elif isinstance(schema, dict):
        if isinstance(schema.get("$id"), str):
            base = urljoin(base, schema["$id"]).split("#")[0]
            out[base] = pointer
        for key, value in schema.items():
            if key not in ("const", "enum", "examples", "default"):
                token = quote(key.replace("~", "~0").replace("/", "~1"), safe="~!$&'()*+,;=:@")
                _resources(value, base, f"{pointer}/{token}", out)


@pytest.mark.parametrize(("year", "schema", "test"), _annotation_cases())
def test_annotation_suite(year: str, schema: Any, test: Any) -> None:
    base = "https://annotations.test/root.json"
    if isinstance(schema, dict) and "$id" not in schema:
        schema = {"$id": base, **schema}
    resources: dict[str, str] = {}
    _resources(schema, base, "", resources)
    cls = jsonschema.Draft201909Validator if year == "2019" else jsonschema.Draft202012Validator
    out = cls(schema).evaluate(test["instance"], output="basic")
    assert out["valid"], out
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for unit in out.get("annotations", []):
        absolute = unit["absoluteKeywordLocation"]
        keyword = unit["keywordLocation"].rsplit("/", 1)[-1]
        uri, fragment = absolute.rsplit("/", 1)[0].split("#")
        where = "#" + resources[uri] + fragment
        found.setdefault((unit["instanceLocation"], keyword), {})[where] = unit["annotation"]
    for assertion in test["assertions"]:
        got = found.get((assertion["location"], assertion["keyword"]), {})
        assert got == assertion["expected"], (assertion, out)


@pytest.mark.parametrize("output", ["flag", *FORMATS])
def test_deep_instances_end_in_an_error_not_a_crash(output: str) -> None:
    deep: list[Any] = []
    current = deep
    for _ in range(100_000):
        current.append([])
        current = current[0]
    validator = jsonschema.Draft202012Validator({"items": {"$ref": "#"}})
    out = validator.evaluate(deep, output=output)  # type: ignore[arg-type]
    assert out["valid"] is False
    if output == "basic":
        assert any("recursion limit" in unit["error"] for unit in out["errors"])
    with pytest.raises(jsonschema.JSONDecodeError, match="Nesting too deep"):
        validator.evaluate_json("[" * 100_000 + "]" * 100_000, output=output)  # type: ignore[arg-type]


def _remote(uri: str) -> Any:
    prefix = "http://localhost:1234/"
    if not uri.startswith(prefix):
        raise LookupError(f"no remote {uri}")
    return json.loads((SUITE / "remotes" / uri[len(prefix) :]).read_text())


@pytest.mark.parametrize(
    ("draft", "cls"),
    [
        ("draft7", jsonschema.Draft7Validator),
        ("draft2019-09", jsonschema.Draft201909Validator),
        ("draft2020-12", jsonschema.Draft202012Validator),
    ],
)
def test_whole_suite_outputs_match_the_output_schema(draft: str, cls: Any) -> None:
    """Every test of the suite (required and optional), in every tree format: the result is
    valid under the output schema, agrees with ``is_valid`` and, when invalid, says why."""
    base = SUITE / "tests" / draft
    checked = 0
    for path in [*sorted(base.glob("*.json")), *sorted((base / "optional").glob("*.json"))]:
        for case in json.loads(path.read_text()):
            validator = cls(case["schema"], retrieve=_remote)
            for test in case["tests"]:
                valid = validator.is_valid(test["data"])
                for output in FORMATS:
                    out = validator.evaluate(test["data"], output=output)
                    where = (path.name, case["description"], test["description"], output)
                    assert out["valid"] is valid, where
                    assert OUTPUT_VALIDATOR.is_valid(out), where
                    assert valid or out.get("errors") or out.get("error"), where
                    checked += 1
    assert checked > 3000
