//! Scoring against gold cases (`corpus/*.jsonl`): per-field exact match or set
//! precision/recall/F1, the misses with their ids, and a macro score.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::extract::{Extraction, Extractor};
use crate::record::Language;

/// One gold case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoldCase {
    /// Case id.
    pub id: String,
    /// Language, when fixed.
    #[serde(default)]
    pub lang: Option<Language>,
    /// Report text.
    pub text: String,
    /// Expected summary fields; only these are scored.
    #[serde(default)]
    pub expect: Map<String, Value>,
    /// Expected staging values (optional); only the keys given are scored.
    #[serde(default)]
    pub staging: Option<Map<String, Value>>,
}

/// A gold file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// Reading failed.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// A line is not a gold case.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// File.
        path: String,
        /// Line.
        line: usize,
        /// Cause.
        message: String,
    },
}

/// Reads a gold JSONL file.
pub fn read_gold(path: &std::path::Path) -> Result<Vec<GoldCase>, GoldError> {
    let p = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| GoldError::Io {
        path: p.clone(),
        source,
    })?;
    let mut cases = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| GoldError::Io {
            path: p.clone(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let case: GoldCase = serde_json::from_str(&line).map_err(|e| GoldError::Parse {
            path: p.clone(),
            line: i + 1,
            message: e.to_string(),
        })?;
        cases.push(case);
    }
    Ok(cases)
}

/// How a field is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// Exact match of one value: accuracy.
    Exact,
    /// Sets of values: precision, recall, F1.
    Set,
}

/// The score of one field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldScore {
    /// How it was scored.
    pub scoring: Scoring,
    /// Cases that named the field.
    pub cases: usize,
    /// Exact matches (exact scoring).
    pub correct: usize,
    /// True positives (set scoring).
    pub tp: usize,
    /// False positives (set scoring).
    pub fp: usize,
    /// False negatives (set scoring).
    pub fn_: usize,
    /// Precision (set scoring; accuracy for exact).
    pub precision: f64,
    /// Recall (set scoring; accuracy for exact).
    pub recall: f64,
    /// F1 (set scoring) or accuracy (exact): the field's score.
    pub score: f64,
}

/// One wrong field of one case.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// Case id.
    pub id: String,
    /// Field.
    pub field: String,
    /// Expected value.
    pub expected: Value,
    /// What radpath said.
    pub got: Value,
}

/// The result of scoring a gold set.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Cases scored.
    pub cases: usize,
    /// Per-field scores.
    pub fields: BTreeMap<String, FieldScore>,
    /// Mean of the field scores.
    pub macro_score: f64,
    /// Every miss.
    pub misses: Vec<Miss>,
}

/// Fields scored as sets (lists as sets of values; maps as sets of key=value pairs).
const SET_FIELDS: &[&str] = &["modality", "segments", "lobes", "patterns", "ihc", "labs"];

/// Scores the extractor on the cases.
pub fn evaluate(extractor: &Extractor, cases: &[GoldCase]) -> EvalReport {
    let mut acc: BTreeMap<String, FieldScore> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in cases {
        let ex = extractor.extract_text(&case.text, case.lang);
        let got = outputs(&ex);
        let summary = got.get("summary").cloned().unwrap_or(Value::Null);
        for (field, expected) in &case.expect {
            let value = summary.get(field).cloned().unwrap_or(Value::Null);
            score_field(&mut acc, &mut misses, &case.id, field, expected, &value);
        }
        if let Some(staging) = &case.staging {
            let got_staging = got.get("staging").cloned().unwrap_or(Value::Null);
            for (key, expected) in staging {
                let value = lookup_path(&got_staging, key);
                score_field(
                    &mut acc,
                    &mut misses,
                    &case.id,
                    &format!("staging.{key}"),
                    expected,
                    &value,
                );
            }
        }
    }
    for s in acc.values_mut() {
        finish(s);
    }
    let macro_score = if acc.is_empty() {
        1.0
    } else {
        acc.values().map(|s| s.score).sum::<f64>() / acc.len() as f64
    };
    EvalReport {
        cases: cases.len(),
        fields: acc,
        macro_score,
        misses,
    }
}

fn outputs(ex: &Extraction) -> Value {
    let mut m = Map::new();
    m.insert(
        "summary".into(),
        serde_json::to_value(&ex.summary).unwrap_or(Value::Null),
    );
    m.insert(
        "staging".into(),
        serde_json::to_value(&ex.staging).unwrap_or(Value::Null),
    );
    Value::Object(m)
}

