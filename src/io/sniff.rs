//! Looking at the first bytes of an input before reading it: the column separator of a
//! CSV export, and whether a stream on stdin is JSON Lines.

use std::io::{self, Read};

use csv_core::{ReadRecordResult, ReaderBuilder};

/// The column separator of CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// Sniffed from the first rows (a comma when nothing else fits better); `.tsv` files
    /// are tab-separated.
    #[default]
    Auto,
    /// This byte.
    Byte(u8),
}

/// Why a `--delimiter` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "--delimiter {0:?}: use auto, a single ASCII character, \\t or tab, comma, semicolon, pipe"
)]
pub struct DelimiterError(pub String);

impl std::str::FromStr for Delimiter {
    type Err = DelimiterError;
    fn from_str(s: &str) -> Result<Delimiter, DelimiterError> {
        let b = match s {
            "auto" => return Ok(Delimiter::Auto),
            "\\t" | "tab" | "TAB" => b'\t',
            "comma" => b',',
            "semicolon" => b';',
            "pipe" => b'|',
            _ => match s.as_bytes() {
                [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => *b,
                _ => return Err(DelimiterError(s.to_string())),
            },
        };
        Ok(Delimiter::Byte(b))
    }
}

/// How a separator is named in a notice.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tabs".to_string(),
        b';' => "semicolons".to_string(),
        b'|' => "pipes".to_string(),
        b',' => "commas".to_string(),
        other => format!("`{}`", other as char),
    }
}

/// The separators tried by [`sniff_delimiter`], in order of preference on a tie.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Most rows looked at by [`sniff_delimiter`].
pub const SNIFF_ROWS: usize = 20;

/// Most bytes read ahead for sniffing.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The separator that splits the header of `head` into the most fields that the following
/// rows agree with (quotes respected), or `None` when no candidate splits the header at
/// all. `complete` says `head` is the whole input (its last row is then a whole row).
pub fn sniff_delimiter(head: &[u8], complete: bool) -> Option<u8> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut best: Option<(usize, usize, u8)> = None;
    for &d in &CANDIDATES {
        let rows = field_counts(head, d, complete);
        let Some(&header) = rows.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let agreeing = rows[1..].iter().filter(|&&n| n == header).count();
        // Rows that agree with the header first, then the number of columns.
        let score = (agreeing, header);
        if best.is_none_or(|(a, h, _)| score > (a, h)) {
            best = Some((agreeing, header, d));
        }
    }
    best.map(|(_, _, d)| d)
}

/// The field counts of the first whole rows of `head` split at `delimiter`.
fn field_counts(head: &[u8], delimiter: u8, complete: bool) -> Vec<usize> {
    let mut reader = ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = vec![0u8; head.len().max(1)];
    let mut ends = vec![0usize; 4096];
    let mut input = head;
    let mut counts = Vec::new();
    let mut fields = 0;
    while counts.len() < SNIFF_ROWS {
        let (res, nin, _, nend) = reader.read_record(input, &mut out, &mut ends);
        input = &input[nin..];
        fields += nend;
        match res {
            ReadRecordResult::Record => {
                counts.push(fields);
                fields = 0;
            }
            ReadRecordResult::OutputEndsFull => {
                // Thousands of fields: count them and go on with the same row.
            }
            ReadRecordResult::OutputFull => break,
            ReadRecordResult::InputEmpty => {
                if !complete {
                    break; // the last row may be cut: it does not count
                }
                // Let the reader finish the last row without a line end.
                let (res, _, _, nend) = reader.read_record(&[], &mut out, &mut ends);
                if res == ReadRecordResult::Record {
                    counts.push(fields + nend);
                }
                break;
            }
            ReadRecordResult::End => break,
        }
    }
    counts
}

