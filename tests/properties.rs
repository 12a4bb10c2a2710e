//! Property tests of the guarantees a registry relies on: extraction returns for any text
//! with every evidence span a valid slice of the original; folding maps back to the
//! original monotonically; any list of records, well-formed or broken, comes out as
//! exactly one line per input, in order, with ids kept, the same at any number of threads.

mod util;

use std::io::Cursor;
use std::sync::OnceLock;

use proptest::prelude::*;
use radpath::extract::{Ctx, Extraction, Extractor};
use radpath::io::batch::{self, BatchOptions};
use radpath::io::sink::{LineSink, OutputFormat};
use radpath::io::source::{csv_from_reader, jsonl_from_reader, SourceOptions};
use radpath::lexicon::LexiconSet;
use radpath::record::Language;
use radpath::text::{Document, Folded};
use serde_json::{json, Value};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(LexiconSet::embedded().expect("embedded lexicons")))
}

/// Pieces that report text is made of: every lexicon term (so the matchers and the rules
/// behind them fire), the gold reports cut into lines, and the characters that break naive
/// code: numbers with both decimal marks, size signs, multi-byte spaces, accents, line ends.
fn pieces() -> &'static [String] {
    static PIECES: OnceLock<Vec<String>> = OnceLock::new();
    PIECES.get_or_init(|| {
        let mut out: Vec<String> = extractor()
            .lexicons()
            .entries()
            .iter()
            .map(|e| e.term.clone())
            .collect();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        if let Ok(dir) = std::fs::read_dir(corpus) {
            for file in dir.filter_map(|e| e.ok()).map(|e| e.path()) {
                let Ok(contents) = std::fs::read_to_string(&file) else {
                    continue;
                };
                for line in contents.lines() {
                    if let Ok(case) = serde_json::from_str::<Value>(line) {
                        if let Some(text) = case["text"].as_str() {
                            out.extend(text.lines().map(str::to_string));
                        }
                    }
                }
            }
        }
        for s in [
            "2,3",
            "1.8",
            "x",
            "×",
            "*",
            "cm",
            "mm",
            "4",
            "VII",
            "S4a",
            "IVb",
            "/",
            "-",
            "–",
            "(",
            ")",
            ".",
            ",",
            ":",
            ";",
            "%",
            "+",
            "≥",
            "½",
            "µ",
            "é",
            "ë",
            "ß",
            "İ",
            "\u{a0}",
            "\u{3000}",
            "\u{301}",
            "\u{200b}",
            "\u{feff}",
            "\n",
            "\r\n",
            "\r",
            "\t",
            "  ",
            "0",
            "99999999999999999999",
            "1x1x1x1",
            "LR-5",
            "HepPar-1",
            "🙂",
        ] {
            out.push(s.to_string());
        }
        out
    })
}

/// Text built from [`pieces`] with random separators, or arbitrary Unicode.
fn report_text() -> impl Strategy<Value = String> {
    let n = pieces().len();
    let built = prop::collection::vec(
        (
            0..n,
            prop::sample::select(vec!["", " ", "\n", ". ", ", ", "\u{a0}", "\r\n"]),
        ),
        0..40,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (i, sep) in parts {
            s.push_str(&pieces()[i]);
            s.push_str(sep);
        }
        s
    });
    prop_oneof![3 => built, 1 => any::<String>(), 1 => "[a-zA-Z0-9 .,:;x×\\-\\n\\r\u{a0}é]{0,200}"]
}