/// Looks up a dotted path ("fong_crs.points") in a JSON value.
fn lookup_path(v: &Value, path: &str) -> Value {
    let mut cur = v;
    for part in path.split('.') {
        match cur.get(part) {
            Some(next) => cur = next,
            None => return Value::Null,
        }
    }
    cur.clone()
}

fn score_field(
    acc: &mut BTreeMap<String, FieldScore>,
    misses: &mut Vec<Miss>,
    id: &str,
    field: &str,
    expected: &Value,
    got: &Value,
) {
    let set = SET_FIELDS.contains(&field);
    let s = acc.entry(field.to_string()).or_insert_with(|| FieldScore {
        scoring: if set { Scoring::Set } else { Scoring::Exact },
        cases: 0,
        correct: 0,
        tp: 0,
        fp: 0,
        fn_: 0,
        precision: 0.0,
        recall: 0.0,
        score: 0.0,
    });
    s.cases += 1;
    let ok = if set {
        let e = as_set(expected);
        let g = as_set(got);
        let tp = e
            .iter()
            .filter(|x| g.iter().any(|y| values_equal(x, y)))
            .count();
        s.tp += tp;
        s.fp += g.len()
            - g.iter()
                .filter(|y| e.iter().any(|x| values_equal(x, y)))
                .count();
        s.fn_ += e.len() - tp;
        tp == e.len() && tp == g.len()
    } else {
        let ok = values_equal(expected, got);
        if ok {
            s.correct += 1;
        }
        ok
    };
    if !ok {
        misses.push(Miss {
            id: id.to_string(),
            field: field.to_string(),
            expected: expected.clone(),
            got: got.clone(),
        });
    }
}

fn finish(s: &mut FieldScore) {
    match s.scoring {
        Scoring::Exact => {
            let a = if s.cases == 0 {
                1.0
            } else {
                s.correct as f64 / s.cases as f64
            };
            s.precision = a;
            s.recall = a;
            s.score = a;
        }
        Scoring::Set => {
            s.precision = if s.tp + s.fp == 0 {
                1.0
            } else {
                s.tp as f64 / (s.tp + s.fp) as f64
            };
            s.recall = if s.tp + s.fn_ == 0 {
                1.0
            } else {
                s.tp as f64 / (s.tp + s.fn_) as f64
            };
            s.score = if s.precision + s.recall == 0.0 {
                0.0
            } else {
                2.0 * s.precision * s.recall / (s.precision + s.recall)
            };
        }
    }
}

/// Items of a list, or `key=value` pairs of a map.
fn as_set(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| Value::Array(vec![Value::String(k.clone()), v.clone()]))
            .collect(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// Equality with a tolerance for numbers (0.05 absolute or 0.5% relative).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            (x - y).abs() <= 0.05_f64.max(0.005 * x.abs().max(y.abs()))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Floors: `file<TAB>field<TAB>minimum score` lines (`#` comments).
pub fn parse_floors(text: &str) -> Vec<(String, String, f64)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut c = l.split('\t');
            let file = c.next()?.trim().to_string();
            let field = c.next()?.trim().to_string();
            let floor = c.next()?.trim().parse().ok()?;
            Some((file, field, floor))
        })
        .collect()
}

/// Renders the report as a table with the misses.
pub fn render(report: &EvalReport, name: &str) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{name}: {} cases", report.cases);
    #[allow(clippy::write_literal)]
    let _ = writeln!(
        s,
        "{:<34} {:>6} {:>7} {:>7} {:>7}  scoring",
        "field", "cases", "P", "R", "score"
    );
    for (field, f) in &report.fields {
        let _ = writeln!(
            s,
            "{:<34} {:>6} {:>7.3} {:>7.3} {:>7.3}  {}",
            field,
            f.cases,
            f.precision,
            f.recall,
            f.score,
            match f.scoring {
                Scoring::Exact => "exact",
                Scoring::Set => "set-F1",
            }
        );
    }
    let _ = writeln!(
        s,
        "{:<34} {:>6} {:>7} {:>7} {:>7.3}",
        "macro", "", "", "", report.macro_score
    );
    if !report.misses.is_empty() {
        let _ = writeln!(s, "\nmisses ({}):", report.misses.len());
        for m in &report.misses {
            let _ = writeln!(
                s,
                "  {}  {}: expected {} got {}",
                m.id, m.field, m.expected, m.got
            );
        }
    }
    s
}
