//! `radpath schema`: the JSON Schema of one output line (a record or an error record).

use std::io::Write;

use anyhow::Result;

pub fn run() -> Result<i32> {
    let schema = schemars::schema_for!(radpath::record::Output);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&schema)?)?;
    Ok(0)
}
