//! The `radpath qualify` protocol: one JSON request line in, one JSON answer line out.
//!
//! Request: `{"id": ..., "text": "...", "spans": [[start, end], ...], "lang": "nl"|"en"?,
//! "offsets": "char"|"byte"?}`. Offsets count Unicode characters unless `"offsets":
//! "byte"`. A span may also be written `{"start": s, "end": e}`.
//!
//! Answer: `{"id": ..., "spans": [{"start", "end", "presence", "temporality",
//! "experiencer", "rules"}, ...]}` with the offsets as given; a span that cannot be read
//! gets `{"start", "end", "error": {"kind", "message"}}` in its place, and a line that
//! cannot be read becomes `{"id", "line", "error": {"kind", "message"}}`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::extract::Extractor;
use crate::record::{Experiencer, Language, Presence, Temporality};

use super::{qualify_text, Qualified};

/// How a request counts offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offsets {
    /// Unicode characters (scalar values), as Python counts them.
    Char,
    /// UTF-8 bytes.
    Byte,
}

/// Why a request line cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// The line is empty.
    #[error("empty line")]
    Empty,
    /// The line is not JSON.
    #[error("not a JSON line: {0}")]
    BadJson(String),
    /// The line is JSON but not an object.
    #[error("a request is a JSON object with \"text\" and \"spans\"")]
    NotAnObject,
    /// A required field is missing.
    #[error("missing field \"{0}\"")]
    Missing(&'static str),
    /// A field has a value that cannot be used.
    #[error("field \"{field}\": {reason}")]
    BadField {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl LineError {
    /// A short machine-readable name.
    pub fn kind(&self) -> &'static str {
        match self {
            LineError::Empty => "empty_line",
            LineError::BadJson(_) => "bad_json",
            LineError::NotAnObject => "not_an_object",
            LineError::Missing(_) => "missing_field",
            LineError::BadField { .. } => "bad_field",
        }
    }
}

/// Why one span of a request cannot be qualified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    /// Not `[start, end]` or `{"start", "end"}` of whole numbers.
    #[error("a span is [start, end] with whole numbers >= 0")]
    Shape,
    /// `start >= end`.
    #[error("span {0}..{1} is empty or reversed (start must be < end)")]
    Empty(u64, u64),
    /// Past the end of the text.
    #[error("span {start}..{end} ends past the text ({len} {unit})")]
    OutOfRange {
        /// Start as given.
        start: u64,
        /// End as given.
        end: u64,
        /// Length of the text in the request's unit.
        len: usize,
        /// `characters` or `bytes`.
        unit: &'static str,
    },
    /// A byte offset inside a multi-byte character.
    #[error("byte offset {0} is inside a UTF-8 character")]
    NotCharBoundary(u64),
}

/// One answer line.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The JSON line to write (without the newline).
    pub json: String,
    /// The line could not be read at all.
    pub line_error: bool,
    /// Spans qualified.
    pub spans_ok: usize,
    /// Spans that could not be qualified.
    pub spans_failed: usize,
}

/// A parsed request.
struct Request {
    id: Value,
    text: String,
    lang: Option<Language>,
    offsets: Offsets,
    spans: Vec<Value>,
}

