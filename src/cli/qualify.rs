//! `radpath qualify [PATH|-]`: one answer line per request line, in input order.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use anyhow::{Context, Result};

use radpath::extract::assertion::protocol;
use radpath::record::Language;

use super::args::{LangArg, QualifyArgs};

pub fn run(a: QualifyArgs) -> Result<i32> {
    let extractor = match super::build_extractor(a.lexicons.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let input: Box<dyn Read> = match a.path.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(p) => match File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("radpath: cannot open {p}: {e}");
                return Ok(2);
            }
        },
    };
    let out: Box<dyn Write> = match &a.output {
        Some(p) => Box::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?),
        None => Box::new(io::stdout().lock()),
    };
    let lang = match a.lang {
        LangArg::Auto => None,
        LangArg::Nl => Some(Language::Nl),
        LangArg::En => Some(Language::En),
    };
    let mut out = BufWriter::new(out);
    let mut reader = BufReader::new(input);
    let mut buf = Vec::new();
    let (mut lines, mut bad_lines, mut spans_ok, mut spans_failed) = (0usize, 0usize, 0usize, 0usize);
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).context("cannot read the input")? == 0 {
            break;
        }
        lines += 1;
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let answer = match std::str::from_utf8(raw) {
            Ok(line) => protocol::answer(&extractor, line, lines, lang),
            Err(e) => protocol::line_error(
                serde_json::Value::Null,
                lines,
                "invalid_utf8",
                format!("the line is not UTF-8: {e}"),
            ),
        };
        bad_lines += usize::from(answer.line_error);
        spans_ok += answer.spans_ok;
        spans_failed += answer.spans_failed;
        out.write_all(answer.json.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if !a.quiet {
        eprintln!(
            "radpath: read {lines} lines ({bad_lines} unreadable), qualified {spans_ok} spans, {spans_failed} invalid spans"
        );
    }
    Ok(if bad_lines + spans_failed > 0 { 1 } else { 0 })
}
