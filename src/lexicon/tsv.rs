//! Parsing lexicon TSV files into entries, with `file:line: reason` errors.

use super::schema::{schema, KindSchema};
use super::{Entry, LexiconError};

/// Parses one lexicon file. `path` is its relative path (`nl/pattern.tsv`), which gives
/// the language (folder) and the kind (file stem). Every malformed line is reported.
pub fn parse_file(path: &str, contents: &str) -> Result<Vec<Entry>, Vec<LexiconError>> {
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
            Ok((term, prefix, attrs)) => entries.push(Entry {
                rule: Entry::rule_name(path, line_no, &term),
                term,
                prefix,
                kind: kind.clone(),
                lang: lang.clone(),
                attrs,
                file: path.to_string(),
                line: line_no,
            }),
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
    if raw_term.contains("  ") && !line.contains('\t') {
        return Err("term and attributes must be separated by a TAB".into());
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
        if let Some((_, scope)) = attrs.iter().find(|(k, _)| k == "max_scope") {
            if scope.parse::<u32>().is_err() {
                return Err(format!("max_scope `{scope}` is not a whole number"));
            }
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
