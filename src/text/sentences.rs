//! Sentence splitting that survives real reports: abbreviations, decimal commas,
//! lists, hard line wraps, headers on their own line, missing final periods.

use std::collections::HashSet;

use super::fold::fold_str;
use super::sections::Section;

/// Abbreviations that end in a period without ending a sentence ("o.a.", "approx.").
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    set: HashSet<String>,
    /// Byte length of the longest folded abbreviation.
    longest: usize,
}

impl Abbreviations {
    /// Builds the set from abbreviations as written ("o.a.", "i.v.m.", "ca.").
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> Abbreviations {
        let set = items
            .into_iter()
            .map(|s| fold_str(s.as_ref()).trim_end_matches('.').to_string())
            .filter(|s| !s.is_empty())
            .collect::<HashSet<String>>();
        let longest = set.iter().map(String::len).max().unwrap_or(0);
        Abbreviations { set, longest }
    }

    /// True when `word` (as written, without its final period) is a known abbreviation.
    pub fn contains(&self, word: &str) -> bool {
        // Quick rejects: longer than any abbreviation (room for diacritics), or no letter.
        if self.set.is_empty()
            || word.len() > self.longest * 2 + 1
            || !word.chars().any(char::is_alphabetic)
        {
            return false;
        }
        if word.is_ascii() {
            // Folding ASCII is lowercasing: no allocation, and no look-up for long words.
            let word = word.trim_end_matches('.');
            if word.len() > self.longest {
                return false;
            }
            let mut buf = [0u8; 64];
            let Some(lower) = buf.get_mut(..word.len()) else {
                return self.set.contains(&word.to_ascii_lowercase());
            };
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).is_ok_and(|w| self.set.contains(w));
        }
        let folded = fold_str(word);
        self.set.contains(folded.trim_end_matches('.'))
    }
}

/// Words that never end a sentence ("en", "and", "met", "the"): a line that ends in one
/// goes on on the next line.
#[derive(Debug, Clone, Default)]
pub struct Joiners {
    set: HashSet<String>,
}

impl Joiners {
    /// Builds the set from words as written.
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> Joiners {
        let set = items
            .into_iter()
            .map(|s| fold_str(s.as_ref()))
            .filter(|s| !s.is_empty())
            .collect();
        Joiners { set }
    }

    /// True when `word` (letters only, as written) is a joiner.
    pub fn is_joiner(&self, word: &str) -> bool {
        !self.set.is_empty()
            && !word.is_empty()
            && word.len() <= 16
            && word.chars().all(char::is_alphabetic)
            && self.set.contains(&fold_str(word))
    }

    /// True when the last word of `line` is a joiner.
    pub fn ends(&self, line: &str) -> bool {
        if self.set.is_empty() {
            return false;
        }
        let last = line
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        !last.is_empty()
            && last.chars().all(char::is_alphabetic)
            && self.set.contains(&fold_str(last))
    }
}

/// Splits `text` into sentence byte ranges (trimmed, never empty), never across the
/// given section boundaries.
pub fn split_sentences(
    text: &str,
    sections: &[Section],
    abbreviations: &Abbreviations,
    joiners: &Joiners,
) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<usize> = Vec::new();
    for s in sections {
        if let Some((hs, he)) = s.header {
            cuts.push(hs);
            cuts.push(he);
        }
        cuts.push(s.start);
        cuts.push(s.end);
    }
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'.' | b'!' | b'?' if is_terminal_punct(text, i, abbreviations, joiners) => {
                // The sentence keeps the closing brackets and quotes that follow.
                let close = bytes[i + 1..]
                    .iter()
                    .take_while(|b| matches!(b, b')' | b'"' | b'\'' | b']'))
                    .count();
                cuts.push(i + 1 + close);
            }
            // A line ends at LF, CRLF or a lone CR.
            b'\n' | b'\r'
                if (b == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                    && is_line_boundary(text, i, joiners) =>
            {
                cuts.push(i)
            }
            _ => {}
        }
    }
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len());
    let mut prev = 0;
    for c in cuts {
        if c <= prev {
            continue;
        }
        push_trimmed(text, prev, c, &mut out);
        prev = c;
    }
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() || !trimmed.chars().any(|c| c.is_alphanumeric()) {
        return;
    }
    let s = start + lead;
    out.push((s, s + trimmed.len()));
}

