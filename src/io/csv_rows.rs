//! CSV rows read with bounded memory: a row larger than the limit is consumed and dropped
//! (reported as too large), never held in memory, however large it is.

use std::io::{self, BufRead};

use csv_core::{ReadRecordResult, Reader};

/// Most fields one row may have before it counts as too large.
const MAX_FIELDS: usize = 1 << 16;

/// What one call to [`CsvRows::next_row`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Row {
    /// A complete row, now in [`CsvRows::record`].
    Complete,
    /// A row larger than the limit (or with more than 65,536 fields); it was consumed.
    TooLarge,
    /// A quote still open at the end of the input: the row ran on to the end, taking the
    /// lines after it as part of a field. What was read of it (if not too large) is in
    /// [`CsvRows::record`].
    Unterminated {
        /// The line (1-based, of the whole input) the row starts on.
        line: u64,
        /// The lines holding text after that one, all swallowed by the open quote.
        swallowed: u64,
    },
    /// The end of the input.
    End,
}

/// Reads CSV rows (RFC 4180 quoting, any line end) from a buffered reader.
pub struct CsvRows<R: BufRead> {
    reader: R,
    core: Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    limit: usize,
    record: csv::ByteRecord,
    lines: LineCount,
    /// The end of the input was seen and a line end fed after it (see `next_row`).
    eof_newline: bool,
}

/// Counts the lines of the raw input as it is consumed (LF, CRLF or a lone CR ends one),
/// and where the current row starts.
#[derive(Debug, Default)]
struct LineCount {
    /// Line ends consumed so far.
    ends: u64,
    prev_cr: bool,
    line_has_text: bool,
    /// The line the current row starts on.
    row_line: Option<u64>,
    /// Lines with text in the current row.
    row_text_lines: u64,
}

impl LineCount {
    fn new_row(&mut self) {
        self.row_line = None;
        self.row_text_lines = 0;
    }

    fn track(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if std::mem::take(&mut self.prev_cr) => {}
                b'\n' | b'\r' => {
                    self.ends += 1;
                    self.line_has_text = false;
                    self.prev_cr = b == b'\r';
                }
                _ => {
                    self.prev_cr = false;
                    if !self.line_has_text {
                        self.line_has_text = true;
                        self.row_text_lines += 1;
                        self.row_line.get_or_insert(self.ends + 1);
                    }
                }
            }
        }
    }
}

impl<R: BufRead> CsvRows<R> {
    /// Rows of `reader`; a row whose field bytes exceed `limit` is [`Row::TooLarge`].
    pub fn new(reader: R, limit: usize) -> CsvRows<R> {
        CsvRows::with_delimiter(reader, limit, b',')
    }

    /// Rows of `reader` whose fields are separated by `delimiter`.
    pub fn with_delimiter(reader: R, limit: usize, delimiter: u8) -> CsvRows<R> {
        CsvRows {
            reader,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            fields: vec![0; 4096],
            ends: vec![0; 64],
            limit,
            record: csv::ByteRecord::new(),
            lines: LineCount::default(),
            eof_newline: false,
        }
    }

    /// The fields of the last complete row.
    pub fn record(&self) -> &csv::ByteRecord {
        &self.record
    }

