//! The assertion engine behind `radpath qualify`, on arbitrary text and arbitrary spans:
//! a request line with any spans (reversed, out of range, inside a character, not numbers)
//! gets exactly one answer per span and a JSON answer line; the library entry points take
//! any range without panicking.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radpath::extract::assertion::{protocol, qualify_text};
use radpath::record::Language;
use serde_json::{json, Value};

#[derive(Debug, Arbitrary)]
enum Span {
    Pair(u16, u16),
    Huge(u64, i64),
    Float(f32),
    Text(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    text: String,
    lang: u8,
    byte_offsets: bool,
    spans: Vec<Span>,
    raw_line: Option<String>,
}

fuzz_target!(|input: Input| {
    let extractor = radpath_fuzz::extractor();
    let spans: Vec<Value> = input
        .spans
        .iter()
        .take(16)
        .map(|s| match s {
            Span::Pair(a, b) => json!([a, b]),
            Span::Huge(a, b) => json!([a, b]),
            Span::Float(f) => json!([f, 1]),
            Span::Text(t) => json!(t),
        })
        .collect();
    let mut req = json!({"id": "f", "text": input.text, "spans": spans});
    match input.lang % 3 {
        0 => {}
        1 => req["lang"] = json!("nl"),
        _ => req["lang"] = json!("en"),
    }
    if input.byte_offsets {
        req["offsets"] = json!("byte");
    }
    let answer = protocol::answer(extractor, &req.to_string(), 1, None);
    let out: Value = serde_json::from_str(&answer.json).expect("the answer is JSON");
    if !answer.line_error {
        let n = out["spans"].as_array().map_or(0, Vec::len);
        assert_eq!(n, spans.len(), "one answer per span");
        assert_eq!(answer.spans_ok + answer.spans_failed, spans.len());
    }
    if let Some(line) = &input.raw_line {
        let answer = protocol::answer(extractor, line, 2, Some(Language::Nl));
        let _: Value = serde_json::from_str(&answer.json).expect("the answer is JSON");
    }
    // The library entry point with unchecked byte ranges.
    let ranges: Vec<(usize, usize)> = input
        .spans
        .iter()
        .filter_map(|s| match s {
            Span::Pair(a, b) => Some((usize::from(*a), usize::from(*b))),
            _ => None,
        })
        .collect();
    let (_, results) = qualify_text(extractor, &input.text, None, &ranges);
    assert_eq!(results.len(), ranges.len());
});
