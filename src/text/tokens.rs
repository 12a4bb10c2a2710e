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
    let raw: Vec<Token> = folded
        .split_word_bound_indices()
        .filter(|(_, w)| !w.trim().is_empty())
        .map(|(start, w)| Token {
            start,
            end: start + w.len(),
        })
        .collect();
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
}
