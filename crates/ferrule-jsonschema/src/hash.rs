//! The hash maps compilation fills with schema-derived keys (locations, URIs, anchors,
//! property names, pattern sources).
//!
//! `SipHash`, the standard library's default, took a fifth of the instructions of compiling
//! FHIR's schema (15,000 subschemas, each looked up by its pointer several times). `aHash` is
//! several times cheaper per key and still keyed with per-process random seeds, so a schema
//! crafted to collide (a service compiling its users' schemas) cannot be precomputed: the
//! reason not to use an unkeyed hash such as `FxHash` here, as `keywords/names.rs` does for
//! tables that instances only look up.

use std::collections::HashMap;

/// A hash map with a keyed, fast hasher.
pub(crate) type Map<K, V> = HashMap<K, V, ahash::RandomState>;

/// An empty [`Map`] with room for `capacity` entries.
pub(crate) fn with_capacity<K, V>(capacity: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(capacity, ahash::RandomState::new())
}
