//! `radpath lexicon check DIR`.

use std::io::Write;

use anyhow::Result;

use super::args::LexiconCommand;

pub fn run(cmd: LexiconCommand) -> Result<i32> {
    match cmd {
        LexiconCommand::Check { dir } => match radpath::lexicon::check_dir(&dir) {
            Ok(n) => {
                writeln!(
                    std::io::stdout(),
                    "{}: {n} entries, no problems",
                    dir.display()
                )?;
                Ok(0)
            }
            Err(errors) => {
                for e in &errors.0 {
                    eprintln!("{e}");
                }
                eprintln!(
                    "radpath: {} problem(s) in {}",
                    errors.0.len(),
                    dir.display()
                );
                Ok(2)
            }
        },
    }
}
