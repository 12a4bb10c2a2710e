//! Parsing lexicon TSV files into entries, with `file:line: reason` errors.

use super::schema::{known_attribute, numeric, schema, KindSchema, Numeric};
use super::{Entry, LexiconError};

/// Parses one lexicon file. `path` is its relative path (`nl/pattern.tsv`), which gives
/// the language (folder) and the kind (file stem). Every malformed line is reported.
pub fn parse_file(path: &str, contents: &str) -> Result<Vec<Entry>, Vec<LexiconError>> {
    parse_file_warned(path, contents).0
}

/// Parses one lexicon file as [`parse_file`] does, and also returns warnings: lines that
/// load but hold something no rule reads (an attribute unknown to the kind).
pub fn parse_file_warned(
    path: &str,
    contents: &str,
) -> (Result<Vec<Entry>, Vec<LexiconError>>, Vec<LexiconError>) {
    let mut warnings = Vec::new();
    let parsed = parse(path, contents, &mut warnings);
    (parsed, warnings)
}

fn parse(
    path: &str,
    contents: &str,
    warnings: &mut Vec<LexiconError>,
) -> Result<Vec<Entry>, Vec<LexiconError>> {
    let mut errors = Vec::new();
    let (lang, kind) = match split_path(path) {
        Ok(v) => v,
        Err(e) => return Err(vec![e]),
    };
    let Some(schema) = schema(&kind) else {
        return Err(vec![LexiconError::new(
            path,
            0,
            format!("unknown lexicon kind `{kind}` (the file name names the kind)"),
        )]);
    };
    let mut entries = Vec::new();
    for (idx, raw) in contents.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match parse_line(line, schema) {
            Ok((term, prefix, attrs)) => {
                for (key, _) in &attrs {
                    if !known_attribute(schema, key) {
                        warnings.push(LexiconError::new(
                            path,
                            line_no,
                            format!(
                                "attribute `{key}` is not read by any rule of `{kind}` entries"
                            ),
                        ));
                    }
                }
                entries.push(Entry {
                    rule: Entry::rule_name(path, line_no, &term),
                    term,
                    prefix,
                    kind: kind.clone(),
                    lang: lang.clone(),
                    attrs,
                    file: path.to_string(),
                    line: line_no,
                })
            }
            Err(reason) => errors.push(LexiconError::new(path, line_no, reason)),
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn split_path(path: &str) -> Result<(String, String), LexiconError> {
    let mut parts = path.rsplitn(2, '/');
    let file = parts.next().unwrap_or(path);
    let dir = parts.next().unwrap_or("");
    let lang = dir.rsplit('/').next().unwrap_or("").to_string();
    if !matches!(lang.as_str(), "nl" | "en" | "common") {
        return Err(LexiconError::new(
            path,
            0,
            "a lexicon file lives in a folder nl/, en/ or common/".to_string(),
        ));
    }
    let kind = file
        .strip_suffix(".tsv")
        .ok_or_else(|| LexiconError::new(path, 0, "a lexicon file ends in .tsv".to_string()))?;
    Ok((lang, kind.to_string()))
}

type ParsedLine = (String, bool, Vec<(String, String)>);

fn parse_line(line: &str, schema: &KindSchema) -> Result<ParsedLine, String> {
    let mut cols = line.split('\t').map(str::trim);
    let raw_term = cols.next().unwrap_or("").trim();
    if raw_term.is_empty() {
        return Err("empty term".into());
    }
    if !line.contains('\t') {
        if raw_term.contains("  ") || raw_term.contains('=') {
            return Err("term and attributes must be separated by a TAB".into());
        }
        if let Some(req) = schema.required.first() {
            return Err(format!(
                "no TAB after the term: a `{}` entry needs `{req}` after a TAB",
                schema.kind
            ));
        }
    }
    let (term, prefix) = match raw_term.strip_suffix('*') {
        Some(t) => (t.trim().to_string(), true),
        None => (raw_term.to_string(), false),
    };
    if term.is_empty() {
        return Err("a term of only `*`".into());
    }
    if !term
        .chars()
        .any(|c| c.is_alphanumeric() || "+-<>".contains(c))
    {
        return Err(format!("term `{term}` has no letter or digit"));
    }
    let mut attrs: Vec<(String, String)> = Vec::new();
    let rest: Vec<&str> = cols.filter(|c| !c.is_empty()).collect();
    if schema.columns.is_empty() {
        for col in rest {
            for kv in col.split_whitespace() {
                let Some((k, v)) = kv.split_once('=') else {
                    return Err(format!("attribute `{kv}` is not key=value"));
                };
                if k.is_empty() || v.is_empty() {
                    return Err(format!("attribute `{kv}` has an empty key or value"));
                }
                attrs.push((k.to_string(), v.to_string()));
            }
        }
    } else {
        if rest.len() > schema.columns.len() {
            return Err(format!(
                "too many columns: expected term then {}",
                schema.columns.join(", ")
            ));
        }
        for (name, value) in schema.columns.iter().zip(rest) {
            attrs.push((name.to_string(), value.to_string()));
        }
    }
    for (key, value) in &attrs {
        if let Some(rule) = numeric(schema.kind, key) {
            check_number(key, value, rule)?;
        }
        if schema.kind == "lesion" && key == "plural" && !is_endings(value) {
            return Err(format!(
                "`plural={value}` is not a list of word endings such as `s/en`"
            ));
        }
    }
    for req in schema.required {
        if !attrs.iter().any(|(k, _)| k == req) {
            return Err(format!("missing `{req}`"));
        }
    }
    for (key, allowed) in schema.values {
        if let Some((_, v)) = attrs.iter().find(|(k, _)| k == key) {
            if !allowed.contains(&v.as_str()) {
                return Err(format!("`{key}={v}` is not one of: {}", allowed.join(", ")));
            }
        }
    }
    Ok((term, prefix, attrs))
}

/// Checks a number attribute against what the rules read.
fn check_number(key: &str, value: &str, rule: Numeric) -> Result<(), String> {
    match rule {
        Numeric::Whole { min, max } => {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`{key}={value}` is not a whole number ({min} to {max})"
                ));
            }
            match value.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(()),
                _ => Err(format!("`{key}={value}` is out of range ({min} to {max})")),
            }
        }
        Numeric::Positive => {
            let plain = value.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            match value.parse::<f64>() {
                Ok(x) if plain && x.is_finite() && x > 0.0 => Ok(()),
                _ => Err(format!(
                    "`{key}={value}` is not a number greater than 0 (with `.` as the decimal point)"
                )),
            }
        }
    }
}

/// True for `s`, `en/jes`: word endings of letters, separated by `/`.
fn is_endings(value: &str) -> bool {
    value
        .split('/')
        .all(|e| !e.is_empty() && e.chars().all(char::is_alphabetic))
}