/// A period, exclamation or question mark ends a sentence when whitespace follows, the
/// word before it is no abbreviation, no joiner and does not end in a hyphen, and the next
/// word does not continue in lower case.
fn is_terminal_punct(
    text: &str,
    i: usize,
    abbreviations: &Abbreviations,
    joiners: &Joiners,
) -> bool {
    let bytes = text.as_bytes();
    let mut j = i + 1;
    // Closing quotes or brackets may follow the period.
    while j < bytes.len() && matches!(bytes[j], b')' | b'"' | b'\'' | b']') {
        j += 1;
    }
    if text[j..].chars().next().is_some_and(|c| !c.is_whitespace()) {
        return false; // "2.3", "e.g.x", "S.4"
    }
    if bytes[i] != b'.' {
        return true;
    }
    // Word before the period.
    let before = &text[..i];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(' || c == '[')
        .map(|(p, c)| p + c.len_utf8())
        .unwrap_or(0);
    let word = &before[word_start..];
    if !word.is_empty() && abbreviations.contains(word) {
        return false;
    }
    if is_list_marker(text, word_start, word) {
        return false;
    }
    // An OCR'd line break written as ". " inside a phrase: no sentence ends in a word that
    // never ends one ("positive with. HepPar-1"), nor right after a hyphen ("non-. neoplastic").
    let hyphenated = word
        .strip_suffix('-')
        .is_some_and(|w| w.chars().next_back().is_some_and(char::is_alphabetic));
    if hyphenated || joiners.is_joiner(word) {
        return false;
    }
    // Next word: lower case continues the sentence (stray OCR periods, "ca. 2").
    let rest = text[j..].trim_start_matches(|c: char| c.is_whitespace() && c != '\n' && c != '\r');
    if rest.starts_with(['\n', '\r']) {
        return true;
    }
    match rest.chars().next() {
        None => true,
        Some(c) if c.is_lowercase() => false,
        Some(_) => true,
    }
}

/// Lines at least this long that end without punctuation are taken as hard wraps when
/// the next line continues the sentence (dictation systems wrap at 60 to 80 columns).
const WRAP_LINE: usize = 35;

/// "1." or "a." as the first word of a line numbers a list item; it ends no sentence.
fn is_list_marker(text: &str, word_start: usize, word: &str) -> bool {
    let short_number =
        !word.is_empty() && word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit());
    let letter = word.len() == 1 && word.bytes().all(|b| b.is_ascii_alphabetic());
    if !(short_number || letter) {
        return false;
    }
    // Only blanks between the start of the line and the word (looked at backwards, so a
    // long line costs nothing).
    text.as_bytes()[..word_start]
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .is_none_or(|&b| b == b'\n')
}

/// A line break ends a sentence unless it is a hard wrap inside one.
pub(crate) fn is_line_boundary(text: &str, nl: usize, joiners: &Joiners) -> bool {
    let cut = if nl > 0 && text.as_bytes()[nl - 1] == b'\r' {
        nl - 1
    } else {
        nl
    };
    let line_start = text[..cut].rfind(['\n', '\r']).map(|p| p + 1).unwrap_or(0);
    let prev = text[line_start..nl].trim();
    let next_end = text[nl + 1..]
        .find(['\n', '\r'])
        .map(|p| nl + 1 + p)
        .unwrap_or(text.len());
    let next = text[nl + 1..next_end].trim();
    if prev.is_empty() || next.is_empty() {
        return true; // a blank line
    }
    if prev.ends_with(['!', '?', ';']) || starts_list_item(next) {
        return true;
    }
    if prev.ends_with('.') {
        return false; // the period decides (it may close an abbreviation: "ca.")
    }
    let first = next.chars().next();
    let lower_start = first.is_some_and(|a| a.is_lowercase());
    if prev.ends_with(':') {
        // "Tumor in het resectievlak:\nirradicaal (R1)." goes on; a capitalised line
        // after a label starts anew.
        return !lower_start;
    }
    // A line that ends in a comma, a hyphen, an open bracket or a word that never ends a
    // sentence ("en", "and", "met", "the") always goes on.
    if prev.ends_with([',', '-', '(', '/', '+', '&']) || joiners.ends(prev) {
        return false;
    }
    if prev.chars().count() < WRAP_LINE {
        return true;
    }
    // A long line (a hard wrap) goes on when the next line starts in lower case, with a
    // digit or a bracket, or with a token that is not a plain capitalised word: an
    // acronym ("CT", "HCC") or a mixed token ("HepPar-1", "S4a").
    if lower_start
        || first.is_some_and(|a| a.is_ascii_digit() || matches!(a, '(' | ')' | ',' | '%'))
    {
        return false;
    }
    starts_capitalised_word(next)
}

/// Most words of a fragment whose final period is suspect ("Cytokeratin 7.", "Tumor cells.").
const FRAGMENT_WORDS: usize = 2;

/// True when the boundary between sentence `prev` (a byte range) and the sentence that
/// starts at `start` is weak: a period that may be an OCR'd line break ("positive for CK7.
/// CK20 and HSA") rather than the end of a sentence. It is weak when the sentence before
/// ends in a period, only blanks (no line break) lie between the two, and either the next
/// sentence starts with a digit or with a token that is not a plain capitalised word (a
/// marker name such as "HepPar-1" or "CK7", an acronym), or the sentence before is a
/// fragment of at most two words. Extractors decide whether to read across it.
pub fn is_weak_boundary(text: &str, prev: (usize, usize), start: usize) -> bool {
    let (Some(before), Some(gap), Some(next)) = (
        text.get(prev.0..prev.1),
        text.get(prev.1..start),
        text.get(start..),
    ) else {
        return false;
    };
    if !before
        .trim_end_matches([')', '"', '\'', ']'])
        .ends_with('.')
        || !gap.bytes().all(|b| b == b' ' || b == b'\t')
    {
        return false;
    }
    let fragment = before
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(FRAGMENT_WORDS + 1)
        .count()
        <= FRAGMENT_WORDS;
    match next.chars().next() {
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if c.is_alphanumeric() => fragment || !starts_capitalised_word(next),
        _ => fragment,
    }
}

/// True when `s` starts with a capital letter followed by lower-case letters only, up to
/// the end of the word ("Milt", "The"; not "CT", "HepPar-1", "S4a").
fn starts_capitalised_word(s: &str) -> bool {
    let word: &str = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':'))
        .next()
        .unwrap_or("");
    let mut chars = word.chars();
    match chars.next() {
        Some(a) if a.is_uppercase() => {
            let rest: Vec<char> = chars.collect();
            !rest.is_empty() && rest.iter().all(|c| c.is_lowercase())
        }
        _ => false,
    }
}

