//! Remote documents through a Python callable: `retrieve(uri) -> schema`. The core never does
//! I/O itself; neither does this layer unless the user's callable does.

use ferrule_jsonschema::{DEFAULT_MAX_DEPTH, Retrieve, Value};
use pyo3::prelude::*;

use crate::instance::{PyJson, State};

pub(crate) struct PyRetrieve(pub(crate) Py<PyAny>);

/// Converts a Python schema into a core value, raising for non-JSON values.
pub(crate) fn schema_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let state = State::new(None, &[]);
    let value = Value::from_json(&PyJson::new(obj.clone(), &state), DEFAULT_MAX_DEPTH);
    state.finish()?;
    value.ok_or_else(|| crate::errors::value_error("schema nested too deeply"))
}

impl Retrieve for PyRetrieve {
    fn retrieve(&self, uri: &str) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        // Compilation runs attached to the interpreter; `attach` is then only a check.
        Python::attach(|py| {
            let doc = self.0.bind(py).call1((uri,))?;
            schema_value(&doc)
        })
        .map_err(|e: PyErr| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    }
}
