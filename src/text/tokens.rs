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
    let raw: Vec<Token> = if bytes.iter().all(|b| (0x20..0x7F).contains(b)) {
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

/// Word-break classes of printable ASCII (Unicode Standard Annex #29).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `:`, joins letters only.
    MidLetter,
    /// `,` and `;`, join digits only.
    MidNum,
    /// `.` and `'`, join letters or digits.
    MidNumLet,
    /// `_`.
    ExtendNumLet,
    Space,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::MidNumLet,
        b'_' => Class::ExtendNumLet,
        b' ' => Class::Space,
        _ => Class::Other,
    }
}

/// The word segments of printable ASCII text, spaces dropped: the same segments as
/// `split_word_bound_indices` (rules WB5 to WB13b and WB3d), many times faster.
fn ascii_word_bounds(b: &[u8]) -> Vec<Token> {
    use Class::*;
    let cls = |i: usize| b.get(i).map_or(Other, |&x| class(x));
    let joined = |i: usize| -> bool {
        let (p, c) = (cls(i - 1), cls(i));
        match (p, c) {
            (Letter | Numeric, Letter | Numeric) => true,
            (Letter, MidLetter | MidNumLet) => cls(i + 1) == Letter,
            (MidLetter | MidNumLet, Letter) => i >= 2 && cls(i - 2) == Letter,
            (Numeric, MidNum | MidNumLet) => cls(i + 1) == Numeric,
            (MidNum | MidNumLet, Numeric) => i >= 2 && cls(i - 2) == Numeric,
            (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,
            (ExtendNumLet, Letter | Numeric) => true,
            (Space, Space) => true,
            _ => false,
        }
    };
    let mut out = Vec::with_capacity(b.len() / 4);
    let mut start = 0;
    for i in 1..=b.len() {
        if i == b.len() || !joined(i) {
            if b[start] != b' ' {
                out.push(Token { start, end: i });
            }
            start = i;
        }
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

    #[test]
    fn ascii_fast_path_equals_unicode_word_bounds() {
        let samples = [
            "e.g. 2.3x1.8cm, s4a; 1,2 mm o.a. a:b 3:4 it's 5'6 a_b _1 x.1 1.x a..b 1,,2 .5 5. --",
            "heppar-1 (ck20+) lr-5/t2 10:30 1;2 a;b ' a ' ''x'' x' 'x ::a a:: 1.2.3 a.b.c",
            "  lead  and trail  ",
            "",
            "!\"#$%&()*+-/<=>?@[]^`{|}~",
        ];
        for s in samples {
            let slow: Vec<(usize, usize)> = s
                .split_word_bound_indices()
                .filter(|(_, w)| !w.trim().is_empty())
                .map(|(i, w)| (i, i + w.len()))
                .collect();
            let fast: Vec<(usize, usize)> = ascii_word_bounds(s.as_bytes())
                .iter()
                .map(|t| (t.start, t.end))
                .collect();
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_equals_unicode_word_bounds_on_any_ascii(s in "[ -~]{0,60}") {
            let slow: Vec<(usize, usize)> = s
                .split_word_bound_indices()
                .filter(|(_, w)| !w.trim().is_empty())
                .map(|(i, w)| (i, i + w.len()))
                .collect();
            let fast: Vec<(usize, usize)> = ascii_word_bounds(s.as_bytes()).iter().map(|t| (t.start, t.end)).collect();
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn ascii_fast_path_on_report_like_ascii(s in "([a-z0-9]{1,4}[ .,;:'_x-]{0,2}){0,20}") {
            let slow: Vec<(usize, usize)> = s
                .split_word_bound_indices()
                .filter(|(_, w)| !w.trim().is_empty())
                .map(|(i, w)| (i, i + w.len()))
                .collect();
            let fast: Vec<(usize, usize)> = ascii_word_bounds(s.as_bytes()).iter().map(|t| (t.start, t.end)).collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
