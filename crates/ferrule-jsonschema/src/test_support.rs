//! Checks shared by the unit tests of the keyword fast paths.

use crate::{Validator, parse};

/// `is_valid` (which takes the fast paths) agrees with `iter_errors` (which walks every
/// keyword) on each instance.
pub(crate) fn assert_is_valid_agrees(v: &Validator, schema: &str, instances: &[&str]) {
    for text in instances {
        let instance = parse(text.as_bytes()).unwrap();
        assert_eq!(
            v.is_valid(&&instance),
            v.iter_errors(&&instance).next().is_none(),
            "{schema} {text}"
        );
    }
}