fn check_evidence(ex: &Extraction, text: &str) -> Result<(), TestCaseError> {
    let spans = ex
        .facts
        .iter()
        .map(|f| &f.evidence)
        .chain(ex.lesions.iter().flat_map(|l| l.evidence.iter()));
    for ev in spans {
        prop_assert!(
            ev.start <= ev.end && ev.end <= text.len(),
            "span {}..{} outside {} bytes",
            ev.start,
            ev.end,
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(ev.start) && text.is_char_boundary(ev.end),
            "span {}..{} not on char boundaries",
            ev.start,
            ev.end
        );
        prop_assert_eq!(&text[ev.start..ev.end], ev.text.as_str());
        prop_assert!(!ev.rule.is_empty(), "evidence without a rule");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Extraction returns for any text, in either language, and every evidence span lies
    /// on character boundaries inside the text and equals the original slice.
    #[test]
    fn extraction_returns_with_valid_evidence(text in report_text()) {
        for lang in [None, Some(Language::Nl), Some(Language::En)] {
            let ex = extractor().extract_text(&text, lang);
            check_evidence(&ex, &text)?;
            prop_assert!(serde_json::to_string(&ex.summary).is_ok());
        }
    }

    /// Every lexicon match (what extractors turn into facts) and any folded range, even a
    /// reversed or out-of-range one, becomes evidence that is an exact slice of the original
    /// whose folded form contains the matched text.
    #[test]
    fn matches_and_ranges_become_exact_evidence(text in report_text(), ranges in prop::collection::vec((0usize..400, 0usize..400), 0..8)) {
        let ex = extractor();
        let doc = ex.document(&text);
        for lang in [Language::Nl, Language::En] {
            let matches = ex.lexicons().matcher(lang.into()).find_all(&doc.folded.text);
            let ctx = Ctx::new(&doc, ex.lexicons(), &matches, lang);
            // Matches of different kinds may overlap (each kind is leftmost-longest on its own).
            for m in &matches {
                prop_assert!(m.start < m.end && m.end <= doc.folded.text.len(), "a match leaves the text");
                let entry = ctx.entries(m).next();
                prop_assert!(entry.is_some(), "a match without a lexicon entry");
                let ev = ctx.evidence(m.start, m.end, entry.map(|e| e.rule()).unwrap_or_default());
                prop_assert!(text.is_char_boundary(ev.start) && text.is_char_boundary(ev.end) && ev.start < ev.end);
                prop_assert_eq!(&text[ev.start..ev.end], ev.text.as_str());
                let matched = &doc.folded.text[m.start..m.end];
                prop_assert!(Folded::new(&ev.text).text.contains(matched), "{:?} does not fold to contain {:?}", ev.text, matched);
            }
            for &(a, b) in &ranges {
                let ev = ctx.evidence(a, b, "range");
                prop_assert!(ev.start <= ev.end && ev.end <= text.len());
                prop_assert_eq!(&text[ev.start..ev.end], ev.text.as_str());
            }
        }
    }

    /// Every folded byte maps back to whole original characters, and the map is monotone:
    /// a later folded byte never maps to an earlier original position.
    #[test]
    fn folding_maps_back_monotonically(text in report_text()) {
        let f = Folded::new(&text);
        prop_assert_eq!(f.original_len(), text.len());
        let (mut last_start, mut last_end) = (0, 0);
        for i in 0..f.text.len() {
            let (s, e) = f.to_original(i, i + 1);
            prop_assert!(s < e && e <= text.len(), "byte {i} maps to {s}..{e}");
            prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            prop_assert!(s >= last_start && e >= last_end, "not monotone at folded byte {i}");
            prop_assert!(f.to_folded(s) <= i);
            (last_start, last_end) = (s, e);
        }
        // Any range maps to the span from its first to its last character.
        let len = f.text.len();
        for (a, b) in [(0, len), (len / 3, 2 * len / 3), (len, len), (len + 5, len + 9), (7, 3)] {
            let (s, e) = f.to_original(a, b);
            prop_assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
        }
    }

    /// Sections, sentences and tokens stay inside the text, on character boundaries, in order.
    #[test]
    fn document_parts_are_ordered_and_inside(text in report_text()) {
        let doc: Document = extractor().document(&text);
        let mut prev_end = 0;
        for s in &doc.sentences {
            prop_assert!(prev_end <= s.start && s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            prop_assert!(s.fstart <= s.fend && s.fend <= doc.folded.text.len());
            prop_assert!(s.section < doc.sections.len().max(1));
            prev_end = s.end;
        }
        for sec in &doc.sections {
            prop_assert!(sec.start <= sec.end && sec.end <= text.len());
            prop_assert!(text.is_char_boundary(sec.start) && text.is_char_boundary(sec.end));
        }
        let mut prev = 0;
        for t in &doc.tokens {
            prop_assert!(prev <= t.start && t.start < t.end && t.end <= doc.folded.text.len());
            prop_assert!(doc.folded.text.is_char_boundary(t.start) && doc.folded.text.is_char_boundary(t.end));
            prev = t.end;
        }
    }
}

/// One input line of a JSONL export, well-formed or not.
#[derive(Debug, Clone)]
enum Line {
    Good { id: String, text: String },
    NumericId { id: i64, text: String },
    NoId { text: String },
    MissingText { id: String },
    TextNotString { id: String },
    EmptyText { id: String },
    TooLarge { id: String },
    NotObject(Value),
    Broken(String),
    Blank(String),
}

fn line() -> impl Strategy<Value = Line> {
    let text = prop_oneof![report_text(), "[a-z ]{1,30}"].prop_map(|t| {
        if t.trim().is_empty() {
            format!("x{t}")
        } else {
            t
        }
    });
    let id = any::<String>();
    prop_oneof![
        6 => (id, text.clone()).prop_map(|(id, text)| Line::Good { id, text }),
        1 => (any::<i64>(), text.clone()).prop_map(|(id, text)| Line::NumericId { id, text }),
        1 => text.prop_map(|text| Line::NoId { text }),
        1 => id.prop_map(|id| Line::MissingText { id }),
        1 => id.prop_map(|id| Line::TextNotString { id }),
        1 => id.prop_map(|id| Line::EmptyText { id }),
        1 => id.prop_map(|id| Line::TooLarge { id }),
        1 => prop_oneof![Just(json!([1, 2])), Just(json!("s")), Just(json!(3.5)), Just(Value::Null)].prop_map(Line::NotObject),
        // A raw control character is invalid JSON anywhere in a line.
        1 => "[^\\n\\r]{0,40}".prop_map(|g| Line::Broken(format!("{{\u{1}{g}"))),
        // Never empty: an empty line after a CR-ended one would make a CRLF.
        1 => "[ \\t]{1,3}".prop_map(Line::Blank),
    ]
}

const LIMIT: usize = 3000;

impl Line {
    fn render(&self) -> String {
        match self {
            Line::Good { id, text } => json!({"id": id, "text": text, "ward": "A"}).to_string(),
            Line::NumericId { id, text } => json!({"id": id, "text": text}).to_string(),
            Line::NoId { text } => json!({"text": text}).to_string(),
            Line::MissingText { id } => json!({"id": id, "body": "x"}).to_string(),
            Line::TextNotString { id } => json!({"id": id, "text": [1]}).to_string(),
            Line::EmptyText { id } => json!({"id": id, "text": " \n "}).to_string(),
            Line::TooLarge { id } => json!({"id": id, "text": "a".repeat(LIMIT + 1)}).to_string(),
            Line::NotObject(v) => v.to_string(),
            Line::Broken(g) => g.clone(),
            Line::Blank(b) => b.clone(),
        }
    }

    /// The id the output line must carry, where the input has one.
    fn expected_id(&self, source: &str, line_no: usize) -> Option<String> {
        match self {
            Line::Good { id, .. }
            | Line::MissingText { id }
            | Line::TextNotString { id }
            | Line::EmptyText { id } => Some(id.clone()),
            Line::NumericId { id, .. } => Some(id.to_string()),
            Line::NoId { .. } => Some(format!("{source}:{line_no}")),
            _ => None,
        }
    }

    fn expected_error(&self) -> Option<&'static str> {
        match self {
            Line::Good { .. } | Line::NumericId { .. } | Line::NoId { .. } => None,
            Line::MissingText { .. } | Line::TextNotString { .. } => Some("missing_text"),
            Line::EmptyText { .. } => Some("empty_text"),
            Line::TooLarge { .. } => Some("too_large"),
            Line::NotObject(_) => Some("not_object"),
            Line::Broken(_) => Some("json"),
            Line::Blank(_) => None,
        }
    }
}

fn render_all(lines: &[(Line, &str)]) -> Vec<u8> {
    let mut out = String::new();
    for (l, end) in lines {
        out.push_str(&l.render());
        out.push_str(end);
    }
    out.into_bytes()
}

fn run_batch(
    bytes: &[u8],
    jobs: usize,
    chunk_reports: usize,
    csv: bool,
) -> (Vec<u8>, batch::Counts) {
    // CSV rows are kept under the limit here: the limit on rows is tested in tests/hostile.rs.
    let limit = if csv { 1 << 20 } else { LIMIT };
    let opts = SourceOptions {
        max_record_bytes: limit,
        ..SourceOptions::default()
    };
    let reader = Box::new(Cursor::new(bytes.to_vec()));
    let inputs = if csv {
        csv_from_reader(reader, "p.csv", opts)
    } else {
        jsonl_from_reader(reader, "p.jsonl", opts)
    };
    let bopts = BatchOptions {
        jobs,
        chunk_reports,
        chunk_bytes: 4096,
        ..BatchOptions::default()
    };
    let mut sink = LineSink::new(Vec::new(), OutputFormat::Jsonl).expect("a sink");
    let counts =
        batch::run(extractor(), inputs, &bopts, &mut sink, |_| {}).expect("the batch runs");
    (sink.finish().expect("flush"), counts)
}

/// Checks one JSONL batch output against its input lines.
fn check_output(
    lines: &[(Line, &str)],
    out: &[u8],
    counts: &batch::Counts,
) -> Result<(), TestCaseError> {
    let text = std::str::from_utf8(out).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let got: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let inputs: Vec<(usize, &Line)> = lines
        .iter()
        .enumerate()
        .filter(|(_, (l, _))| !matches!(l, Line::Blank(_)))
        .map(|(i, (l, _))| (i + 1, l))
        .collect();
    prop_assert_eq!(got.len(), inputs.len(), "one output line per input");
    prop_assert_eq!(counts.read, counts.extracted + counts.failed);
    prop_assert_eq!(counts.read as usize, inputs.len());
    for (out, (line_no, input)) in got.iter().zip(&inputs) {
        prop_assert_eq!(
            &out["provenance"]["line"],
            &json!(line_no),
            "in input order"
        );
        if input.render().len() > LIMIT {
            prop_assert_eq!(&out["error"]["kind"], &json!("too_large"));
            continue;
        }
        if let Some(id) = input.expected_id("p.jsonl", *line_no) {
            prop_assert_eq!(&out["id"], &json!(id), "the id is kept");
        }
        match input.expected_error() {
            Some(kind) => prop_assert_eq!(&out["error"]["kind"], &json!(kind), "{:?}", input),
            None => {
                prop_assert!(out.get("error").is_none(), "{:?} gave {}", input, out);
                prop_assert_eq!(
                    &out["meta"]["ward"],
                    if matches!(input, Line::Good { .. }) {
                        &json!("A")
                    } else {
                        &Value::Null
                    }
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Any list of JSONL records, well-formed or broken, with any line ends: exactly one
    /// output line per input, in input order, ids kept, the same bytes at 1 and 4 threads
    /// and whatever the chunk size.
    #[test]
    fn jsonl_records_come_out_one_per_input_in_order(
        lines in prop::collection::vec((line(), prop::sample::select(vec!["\n", "\r\n", "\r"])), 0..60),
        chunk in 1usize..8,
    ) {
        let bytes = render_all(&lines);
        let (one, c1) = run_batch(&bytes, 1, chunk, false);
        check_output(&lines, &one, &c1)?;
        let (four, c4) = run_batch(&bytes, 4, chunk, false);
        prop_assert_eq!(c1, c4);
        prop_assert!(one == four, "--jobs 1 and --jobs 4 differ");
        let (big_chunk, _) = run_batch(&bytes, 4, 1024, false);
        prop_assert!(one == big_chunk, "the chunk size changes the output");
    }

    /// CSV rows, well-formed or with a wrong number of fields: one output line per row, in
    /// order, the id column kept, the same at 1 and 4 threads.
    #[test]
    fn csv_rows_come_out_one_per_row_in_order(
        rows in prop::collection::vec((any::<String>(), report_text(), 0usize..6), 0..40),
        chunk in 1usize..8,
    ) {
        let mut csv = String::from("id,text,ward\r\n");
        let mut expected = Vec::new();
        for (i, (id, text, shape)) in rows.iter().enumerate() {
            let id = format!("r{i}-{}", id.replace(['\n', '\r'], ""));
            let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            match shape {
                0 => csv.push_str(&format!("{},{}\n", quote(&id), quote(text))),
                _ => csv.push_str(&format!("{},{},w\r\n", quote(&id), quote(text))),
            }
            let kind = if *shape == 0 {
                Some("csv")
            } else if text.trim().is_empty() {
                Some("empty_text")
            } else {
                None
            };
            expected.push((id, kind));
        }
        let (one, c1) = run_batch(csv.as_bytes(), 1, chunk, true);
        let (four, c4) = run_batch(csv.as_bytes(), 4, chunk, true);
        prop_assert_eq!(c1, c4);
        prop_assert!(one == four, "--jobs 1 and --jobs 4 differ");
        let got: Vec<Value> = std::str::from_utf8(&one).unwrap_or("").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
        prop_assert_eq!(got.len(), expected.len());
        prop_assert_eq!(c1.read, c1.extracted + c1.failed);
        for (i, (out, (id, kind))) in got.iter().zip(&expected).enumerate() {
            prop_assert_eq!(&out["provenance"]["row"], &json!(i + 1));
            prop_assert_eq!(&out["id"], &json!(id));
            match kind {
                Some(k) => prop_assert_eq!(&out["error"]["kind"], &json!(k)),
                None => prop_assert!(out.get("error").is_none(), "{}", out),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The same through the binary: `--jobs 1` and `--jobs 4` write identical output with
    /// one line per input, and the closing counts add up.
    #[test]
    fn the_binary_writes_the_same_at_any_number_of_threads(
        lines in prop::collection::vec((line(), prop::sample::select(vec!["\n", "\r\n"])), 1..40),
    ) {
        let dir = util::tempdir();
        util::write(dir.path(), "p.jsonl", render_all(&lines));
        let limit = LIMIT.to_string();
        let one = util::run_in(dir.path(), &["extract", "--max-record-bytes", &limit, "-j", "1", "p.jsonl"], None);
        let four = util::run_in(dir.path(), &["extract", "--max-record-bytes", &limit, "-j", "4", "p.jsonl"], None);
        prop_assert!(one.code == 0 || one.code == 1, "{}", one.stderr);
        prop_assert_eq!(one.code, four.code);
        prop_assert!(one.stdout == four.stdout, "--jobs 1 and --jobs 4 differ");
        let inputs = lines.iter().filter(|(l, _)| !matches!(l, Line::Blank(_))).count();
        prop_assert_eq!(one.json_lines().len(), inputs);
        let summary = format!("radpath: read {inputs}, extracted ");
        prop_assert!(one.stderr.contains(&summary), "{}", one.stderr);
    }
}
