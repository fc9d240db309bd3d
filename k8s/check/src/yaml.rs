//! Multi-document YAML into JSON values, the form every check works on.

use serde::Deserialize;
use serde_json::Value;

/// One object of a YAML stream, with where it came from for messages.
#[derive(Debug, Clone)]
pub struct Document {
    /// e.g. `examples/job.yaml#2` (the second document of the file).
    pub origin: String,
    pub value: Value,
}

/// Parse every document of `text`; empty documents (`---` alone, comments
/// only) are left out, as kubectl does.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Document>, String> {
    let mut documents = Vec::new();
    for (index, de) in serde_norway::Deserializer::from_str(text).enumerate() {
        let value = Value::deserialize(de)
            .map_err(|e| format!("{origin}#{}: not valid YAML: {e}", index + 1))?;
        if value.is_null() {
            continue;
        }
        documents.push(Document {
            origin: format!("{origin}#{}", index + 1),
            value,
        });
    }
    Ok(documents)
}
