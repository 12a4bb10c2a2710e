//! Tokens over folded text that keep "2,3", "2.3x1.8cm", "S4a", "HepPar-1", "LR-5" whole.

use unicode_segmentation::UnicodeSegmentation;

/// A token: a byte range of the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
}

/// Splits folded text into tokens. Whitespace is dropped; words joined by a hyphen with
/// no space ("heppar-1", "lr-5", "t2-gewogen") stay one token.
pub fn tokenize(folded: &str) -> Vec<Token> {
    let bytes = folded.as_bytes();
    let raw = if folded.is_ascii() {
        ascii_word_bounds(bytes)
    } else {
        folded
            .split_word_bound_indices()
            .filter(|(_, w)| !w.trim().is_empty())
            .map(|(start, w)| Token {
                start,
                end: start + w.len(),
            })
            .collect()
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let mut cur = raw[i];
        while i + 2 < raw.len() {
            let (hyphen, next) = (raw[i + 1], raw[i + 2]);
            let joins = &folded[hyphen.start..hyphen.end] == "-"
                && hyphen.start == cur.end
                && next.start == hyphen.end
                && bytes[cur.end - 1].is_ascii_alphanumeric()
                && bytes[next.start].is_ascii_alphanumeric();
            if !joins {
                break;
            }
            cur.end = next.end;
            i += 2;
        }
        out.push(cur);
        i += 1;
    }
    out
}

/// The Unicode word boundaries (UAX #29) of ASCII text, whitespace dropped: the same
/// tokens as `split_word_bound_indices`, in one pass without table look-ups. Letters,
/// digits and `_` join; `.` `'` `:` join two letters, `.` `'` `,` `;` join two digits;
/// every other character is a token of its own.
fn ascii_word_bounds(bytes: &[u8]) -> Vec<Token> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !is_word_byte(b) {
            if !(b as char).is_whitespace() {
                out.push(Token {
                    start: i,
                    end: i + 1,
                });
            }
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() {
            let c = bytes[i];
            if is_word_byte(c) {
                i += 1;
                continue;
            }
            let (prev, next) = (bytes[i - 1], bytes.get(i + 1).copied().unwrap_or(b' '));
            let between_letters = prev.is_ascii_alphabetic()
                && next.is_ascii_alphabetic()
                && matches!(c, b'.' | b'\'' | b':');
            let between_digits = prev.is_ascii_digit()
                && next.is_ascii_digit()
                && matches!(c, b'.' | b'\'' | b',' | b';');
            if between_letters || between_digits {
                i += 2;
            } else {
                break;
            }
        }
        out.push(Token { start, end: i });
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn keeps_clinical_tokens_whole() {
        assert_eq!(
            toks("laesie 2,3 x 1,8 cm"),
            ["laesie", "2,3", "x", "1,8", "cm"]
        );
        assert_eq!(toks("2.3x1.8cm in s4a"), ["2.3x1.8cm", "in", "s4a"]);
        assert_eq!(
            toks("heppar-1 en ck20 positief, lr-5 t2"),
            ["heppar-1", "en", "ck20", "positief", ",", "lr-5", "t2"]
        );
    }

    #[test]
    fn a_spaced_hyphen_is_its_own_token() {
        assert_eq!(toks("lever - normaal"), ["lever", "-", "normaal"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn ascii_fast_path_equals_unicode_word_bounds(text in "[a-cA-C0-9 .,;:'_x()/%\t\r\n\x0b\x01-]{0,40}") {
            let expected: Vec<Token> = text
                .split_word_bound_indices()
                .filter(|(_, w)| !w.trim().is_empty())
                .map(|(start, w)| Token { start, end: start + w.len() })
                .collect();
            proptest::prop_assert_eq!(ascii_word_bounds(text.as_bytes()), expected);
        }
    }
}
