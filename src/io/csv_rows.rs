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
        }
    }

    /// The fields of the last complete row.
    pub fn record(&self) -> &csv::ByteRecord {
        &self.record
    }

    /// Reads the next row.
    pub fn next_row(&mut self) -> io::Result<Row> {
        let (mut outlen, mut endlen) = (0, 0);
        let mut too_large = false;
        loop {
            let input = loop {
                match self.reader.fill_buf() {
                    Ok(b) => break b,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.fields[outlen..], &mut self.ends[endlen..]);
            self.reader.consume(nin);
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
                    if too_large {
                        self.shrink();
                        return Ok(Row::TooLarge);
                    }
                    self.record.clear();
                    let mut start = 0;
                    for &end in &self.ends[..endlen] {
                        let end = end.min(outlen);
                        self.record
                            .push_field(self.fields.get(start..end).unwrap_or_default());
                        start = end;
                    }
                    return Ok(Row::Complete);
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
    fn too_many_fields_is_too_large() {
        let got = rows(
            &format!("{}\nq\n", ",".repeat(MAX_FIELDS + 5)),
            usize::MAX / 2,
        );
        assert_eq!(got, vec![Err(Row::TooLarge), Ok(vec!["q".to_string()])]);
    }
}
