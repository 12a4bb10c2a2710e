//! `radpath explain FILE|-`: the report with every recognised span marked.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};

use radpath::explain::{explain, render_html, render_text, terminal::Style, TextOptions};
use radpath::io::source::{self, Input, SourceOptions};

use super::args::ExplainArgs;

pub fn run(a: ExplainArgs) -> Result<i32> {
    let extractor = match super::build_extractor(a.lexicons.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let opts = super::source_options(&a.read, SourceOptions::default().max_record_bytes);
    let mut inputs = match source::open(std::slice::from_ref(&a.path), &opts) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let wanted = |id: Option<&str>| a.id.as_deref().is_none_or(|w| Some(w) == id);
    let Some(input) = inputs.find(|i| match i {
        Input::Report(r) => wanted(Some(&r.id)),
        Input::Failed(e) => a.id.is_some() && wanted(e.id.as_deref()),
    }) else {
        match &a.id {
            Some(id) => eprintln!("radpath: {}: no report with id `{id}`", a.path),
            None => eprintln!("radpath: {}: no report", a.path),
        }
        return Ok(2);
    };
    let report = match input {
        Input::Report(r) => r,
        Input::Failed(e) => {
            eprintln!(
                "radpath: {}: {} ({})",
                a.path,
                e.error.message,
                serde_json::to_value(e.error.kind)?
                    .as_str()
                    .unwrap_or("error")
            );
            return Ok(1);
        }
    };
    let title = if a.path == "-" {
        report.id.clone()
    } else if report.id == a.path || a.path.ends_with(&report.id) {
        a.path.clone()
    } else {
        format!("{} ({})", a.path, report.id)
    };
    let text = report.text.as_str();
    let lang =
        super::language_choice(a.lang).or_else(|| radpath::pipeline::record_language(&report.meta));
    let ex = explain(&extractor, text, lang);
    if let Some(path) = &a.html {
        std::fs::write(path, render_html(&ex, text, &title))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let opts = TextOptions {
        style: if color { Style::Color } else { Style::Plain },
        facts_only: a.facts_only,
        matches: a.matches,
    };
    std::io::stdout().write_all(render_text(&ex, text, &title, opts).as_bytes())?;
    Ok(0)
}
