//! CSV dialects: plain RFC 4180, or what Dutch Excel opens as is.

/// How CSV output is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// RFC 4180: comma separator, decimal point, UTF-8 without a byte order mark.
    #[default]
    Rfc4180,
    /// Dutch Excel: UTF-8 with a byte order mark, `;` separator, decimal comma.
    ExcelNl,
}

/// A cell of a CSV row: text as is, or a number written in the dialect's notation.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Empty.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
}

impl CsvDialect {
    /// The field separator.
    pub fn separator(self) -> u8 {
        match self {
            CsvDialect::Rfc4180 => b',',
            CsvDialect::ExcelNl => b';',
        }
    }

    /// What goes before the header: a UTF-8 byte order mark for Excel.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            CsvDialect::Rfc4180 => b"",
            CsvDialect::ExcelNl => "\u{feff}".as_bytes(),
        }
    }

    /// A number as this dialect writes it (whole numbers without a fraction).
    pub fn number(self, x: f64) -> String {
        let plain = if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        };
        match self {
            CsvDialect::Rfc4180 => plain,
            CsvDialect::ExcelNl => plain.replace('.', ","),
        }
    }

    /// A cell as text.
    pub fn cell(self, cell: &Cell) -> String {
        match cell {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(x) => self.number(*x),
        }
    }

    /// Appends one CSV row (with its line end) to `buf`.
    pub fn write_row<S: AsRef<[u8]>>(self, fields: &[S], buf: &mut Vec<u8>) {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .delimiter(self.separator())
            .from_writer(&mut *buf);
        // Writing into memory cannot fail.
        let _ = w.write_record(fields);
        let _ = w.flush();
    }

    /// Appends one row of cells.
    pub fn write_cells(self, cells: &[Cell], buf: &mut Vec<u8>) {
        let fields: Vec<String> = cells.iter().map(|c| self.cell(c)).collect();
        self.write_row(&fields, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_nl_writes_semicolons_and_decimal_commas() {
        let mut buf = Vec::new();
        CsvDialect::ExcelNl.write_cells(
            &[
                Cell::Text("a;b".into()),
                Cell::Number(2.5),
                Cell::Number(23.0),
                Cell::Empty,
            ],
            &mut buf,
        );
        assert_eq!(String::from_utf8(buf).unwrap(), "\"a;b\";2,5;23;\n");
        let mut buf = Vec::new();
        CsvDialect::Rfc4180.write_cells(&[Cell::Text("a,b".into()), Cell::Number(2.5)], &mut buf);
        assert_eq!(String::from_utf8(buf).unwrap(), "\"a,b\",2.5\n");
    }
}
