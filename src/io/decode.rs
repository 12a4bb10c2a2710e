//! Decoding report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252.

use std::borrow::Cow;
use std::io::{self, Read};

/// How to decode input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    /// UTF-8 when valid (BOM stripped), UTF-16 when a UTF-16 BOM says so, else Windows-1252.
    #[default]
    Auto,
    /// UTF-8 only; invalid bytes are an error.
    Utf8,
    /// Windows-1252 always.
    Windows1252,
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// Decodes `bytes`; returns the text and the name of the encoding used.
pub fn decode(
    bytes: &[u8],
    choice: EncodingChoice,
) -> Result<(Cow<'_, str>, &'static str), DecodeError> {
    match choice {
        EncodingChoice::Windows1252 => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text, "windows-1252"))
        }
        EncodingChoice::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(s) => Ok((Cow::Borrowed(s), "utf-8")),
                Err(e) => Err(DecodeError(format!(
                    "invalid UTF-8 at byte {} (use --encoding auto or windows-1252)",
                    e.valid_up_to()
                ))),
            }
        }
        EncodingChoice::Auto => {
            if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                if let Ok(s) = std::str::from_utf8(body) {
                    return Ok((Cow::Borrowed(s), "utf-8"));
                }
            }
            if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                let enc = if bytes[0] == 0xFF {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                let (text, had_errors) = enc.decode_with_bom_removal(&bytes[2..]);
                if had_errors {
                    return Err(DecodeError(format!("invalid {} data", enc.name())));
                }
                return Ok((
                    text,
                    if bytes[0] == 0xFF {
                        "utf-16le"
                    } else {
                        "utf-16be"
                    },
                ));
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => Ok((Cow::Borrowed(s), "utf-8")),
                Err(_) => {
                    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                    Ok((text, "windows-1252"))
                }
            }
        }
    }
}

/// Makes a byte stream UTF-8 for the line and row readers: a stream that starts with a
/// UTF-16 BOM is transcoded on the fly (its name is returned), any other stream passes
/// through unchanged. Unpaired UTF-16 surrogates become U+FFFD. Never fails: a read error
/// while looking at the first bytes is handed on by the returned reader.
pub fn utf8_stream(
    mut reader: Box<dyn Read + Send>,
) -> (Box<dyn Read + Send>, Option<&'static str>) {
    let mut head = [0u8; 2];
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return (Box::new(FailedRead(Some(e))), None),
        }
    }
    let encoding = match head {
        [0xFF, 0xFE] if n == 2 => encoding_rs::UTF_16LE,
        [0xFE, 0xFF] if n == 2 => encoding_rs::UTF_16BE,
        _ => {
            return (
                Box::new(io::Cursor::new(head[..n].to_vec()).chain(reader)),
                None,
            )
        }
    };
    let name = if encoding == encoding_rs::UTF_16LE {
        "utf-16le"
    } else {
        "utf-16be"
    };
    let transcoder = Utf16Stream {
        inner: reader,
        decoder: encoding.new_decoder_without_bom_handling(),
        input: vec![0; 64 * 1024],
        in_start: 0,
        in_end: 0,
        output: vec![0; 200 * 1024],
        out_start: 0,
        out_end: 0,
        eof: false,
        done: false,
    };
    (Box::new(transcoder), Some(name))
}

/// A reader that fails once with the error it holds, then reads as empty.
struct FailedRead(Option<io::Error>);

impl Read for FailedRead {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// UTF-16 bytes in, UTF-8 bytes out, a bounded buffer at a time.
struct Utf16Stream {
    inner: Box<dyn Read + Send>,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
}

impl Read for Utf16Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = match self.inner.read(&mut self.input) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                self.eof = n == 0;
                self.in_start = 0;
                self.in_end = n;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_detected() {
        let (t, enc) = decode(b"lever\xe9 \xeb \xb5g", EncodingChoice::Auto).unwrap();
        assert_eq!(t, "leveré ë µg");
        assert_eq!(enc, "windows-1252");
    }

    #[test]
    fn bom_is_stripped_and_strict_utf8_fails() {
        let (t, enc) = decode(b"\xEF\xBB\xBFlever", EncodingChoice::Auto).unwrap();
        assert_eq!((t.as_ref(), enc), ("lever", "utf-8"));
        assert!(decode(b"\xe9", EncodingChoice::Utf8).is_err());
    }

    fn read_all(bytes: Vec<u8>) -> (String, Option<&'static str>) {
        let (mut r, enc) = utf8_stream(Box::new(io::Cursor::new(bytes)));
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        (out, enc)
    }

    #[test]
    fn utf16_streams_are_transcoded_and_others_pass_through() {
        let text = "{\"id\":\"é\"}\n".repeat(30_000);
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(read_all(le), (text.clone(), Some("utf-16le")));
        assert_eq!(read_all(be), (text.clone(), Some("utf-16be")));
        assert_eq!(read_all(text.clone().into_bytes()), (text, None));
        let (mut r, enc) = utf8_stream(Box::new(io::Cursor::new(vec![0xFF])));
        let mut one = Vec::new();
        r.read_to_end(&mut one).unwrap();
        assert_eq!((one, enc), (vec![0xFF], None));
        assert_eq!(read_all(Vec::new()), (String::new(), None));
    }

    #[test]
    fn utf16_with_bom() {
        let bytes = [0xFF, 0xFE, b'h', 0, b'i', 0];
        let (t, enc) = decode(&bytes, EncodingChoice::Auto).unwrap();
        assert_eq!((t.as_ref(), enc), ("hi", "utf-16le"));
    }
}
