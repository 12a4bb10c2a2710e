//! Folding for matching: lowercase, diacritics removed, whitespace runs collapsed,
//! dashes unified, with a map from every folded byte back to the original text.

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::char::is_combining_mark;

/// Folded text plus the map back to byte offsets of the original text.
///
/// `folded` is lowercase, has no diacritics, has every run of whitespace replaced by one
/// space, and has every dash-like character replaced by `-`. For each byte `i` of
/// `folded`, `starts[i]` is the byte offset in the original text where the character
/// that produced it begins and `ends[i]` where it ends, so any folded range maps back to a
/// range of whole original characters.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
    original_len: usize,
}

impl Folded {
    /// Folds `original`.
    pub fn new(original: &str) -> Folded {
        let (mut starts, mut ends) = spare::take();
        starts.reserve(original.len());
        ends.reserve(original.len());
        let mut f = Folded {
            text: String::with_capacity(original.len()),
            starts,
            ends,
            original_len: original.len(),
        };
        let bytes = original.as_bytes();
        let mut i = 0;
        let mut in_space = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // ASCII fast path.
                if b.is_ascii_whitespace() {
                    if in_space {
                        // Extend the previous space so it covers the whole run.
                        if let Some(last) = f.ends.last_mut() {
                            *last = (i + 1) as u32;
                        }
                    } else {
                        f.push_byte(b' ', i, i + 1);
                        in_space = true;
                    }
                    i += 1;
                } else {
                    // A whole run of ASCII non-space bytes at once.
                    in_space = false;
                    let run_end = bytes[i..]
                        .iter()
                        .position(|&c| c >= 0x80 || c.is_ascii_whitespace())
                        .map_or(bytes.len(), |p| i + p);
                    if let Some((keep, next)) = broken_after_hyphen(bytes, i, run_end) {
                        // "non-. neoplastic": the word goes on after the break.
                        f.push_ascii_run(&original[i..keep], i);
                        i = next;
                        continue;
                    }
                    f.push_ascii_run(&original[i..run_end], i);
                    i = run_end;
                }
                continue;
            }
            let ch = original[i..].chars().next().unwrap_or('\u{FFFD}');
            let len = ch.len_utf8();
            if is_ignorable(ch) {
                i += len;
                continue;
            }
            if ch.is_whitespace() {
                if in_space {
                    if let Some(last) = f.ends.last_mut() {
                        *last = (i + len) as u32;
                    }
                } else {
                    f.push_byte(b' ', i, i + len);
                    in_space = true;
                }
            } else {
                in_space = false;
                f.push_char_folded(ch, i, i + len);
            }
            i += len;
        }
        f
    }

    /// Appends ASCII text lowercased; each byte maps to itself in the original.
    fn push_ascii_run(&mut self, run: &str, start: usize) {
        let from = self.text.len();
        self.text.push_str(run);
        if let Some(added) = self.text.get_mut(from..) {
            added.make_ascii_lowercase();
        }
        let (s, e) = (start as u32, (start + run.len()) as u32);
        self.starts.extend(s..e);
        self.ends.extend(s + 1..e + 1);
    }

    fn push_byte(&mut self, b: u8, start: usize, end: usize) {
        self.text.push(b as char);
        self.starts.push(start as u32);
        self.ends.push(end as u32);
    }

    fn push_str(&mut self, s: &str, start: usize, end: usize) {
        self.text.push_str(s);
        for _ in 0..s.len() {
            self.starts.push(start as u32);
            self.ends.push(end as u32);
        }
    }

    fn push_char_folded(&mut self, ch: char, start: usize, end: usize) {
        if is_dash(ch) {
            self.push_byte(b'-', start, end);
            return;
        }
        match ch {
            '\u{00DF}' => return self.push_str("ss", start, end),
            '\u{00E6}' | '\u{00C6}' => return self.push_str("ae", start, end),
            '\u{0153}' | '\u{0152}' => return self.push_str("oe", start, end),
            '\u{00F8}' | '\u{00D8}' => return self.push_byte(b'o', start, end),
            '\u{00D7}' => return self.push_byte(b'x', start, end),
            '\u{00B5}' | '\u{03BC}' => return self.push_byte(b'u', start, end),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => {
                return self.push_byte(b'\'', start, end)
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => {
                return self.push_byte(b'"', start, end)
            }
            '\u{2264}' => return self.push_str("<=", start, end),
            '\u{2265}' => return self.push_str(">=", start, end),
            '\u{00BD}' => return self.push_str("1/2", start, end),
            _ => {}
        }
        let mut parts = ['\0'; 8];
        let mut n = 0;
        decompose_canonical(ch, |c| {
            if !is_combining_mark(c) && n < parts.len() {
                parts[n] = c;
                n += 1;
            }
        });
        for &c in &parts[..n] {
            for lc in c.to_lowercase() {
                let mut buf = [0u8; 4];
                self.push_str(lc.encode_utf8(&mut buf), start, end);
            }
        }
    }

    /// The folded text alone (the offset maps go back to the thread's spares).
    pub fn into_text(mut self) -> String {
        std::mem::take(&mut self.text)
    }

    /// Length of the original text.
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// Maps a folded byte range back to the original byte range that covers it.
    ///
    /// The result always starts and ends on character boundaries of the original text.
    pub fn to_original(&self, start: usize, end: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (0, 0);
        }
        let start = start.min(self.starts.len());
        let end = end.min(self.starts.len());
        if start >= end {
            let pos = if start < self.starts.len() {
                self.starts[start] as usize
            } else {
                self.original_len
            };
            return (pos, pos);
        }
        (self.starts[start] as usize, self.ends[end - 1] as usize)
    }

    /// Maps an original byte offset to the first folded byte at or after it.
    pub fn to_folded(&self, original: usize) -> usize {
        self.starts.partition_point(|&s| (s as usize) < original)
    }

    /// Maps an original byte range to the folded range that it produced.
    pub fn range_to_folded(&self, start: usize, end: usize) -> (usize, usize) {
        (self.to_folded(start), self.to_folded(end))
    }
}

