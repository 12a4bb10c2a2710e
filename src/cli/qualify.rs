//! `radpath qualify [PATH|-]`: one answer line per request line, in input order.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use radpath::extract::assertion::protocol;
use radpath::io::sink::{output_target, OutputTarget};
use radpath::record::Language;

use super::args::{LangArg, QualifyArgs};

/// Lines read, answered in parallel and written per batch (bounds memory).
const BATCH_LINES: usize = 4096;
/// Bytes read per batch at most (a batch stops after the line that crosses this).
const BATCH_BYTES: usize = 16 * 1024 * 1024;

/// Answers one raw input line (a line that is not UTF-8, or that trips an internal error,
/// gets an error line).
fn answer_raw(
    extractor: &radpath::extract::Extractor,
    buf: &[u8],
    line_no: usize,
    lang: Option<Language>,
) -> protocol::Answer {
    let caught = std::panic::catch_unwind(|| answer_line(extractor, buf, line_no, lang));
    caught.unwrap_or_else(|_| {
        protocol::line_error(
            serde_json::Value::Null,
            line_no,
            "internal",
            "internal error on this line".into(),
        )
    })
}

fn answer_line(
    extractor: &radpath::extract::Extractor,
    buf: &[u8],
    line_no: usize,
    lang: Option<Language>,
) -> protocol::Answer {
    let raw = buf.strip_suffix(b"\n").unwrap_or(buf);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    match std::str::from_utf8(raw) {
        Ok(line) => protocol::answer(extractor, line, line_no, lang),
        Err(e) => protocol::line_error(
            serde_json::Value::Null,
            line_no,
            "invalid_utf8",
            format!("the line is not UTF-8: {e}"),
        ),
    }
}

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
    let target = match &a.output {
        None => OutputTarget::Stdout,
        Some(p) => {
            let inputs: Vec<&Path> = a.path.iter().map(Path::new).collect();
            match output_target(p, &inputs, a.force) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("radpath: {e}");
                    return Ok(2);
                }
            }
        }
    };
    let out = match target.create() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let lang = match a.lang {
        LangArg::Auto => None,
        LangArg::Nl => Some(Language::Nl),
        LangArg::En => Some(Language::En),
    };
    if a.jobs == Some(0) {
        eprintln!("radpath: --jobs must be at least 1");
        return Ok(2);
    }
    let jobs = super::worker_threads(a.jobs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start worker threads")?;
    let mut out = BufWriter::new(out);
    let mut reader = BufReader::new(input);
    let (mut lines, mut bad_lines, mut spans_ok, mut spans_failed) =
        (0usize, 0usize, 0usize, 0usize);
    loop {
        // Read a bounded batch, answer it in parallel, write it in input order.
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH_LINES);
        let mut bytes = 0;
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            let mut buf = Vec::new();
            if reader
                .read_until(b'\n', &mut buf)
                .context("cannot read the input")?
                == 0
            {
                break;
            }
            lines += 1;
            bytes += buf.len();
            batch.push((lines, buf));
            if reader.buffer().is_empty() {
                break; // answer what has arrived before waiting for more (interactive pipes)
            }
        }
        if batch.is_empty() {
            break;
        }
        let answers: Vec<protocol::Answer> = pool.install(|| {
            batch
                .par_iter()
                .map(|(no, buf)| answer_raw(&extractor, buf, *no, lang))
                .collect()
        });
        for answer in answers {
            bad_lines += usize::from(answer.line_error);
            spans_ok += answer.spans_ok;
            spans_failed += answer.spans_failed;
            out.write_all(answer.json.as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    let out = out.into_inner().map_err(|e| e.into_error())?;
    out.commit()?;
    if !a.quiet {
        eprintln!(
            "radpath: read {lines} lines ({bad_lines} unreadable), qualified {spans_ok} spans, {spans_failed} invalid spans"
        );
    }
    Ok(if bad_lines + spans_failed > 0 { 1 } else { 0 })
}
