//! `Validator::validate` (the first error only): the same error as the first of
//! `iter_errors`, found without evaluating anything after it.

use std::cell::Cell;

use ferrule_jsonschema::{Json, Kind, Number, ValidationError, Validator, Value, parse};

fn json(text: &str) -> Value {
    parse(text.as_bytes()).unwrap()
}

fn describe<J>(e: &ValidationError<J>) -> String {
    format!(
        "{} {:?} {:?} {} {:?}",
        e.keyword, e.instance_path, e.schema_path, e.absolute_keyword_location, e.kind
    )
}

/// The first error of `validate` and of `iter_errors`, described.
fn both(schema: &str, instance: &str) -> (Option<String>, Option<String>) {
    let validator = Validator::new(&json(schema)).unwrap();
    let instance = json(instance);
    let first = validator.validate(&&instance).err().map(|e| describe(&e));
    let all = validator
        .iter_errors(&&instance)
        .next()
        .map(|e| describe(&e));
    (first, all)
}

#[test]
fn the_first_error_is_the_first_of_iter_errors_when_others_follow() {
    let cases = [
        // More failing items, members and keywords after the first error, at every level.
        (
            r#"{"prefixItems": [{"maximum": 1}, {"maximum": 1}, false]}"#,
            "[5, 6, 7]",
        ),
        (
            r#"{"items": {"type": "string"}, "maxItems": 1}"#,
            "[1, 2, 3]",
        ),
        (
            r#"{"properties": {"a": {"type": "string"}, "b": false}, "required": ["c"]}"#,
            r#"{"a": 1, "b": 2}"#,
        ),
        (
            r#"{"items": {"properties": {"x": {"minimum": 3}}, "additionalProperties": false}}"#,
            r#"[{"x": 1, "y": 2}, {"x": 0}]"#,
        ),
        // `anyOf`/`oneOf` branch errors are not final: the error after them is.
        (
            r#"{"prefixItems": [{"anyOf": [{"type": "string"}, {"minimum": 9}]}, {"maximum": 0}]}"#,
            "[1, 2]",
        ),
        (
            r#"{"prefixItems": [{"oneOf": [{"type": "integer"}, {"minimum": 0}]}, false]}"#,
            "[1, 2]",
        ),
        // A valid first part, then the error, then more.
        (
            r##"{"items": {"$ref": "#/$defs/p"}, "$defs": {"p": {"required": ["n"]}}}"##,
            r#"[{"n": 1}, {}, {}]"#,
        ),
        (
            r#"{"properties": {"a": {"items": false}}, "patternProperties": {"^a": false}}"#,
            r#"{"a": [1, 2]}"#,
        ),
        (
            r#"{"contains": {"type": "string"}, "items": false}"#,
            "[1, 2]",
        ),
        (
            r#"{"unevaluatedProperties": false, "properties": {"a": {"maximum": 0}}}"#,
            r#"{"a": 1, "b": 2}"#,
        ),
    ];
    for (schema, instance) in cases {
        let (first, all) = both(schema, instance);
        assert!(first.is_some(), "{schema} {instance}: no error");
        assert_eq!(first, all, "{schema} {instance}");
    }
}

/// A `&Value` that counts how often its values are read: evaluating a subschema on a value
/// reads it.
#[derive(Clone)]
struct Counted<'v> {
    value: &'v Value,
    asked: &'v Cell<usize>,
}

impl Counted<'_> {
    fn read(&self) {
        self.asked.set(self.asked.get() + 1);
    }
}

impl<'v> Json for Counted<'v> {
    type Str<'a>
        = &'v str
    where
        Self: 'a;
    type Items<'a>
        = std::vec::IntoIter<Counted<'v>>
    where
        Self: 'a;
    type Members<'a>
        = std::vec::IntoIter<(&'v str, Counted<'v>)>
    where
        Self: 'a;

    fn kind(&self) -> Kind {
        self.read();
        self.value.kind()
    }
    fn as_bool(&self) -> Option<bool> {
        self.read();
        self.value.as_bool()
    }
    fn as_str(&self) -> Option<&'v str> {
        self.read();
        self.value.as_str()
    }
    fn as_number(&self) -> Option<Number> {
        self.read();
        self.value.as_number().cloned()
    }
    fn len(&self) -> usize {
        self.read();
        Json::len(&self.value)
    }
    fn items(&self) -> Self::Items<'_> {
        let wrap = |value| Counted {
            value,
            asked: self.asked,
        };
        let items: Vec<_> = Json::items(&self.value).map(wrap).collect();
        items.into_iter()
    }
    fn members(&self) -> Self::Members<'_> {
        let members: Vec<_> = Json::members(&self.value)
            .map(|(k, value)| {
                let value = Counted {
                    value,
                    asked: self.asked,
                };
                (k, value)
            })
            .collect();
        members.into_iter()
    }
    fn get(&self, key: &str) -> Option<Self> {
        Json::get(&self.value, key).map(|value| Counted {
            value,
            asked: self.asked,
        })
    }
    fn item(&self, index: usize) -> Option<Self> {
        Json::item(&self.value, index).map(|value| Counted {
            value,
            asked: self.asked,
        })
    }
}

/// How often `validate` (past its validity pass) and `iter_errors` read `instance`'s values.
fn kinds_asked(schema: &str, instance: &str) -> (usize, usize) {
    let validator = Validator::new(&json(schema)).unwrap();
    let instance = json(instance);
    let asked = Cell::new(0);
    let counted = Counted {
        value: &instance,
        asked: &asked,
    };
    // The validity pass that precedes the error walk stops at the first failure too.
    assert!(!validator.is_valid(&counted));
    let validity = asked.replace(0);
    assert!(validator.validate(&counted).is_err());
    let first = asked.replace(0) - validity;
    assert!(validator.iter_errors(&counted).count() > 1);
    (first, asked.get())
}

#[test]
fn nothing_after_the_first_error_is_evaluated() {
    // The first item fails; each of the 50 others would be a subschema evaluation.
    let items = format!("[{}]", vec!["5"; 51].join(","));
    let (first, all) = kinds_asked(r#"{"items": {"maximum": 1}}"#, &items);
    assert!(
        first * 10 < all,
        "validate read {first} values, iter_errors {all}"
    );
    let positional = format!(
        r#"{{"prefixItems": [{}]}}"#,
        vec![r#"{"maximum": 1}"#; 51].join(",")
    );
    let (first, all) = kinds_asked(&positional, &items);
    assert!(
        first * 10 < all,
        "validate read {first} values, iter_errors {all}"
    );
}
