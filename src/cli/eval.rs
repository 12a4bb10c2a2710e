//! `radpath eval GOLD.jsonl ...`.

use std::io::Write;

use anyhow::Result;

use super::args::EvalArgs;

pub fn run(a: EvalArgs) -> Result<i32> {
    if a.gold.len() == 1 && a.gold[0].extension().is_some_and(|e| e == "csv") {
        return verdicts(&a);
    }
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

/// Scores a review CSV returned with the reviewer's verdicts.
fn verdicts(a: &EvalArgs) -> Result<i32> {
    let path = &a.gold[0];
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("radpath: {}: {e}", path.display());
            return Ok(2);
        }
    };
    match radpath::review::score_verdicts(&data) {
        Ok(r) if a.json => writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&r)?)?,
        Ok(r) => write!(
            std::io::stdout(),
            "{}",
            radpath::review::render_verdicts(&r, &path.display().to_string())
        )?,
        Err(e) => {
            eprintln!("radpath: {}: {e}", path.display());
            return Ok(2);
        }
    }
    Ok(0)
}