/// Offset maps of dropped documents, kept per thread for the next one: a report's maps
/// are eight bytes per byte of text, and allocating them anew for every report of an
/// archive was the largest single share of the allocator's time.
mod spare {
    use std::cell::RefCell;

    /// How many pairs of maps a thread keeps (documents are made one after the other).
    const KEPT: usize = 2;
    /// Maps larger than this (in entries: 1 MiB each) are not kept, so a long report's
    /// maps do not stay behind.
    const LARGEST: usize = 1 << 18;

    thread_local! {
        static MAPS: RefCell<Vec<(Vec<u32>, Vec<u32>)>> = const { RefCell::new(Vec::new()) };
    }

    /// A pair of empty maps, reused when the thread has one.
    pub fn take() -> (Vec<u32>, Vec<u32>) {
        MAPS.with(|m| m.borrow_mut().pop()).unwrap_or_default()
    }

    /// Keeps a pair of maps for reuse.
    pub fn give(mut starts: Vec<u32>, mut ends: Vec<u32>) {
        let useful = |v: &Vec<u32>| v.capacity() > 0 && v.capacity() <= LARGEST;
        if !useful(&starts) || !useful(&ends) {
            return;
        }
        starts.clear();
        ends.clear();
        // During thread teardown the pool may be gone: the maps are then simply freed.
        let _ = MAPS.try_with(|m| {
            if let Ok(mut m) = m.try_borrow_mut() {
                if m.len() < KEPT {
                    m.push((starts, ends));
                }
            }
        });
    }
}

impl Drop for Folded {
    fn drop(&mut self) {
        spare::give(
            std::mem::take(&mut self.starts),
            std::mem::take(&mut self.ends),
        );
    }
}

/// A word broken after its hyphen by a line break ("non-\nneoplastic") or by an OCR'd
/// line break written as a period ("gray-. white", "non-. neoplastic"): folding keeps the
/// hyphen and drops the break, so the folded text reads "non-neoplastic". For the ASCII
/// run `bytes[start..end]`, gives the end of what is kept (just after the hyphen) and
/// where the word goes on, when the run ends in a letter and a hyphen (and a period), the
/// blanks after it hold a line break (or the period was there), and a lower-case letter
/// follows. A hyphen before a blank and a word ("macro- and micronodular") is kept as it
/// is: it stands for a word left out.
fn broken_after_hyphen(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let run = bytes.get(start..end)?;
    let (period, word) = match run {
        [w @ .., b'-', b'.'] => (true, w),
        [w @ .., b'-'] => (false, w),
        _ => return None,
    };
    if !word.last().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let blanks = bytes[end..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    let next = end + blanks;
    let line_break = bytes[end..next].iter().any(|&b| b == b'\n' || b == b'\r');
    let lower = bytes.get(next).is_some_and(u8::is_ascii_lowercase);
    (blanks > 0 && lower && (period || line_break)).then_some((start + word.len() + 1, next))
}

/// True for hyphen-like characters that folding turns into `-`.
pub fn is_dash(ch: char) -> bool {
    matches!(
        ch,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}'
    )
}

