//! `radpath explain FILE|-`: the report with every recognised span marked.

use std::io::{Read, Write};

use anyhow::{Context, Result};

use radpath::explain::{explain, render_html, render_text};
use radpath::io::decode::decode;

use super::args::ExplainArgs;

pub fn run(a: ExplainArgs) -> Result<i32> {
    let extractor = match super::build_extractor(a.lexicons.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let bytes = if a.path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read stdin")?;
        buf
    } else {
        match std::fs::read(&a.path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("radpath: {}: {e}", a.path);
                return Ok(2);
            }
        }
    };
    let text = match decode(&bytes, super::encoding_choice(a.encoding)) {
        Ok((text, _)) => text,
        Err(e) => {
            eprintln!("radpath: {}: {e}", a.path);
            return Ok(1);
        }
    };
    let title = if a.path == "-" {
        "stdin"
    } else {
        a.path.as_str()
    };
    let ex = explain(&extractor, &text, super::language_choice(a.lang));
    if let Some(path) = &a.html {
        std::fs::write(path, render_html(&ex, &text, title))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    std::io::stdout().write_all(render_text(&ex, &text, title).as_bytes())?;
    Ok(0)
}
