//! Python bindings of `ferrule-jsonschema`: the native half of `ferrule.jsonschema`.
//!
//! This layer converts arguments, drives the pure Rust core and makes its errors into the
//! Python package's `ValidationError`s; the rest of the `jsonschema`-compatible API (exception
//! classes, `FormatChecker`, `referencing` support) is Python, in
//! `packages/ferrule-jsonschema/python`. Layout: [`instance`] (the core's `Json` trait over
//! Python objects, and core values back to Python) reading exact lists, dicts, dict lookups
//! and ASCII keys in place through [`layout`] on the CPython versions whose layouts it knows,
//! with borrowed handles when no Python code can run during `is_valid`, [`validator`] (the
//! compiled `Validator`), [`validator_base`] (the native base of the Python validator classes,
//! for frame-less calls),
//! [`validation_error`] (`ValidationError`s made from core errors; lazy ones in
//! [`lazy_error`]) with their
//! python-jsonschema texts in [`message`], [`retrieve`] (remote documents through a Python
//! callable), JSON text read in place for the `*_json` methods in [`text`], and every exception
//! type in [`errors`].

mod errors;
mod instance;
mod layout;
mod lazy_error;
mod message;
mod retrieve;
mod text;
mod validation_error;
mod validator;
mod validator_base;

use pyo3::prelude::*;

#[pymodule(gil_used = false)]
mod _native {
    #[pymodule_export]
    use super::lazy_error::{LazyAttribute, LazyError};
    #[pymodule_export]
    use super::validator::{Validator, check_format, known_formats, metaschema};
    #[pymodule_export]
    use super::validator_base::ValidatorBase;

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = m.py();
        m.add(
            "JSONDecodeError",
            py.get_type::<super::errors::JSONDecodeError>(),
        )?;
        m.add(
            "SchemaCompileError",
            py.get_type::<super::errors::SchemaCompileError>(),
        )?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
