//! Python bindings of `ferrule-csv`: a drop-in for CPython's `_csv` module.
//!
//! This layer only converts arguments, drives the pure Rust core (`ferrule_csv`) and maps its
//! errors; the parsing and quoting rules live in the core. Module layout mirrors `_csv`:
//! [`dialect`] (the `Dialect` type and its validation), [`registry`] (named dialects and the field
//! size limit), [`reader`] and [`writer`], with every exception type in [`errors`].

mod arrow_writer;
mod columnar;
mod dialect;
mod dict_reader;
mod errors;
mod field_cache;
mod reader;
mod registry;
mod scan;
mod source;
mod strings;
mod table;
mod writer;

use pyo3::prelude::*;

#[pymodule(gil_used = false)]
mod _native {
    #[pymodule_export]
    use super::arrow_writer::write_csv;
    #[pymodule_export]
    use super::columnar::{infer_schema, read_csv, sniff};
    #[pymodule_export]
    use super::dialect::Dialect;
    #[pymodule_export]
    use super::dict_reader::DictReaderBase;
    #[pymodule_export]
    use super::reader::{Reader, reader};
    #[pymodule_export]
    use super::registry::{
        field_size_limit, get_dialect, list_dialects, register_dialect, unregister_dialect,
    };
    #[pymodule_export]
    use super::scan::{CsvScanner, scan_csv};
    #[pymodule_export]
    use super::table::Table;
    #[pymodule_export]
    use super::writer::{Writer, writer};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("Error", m.py().get_type::<super::errors::Error>())?;
        m.add("ReadError", m.py().get_type::<super::errors::ReadError>())?;
        m.add("QUOTE_MINIMAL", 0)?;
        m.add("QUOTE_ALL", 1)?;
        m.add("QUOTE_NONNUMERIC", 2)?;
        m.add("QUOTE_NONE", 3)?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
