//! The [`Json`] trait: what the validator needs to know about an instance, so that one
//! compiled schema validates parsed JSON ([`crate::Value`]) and, in the binding, Python objects
//! in place, without converting one representation into the other.

use std::sync::Arc;

use crate::number::Number;

/// A property name the compiled schema looks up (`properties`, `required`, ...), numbered in
/// the validator's key table ([`crate::Validator::keys`]): a representation can prepare its
/// own form of every name once per validator (a hashed Python `str`) and find it by
/// [`Key::id`] in [`Json::get_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    id: u32,
    name: Arc<str>,
}

impl Key {
    pub(crate) fn new(id: u32, name: Arc<str>) -> Self {
        Key { id, name }
    }

    /// The index of the name in [`crate::Validator::keys`].
    #[must_use]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The property name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The property name, shared.
    #[must_use]
    pub fn name_arc(&self) -> &Arc<str> {
        &self.name
    }
}

/// The JSON kind of a value. Integers are numbers; see [`Number::is_integer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `null` / `None`
    Null,
    /// `true`/`false`
    Bool,
    /// Any number (an integer or a float).
    Number,
    /// A string.
    String,
    /// An array / list.
    Array,
    /// An object / mapping.
    Object,
}

/// Items that their kind alone decides (`"items": {"type": "number"}`), for
/// [`Json::items_by_kind`]: an item passes when its kind's bit (`1 << kind`) is in `accept`,
/// or, with `arrays`, when it is an array that [`ArrayKinds`] accepts (a position of geographic data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemKinds {
    /// The kinds that pass, a bit per [`Kind`].
    pub accept: u8,
    /// The check of an item that is an array, when its length and its items' kinds decide it.
    pub arrays: Option<ArrayKinds>,
}

/// An array with `min..=max` items, each of a kind in `accept` (a bit per [`Kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArrayKinds {
    /// The fewest items.
    pub min: u64,
    /// The most items.
    pub max: u64,
    /// The kinds of item that pass, a bit per [`Kind`].
    pub accept: u8,
}

/// A JSON-like value, borrowed or cheap to clone (a `&Value`, a `Bound<'py, PyAny>`).
///
/// The methods are infallible on purpose: a representation whose access can fail (a Python
/// mapping with a raising `__getitem__`) records the failure itself and reports it after
/// validation, keeping the hot path free of `Result` plumbing.
pub trait Json: Clone {
    /// A view of a string (`&str`, or an owned UTF-8 buffer such as pyo3's `PyBackedStr`).
    type Str<'a>: AsRef<str>
    where
        Self: 'a;
    /// Iterator over an array's items.
    type Items<'a>: Iterator<Item = Self>
    where
        Self: 'a;
    /// Iterator over an object's `(key, value)` members.
    type Members<'a>: Iterator<Item = (Self::Str<'a>, Self)>
    where
        Self: 'a;

    /// The JSON kind.
    fn kind(&self) -> Kind;
    /// The boolean, for [`Kind::Bool`].
    fn as_bool(&self) -> Option<bool>;
    /// The string, for [`Kind::String`].
    fn as_str(&self) -> Option<Self::Str<'_>>;
    /// The number, for [`Kind::Number`].
    fn as_number(&self) -> Option<Number>;
    /// Items of an array, members of an object, code points of a string; 0 otherwise.
    fn len(&self) -> usize;
    /// Iterates an array's items (empty for other kinds).
    fn items(&self) -> Self::Items<'_>;
    /// Iterates an object's members (empty for other kinds).
    fn members(&self) -> Self::Members<'_>;
    /// An object's member by key.
    fn get(&self, key: &str) -> Option<Self>;
    /// An array's item by index.
    fn item(&self, index: usize) -> Option<Self>;

    /// An object's member by a key of the validator's table; [`Json::get`] by default.
    fn get_key(&self, key: &Key) -> Option<Self> {
        self.get(key.name())
    }

    /// Is [`Json::get_key`] much cheaper than visiting every member (a hash table)? Then
    /// `properties` looks its names up in a large object instead of iterating the object.
    const INDEXED: bool = false;

    /// Checks a host format ([`crate::Options::host_formats`]) on this value: `Some(valid)`,
    /// or `None` when the representation has no checker (the instance then passes). A
    /// failing checker records its failure itself, as for the other methods.
    fn check_format(&self, format: &str) -> Option<bool> {
        let _ = format;
        None
    }

    /// Does every item of an array from `start` on pass? `quick` is asked first with the
    /// item's kind and decides it when it returns `Some`; `check` sees the item itself when it
    /// does not. A representation may override this to skip making a handle on items `quick`
    /// decides (a borrowed Python list item); the default iterates [`Json::items`].
    fn all_items<Q, C>(&self, start: usize, mut quick: Q, mut check: C) -> bool
    where
        Q: FnMut(Kind) -> Option<bool>,
        C: FnMut(&Self) -> bool,
    {
        self.items()
            .skip(start)
            .all(|item| quick(item.kind()).unwrap_or_else(|| check(&item)))
    }

    /// [`Json::all_items`] for items that [`ItemKinds`] decides, when this representation
    /// can tell every item's kind without a handle on it: `Some(valid)`, or `None` when it
    /// cannot (the caller then takes the general path, which gives the same answer). The
    /// default cannot.
    fn items_by_kind(&self, start: usize, kinds: &ItemKinds) -> Option<bool> {
        let _ = (start, kinds);
        None
    }

    /// Is this number known to be an integer without reading it (a Python `int`, whose value
    /// may need a conversion or a decimal rendering)? `false` means "read it".
    fn is_int(&self) -> bool {
        false
    }

    /// True for an empty array, object or string.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Deep equality with JSON Schema's rules (python-jsonschema's `equal`): `1 == 1.0`, but
/// `true != 1`; objects compare as unordered maps.
pub fn equal<A: Json, B: Json>(a: &A, b: &B) -> bool {
    equal_bounded(a, b, 1024)
}

fn equal_bounded<A: Json, B: Json>(a: &A, b: &B, depth: usize) -> bool {
    let Some(depth) = depth.checked_sub(1) else {
        return false;
    };
    match (a.kind(), b.kind()) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool, Kind::Bool) => a.as_bool() == b.as_bool(),
        (Kind::Number, Kind::Number) => match (a.as_number(), b.as_number()) {
            (Some(x), Some(y)) => x.equals(&y),
            _ => false,
        },
        (Kind::String, Kind::String) => match (a.as_str(), b.as_str()) {
            (Some(x), Some(y)) => x.as_ref() == y.as_ref(),
            _ => false,
        },
        (Kind::Array, Kind::Array) => {
            a.len() == b.len()
                && a.items()
                    .zip(b.items())
                    .all(|(x, y)| equal_bounded(&x, &y, depth))
        }
        (Kind::Object, Kind::Object) => {
            a.len() == b.len()
                && a.members().all(|(k, v)| {
                    b.get(k.as_ref())
                        .is_some_and(|w| equal_bounded(&v, &w, depth))
                })
        }
        _ => false,
    }
}
