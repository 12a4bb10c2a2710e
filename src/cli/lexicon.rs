//! `radpath lexicon check DIR`.

use std::io::Write;

use anyhow::Result;

use super::args::LexiconCommand;

pub fn run(cmd: LexiconCommand) -> Result<i32> {
    match cmd {
        LexiconCommand::Check { dir } => {
            let report = match radpath::lexicon::check_dir(&dir) {
                Ok(r) => r,
                Err(errors) => {
                    for e in &errors.0 {
                        eprintln!("{e}");
                    }
                    eprintln!(
                        "radpath: {} problem(s) in {}",
                        errors.0.len(),
                        dir.display()
                    );
                    return Ok(2);
                }
            };
            for w in &report.warnings {
                eprintln!("radpath: warning: {w}");
            }
            if report.errors.is_empty() {
                let warned = match report.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning(s)"),
                };
                writeln!(
                    std::io::stdout(),
                    "{}: {} entries, no problems{warned}",
                    dir.display(),
                    report.entries
                )?;
                return Ok(0);
            }
            for e in &report.errors {
                eprintln!("{e}");
            }
            eprintln!(
                "radpath: {} problem(s) in {}",
                report.errors.len(),
                dir.display()
            );
            Ok(2)
        }
    }
}