/// Reads up to [`SNIFF_ROWS`] lines or [`SNIFF_BYTES`] bytes of `reader` (less when it
/// ends first). Returns the bytes, whether the input ended within them, and a reader
/// that yields the same input from its start. A read error ends the look-ahead; the
/// returned reader hands it on.
pub fn read_head(
    mut reader: Box<dyn Read + Send>,
    lines: usize,
) -> (Vec<u8>, bool, Box<dyn Read + Send>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    let mut newlines = 0;
    let mut ended = false;
    let mut error = None;
    while head.len() < SNIFF_BYTES && newlines < lines {
        match reader.read(&mut buf) {
            Ok(0) => {
                ended = true;
                break;
            }
            Ok(n) => {
                newlines += buf[..n]
                    .iter()
                    .filter(|&&b| b == b'\n' || b == b'\r')
                    .count();
                head.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let rest: Box<dyn Read + Send> = match error {
        Some(e) => Box::new(FailOnce(Some(e))),
        None => reader,
    };
    let again: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(rest));
    (head, ended, again)
}

/// A reader that fails once with the error it holds, then reads as empty.
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Whether a stream that starts with `head` is JSON Lines: its first non-blank line
/// (which `head` must hold whole, or `head` must be the whole stream) is a JSON object.
pub fn looks_like_jsonl(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(line) = head
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
    else {
        return false;
    };
    let text = String::from_utf8_lossy(line);
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => v.is_object(),
        // A first line longer than the look-ahead: an object cut short is JSON Lines.
        Err(e) => e.is_eof() && head.len() >= SNIFF_BYTES && text.trim_start().starts_with('{'),
    }
}

/// Reads `reader` up to the end of its first non-blank line (or its end, or
/// [`SNIFF_BYTES`]); returns those bytes and a reader that yields the input from its start.
/// It waits for no more than that line, so a pipe that sends one line gets it read.
pub fn read_first_line(mut reader: Box<dyn Read + Send>) -> (Vec<u8>, Box<dyn Read + Send>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    let mut error = None;
    let mut content = false;
    while head.len() < SNIFF_BYTES {
        match reader.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => {
                head.push(byte[0]);
                if byte[0] == b'\n' || byte[0] == b'\r' {
                    if content {
                        break;
                    }
                } else if !byte[0].is_ascii_whitespace() {
                    content = true;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let rest: Box<dyn Read + Send> = match error {
        Some(e) => Box::new(FailOnce(Some(e))),
        None => reader,
    };
    let again: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(rest));
    (head, again)
}

/// Whether stdin is a regular file (redirected from one) rather than a pipe or terminal.
pub fn stdin_is_file() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() else {
            return false;
        };
        std::fs::File::from(fd)
            .metadata()
            .map(|m| m.is_file())
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_tabs_and_commas_are_told_apart() {
        let semi =
            b"id;text;datum\n1;\"Lever, segment 7; laesie\";1-2-2020\n2;geen, niets;3-4-2021\n";
        assert_eq!(sniff_delimiter(semi, true), Some(b';'));
        let tab = b"id\ttext\n1\tlever, 2 cm; 3 cm\n2\tniets\n";
        assert_eq!(sniff_delimiter(tab, true), Some(b'\t'));
        let comma = b"id,text\n1,\"a; b; c\"\n2,x\n";
        assert_eq!(sniff_delimiter(comma, true), Some(b','));
        assert_eq!(sniff_delimiter(b"text\nlever\n", true), None);
        // A quoted header field holding the other separator does not mislead.
        let quoted = b"\"id;nr\",text\n1,a\n";
        assert_eq!(sniff_delimiter(quoted, true), Some(b','));
    }

    #[test]
    fn a_cut_last_row_does_not_count() {
        let head = b"id;text\n1;a\n2;b, c, d, e, f";
        assert_eq!(sniff_delimiter(head, false), Some(b';'));
        assert_eq!(sniff_delimiter(b"id;text\n1;x", true), Some(b';'));
    }

    #[test]
    fn delimiter_values() {
        assert_eq!("auto".parse(), Ok(Delimiter::Auto));
        assert_eq!("\\t".parse(), Ok(Delimiter::Byte(b'\t')));
        assert_eq!("\t".parse(), Ok(Delimiter::Byte(b'\t')));
        assert_eq!(";".parse(), Ok(Delimiter::Byte(b';')));
        assert!("\"".parse::<Delimiter>().is_err());
        assert!(";;".parse::<Delimiter>().is_err());
        assert!("é".parse::<Delimiter>().is_err());
    }

    #[test]
    fn jsonl_is_recognised_by_its_first_line() {
        assert!(looks_like_jsonl(
            b"\n  \n{\"id\": 1, \"text\": \"x\"}\nnot json"
        ));
        assert!(!looks_like_jsonl(b"Lever: laesie in segment 7 {x}\n"));
        assert!(!looks_like_jsonl(b"[1, 2]\n"));
        assert!(!looks_like_jsonl(b""));
        let long = format!("{{\"id\": 1, \"text\": \"{}", "x".repeat(SNIFF_BYTES));
        assert!(looks_like_jsonl(long.as_bytes()));
        assert!(!looks_like_jsonl(b"{ lever"));
    }

    #[test]
    fn the_head_is_read_again() {
        let input = b"a\nb\nc\n".repeat(100);
        let (head, ended, mut again) = read_head(Box::new(io::Cursor::new(input.clone())), 3);
        assert!(!head.is_empty() && !ended);
        let mut all = Vec::new();
        again.read_to_end(&mut all).unwrap();
        assert_eq!(all, input);
        let (line, mut again) = read_first_line(Box::new(io::Cursor::new(b"\n{}\nrest".to_vec())));
        assert_eq!(line, b"\n{}\n");
        let mut all = Vec::new();
        again.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"\n{}\nrest");
    }
}
