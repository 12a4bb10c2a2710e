//! `radpath eval GOLD.jsonl ...`.

use std::io::Write;

use anyhow::Result;

use super::args::EvalArgs;

pub fn run(a: EvalArgs) -> Result<i32> {
    let extractor = match super::build_extractor(a.lexicons.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let mut cases = Vec::new();
    for path in &a.gold {
        match radpath::eval::read_gold(path) {
            Ok(mut c) => cases.append(&mut c),
            Err(e) => {
                eprintln!("radpath: {e}");
                return Ok(2);
            }
        }
    }
    let report = radpath::eval::evaluate(&extractor, &cases);
    if a.json {
        writeln!(
            std::io::stdout(),
            "{}",
            serde_json::to_string_pretty(&report)?
        )?;
    } else {
        let name = a
            .gold
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        write!(
            std::io::stdout(),
            "{}",
            radpath::eval::render(&report, &name)
        )?;
    }
    Ok(0)
}