/// True for invisible formatting characters that folding drops: the soft hyphen (a
/// hyphenation hint inside a word), zero-width spaces and joiners, and the byte order mark.
pub fn is_ignorable(ch: char) -> bool {
    matches!(
        ch,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Folds a short string (a lexicon term, a header) without keeping the offset map.
pub fn fold_str(s: &str) -> String {
    let s = s.trim();
    if !s.is_ascii() {
        return Folded::new(s).into_text();
    }
    // ASCII: the same result without building the offset map.
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for b in s.bytes() {
        if b.is_ascii_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(b.to_ascii_lowercase() as char);
            in_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_roundtrip(original: &str) {
        let f = Folded::new(original);
        for i in 0..f.text.len() {
            let (s, e) = f.to_original(i, i + 1);
            assert!(original.is_char_boundary(s) && original.is_char_boundary(e));
            assert!(s < e);
        }
    }

    #[test]
    fn lowercases_and_strips_diacritics() {
        let f = Folded::new("Geën Ëchogene Laesie Ïn Segment VII");
        assert_eq!(f.text, "geen echogene laesie in segment vii");
        check_roundtrip("Geën Ëchogene Laesie Ïn Segment VII");
    }

    #[test]
    fn collapses_whitespace_and_maps_back() {
        let text = "lesion  in\n\n  segment 7";
        let f = Folded::new(text);
        assert_eq!(f.text, "lesion in segment 7");
        let pos = f.text.find("segment").unwrap();
        let (s, e) = f.to_original(pos, pos + "segment 7".len());
        assert_eq!(&text[s..e], "segment 7");
    }

    #[test]
    fn dashes_and_special_signs() {
        let f = Folded::new("2,3 × 1,8 cm – HepPar‑1 µg ≥ 5");
        assert_eq!(f.text, "2,3 x 1,8 cm - heppar-1 ug >= 5");
        check_roundtrip("2,3 × 1,8 cm – HepPar‑1 µg ≥ 5");
    }

    #[test]
    fn multi_byte_maps_to_whole_characters() {
        let text = "café crème";
        let f = Folded::new(text);
        let pos = f.text.find("creme").unwrap();
        let (s, e) = f.to_original(pos, pos + 5);
        assert_eq!(&text[s..e], "crème");
        assert_eq!(f.to_folded(s), pos);
    }

    #[test]
    fn invisible_characters_are_dropped() {
        let text = "hepa\u{00AD}tisch \u{FEFF}segment\u{200B} 7";
        let f = Folded::new(text);
        assert_eq!(f.text, "hepatisch segment 7");
        let (s, e) = f.to_original(0, "hepatisch".len());
        assert_eq!(&text[s..e], "hepa\u{00AD}tisch");
        check_roundtrip(text);
    }

    #[test]
    fn fold_str_ascii_path_equals_the_full_fold() {
        for s in [
            "  Concl. :\t\n X ",
            "HepPar-1  CK20",
            "a\x0bb",
            "",
            "LR-5\r\nT2",
        ] {
            assert_eq!(fold_str(s), Folded::new(s.trim()).text, "{s:?}");
        }
    }

    #[test]
    fn a_word_broken_after_its_hyphen_is_joined() {
        let text = "Non-. neoplastic liver, gray-\nwhite cut surface";
        let f = Folded::new(text);
        assert_eq!(f.text, "non-neoplastic liver, gray-white cut surface");
        let pos = f.text.find("non-neoplastic").unwrap();
        let (s, e) = f.to_original(pos, pos + "non-neoplastic".len());
        assert_eq!(&text[s..e], "Non-. neoplastic");
        let pos = f.text.find("gray-white").unwrap();
        let (s, e) = f.to_original(pos, pos + "gray-white".len());
        assert_eq!(&text[s..e], "gray-\nwhite");
        check_roundtrip(text);
    }

    #[test]
    fn a_hyphen_that_stands_for_a_word_is_kept() {
        for text in [
            "macro- and micronodular",
            "red-. Brown",
            "CK7 -. positive",
            "1-. 2 cm",
            "well-.",
        ] {
            let f = Folded::new(text);
            assert_eq!(f.text, fold_str(text).to_string(), "{text:?}");
        }
        assert_eq!(Folded::new("CK7 - positive").text, "ck7 - positive");
    }

    #[test]
    fn empty_text() {
        let f = Folded::new("");
        assert_eq!(f.text, "");
        assert_eq!(f.to_original(0, 0), (0, 0));
    }

    proptest::proptest! {
        #[test]
        fn ascii_text_folds_to_lowercase_with_single_spaces(text in "[a-zA-Z0-9 .,:\t\n\r+]{0,60}") {
            let f = Folded::new(&text);
            let mut expected = String::new();
            for c in text.chars() {
                if c.is_ascii_whitespace() {
                    if !expected.ends_with(' ') {
                        expected.push(' ');
                    }
                } else {
                    expected.push(c.to_ascii_lowercase());
                }
            }
            proptest::prop_assert_eq!(&f.text, &expected);
            for i in 0..f.text.len() {
                let (s, e) = f.to_original(i, i + 1);
                proptest::prop_assert!(s < e && e <= text.len());
                proptest::prop_assert_eq!(f.text.as_bytes()[i] == b' ', text.as_bytes()[s].is_ascii_whitespace());
            }
        }

        #[test]
        fn any_text_maps_back_to_character_boundaries(text in "[a-zA-Z0-9 .,éëÏß×µ\u{2013}\u{00A0}\n-]{0,40}") {
            check_roundtrip(&text);
        }
    }
}
