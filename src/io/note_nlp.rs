//! OMOP CDM v5.4 NOTE_NLP rows (`--format note_nlp`): one row per fact.
//!
//! Every row is one line (line breaks inside a snippet or lexical variant are written as
//! spaces), so that the writer can number the rows in output order: `note_nlp_id` runs from 1
//! over the whole run, whatever the thread count. Concept ids are 0 (unmapped); the source
//! terms are kept in `lexical_variant` and `term_modifiers`. An error record becomes one row
//! whose `term_modifiers` says `error=<kind>`.

use std::sync::OnceLock;

use super::csv_dialect::{Cell, CsvDialect};
use crate::record::{Experiencer, Fact, Lesion, Output, Presence, Record, Temporality};

/// The columns of OMOP CDM v5.4 NOTE_NLP, in order.
pub const COLUMNS: &[&str] = &[
    "note_nlp_id",
    "note_id",
    "section_concept_id",
    "snippet",
    "offset",
    "lexical_variant",
    "note_nlp_concept_id",
    "note_nlp_source_concept_id",
    "nlp_system",
    "nlp_date",
    "nlp_datetime",
    "term_exists",
    "term_temporal",
    "term_modifiers",
];

/// Characters of context on each side of a span in `snippet` (OMOP allows 250 in all).
const SNIPPET_CONTEXT: usize = 60;

/// The header line.
pub fn header(dialect: CsvDialect, buf: &mut Vec<u8>) {
    buf.extend_from_slice(dialect.preamble());
    dialect.write_row(COLUMNS, buf);
}

/// The run's date and time in UTC (`SOURCE_DATE_EPOCH` fixes it for reproducible output).
fn run_time() -> &'static (String, String) {
    static TIME: OnceLock<(String, String)> = OnceLock::new();
    TIME.get_or_init(|| {
        let secs = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0)
            });
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        let date = format!("{y:04}-{m:02}-{d:02}");
        let time = format!(
            "{date} {:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        (date, time)
    })
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Whitespace runs (line breaks included) as one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The largest char boundary at or below `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn snippet(text: &str, start: usize, end: usize) -> String {
    let from = floor_boundary(text, start.saturating_sub(SNIPPET_CONTEXT));
    let to = floor_boundary(text, end.saturating_add(SNIPPET_CONTEXT));
    let s: String = one_line(&text[from..to]).chars().take(250).collect();
    s
}

/// The qualifiers of a fact: its own presence when it has one, else those of the lesion
/// whose evidence holds its span, else present, current, patient.
fn qualifiers(fact: &Fact, lesions: &[Lesion]) -> (Presence, Temporality, Experiencer) {
    let lesion = lesions.iter().find(|l| {
        l.evidence
            .iter()
            .any(|e| e.start == fact.evidence.start && e.end == fact.evidence.end)
    });
    let (mut p, t, x) = lesion
        .map(|l| {
            (
                l.assertion.presence,
                l.assertion.temporality,
                l.assertion.experiencer,
            )
        })
        .unwrap_or_default();
    if let Some(own) = fact.value.get("presence").and_then(|v| v.as_str()) {
        p = match own {
            "absent" => Presence::Absent,
            "uncertain" => Presence::Uncertain,
            _ => Presence::Present,
        };
    }
    (p, t, x)
}

/// `key=value` pairs of a fact's value (objects flattened one level, lists joined by `,`).
fn modifiers(fact: &Fact, p: Presence, t: Temporality, x: Experiencer) -> String {
    let mut parts = vec![format!("field={}", fact.field)];
    let plain = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    match &fact.value {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                if k != "presence" {
                    parts.push(format!("{k}={}", plain(v)));
                }
            }
        }
        other => parts.push(format!("value={}", plain(other))),
    }
    parts.push(format!("presence={}", p.as_str()));
    parts.push(format!("temporality={}", t.as_str()));
    parts.push(format!("experiencer={}", x.as_str()));
    parts.push(format!("rule={}", fact.evidence.rule.as_str()));
    one_line(&parts.join(";"))
}

fn system(version: &str, lexicons: &str) -> String {
    format!("radpath {version} (lexicons {lexicons})")
}

/// Appends the rows of one output, each without its `note_nlp_id` (the writer numbers them):
/// every line starts with the separator.
pub fn rows(out: &Output, text: Option<&str>, dialect: CsvDialect, buf: &mut Vec<u8>) {
    let (date, datetime) = run_time();
    match out {
        Output::Error(e) => {
            let cells = [
                Cell::Text(e.id.clone().unwrap_or_default()),
                Cell::Number(0.0),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Number(0.0),
                Cell::Number(0.0),
                Cell::Text(system(env!("CARGO_PKG_VERSION"), "")),
                Cell::Text(date.clone()),
                Cell::Text(datetime.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Text(one_line(&format!(
                    "error={};message={}",
                    e.error.kind.as_str(),
                    e.error.message
                ))),
            ];
            buf.push(dialect.separator());
            dialect.write_cells(&cells, buf);
        }
        Output::Record(r) => record_rows(r, text, dialect, date, datetime, buf),
    }
}

fn record_rows(
    r: &Record,
    text: Option<&str>,
    dialect: CsvDialect,
    date: &str,
    datetime: &str,
    buf: &mut Vec<u8>,
) {
    let sys = system(&r.provenance.radpath, &r.provenance.lexicons);
    let chars = text.map(super::offsets::CharOffsets::new);
    for fact in &r.facts {
        let (p, t, x) = qualifiers(fact, &r.lesions);
        let offset = match &chars {
            Some(c) => c.char_of(fact.evidence.start),
            None => fact.evidence.start,
        };
        let cells = [
            Cell::Text(r.id.clone()),
            Cell::Number(0.0),
            Cell::Text(
                text.map(|t| snippet(t, fact.evidence.start, fact.evidence.end))
                    .unwrap_or_else(|| one_line(fact.evidence.text.as_str())),
            ),
            Cell::Number(offset as f64),
            Cell::Text(one_line(fact.evidence.text.as_str())),
            Cell::Number(0.0),
            Cell::Number(0.0),
            Cell::Text(sys.clone()),
            Cell::Text(date.to_string()),
            Cell::Text(datetime.to_string()),
            Cell::Text(if p == Presence::Present { "Y" } else { "N" }.to_string()),
            Cell::Text(t.as_str().to_string()),
            Cell::Text(modifiers(fact, p, t, x)),
        ];
        buf.push(dialect.separator());
        dialect.write_cells(&cells, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_791), (2026, 12, 4));
    }

    #[test]
    fn snippets_keep_char_boundaries_and_one_line() {
        let text = "é".repeat(100) + "\nlaesie\n" + &"ü".repeat(100);
        let s = snippet(&text, 201, 207);
        assert!(s.contains("laesie"));
        assert!(!s.contains('\n'));
    }
}
