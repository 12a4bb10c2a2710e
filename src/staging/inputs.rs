//! Finding the evidence behind a summary value among the record's facts and lesions, so
//! that every derived value can name the spans it rests on.

use serde_json::Value;

use crate::record::{Count, Evidence, Fact, Lesion, StagingInput, Summary};

/// Lowercase letters and digits only: `HepPar-1` and `heppar1` compare equal.
pub fn norm(s: &str) -> String {
    if s.is_ascii() {
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when `norm(s) == n`, without building the normalised string.
fn norm_eq(s: &str, n: &str) -> bool {
    if s.is_ascii() {
        return ascii_norm_eq(s.as_bytes(), n);
    }
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .eq(n.chars())
}

/// A staging input with its evidence.
pub fn input(name: &str, value: Value, evidence: Vec<Evidence>) -> StagingInput {
    StagingInput {
        name: name.to_string(),
        value,
        evidence,
    }
}

/// Evidence of the facts whose field is one of `fields`.
pub fn by_field(facts: &[Fact], fields: &[&str]) -> Vec<Evidence> {
    dedup(
        facts
            .iter()
            .filter(|f| fields.contains(&&*f.field))
            .map(|f| f.evidence.clone())
            .collect(),
    )
}

/// Evidence of the facts whose field is one of `fields` and that name `needle` (in their
/// value, or as a word of their text).
pub fn naming(facts: &[Fact], fields: &[&str], needle: &str) -> Vec<Evidence> {
    let n = norm(needle);
    dedup(
        facts
            .iter()
            .filter(|f| fields.contains(&&*f.field))
            .filter(|f| value_names(&f.value, &n) || text_names(&f.evidence.text, &n))
            .map(|f| f.evidence.clone())
            .collect(),
    )
}

/// Evidence of the facts whose field is one of `fields` and whose value holds the number `x`.
pub fn with_number(facts: &[Fact], fields: &[&str], x: f64) -> Vec<Evidence> {
    dedup(
        facts
            .iter()
            .filter(|f| fields.contains(&&*f.field))
            .filter(|f| value_has_number(&f.value, x))
            .map(|f| f.evidence.clone())
            .collect(),
    )
}

/// Evidence of the lesions that pass `keep`.
pub fn of_lesions(lesions: &[Lesion], keep: impl Fn(&Lesion) -> bool) -> Vec<Evidence> {
    dedup(
        lesions
            .iter()
            .filter(|l| keep(l))
            .flat_map(|l| l.evidence.iter().cloned())
            .collect(),
    )
}

/// Drops repeated spans, keeps text order.
pub fn dedup(mut v: Vec<Evidence>) -> Vec<Evidence> {
    v.sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    v.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    v
}

fn value_names(v: &Value, n: &str) -> bool {
    match v {
        Value::String(s) => norm_eq(s, n),
        Value::Array(a) => a.iter().any(|x| value_names(x, n)),
        Value::Object(m) => m.iter().any(|(k, x)| norm_eq(k, n) || value_names(x, n)),
        _ => false,
    }
}

/// [`norm_eq`] of ASCII bytes: for ASCII, `is_alphanumeric` and `to_lowercase` are their
/// ASCII forms.
fn ascii_norm_eq(s: &[u8], n: &str) -> bool {
    s.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .eq(n.bytes())
}

/// The ASCII bytes that [`text_names`] splits words at: ASCII whitespace as
/// `char::is_whitespace` has it, and `,;:()/`.
fn ascii_separator(b: &u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b',' | b';' | b':' | b'(' | b')' | b'/'
    )
}

fn text_names(text: &str, n: &str) -> bool {
    if text.is_ascii() {
        return text
            .as_bytes()
            .split(ascii_separator)
            .any(|w| ascii_norm_eq(w, n));
    }
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '/'))
        .any(|w| norm_eq(w, n))
}

fn value_has_number(v: &Value, x: f64) -> bool {
    match v {
        Value::Number(k) => k.as_f64().is_some_and(|k| (k - x).abs() < 0.5),
        Value::Array(a) => a.iter().any(|y| value_has_number(y, x)),
        Value::Object(m) => m.values().any(|y| value_has_number(y, x)),
        _ => false,
    }
}

/// Fact fields that may carry the lesion count.
pub const COUNT_FIELDS: &[&str] = &["lesion_count", "count"];
/// Fact fields that may carry a lesion size.
pub const SIZE_FIELDS: &[&str] = &["largest_lesion_mm", "size", "size_mm", "measure"];
/// Fact fields that may carry the liver metastasis status.
pub const METASTASIS_FIELDS: &[&str] = &["liver_metastasis"];
/// Fact fields that may carry a lab value.
pub const LAB_FIELDS: &[&str] = &["labs", "lab", "cea_ng_ml", "labs.cea_ng_ml"];
/// Fact fields that may carry an IHC result.
pub const IHC_FIELDS: &[&str] = &["ihc"];
/// Fact fields that may carry an appearance code.
pub const PATTERN_FIELDS: &[&str] = &["pattern", "patterns"];
/// Fact fields that may carry a segment.
pub const SEGMENT_FIELDS: &[&str] = &["segment", "segments"];
/// Fact fields that may carry a stated LI-RADS category.
pub const LIRADS_FIELDS: &[&str] = &["lirads_stated", "lirads"];

