//! The public API beyond conformance: error data, robustness limits, thread sharing,
//! `check_schema`, and the [`Json`] trait implemented outside the crate (as the binding will).

use std::sync::Arc;

use ferrule_jsonschema::{
    Draft, ErrorKind, Json, Kind, Number, Options, PathItem, Retrieve, SchemaErrorKind, Validator,
    Value, check_schema, metaschema_validator, parse,
};

fn json(text: &str) -> Value {
    parse(text.as_bytes()).unwrap()
}

fn key(k: &str) -> PathItem {
    PathItem::Key(k.into())
}

fn kw(k: &'static str) -> PathItem {
    PathItem::Keyword(k)
}

/// An array nested `depth` levels deep, generated on the fly: a 100,000-deep instance that
/// costs no memory, and proof that the trait can be implemented by another crate.
#[derive(Clone, Debug)]
struct Deep(usize);

impl Json for Deep {
    type Str<'a> = &'a str;
    type Items<'a> = std::option::IntoIter<Deep>;
    type Members<'a> = std::iter::Empty<(&'a str, Deep)>;

    fn kind(&self) -> Kind {
        Kind::Array
    }
    fn as_bool(&self) -> Option<bool> {
        None
    }
    fn as_str(&self) -> Option<&str> {
        None
    }
    fn as_number(&self) -> Option<Number> {
        None
    }
    fn len(&self) -> usize {
        usize::from(self.0 > 0)
    }
    fn items(&self) -> Self::Items<'_> {
        self.0.checked_sub(1).map(Deep).into_iter()
    }
    fn members(&self) -> Self::Members<'_> {
        std::iter::empty()
    }
    fn get(&self, _key: &str) -> Option<Self> {
        None
    }
    fn item(&self, index: usize) -> Option<Self> {
        (index == 0)
            .then(|| self.0.checked_sub(1).map(Deep))
            .flatten()
    }
}

#[test]
fn deep_instances_hit_the_limit_instead_of_the_stack() {
    let validator =
        Validator::new(&json(r##"{"type": "array", "items": {"$ref": "#"}}"##)).unwrap();
    assert!(validator.is_valid(&Deep(100)));
    assert!(!validator.is_valid(&Deep(100_000)));
    let errors: Vec<_> = validator.iter_errors(&Deep(100_000)).collect();
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0].kind, ErrorKind::RecursionLimit { .. }));
    // Without recursion in the schema, depth costs nothing.
    assert!(
        Validator::new(&json(r#"{"type": "array"}"#))
            .unwrap()
            .is_valid(&Deep(100_000))
    );
}

#[test]
fn deep_text_is_a_parse_error() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(parse(text.as_bytes()).is_err());
}

#[test]
fn reference_cycles_end_in_an_error() {
    for schema in [
        r##"{"$ref": "#"}"##,
        r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##,
        r##"{"anyOf": [{"type": "string"}, {"allOf": [{"$ref": "#"}]}]}"##,
        r##"{"$ref": "#", "unevaluatedProperties": false, "unevaluatedItems": false}"##,
        r##"{"unevaluatedProperties": false, "unevaluatedItems": false, "$ref": "#"}"##,
    ] {
        let validator = Validator::new(&json(schema)).unwrap();
        for instance in ["1", r#"{"a": [1, {"b": 2}]}"#, "[[1], {}]"] {
            let instance = json(instance);
            assert!(!validator.is_valid(&&instance), "{schema}");
            let errors: Vec<_> = validator.iter_errors(&&instance).collect();
            assert!(!errors.is_empty(), "{schema}");
        }
    }
}

#[test]
fn deep_schemas_are_a_schema_error() {
    let text = r#"{"not": "#.repeat(2000) + "{}" + &"}".repeat(2000);
    let schema = ferrule_jsonschema::parse_with_depth(text.as_bytes(), 5000).unwrap();
    let error = Options::new().max_depth(1000).build(&schema).unwrap_err();
    assert!(matches!(error.kind, SchemaErrorKind::TooDeep), "{error}");
}

