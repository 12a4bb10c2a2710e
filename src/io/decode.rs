//! Decoding report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252.

use std::borrow::Cow;

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

    #[test]
    fn utf16_with_bom() {
        let bytes = [0xFF, 0xFE, b'h', 0, b'i', 0];
        let (t, enc) = decode(&bytes, EncodingChoice::Auto).unwrap();
        assert_eq!((t.as_ref(), enc), ("hi", "utf-16le"));
    }
}
