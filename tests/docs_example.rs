//! The example record in README.md and docs/example-record.json is what the binary prints.
//!
//! Both copies are produced from `head -1 corpus/examples/archive.jsonl | radpath extract
//! --input jsonl`; this test fails when either differs from the binary's output today.
//! `RADPATH_BLESS=1 cargo test --release --test docs_example` rewrites both from the binary.

mod util;

use std::path::Path;

const README_BEGIN: &str = "<!-- example-record:begin (written by tests/docs_example.rs) -->\n";
const README_END: &str = "<!-- example-record:end -->\n";

/// A JSON value that keeps the order of object keys as printed.
#[derive(Debug)]
enum Json {
    /// A scalar, kept as its exact JSON token.
    Atom(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// A minimal reader of the JSON the binary prints (no whitespace handling beyond spaces).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn string_token(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while self.bytes[self.at] != b'"' {
            if self.bytes[self.at] == b'\\' {
                self.at += 1;
            }
            self.at += 1;
        }
        self.at += 1;
        String::from_utf8(self.bytes[start..self.at].to_vec()).expect("UTF-8 token")
    }

    fn value(&mut self) -> Json {
        self.skip_space();
        match self.bytes[self.at] {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                loop {
                    self.skip_space();
                    if self.bytes[self.at] == b'}' {
                        self.at += 1;
                        return Json::Object(members);
                    }
                    if self.bytes[self.at] == b',' {
                        self.at += 1;
                        self.skip_space();
                    }
                    let key = self.string_token();
                    self.skip_space();
                    assert_eq!(self.bytes[self.at], b':');
                    self.at += 1;
                    members.push((key, self.value()));
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.bytes[self.at] {
                        b']' => {
                            self.at += 1;
                            return Json::Array(items);
                        }
                        b',' => self.at += 1,
                        _ => items.push(self.value()),
                    }
                }
            }
            b'"' => Json::Atom(self.string_token()),
            _ => {
                let start = self.at;
                while !matches!(self.bytes[self.at], b',' | b'}' | b']') {
                    self.at += 1;
                }
                Json::Atom(
                    String::from_utf8(self.bytes[start..self.at].to_vec())
                        .expect("UTF-8")
                        .trim()
                        .to_string(),
                )
            }
        }
    }
}

fn parse(text: &str) -> Json {
    Reader {
        bytes: text.as_bytes(),
        at: 0,
    }
    .value()
}

/// Pretty-printed with two spaces, as `serde_json::to_string_pretty` would (keys in order).
fn pretty(value: &Json, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Json::Atom(a) => out.push_str(a),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(members) if members.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                pretty(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Json::Object(members) => {
            out.push_str("{\n");
            for (i, (key, item)) in members.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(key);
                out.push_str(": ");
                pretty(item, indent + 1, out);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
    }
}

/// One line, `", "` and `": "` between items; arrays of objects cut after `keep` items (`…`
/// marks the cut), arrays of scalars written whole.
fn compact(value: &Json, keep: usize, out: &mut String) {
    match value {
        Json::Atom(a) => out.push_str(a),
        Json::Array(items) => {
            let keep = if items.iter().all(|i| matches!(i, Json::Atom(_))) {
                usize::MAX
            } else {
                keep
            };
            out.push('[');
            for (i, item) in items.iter().take(keep).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                compact(item, keep, out);
            }
            if items.len() > keep {
                out.push_str(if keep == 0 { "…" } else { ", …" });
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push_str(": ");
                compact(item, keep, out);
            }
            out.push('}');
        }
    }
}

fn compact_string(value: &Json, keep: usize) -> String {
    let mut s = String::new();
    compact(value, keep, &mut s);
    s
}

/// The README's view of a record: the summary one field a line, the first lesion, the first
/// three facts, each staging score's value, and the provenance; `…` marks what was left out.
fn readme_view(record: &Json) -> String {
    let Json::Object(members) = record else {
        panic!("a record is an object")
    };
    let mut out = String::from("```\n");
    let last = members.len() - 1;
    for (i, (key, value)) in members.iter().enumerate() {
        out.push_str(if i == 0 { "{" } else { " " });
        out.push_str(key);
        out.push_str(": ");
        match (key.as_str(), value) {
            ("\"summary\"", Json::Object(fields)) => {
                out.push_str("{\n");
                for (j, (k, v)) in fields.iter().enumerate() {
                    out.push_str("   ");
                    out.push_str(k);
                    out.push_str(": ");
                    out.push_str(&compact_string(v, usize::MAX));
                    out.push_str(if j + 1 < fields.len() { ",\n" } else { "\n" });
                }
                out.push_str(" }");
            }
            ("\"lesions\"", _) => out.push_str(&compact_string(value, 1)),
            ("\"facts\"", Json::Array(facts)) => {
                out.push_str("[\n");
                for fact in facts.iter().take(3) {
                    out.push_str("   ");
                    out.push_str(&compact_string(fact, usize::MAX));
                    out.push_str(",\n");
                }
                out.push_str("   …]");
            }
            ("\"staging\"", Json::Object(scores)) => {
                out.push('{');
                for (j, (k, v)) in scores.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push_str(": ");
                    match v {
                        Json::Object(parts) => {
                            let value = parts.iter().find(|(name, _)| name == "\"value\"");
                            match value {
                                Some((_, v)) => {
                                    out.push_str("{\"value\": ");
                                    out.push_str(&compact_string(v, usize::MAX));
                                    out.push_str(", …}");
                                }
                                None => out.push_str("{…}"),
                            }
                        }
                        other => out.push_str(&compact_string(other, usize::MAX)),
                    }
                }
                out.push('}');
            }
            _ => out.push_str(&compact_string(value, usize::MAX)),
        }
        out.push_str(if i < last { ",\n" } else { "}\n" });
    }
    out.push_str("```\n");
    out
}

#[test]
fn readme_and_docs_example_record_are_what_the_binary_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let archive = std::fs::read_to_string(root.join("corpus/examples/archive.jsonl"))
        .expect("corpus/examples/archive.jsonl");
    let first = archive.lines().next().expect("a first example line");
    let run = util::run_in(
        root,
        &["extract", "--input", "jsonl", "-q"],
        Some(format!("{first}\n").as_bytes()),
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let record = parse(run.stdout.trim_end());

    let mut full = String::new();
    pretty(&record, 0, &mut full);
    full.push('\n');
    let view = readme_view(&record);

    let docs_path = root.join("docs/example-record.json");
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let begin = readme
        .find(README_BEGIN)
        .expect("README has the begin marker")
        + README_BEGIN.len();
    let end = readme.find(README_END).expect("README has the end marker");

    if std::env::var_os("RADPATH_BLESS").is_some() {
        std::fs::write(&docs_path, &full).expect("write docs/example-record.json");
        let updated = format!("{}{}{}", &readme[..begin], view, &readme[end..]);
        std::fs::write(&readme_path, updated).expect("write README.md");
        return;
    }
    let docs = std::fs::read_to_string(&docs_path).expect("docs/example-record.json");
    assert!(
        docs == full,
        "docs/example-record.json differs from what the binary prints; \
         run `RADPATH_BLESS=1 cargo test --release --test docs_example` and review the diff"
    );
    assert!(
        readme[begin..end] == view,
        "README's example record differs from what the binary prints; \
         run `RADPATH_BLESS=1 cargo test --release --test docs_example` and review the diff\n\
         expected:\n{view}"
    );
}