/// Answers one request line (`line_no` is 1-based, written on line errors).
/// `default_lang` applies when the line names no language (`None`: detect).
pub fn answer(
    extractor: &Extractor,
    line: &str,
    line_no: usize,
    default_lang: Option<Language>,
) -> Answer {
    let req = match parse(line) {
        Ok(r) => r,
        Err((id, e)) => return line_error(id, line_no, e.kind(), e.to_string()),
    };
    let checked: Vec<Result<(u64, u64, usize, usize), SpanError>> = {
        let boundaries = CharIndex::new(&req.text, req.offsets);
        req.spans.iter().map(|v| boundaries.check(v)).collect()
    };
    let ranges: Vec<(usize, usize)> = checked
        .iter()
        .filter_map(|c| c.as_ref().ok().map(|&(_, _, s, e)| (s, e)))
        .collect();
    let (_, results) = qualify_text(extractor, &req.text, req.lang.or(default_lang), &ranges);
    let mut results = results.into_iter();
    let mut spans = Vec::with_capacity(checked.len());
    let (mut ok, mut failed) = (0, 0);
    for (c, raw) in checked.iter().zip(&req.spans) {
        match c {
            Ok((s, e, _, _)) => {
                let q: Qualified = results.next().unwrap_or_default();
                let a = q.assertion;
                spans.push(SpanOut::Qualified(QualifiedSpan {
                    start: *s,
                    end: *e,
                    presence: a.presence,
                    temporality: a.temporality,
                    experiencer: a.experiencer,
                    rules: q.rules,
                }));
                ok += 1;
            }
            Err(err) => {
                let (start, end) = raw_bounds(raw);
                let error = ErrorOut {
                    kind: "invalid_span",
                    message: err.to_string(),
                };
                spans.push(SpanOut::Invalid(InvalidSpan { start, end, error }));
                failed += 1;
            }
        }
    }
    let out = AnswerOut { id: &req.id, spans };
    match serde_json::to_string(&out) {
        Ok(json) => Answer {
            json,
            line_error: false,
            spans_ok: ok,
            spans_failed: failed,
        },
        Err(e) => line_error(
            req.id.clone(),
            line_no,
            "internal",
            format!("cannot write the answer: {e}"),
        ),
    }
}

/// The answer for a line that cannot be read.
pub fn line_error(id: Value, line_no: usize, kind: &'static str, message: String) -> Answer {
    let out = LineErrorOut {
        id: &id,
        line: line_no,
        error: ErrorOut { kind, message },
    };
    let json = serde_json::to_string(&out).unwrap_or_else(|_| {
        format!("{{\"id\":null,\"line\":{line_no},\"error\":{{\"kind\":\"internal\",\"message\":\"cannot write the error\"}}}}")
    });
    Answer {
        json,
        line_error: true,
        spans_ok: 0,
        spans_failed: 0,
    }
}

#[derive(Serialize)]
struct AnswerOut<'a> {
    id: &'a Value,
    spans: Vec<SpanOut>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum SpanOut {
    Qualified(QualifiedSpan),
    Invalid(InvalidSpan),
}

#[derive(Serialize)]
struct QualifiedSpan {
    start: u64,
    end: u64,
    presence: Presence,
    temporality: Temporality,
    experiencer: Experiencer,
    rules: Vec<String>,
}

#[derive(Serialize)]
struct InvalidSpan {
    start: Value,
    end: Value,
    error: ErrorOut,
}

#[derive(Serialize)]
struct ErrorOut {
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct LineErrorOut<'a> {
    id: &'a Value,
    line: usize,
    error: ErrorOut,
}

fn parse(line: &str) -> Result<Request, (Value, LineError)> {
    if line.trim().is_empty() {
        return Err((Value::Null, LineError::Empty));
    }
    let value: Value =
        serde_json::from_str(line).map_err(|e| (Value::Null, LineError::BadJson(e.to_string())))?;
    let Value::Object(mut obj) = value else {
        return Err((Value::Null, LineError::NotAnObject));
    };
    let id = obj.remove("id").unwrap_or(Value::Null);
    let fail = |e: LineError| (id.clone(), e);
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(fail(LineError::BadField {
                field: "text",
                reason: "must be a string".into(),
            }))
        }
        None => return Err(fail(LineError::Missing("text"))),
    };
    let spans = match obj.remove("spans") {
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(fail(LineError::BadField {
                field: "spans",
                reason: "must be a list of [start, end]".into(),
            }))
        }
        None => return Err(fail(LineError::Missing("spans"))),
    };
    let lang = lang_field(&obj).map_err(fail)?;
    let offsets = offsets_field(&obj).map_err(|e| (id.clone(), e))?;
    Ok(Request {
        id,
        text,
        lang,
        offsets,
        spans,
    })
}

