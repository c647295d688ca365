//! [`Value`], the crate's own parsed JSON document, and its [`Json`] implementation.

use std::fmt;

use crate::json::{Json, Kind};
use crate::number::Number;

/// A parsed JSON value. Objects keep their members in document order (a duplicate key keeps
/// the first position and the last value, like Python's `json`).
///
/// Values from [`crate::parse`] and [`Value::from_json`] are nesting-bounded. `Clone`, `Drop`,
/// equality and `Display` recurse, so a value built by hand tens of thousands of levels deep
/// can exhaust the stack in those (validation itself is bounded).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, with integer/float representation kept.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// Looks a member up in an object (`None` for other kinds).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Follows a JSON pointer (RFC 6901, already percent-decoded) from this value.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut current = self;
        for raw in rest.split('/') {
            let token = unescape_token(raw);
            current = match current {
                Value::Object(_) => current.get(&token)?,
                Value::Array(items) => item_at(items, &token)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// Copies any [`Json`] value into a [`Value`] (used for schemas, which are small and
    /// compiled once). Fails past `max_depth` levels of nesting instead of overflowing the stack.
    pub fn from_json<J: Json>(value: &J, max_depth: usize) -> Option<Value> {
        Some(match value.kind() {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(value.as_bool()?),
            Kind::Number => Value::Number(value.as_number()?),
            Kind::String => Value::String(value.as_str()?.as_ref().to_string()),
            Kind::Array => {
                let depth = max_depth.checked_sub(1)?;
                let mut items = Vec::with_capacity(value.len());
                for item in value.items() {
                    items.push(Value::from_json(&item, depth)?);
                }
                Value::Array(items)
            }
            Kind::Object => {
                let depth = max_depth.checked_sub(1)?;
                let mut members = Vec::with_capacity(value.len());
                for (k, v) in value.members() {
                    members.push((k.as_ref().to_string(), Value::from_json(&v, depth)?));
                }
                Value::Object(members)
            }
        })
    }
}

/// Decodes `~1` and `~0` in one JSON pointer reference token.
pub(crate) fn unescape_token(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('~') {
        raw.replace("~1", "/").replace("~0", "~").into()
    } else {
        raw.into()
    }
}

impl<'v> Json for &'v Value {
    type Str<'a>
        = &'v str
    where
        Self: 'a;
    type Items<'a>
        = std::slice::Iter<'v, Value>
    where
        Self: 'a;
    type Members<'a>
        = MembersIter<'v>
    where
        Self: 'a;

    fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn as_str(&self) -> Option<&'v str> {
        Value::as_str(self)
    }

    fn as_number(&self) -> Option<Number> {
        Value::as_number(self).cloned()
    }

    fn len(&self) -> usize {
        match self {
            Value::Array(a) => a.len(),
            Value::Object(m) => m.len(),
            Value::String(s) => s.chars().count(),
            _ => 0,
        }
    }

    fn items(&self) -> Self::Items<'_> {
        match self {
            Value::Array(a) => a.iter(),
            _ => [].iter(),
        }
    }

    fn members(&self) -> Self::Members<'_> {
        match self {
            Value::Object(m) => MembersIter(m.iter()),
            _ => MembersIter([].iter()),
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        Value::get(self, key)
    }

    fn item(&self, index: usize) -> Option<Self> {
        self.as_array()?.get(index)
    }
}

/// Iterator over an object's members, as `(key, value)`.
#[derive(Debug, Clone)]
pub struct MembersIter<'v>(std::slice::Iter<'v, (String, Value)>);

impl<'v> Iterator for MembersIter<'v> {
    type Item = (&'v str, &'v Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str(), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl fmt::Display for Value {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(Number::Float(x)) if x.is_finite() => write!(f, "{x:?}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write_json_string(s, f),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(members) => {
                f.write_str("{")?;
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_json_string(k, f)?;
                    write!(f, ": {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

pub(crate) fn write_json_string(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// The item a JSON pointer token names in an array: a plain decimal index, without a sign or
/// leading zeros (RFC 6901).
pub(crate) fn item_at<'a>(items: &'a [Value], token: &str) -> Option<&'a Value> {
    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    items.get(token.parse::<usize>().ok()?)
}
