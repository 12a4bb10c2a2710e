//! Text reports one after the other in one stream (`--record-separator nul|line`): each
//! NUL-terminated chunk, or each line, is one report. Read one at a time, so a pipe gets
//! each report answered as soon as its separator arrives.

use std::io::{self, BufRead, BufReader, Read};

use serde_json::Map;

use super::decode::decode;
use super::source::{Input, RawReport, SourceOptions};
use crate::record::{ErrorInfo, ErrorKind, ErrorRecord, ErrorSource};

/// What ends one text report in a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordSeparator {
    /// A NUL byte (`find -print0`, `xargs -0` style); the last report needs none.
    Nul,
    /// A line end (LF, CRLF or CR); blank lines are skipped.
    Line,
}

/// The reports of a stream split at a separator; ids are `NAME:N` (N from 1).
pub struct SeparatedText {
    reader: BufReader<Box<dyn Read + Send>>,
    separator: RecordSeparator,
    name: String,
    source: String,
    opts: SourceOptions,
    /// Line number (line mode) or report number (NUL mode) of the last report.
    n: u64,
    after_cr: bool,
    buf: Vec<u8>,
    done: bool,
}

impl SeparatedText {
    /// Reports of `reader`, named `name:N`, with `source` in their provenance.
    pub fn new(
        reader: Box<dyn Read + Send>,
        separator: RecordSeparator,
        name: &str,
        source: &str,
        opts: SourceOptions,
    ) -> SeparatedText {
        SeparatedText {
            reader: BufReader::with_capacity(64 * 1024, reader),
            separator,
            name: name.to_string(),
            source: source.to_string(),
            opts,
            n: 0,
            after_cr: false,
            buf: Vec::new(),
            done: false,
        }
    }

    fn fail(&self, id: Option<String>, kind: ErrorKind, message: String) -> Input {
        let (line, row) = self.place();
        Input::Failed(ErrorRecord {
            id,
            error: ErrorInfo { kind, message },
            provenance: ErrorSource {
                source: self.source.clone(),
                line,
                row,
                sheet: None,
            },
        })
    }

    /// Line mode counts lines (`line`), NUL mode counts reports (`row`).
    fn place(&self) -> (Option<u64>, Option<u64>) {
        match self.separator {
            RecordSeparator::Line => (Some(self.n), None),
            RecordSeparator::Nul => (None, Some(self.n)),
        }
    }

    /// Reads up to the next separator; `None` at the end, `Some(false)` when the report
    /// was longer than the limit (the rest of it is consumed, not held).
    fn read_one(&mut self) -> io::Result<Option<bool>> {
        self.buf.clear();
        let limit = self.opts.max_record_bytes;
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            if self.separator == RecordSeparator::Line
                && std::mem::take(&mut self.after_cr)
                && available[0] == b'\n'
            {
                self.reader.consume(1);
                continue;
            }
            any = true;
            let end = match self.separator {
                RecordSeparator::Nul => available.iter().position(|&b| b == 0),
                RecordSeparator::Line => available.iter().position(|&b| b == b'\n' || b == b'\r'),
            };
            if let Some(i) = end {
                self.after_cr = available[i] == b'\r';
            }
            let chunk = &available[..end.unwrap_or(available.len())];
            if !too_long {
                if self.buf.len() + chunk.len() > limit {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(chunk);
                }
            }
            let consumed = end.map_or(available.len(), |i| i + 1);
            self.reader.consume(consumed);
            if end.is_some() {
                break;
            }
        }
        Ok(any.then_some(!too_long))
    }
}

impl Iterator for SeparatedText {
    type Item = Input;
    fn next(&mut self) -> Option<Input> {
        loop {
            if self.done {
                return None;
            }
            let read = self.read_one();
            self.n += 1;
            let id = format!("{}:{}", self.name, self.n);
            match read {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(self.fail(Some(id), ErrorKind::Io, format!("read error: {e}")));
                }
                Ok(Some(false)) => {
                    let m = format!(
                        "report larger than --max-record-bytes ({} bytes)",
                        self.opts.max_record_bytes
                    );
                    return Some(self.fail(Some(id), ErrorKind::TooLarge, m));
                }
                Ok(Some(true)) => {}
            }
            let blank = self.buf.iter().all(u8::is_ascii_whitespace);
            if blank && self.separator == RecordSeparator::Line {
                continue; // blank lines separate nothing
            }
            let (text, encoding) = match decode(&self.buf, self.opts.encoding) {
                Ok(v) => v,
                Err(e) => return Some(self.fail(Some(id), ErrorKind::Decode, e.0)),
            };
            if text.trim().is_empty() {
                let m = "the report text is empty".to_string();
                return Some(self.fail(Some(id), ErrorKind::EmptyText, m));
            }
            let (line, row) = self.place();
            return Some(Input::Report(RawReport {
                id,
                text: text.into_owned(),
                meta: Map::new(),
                source: self.source.clone(),
                line,
                row,
                sheet: None,
                encoding,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids_and_texts(input: &[u8], sep: RecordSeparator) -> Vec<(String, String)> {
        let opts = SourceOptions {
            max_record_bytes: 20,
            ..SourceOptions::default()
        };
        SeparatedText::new(
            Box::new(io::Cursor::new(input.to_vec())),
            sep,
            "stdin",
            "-",
            opts,
        )
        .map(|i| match i {
            Input::Report(r) => (r.id, r.text),
            Input::Failed(e) => (e.id.unwrap_or_default(), format!("{:?}", e.error.kind)),
        })
        .collect()
    }

    #[test]
    fn nul_separated_reports_may_hold_line_breaks() {
        let got = ids_and_texts(b"lever\nsegment 7\0\0tweede\0", RecordSeparator::Nul);
        assert_eq!(
            got,
            vec![
                ("stdin:1".into(), "lever\nsegment 7".into()),
                ("stdin:2".into(), "EmptyText".into()),
                ("stdin:3".into(), "tweede".into()),
            ]
        );
        let got = ids_and_texts(b"a\0b", RecordSeparator::Nul);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn lines_skip_blank_ones_and_count_them() {
        let got = ids_and_texts(b"een\r\n\r\ntwee\rdrie\n", RecordSeparator::Line);
        assert_eq!(
            got,
            vec![
                ("stdin:1".into(), "een".into()),
                ("stdin:3".into(), "twee".into()),
                ("stdin:4".into(), "drie".into()),
            ]
        );
        let long = format!("{}\nkort\n", "x".repeat(50));
        let got = ids_and_texts(long.as_bytes(), RecordSeparator::Line);
        assert_eq!(got[0].1, "TooLarge");
        assert_eq!(got[1], ("stdin:2".into(), "kort".into()));
    }
}