fn lang_field(obj: &Map<String, Value>) -> Result<Option<Language>, LineError> {
    match obj.get("lang") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "nl" | "nld" | "dutch" => Ok(Some(Language::Nl)),
            "en" | "eng" | "english" => Ok(Some(Language::En)),
            "auto" | "" => Ok(None),
            other => Err(LineError::BadField {
                field: "lang",
                reason: format!("`{other}` is not nl, en or auto"),
            }),
        },
        Some(_) => Err(LineError::BadField {
            field: "lang",
            reason: "must be a string".into(),
        }),
    }
}

fn offsets_field(obj: &Map<String, Value>) -> Result<Offsets, LineError> {
    match obj.get("offsets") {
        None | Some(Value::Null) => Ok(Offsets::Char),
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "char" | "chars" | "character" | "characters" | "codepoint" | "codepoints" => {
                Ok(Offsets::Char)
            }
            "byte" | "bytes" | "utf-8" | "utf8" => Ok(Offsets::Byte),
            other => Err(LineError::BadField {
                field: "offsets",
                reason: format!("`{other}` is not char or byte"),
            }),
        },
        Some(_) => Err(LineError::BadField {
            field: "offsets",
            reason: "must be \"char\" or \"byte\"".into(),
        }),
    }
}

/// The start and end of a span as given, for an error entry (null when unreadable).
fn raw_bounds(v: &Value) -> (Value, Value) {
    match v {
        Value::Array(a) => (
            a.first().cloned().unwrap_or(Value::Null),
            a.get(1).cloned().unwrap_or(Value::Null),
        ),
        Value::Object(o) => (
            o.get("start").cloned().unwrap_or(Value::Null),
            o.get("end").cloned().unwrap_or(Value::Null),
        ),
        _ => (Value::Null, Value::Null),
    }
}

/// Maps offsets in the request's unit to byte offsets of the text.
struct CharIndex<'a> {
    text: &'a str,
    offsets: Offsets,
    /// Byte offset of every character, plus the text length (character mode only).
    starts: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str, offsets: Offsets) -> CharIndex<'a> {
        let starts = match offsets {
            Offsets::Char => text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect(),
            Offsets::Byte => Vec::new(),
        };
        CharIndex {
            text,
            offsets,
            starts,
        }
    }

    /// Checks one span; returns it as given and as byte offsets.
    fn check(&self, v: &Value) -> Result<(u64, u64, usize, usize), SpanError> {
        let (s, e) = match v {
            Value::Array(a) if a.len() == 2 => (
                a.first().and_then(Value::as_u64),
                a.get(1).and_then(Value::as_u64),
            ),
            Value::Object(o) => (
                o.get("start").and_then(Value::as_u64),
                o.get("end").and_then(Value::as_u64),
            ),
            _ => (None, None),
        };
        let (Some(s), Some(e)) = (s, e) else {
            return Err(SpanError::Shape);
        };
        if s >= e {
            return Err(SpanError::Empty(s, e));
        }
        match self.offsets {
            Offsets::Char => {
                let len = self.starts.len().saturating_sub(1);
                let (Some(&bs), Some(&be)) =
                    (self.starts.get(s as usize), self.starts.get(e as usize))
                else {
                    return Err(SpanError::OutOfRange {
                        start: s,
                        end: e,
                        len,
                        unit: "characters",
                    });
                };
                Ok((s, e, bs, be))
            }
            Offsets::Byte => {
                let len = self.text.len();
                if e as usize > len {
                    return Err(SpanError::OutOfRange {
                        start: s,
                        end: e,
                        len,
                        unit: "bytes",
                    });
                }
                for p in [s, e] {
                    if !self.text.is_char_boundary(p as usize) {
                        return Err(SpanError::NotCharBoundary(p));
                    }
                }
                Ok((s, e, s as usize, e as usize))
            }
        }
    }
}