    /// Reads the next row.
    ///
    /// At the end of the input one line end is fed to the parser before the end itself: a
    /// row whose quotes are all closed ends there (as it would at the end of the input),
    /// while a quote still open takes the line end into its field, and the end of the input
    /// that follows then reports the row as [`Row::Unterminated`].
    pub fn next_row(&mut self) -> io::Result<Row> {
        let (mut outlen, mut endlen) = (0, 0);
        let mut too_large = false;
        self.lines.new_row();
        loop {
            let input = loop {
                match self.reader.fill_buf() {
                    Ok(b) => break b,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            let at_end = input.is_empty();
            // Past the line end fed at the end of the input: only the end itself is left.
            let past_end = at_end && self.eof_newline;
            let input: &[u8] = match (at_end, self.eof_newline) {
                (false, _) => input,
                (true, false) => b"\n",
                (true, true) => b"",
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.fields[outlen..], &mut self.ends[endlen..]);
            if at_end {
                self.eof_newline |= nin > 0;
            } else {
                self.lines.track(&input[..nin]);
                self.reader.consume(nin);
            }
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    if too_large || self.fields.len() > self.limit {
                        too_large = true;
                        outlen = 0; // drop what was read of this row, keep reading past it
                    } else {
                        let grown = (self.fields.len() * 2)
                            .min(self.limit.saturating_add(1))
                            .max(self.fields.len() + 1);
                        self.fields.resize(grown, 0);
                    }
                }
                ReadRecordResult::OutputEndsFull => {
                    if too_large || self.ends.len() >= MAX_FIELDS {
                        too_large = true;
                        endlen = 0;
                    } else {
                        let grown = (self.ends.len() * 2).min(MAX_FIELDS);
                        self.ends.resize(grown, 0);
                    }
                }
                ReadRecordResult::Record => {
                    // Only a row with a quote still open outlives the line end fed at
                    // the end of the input.
                    let unterminated = past_end;
                    self.record.clear();
                    if too_large {
                        self.shrink();
                    } else {
                        let mut start = 0;
                        for &end in &self.ends[..endlen] {
                            let end = end.min(outlen);
                            self.record
                                .push_field(self.fields.get(start..end).unwrap_or_default());
                            start = end;
                        }
                    }
                    if unterminated {
                        return Ok(Row::Unterminated {
                            line: self.lines.row_line.unwrap_or(self.lines.ends + 1),
                            swallowed: self.lines.row_text_lines.saturating_sub(1),
                        });
                    }
                    return Ok(if too_large {
                        Row::TooLarge
                    } else {
                        Row::Complete
                    });
                }
                ReadRecordResult::End => return Ok(Row::End),
            }
        }
    }

    /// Gives back the memory of one huge row.
    fn shrink(&mut self) {
        if self.fields.len() > 1 << 20 {
            self.fields = vec![0; 4096];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(input: &str, limit: usize) -> Vec<Result<Vec<String>, Row>> {
        let mut r = CsvRows::new(input.as_bytes(), limit);
        let mut out = Vec::new();
        loop {
            match r.next_row().unwrap() {
                Row::Complete => out.push(Ok(r
                    .record()
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect())),
                Row::TooLarge => out.push(Err(Row::TooLarge)),
                u @ Row::Unterminated { .. } => out.push(Err(u)),
                Row::End => return out,
            }
        }
    }

    #[test]
    fn quotes_newlines_and_line_ends() {
        let got = rows("id,text\r\n1,\"a \"\"b\"\"\nc\"\r2,x\n", 100);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], Ok(vec!["1".to_string(), "a \"b\"\nc".to_string()]));
        assert_eq!(got[2], Ok(vec!["2".to_string(), "x".to_string()]));
    }

    #[test]
    fn a_huge_row_is_dropped_and_the_next_is_read() {
        let big = "y".repeat(100_000);
        let got = rows(&format!("a,b\n1,\"{big}\"\n2,z\n"), 1000);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], Err(Row::TooLarge));
        assert_eq!(got[2], Ok(vec!["2".to_string(), "z".to_string()]));
    }

    #[test]
    fn a_quote_open_at_the_end_is_unterminated_and_names_its_line() {
        let got = rows("id,text\r\n1,ok\r\n\r\n2,\"open\n3,x\n\n4,y\n", 100);
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[2],
            Err(Row::Unterminated {
                line: 4,
                swallowed: 2
            })
        );
        // Quotes closed at the end, with or without a last line end, are complete rows.
        for input in ["a\n\"x\"", "a\n\"x\"\n", "a\n\"x\"\"\"", "a\r\"x\ny\"\r"] {
            let got = rows(input, 100);
            assert!(got.iter().all(Result::is_ok), "{input:?}: {got:?}");
            assert_eq!(got.len(), 2, "{input:?}");
        }
        // An escaped quote does not close a field.
        assert_eq!(
            rows("a\n\"x\"\"", 100)[1],
            Err(Row::Unterminated {
                line: 2,
                swallowed: 0
            })
        );
        // Nor does it when the open field is larger than the limit.
        let big = "y".repeat(10_000);
        assert_eq!(
            rows(&format!("a\n\"{big}\nz\n"), 100)[1],
            Err(Row::Unterminated {
                line: 2,
                swallowed: 1
            })
        );
    }

    #[test]
    fn too_many_fields_is_too_large() {
        let got = rows(
            &format!("{}\nq\n", ",".repeat(MAX_FIELDS + 5)),
            usize::MAX / 2,
        );
        assert_eq!(got, vec![Err(Row::TooLarge), Ok(vec!["q".to_string()])]);
    }
}