/// True for lesions that count toward `lesion_count`: not benign, not negated.
pub fn counts(l: &Lesion) -> bool {
    use crate::record::{LesionKind, Presence};
    l.assertion.presence != Presence::Absent
        && matches!(
            l.kind,
            LesionKind::Metastasis
                | LesionKind::Hcc
                | LesionKind::Indeterminate
                | LesionKind::Unspecified
        )
}

/// The lesion count as an input.
pub fn lesion_count(
    summary: &Summary,
    lesions: &[Lesion],
    facts: &[Fact],
) -> Option<(Count, StagingInput)> {
    let c = summary.lesion_count?;
    let mut ev = by_field(facts, COUNT_FIELDS);
    if ev.is_empty() {
        ev = of_lesions(lesions, counts);
    }
    Some((
        c,
        input(
            "lesion_count",
            serde_json::to_value(c).unwrap_or(Value::Null),
            ev,
        ),
    ))
}

/// The largest lesion size (mm) as an input.
pub fn largest_mm(
    summary: &Summary,
    lesions: &[Lesion],
    facts: &[Fact],
) -> Option<(f64, StagingInput)> {
    let mm = summary.largest_lesion_mm?;
    let mut ev = with_number(facts, SIZE_FIELDS, mm);
    if ev.is_empty() {
        ev = of_lesions(lesions, |l| {
            counts(l) && l.size_mm.as_ref().is_some_and(|s| (s.max - mm).abs() < 0.5)
        });
    }
    Some((mm, input("largest_lesion_mm", number(mm), ev)))
}

/// The liver metastasis status as an input.
pub fn liver_metastasis(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> StagingInput {
    use crate::record::LesionKind;
    let status = summary.liver_metastasis.as_str();
    let mut ev = naming(facts, METASTASIS_FIELDS, status);
    if ev.is_empty() {
        ev = by_field(facts, METASTASIS_FIELDS);
    }
    if ev.is_empty() {
        ev = of_lesions(lesions, |l| counts(l) && l.kind == LesionKind::Metastasis);
    }
    input("liver_metastasis", Value::from(status), ev)
}

/// A number as JSON, whole numbers without a fraction.
pub fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(field: &str, value: Value, text: &str) -> Fact {
        Fact {
            field: field.to_string().into(),
            value,
            evidence: Evidence {
                start: 0,
                end: text.len(),
                text: text.into(),
                rule: "t".into(),
            },
        }
    }

    #[test]
    fn names_markers_by_value_or_word() {
        let facts = vec![
            fact(
                "ihc",
                serde_json::json!({"marker": "HepPar-1", "result": "negative"}),
                "HepPar-1 negatief",
            ),
            fact("ihc", serde_json::json!("positive"), "CK20 positief"),
            fact("ihc", serde_json::json!("positive"), "kernen positief"),
        ];
        assert_eq!(naming(&facts, &["ihc"], "heppar1").len(), 1);
        assert_eq!(naming(&facts, &["ihc"], "CK20").len(), 1);
        assert!(
            naming(&facts, &["ihc"], "ER").is_empty(),
            "ER must not match inside words"
        );
    }

    /// `text_names` as it reads without its ASCII path.
    fn text_names_by_chars(text: &str, n: &str) -> bool {
        text.split(|c: char| c.is_whitespace() || ",;:()/".contains(c))
            .any(|w| norm(w) == n)
    }

    proptest::proptest! {
        #[test]
        fn text_names_splits_as_by_chars(t in "[a-cA-C0-9 \t\n\x0b\x0c\r,;:()/.é-]{0,16}", n in "[a-c0-9]{0,3}") {
            proptest::prop_assert_eq!(text_names(&t, &n), text_names_by_chars(&t, &n));
        }

        #[test]
        fn norm_eq_is_norm_then_compare(s in "[a-zA-Z0-9 ,;:()/éÉßİ-]{0,12}", n in "[a-z0-9éßi̇]{0,6}") {
            proptest::prop_assert_eq!(norm_eq(&s, &n), norm(&s) == n);
            let own = norm(&s);
            proptest::prop_assert!(norm_eq(&s, &own));
        }
    }

    #[test]
    fn finds_numbers_in_nested_values() {
        let facts = vec![fact(
            "size",
            serde_json::json!({"dims": [23, 18], "max": 23}),
            "2,3 x 1,8 cm",
        )];
        assert_eq!(with_number(&facts, &["size"], 23.0).len(), 1);
        assert!(with_number(&facts, &["size"], 40.0).is_empty());
    }
}