/// "- ", "* ", "• ", "1. ", "2) ", "a) " at the start of a line.
pub fn starts_list_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with(['-', '*', '•', '·', '–', '—']) {
        return true;
    }
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    let rest = &t.as_bytes()[digits..];
    if digits > 0
        && digits <= 2
        && rest.len() >= 2
        && matches!(rest[0], b'.' | b')')
        && rest[1] == b' '
    {
        return true;
    }
    let b = t.as_bytes();
    b.len() >= 3 && b[0].is_ascii_lowercase() && b[1] == b')' && b[2] == b' '
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let joiners = Joiners::new(["with", "for", "and", "the"]);
        let abbreviations = Abbreviations::new(["approx."]);
        split_sentences(text, &[], &abbreviations, &joiners)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn a_period_after_a_joiner_or_a_hyphen_ends_no_sentence() {
        assert_eq!(
            split("Tumour cells stain positive with. HepPar-1 and. Glypican-3. Margins free."),
            [
                "Tumour cells stain positive with. HepPar-1 and. Glypican-3.",
                "Margins free."
            ]
        );
        assert_eq!(
            split("The non-. Neoplastic liver. Done."),
            ["The non-. Neoplastic liver.", "Done."]
        );
        // A minus sign is a result, and its period may end the sentence.
        assert_eq!(
            split("Tumour cells: CK7 -. In the liver CK7 is positive."),
            ["Tumour cells: CK7 -.", "In the liver CK7 is positive."]
        );
        // A word that merely contains a joiner still ends a sentence.
        assert_eq!(
            split("It was forthwith. Then more."),
            ["It was forthwith.", "Then more."]
        );
    }

    #[test]
    fn a_period_before_a_lower_case_word_ends_no_sentence() {
        assert_eq!(
            split("Tumor cells. are negative for CK7. The end."),
            ["Tumor cells. are negative for CK7.", "The end."]
        );
    }

    fn weak_after(text: &str) -> Vec<bool> {
        let spans = {
            let joiners = Joiners::default();
            split_sentences(text, &[], &Abbreviations::default(), &joiners)
        };
        spans
            .windows(2)
            .map(|w| is_weak_boundary(text, w[0], w[1].0))
            .collect()
    }

    #[test]
    fn weak_boundaries() {
        // Before a marker-like token or a number: weak.
        assert_eq!(
            weak_after("Tumor cells are negative for CK7. CK20 and HSA are negative."),
            [true]
        );
        assert_eq!(weak_after("Tumor size is. 2.5 cm in total."), [true]);
        // After a fragment of one or two words: weak.
        assert_eq!(
            weak_after("Cytokeratin 7. Cytokeratin nineteen: negative."),
            [true]
        );
        // A whole sentence before a capitalised word: a real boundary.
        assert_eq!(
            weak_after("The margins are free of tumor. The liver is cirrhotic."),
            [false]
        );
        // A line break is a real boundary, and so is a question mark.
        assert_eq!(
            weak_after("The margins are free of tumor.\nCK7 is negative."),
            [false]
        );
        assert_eq!(weak_after("Is the margin free? CK7 is negative."), [false]);
    }
}
