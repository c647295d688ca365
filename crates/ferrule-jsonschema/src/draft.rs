//! The five supported drafts: their metaschema URIs, which keywords hold subschemas, and the
//! vocabularies of 2019-09 and 2020-12.

/// A JSON Schema draft (specification version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[non_exhaustive]
pub enum Draft {
    /// Draft 4.
    Draft4,
    /// Draft 6.
    Draft6,
    /// Draft 7.
    Draft7,
    /// Draft 2019-09.
    Draft201909,
    /// Draft 2020-12 (the default).
    #[default]
    Draft202012,
}

impl Draft {
    /// All drafts, oldest first.
    pub const ALL: [Draft; 5] = [
        Draft::Draft4,
        Draft::Draft6,
        Draft::Draft7,
        Draft::Draft201909,
        Draft::Draft202012,
    ];

    /// The draft a `$schema` URI names, if it is one of the five (with or without the empty
    /// fragment and with either scheme).
    pub fn from_uri(uri: &str) -> Option<Draft> {
        let uri = uri.trim_end_matches('#');
        let uri = uri
            .strip_prefix("https://")
            .or_else(|| uri.strip_prefix("http://"))?;
        match uri {
            "json-schema.org/draft-04/schema" => Some(Draft::Draft4),
            "json-schema.org/draft-06/schema" => Some(Draft::Draft6),
            "json-schema.org/draft-07/schema" => Some(Draft::Draft7),
            "json-schema.org/draft/2019-09/schema" => Some(Draft::Draft201909),
            "json-schema.org/draft/2020-12/schema" => Some(Draft::Draft202012),
            _ => None,
        }
    }

    /// The canonical metaschema URI (as the metaschema's own `$id` spells it, sans `#`).
    pub fn metaschema_uri(self) -> &'static str {
        match self {
            Draft::Draft4 => "http://json-schema.org/draft-04/schema",
            Draft::Draft6 => "http://json-schema.org/draft-06/schema",
            Draft::Draft7 => "http://json-schema.org/draft-07/schema",
            Draft::Draft201909 => "https://json-schema.org/draft/2019-09/schema",
            Draft::Draft202012 => "https://json-schema.org/draft/2020-12/schema",
        }
    }

    /// The keyword naming a schema resource: `id` in draft 4, `$id` after.
    pub(crate) fn id_keyword(self) -> &'static str {
        if self == Draft::Draft4 { "id" } else { "$id" }
    }

    /// Up to draft 7, `$ref` overrides every sibling keyword (including `$id`).
    pub(crate) fn ref_overrides_siblings(self) -> bool {
        self <= Draft::Draft7
    }

    /// Is a float with a zero fraction an integer? (Not in draft 4.)
    pub(crate) fn integer_by_value(self) -> bool {
        self != Draft::Draft4
    }

    /// How the subschemas under `keyword` are laid out in this draft.
    pub(crate) fn subschema_shape(self, keyword: &str) -> Option<Shape> {
        use Draft::{Draft4, Draft6, Draft7, Draft201909, Draft202012};
        Some(match keyword {
            "not" | "additionalProperties" => Shape::Single,
            "if" | "then" | "else" if self >= Draft7 => Shape::Single,
            "contains" | "propertyNames" if self >= Draft6 => Shape::Single,
            "allOf" | "anyOf" | "oneOf" => Shape::Array,
            "properties" | "patternProperties" | "definitions" => Shape::Map,
            "$defs" | "dependentSchemas" if self >= Draft201909 => Shape::Map,
            "unevaluatedProperties" | "unevaluatedItems" | "contentSchema"
                if self >= Draft201909 =>
            {
                Shape::Single
            }
            "prefixItems" if self >= Draft202012 => Shape::Array,
            "items" if self >= Draft202012 => Shape::Single,
            "items" => Shape::SingleOrArray,
            "additionalItems" if matches!(self, Draft4 | Draft6 | Draft7 | Draft201909) => {
                Shape::Single
            }
            "dependencies" if self <= Draft7 => Shape::MapOfSchemaOrOther,
            _ => return None,
        })
    }
}

/// Where a keyword keeps its subschemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// The value is a schema.
    Single,
    /// The value is an array of schemas.
    Array,
    /// The value is an object whose values are schemas.
    Map,
    /// A schema or an array of schemas (`items` before 2020-12).
    SingleOrArray,
    /// An object whose values are schemas or something else (`dependencies`).
    MapOfSchemaOrOther,
}

/// The vocabularies of 2019-09 and 2020-12 whose keywords can be switched off by a
/// metaschema's `$vocabulary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one independent flag per vocabulary"
)]
pub(crate) struct Vocabularies {
    pub(crate) applicator: bool,
    pub(crate) validation: bool,
    pub(crate) unevaluated: bool,
    pub(crate) format_assertion: bool,
}

impl Vocabularies {
    pub(crate) const ALL: Vocabularies = Vocabularies {
        applicator: true,
        validation: true,
        unevaluated: true,
        format_assertion: false,
    };

    /// Reads a metaschema's `$vocabulary` object.
    pub(crate) fn from_declaration(vocabulary: &crate::Value) -> Vocabularies {
        let has = |suffix: &str| {
            vocabulary.as_object().is_some_and(|m| {
                m.iter().any(|(k, _)| {
                    k.ends_with(suffix)
                        && (k.starts_with("https://json-schema.org/draft/2020-12/vocab/")
                            || k.starts_with("https://json-schema.org/draft/2019-09/vocab/"))
                })
            })
        };
        Vocabularies {
            applicator: has("/applicator"),
            validation: has("/validation"),
            unevaluated: has("/unevaluated") || has("2019-09/vocab/applicator"),
            format_assertion: has("/format-assertion"),
        }
    }
}

/// The embedded metaschemas, by URI: `(uri, json text)`.
pub(crate) const METASCHEMAS: &[(&str, &str)] = &[
    (
        "http://json-schema.org/draft-04/schema",
        include_str!("metaschemas/draft4.json"),
    ),
    (
        "http://json-schema.org/draft-06/schema",
        include_str!("metaschemas/draft6.json"),
    ),
    (
        "http://json-schema.org/draft-07/schema",
        include_str!("metaschemas/draft7.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/schema",
        include_str!("metaschemas/draft2019-09.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/core",
        include_str!("metaschemas/draft2019-09-core.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/applicator",
        include_str!("metaschemas/draft2019-09-applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/validation",
        include_str!("metaschemas/draft2019-09-validation.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/meta-data",
        include_str!("metaschemas/draft2019-09-meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/format",
        include_str!("metaschemas/draft2019-09-format.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/content",
        include_str!("metaschemas/draft2019-09-content.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/schema",
        include_str!("metaschemas/draft2020-12.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/core",
        include_str!("metaschemas/draft2020-12-core.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/applicator",
        include_str!("metaschemas/draft2020-12-applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/unevaluated",
        include_str!("metaschemas/draft2020-12-unevaluated.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/validation",
        include_str!("metaschemas/draft2020-12-validation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/meta-data",
        include_str!("metaschemas/draft2020-12-meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-annotation",
        include_str!("metaschemas/draft2020-12-format-annotation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-assertion",
        include_str!("metaschemas/draft2020-12-format-assertion.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/content",
        include_str!("metaschemas/draft2020-12-content.json"),
    ),
];
