//! `radpath explain` on a terminal: the report with whole-word highlights (ANSI colours, or
//! `[brackets]` in plain text), then a table of the facts read, then the summary.

use std::fmt::Write;

use super::page::{Page, SpanKind};
use super::Explanation;

/// How highlights are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours (a terminal, `NO_COLOR` unset).
    Color,
    /// Plain text: highlights in `[brackets]`.
    Plain,
}

fn color(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Lesion => "1;31",
        SpanKind::Size => "1;34",
        SpanKind::Count => "1;35",
        SpanKind::Location => "1;32",
        SpanKind::Pattern => "33",
        SpanKind::Ihc => "1;33",
        SpanKind::Pathology => "36",
        SpanKind::Modality => "1",
        SpanKind::Clinical => "35",
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// The report with its highlights: each run of highlighted pieces (a whole word or more) is
/// coloured by its first group's kind, struck through when negated.
pub fn report(page: &Page, text: &str, style: Style) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut open: Option<usize> = None;
    let close = |out: &mut String, style: Style| match style {
        Style::Color => out.push_str("\x1b[0m"),
        Style::Plain => out.push(']'),
    };
    for p in &page.pieces {
        let g = p.groups.first().copied().or(p.word_of);
        if g.map(|g| page.groups[g].kind) != open.map(|o| page.groups[o].kind)
            || (g.is_none() && open.is_some())
        {
            if open.is_some() {
                close(&mut out, style);
                open = None;
            }
            if let Some(g) = g {
                match style {
                    Style::Color => {
                        let strike = if page.groups[g].absent { ";9" } else { "" };
                        let _ = write!(out, "\x1b[{}{strike}m", color(page.groups[g].kind));
                    }
                    Style::Plain => out.push('['),
                }
                open = Some(g);
            }
        }
        out.push_str(&text[p.start..p.end]);
    }
    if open.is_some() {
        close(&mut out, style);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The facts table: one row per fact with its span, text, value, qualifiers and rule.
pub fn facts_table(ex: &Explanation, text: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<18} {:<11} {:<28} {:<30} rule",
        "field", "span", "text", "value"
    );
    for f in &ex.extraction.facts {
        let span_text = text.get(f.evidence.start..f.evidence.end).unwrap_or("");
        let mut shown: String = one_line(span_text).chars().take(28).collect();
        if span_text.chars().count() > 28 {
            shown.pop();
            shown.push('…');
        }
        let value = match &f.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let _ = writeln!(
            out,
            "{:<18} {:<11} {:<28} {:<30} {}",
            f.field,
            format!("{}..{}", f.evidence.start, f.evidence.end),
            shown,
            value,
            f.evidence.rule
        );
    }
    out
}