#[test]
fn errors_carry_paths_and_data() {
    let schema = json(
        r##"{
            "$id": "http://example.com/root.json",
            "$defs": {"s": {"type": "string"}},
            "type": "object",
            "required": ["name", "id"],
            "properties": {"name": {"$ref": "#/$defs/s"}, "tags": {"items": {"enum": [1, 2]}}},
            "additionalProperties": false
        }"##,
    );
    let instance = json(r#"{"name": 3, "tags": [1, 5], "extra": true}"#);
    let validator = Validator::new(&schema).unwrap();
    let errors: Vec<_> = validator.iter_errors(&&instance).collect();
    let summary: Vec<(&str, Vec<PathItem>)> = errors
        .iter()
        .map(|e| (e.keyword, e.instance_path.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("required", vec![]),
            ("type", vec![key("name")]),
            ("enum", vec![key("tags"), PathItem::Index(1)]),
            ("additionalProperties", vec![]),
        ]
    );
    assert_eq!(
        errors[0].kind,
        ErrorKind::Required {
            property: "id".into()
        }
    );
    assert_eq!(errors[0].to_string(), r#""id" is a required property"#);
    let type_error = &errors[1];
    assert_eq!(
        type_error.schema_path,
        vec![kw("properties"), key("name"), kw("$ref"), kw("type")]
    );
    assert_eq!(
        type_error.python_schema_path(),
        vec![kw("properties"), key("name"), kw("type")]
    );
    assert_eq!(
        &*type_error.absolute_keyword_location,
        "http://example.com/root.json#/$defs/s/type"
    );
    assert_eq!(type_error.to_string(), r#"3 is not of type "string""#);
    assert_eq!(*type_error.instance, Value::Number(Number::Int(3)));
    assert_eq!(errors[2].to_string(), "5 is not one of [1, 2]");
    assert_eq!(
        errors[3].kind,
        ErrorKind::AdditionalProperties {
            unexpected: vec!["extra".into()],
            patterns: vec![]
        }
    );
}

#[test]
fn any_of_keeps_branch_errors_as_context() {
    let validator =
        Validator::new(&json(r#"{"anyOf": [{"type": "string"}, {"minimum": 5}]}"#)).unwrap();
    let three = json("3");
    let errors: Vec<_> = validator.iter_errors(&&three).collect();
    assert_eq!(errors.len(), 1);
    let ErrorKind::AnyOf { context } = &errors[0].kind else {
        panic!("{:?}", errors[0].kind)
    };
    let branches: Vec<(usize, &str)> = context.iter().map(|c| (c.branch, c.keyword)).collect();
    assert_eq!(branches, vec![(0, "type"), (1, "minimum")]);
    assert_eq!(
        context[1].relative_schema_path,
        vec![PathItem::Index(1), kw("minimum")]
    );
}

#[test]
fn validators_are_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Validator>();
    let validator = Validator::new(&json(r#"{"items": {"type": "integer"}}"#)).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let v = validator.clone();
            std::thread::spawn(move || v.is_valid(&&json(&format!("[1, 2, {i}]"))))
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}

#[test]
fn check_schema_uses_the_declared_draft() {
    for draft in Draft::ALL {
        let _ = metaschema_validator(draft);
    }
    assert!(check_schema(&json(r#"{"type": "string"}"#), Draft::Draft202012).is_ok());
    let schema = json(r#"{"properties": {"a": {"type": 12}}}"#);
    let error = check_schema(&schema, Draft::Draft202012).unwrap_err();
    assert_eq!(
        error.instance_path,
        vec![key("properties"), key("a"), key("type")]
    );
    // Draft 4 allows a boolean exclusiveMinimum, 2020-12 does not.
    let legacy = json(
        r#"{"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 1, "exclusiveMinimum": true}"#,
    );
    assert!(check_schema(&legacy, Draft::Draft202012).is_ok());
    let modern = json(r#"{"minimum": 1, "exclusiveMinimum": true}"#);
    assert!(check_schema(&modern, Draft::Draft202012).is_err());
}

#[test]
fn remote_references_go_through_the_retriever() {
    struct One;
    impl Retrieve for One {
        fn retrieve(&self, uri: &str) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
            match uri {
                "http://example.com/int.json" => Ok(json(r#"{"type": "integer"}"#)),
                _ => Err(format!("unknown {uri}").into()),
            }
        }
    }
    let schema = json(r#"{"$ref": "http://example.com/int.json"}"#);
    let error = Validator::new(&schema).unwrap_err();
    assert!(
        matches!(error.kind, SchemaErrorKind::UnresolvableRef { .. }),
        "{error}"
    );
    let validator = Options::new()
        .build_with_retriever(&schema, Some(&One))
        .unwrap();
    assert!(validator.is_valid(&&json("1")) && !validator.is_valid(&&json("1.5")));
    let missing = json(r#"{"$ref": "http://example.com/other.json"}"#);
    let error = Options::new()
        .build_with_retriever(&missing, Some(&One))
        .unwrap_err();
    assert!(
        matches!(error.kind, SchemaErrorKind::Retrieve { .. }),
        "{error}"
    );
}

#[test]
fn unsupported_regex_is_a_schema_error() {
    let error = Validator::new(&json(r#"{"pattern": "(a)\\1"}"#)).unwrap_err();
    assert!(matches!(error.kind, SchemaErrorKind::InvalidRegex { .. }));
    assert!(error.to_string().contains("backreferences"), "{error}");
}

#[test]
fn formats_are_asserted_only_when_asked() {
    let schema = json(r#"{"format": "date"}"#);
    let bad = json(r#""2021-02-30""#);
    assert!(Validator::new(&schema).unwrap().is_valid(&&bad));
    assert!(
        !Options::new()
            .validate_formats(true)
            .build(&schema)
            .unwrap()
            .is_valid(&&bad)
    );
}

#[test]
fn numbers_keep_python_semantics() {
    let integer = Validator::new(&json(r#"{"type": "integer"}"#)).unwrap();
    assert!(integer.is_valid(&&json("1.0")));
    assert!(integer.is_valid(&&json("123456789012345678901234567890")));
    let draft4 = Options::new()
        .draft(Draft::Draft4)
        .build(&json(r#"{"type": "integer"}"#))
        .unwrap();
    assert!(!draft4.is_valid(&&json("1.0")));
    let enum_ = Validator::new(&json("{\"enum\": [1, false]}")).unwrap();
    assert!(
        enum_.is_valid(&&json("1.0"))
            && !enum_.is_valid(&&json("true"))
            && !enum_.is_valid(&&json("0"))
    );
    let _ = Arc::new(integer);
}

#[test]
fn drafts_can_be_forced_and_unknown_metaschemas_fall_back() {
    let schema =
        json(r#"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}"#);
    let one_point_oh = json("1.0");
    assert!(!Validator::new(&schema).unwrap().is_valid(&&one_point_oh));
    let forced = Options::new()
        .force_draft(Draft::Draft7)
        .build(&schema)
        .unwrap();
    assert!(forced.is_valid(&&one_point_oh));
    let custom = json(r#"{"$schema": "http://example.com/custom", "minimum": 2}"#);
    assert!(!Validator::new(&custom).unwrap().is_valid(&&json("1")));
    assert_eq!(
        ferrule_jsonschema::check_format("ipv4", "1.2.3.4", Draft::Draft7),
        Some(true)
    );
    assert_eq!(
        ferrule_jsonschema::check_format("no-such-format", "x", Draft::Draft7),
        None
    );
}

#[test]
fn context_errors_have_relative_instance_paths() {
    let schema = json(
        r#"{"properties": {"x": {"anyOf": [{"items": {"properties": {"a": {"type": "string"}}}}]}}}"#,
    );
    let instance = json(r#"{"x": [{}, {"a": 1}]}"#);
    let validator = Validator::new(&schema).unwrap();
    let errors: Vec<_> = validator.iter_errors(&&instance).collect();
    assert_eq!(errors[0].instance_path, vec![key("x")]);
    let ErrorKind::AnyOf { context } = &errors[0].kind else {
        panic!("{:?}", errors[0].kind)
    };
    assert_eq!(
        context[0].relative_instance_path,
        vec![PathItem::Index(1), key("a")]
    );
    assert_eq!(
        context[0].relative_schema_path,
        vec![
            PathItem::Index(0),
            kw("items"),
            kw("properties"),
            key("a"),
            kw("type")
        ]
    );
}

#[test]
fn json_text_input() {
    let validator = Validator::new(&json(r#"{"items": {"type": "integer"}}"#)).unwrap();
    assert_eq!(validator.is_valid_json(b"[1, 2]"), Ok(true));
    assert!(validator.is_valid_json(b"[1, ").is_err());
    let errors = validator.errors_json(br#"[1, "x"]"#).unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].to_string(), r#""x" is not of type "integer""#);
    assert_eq!(errors[0].instance_path, vec![PathItem::Index(1)]);
}

#[test]
fn runaway_branching_cycles_stop_at_once() {
    // Two recursive branches per level would be 2^512 evaluations without the abort.
    let validator =
        Validator::new(&json(r##"{"anyOf": [{"$ref": "#"}, {"$ref": "#"}]}"##)).unwrap();
    let start = std::time::Instant::now();
    let one = json("1");
    assert!(!validator.is_valid(&&one));
    let errors: Vec<_> = validator.iter_errors(&&one).collect();
    assert!(matches!(errors[0].kind, ErrorKind::RecursionLimit { .. }));
    let negated = Validator::new(&json(r##"{"not": {"$ref": "#"}}"##)).unwrap();
    assert!(
        !negated.is_valid(&&json("1")),
        "a cycle never makes an instance valid"
    );
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn unique_items_is_linear_for_scalars() {
    let validator = Validator::new(&json(r#"{"uniqueItems": true}"#)).unwrap();
    let many: Vec<String> = (0..200_000).map(|i| i.to_string()).collect();
    let distinct = json(&format!("[{}]", many.join(",")));
    assert!(validator.is_valid(&&distinct));
    assert!(!validator.is_valid(&&json(r#"[1, "1", 1.0]"#)));
    assert!(validator.is_valid(&&json(r#"[1, "1", true, null, 1.5, [1], {"a": 1}]"#)));
    assert!(!validator.is_valid(&&json("[[1], [1.0]]")));
    assert!(validator.is_valid(&&json("[0, false]")));
}

#[test]
fn schema_at_finds_the_keyword_and_its_schema() {
    let schema = json(
        r##"{"properties": {"a": {"$ref": "#/$defs/s"}}, "$defs": {"s": {"minimum": 3}}, "not": false}"##,
    );
    let validator = Validator::new(&schema).unwrap();
    let instance = json(r#"{"a": 1}"#);
    let errors: Vec<_> = validator.iter_errors(&&instance).collect();
    assert_eq!(errors.len(), 1);
    let (sub, value) = validator
        .schema_at(&errors[0].absolute_keyword_location)
        .unwrap();
    assert_eq!(sub, &json(r#"{"minimum": 3}"#));
    assert_eq!(value, Some(&json("3")));
    assert!(validator.schema_at("nowhere#/x").is_none());
    let root = validator.subschema_at("json-schema:///#").unwrap();
    assert_eq!(root, &schema);
}

/// Formats checked by the instance representation (the binding's Python callables).
#[derive(Clone)]
struct Even(i64);

impl Json for Even {
    type Str<'a> = &'a str;
    type Items<'a> = std::iter::Empty<Even>;
    type Members<'a> = std::iter::Empty<(&'a str, Even)>;

    fn kind(&self) -> Kind {
        Kind::Number
    }
    fn as_bool(&self) -> Option<bool> {
        None
    }
    fn as_str(&self) -> Option<&str> {
        None
    }
    fn as_number(&self) -> Option<Number> {
        Some(Number::Int(self.0))
    }
    fn len(&self) -> usize {
        0
    }
    fn items(&self) -> Self::Items<'_> {
        std::iter::empty()
    }
    fn members(&self) -> Self::Members<'_> {
        std::iter::empty()
    }
    fn get(&self, _key: &str) -> Option<Self> {
        None
    }
    fn item(&self, _index: usize) -> Option<Self> {
        None
    }
    fn check_format(&self, format: &str) -> Option<bool> {
        (format == "even").then_some(self.0 % 2 == 0)
    }
}

#[test]
fn host_formats_are_checked_by_the_instance() {
    let schema = json(r#"{"format": "even"}"#);
    let plain = Validator::new(&schema).unwrap();
    assert!(plain.is_valid(&Even(3)));
    let hosted = Options::new()
        .host_formats(["even"])
        .build(&schema)
        .unwrap();
    assert!(hosted.is_valid(&Even(2)));
    assert!(!hosted.is_valid(&Even(3)));
    let errors: Vec<_> = hosted.iter_errors(&Even(3)).collect();
    assert_eq!(errors[0].keyword, "format");
    // A built-in format left out of `only_formats` is not asserted.
    let date = json(r#"{"format": "date"}"#);
    let some = Options::new()
        .validate_formats(true)
        .only_formats(["email"])
        .build(&date)
        .unwrap();
    assert!(some.is_valid(&&json(r#""nope""#)));
}
