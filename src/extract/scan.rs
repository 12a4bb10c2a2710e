//! Lookups over one report's lexicon matches by kind and position, shared by the
//! radiology extractors.

use crate::lexicon::{Entry, LexMatch};

use super::Ctx;

/// A lexicon match of one kind: its folded range and the entry behind it.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    /// The lexicon entry.
    pub entry: &'a Entry,
}

impl Hit<'_> {
    /// The value of an attribute of the entry.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.entry.attr(key)
    }
}

/// Longer than any lexicon term: how far back a match that ends at a position may start.
const MAX_TERM_BYTES: usize = 160;

/// Every match of `kind`, in text order.
pub fn hits<'a>(ctx: &Ctx<'a>, kind: &str) -> Vec<Hit<'a>> {
    ctx.of_kind(kind)
        .map(|(m, entry)| Hit {
            start: m.start,
            end: m.end,
            entry,
        })
        .collect()
}

/// Every match of `kind` with every entry of that kind behind it (a term may stand for
/// two values, "pet-ct" for PET and CT), in text order.
pub fn all_hits<'a>(ctx: &Ctx<'a>, kind: &str) -> Vec<Hit<'a>> {
    let Some(id) = ctx.matcher().kind_id(kind) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in ctx.matches_of(id) {
        for entry in ctx.entries(m) {
            out.push(Hit {
                start: m.start,
                end: m.end,
                entry,
            });
        }
    }
    out
}

/// The match of `kind` that starts at `pos` (after skipping spaces), if any.
pub fn hit_at<'a>(ctx: &Ctx<'a>, pos: usize, kind: &str) -> Option<Hit<'a>> {
    super::work::step();
    let folded = ctx.folded();
    let pos = skip_spaces(folded, pos);
    let i = ctx.matches.partition_point(|m| m.start < pos);
    // Several kinds may match at one position: look at each.
    let candidates = ctx.matches.get(i..)?.iter().take_while(|m| m.start == pos);
    first_of_kind(ctx, candidates, kind)
}

/// The match of `kind` that ends at `pos` (before trailing spaces), if any.
pub fn hit_before<'a>(ctx: &Ctx<'a>, pos: usize, kind: &str) -> Option<Hit<'a>> {
    let folded = ctx.folded();
    let end = folded
        .get(..pos)
        .map_or(pos, |s| s.trim_end_matches(' ').len());
    // Matches are sorted by start; one that ends at `end` starts at most a term's length
    // before it.
    let i = ctx.matches.partition_point(|m| m.start < end);
    let candidates = ctx
        .matches
        .get(..i)?
        .iter()
        .rev()
        .take_while(|m| m.start + MAX_TERM_BYTES >= end)
        .filter(|m| m.end == end);
    first_of_kind(ctx, candidates, kind)
}

/// The first of `candidates` that is a match of `kind`, as a hit.
fn first_of_kind<'a, 'm>(
    ctx: &Ctx<'a>,
    mut candidates: impl Iterator<Item = &'m LexMatch>,
    kind: &str,
) -> Option<Hit<'a>> {
    let id = ctx.matcher().kind_id(kind)?;
    candidates.find_map(|m| {
        let entry = ctx.entry_of_kind(m, Some(id))?;
        Some(Hit {
            start: m.start,
            end: m.end,
            entry,
        })
    })
}

/// The end of the word that goes on at `pos`: a prefix entry ("metasta*") reads the whole
/// word ("metastasen") up to the next byte that is not a word byte.
pub fn word_end(folded: &str, pos: usize) -> usize {
    let rest = folded.get(pos..).unwrap_or("");
    pos + rest
        .bytes()
        .take_while(|b| crate::lexicon::matcher::is_word(*b))
        .count()
}

/// `pos` moved past any spaces.
pub fn skip_spaces(folded: &str, pos: usize) -> usize {
    let rest = folded.get(pos..).unwrap_or("");
    pos + (rest.len() - rest.trim_start_matches(' ').len())
}

/// A word character in the sense of a regex `\w`: a letter, digit or underscore.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when a word starts or ends at byte `at` of `s`: a word character on one side of it
/// and none on the other (the start and end of `s` count as no word character).
pub fn word_boundary(s: &str, at: usize) -> bool {
    let before = s.get(..at).and_then(|b| b.chars().next_back());
    let after = s.get(at..).and_then(|a| a.chars().next());
    before.is_some_and(is_word_char) != after.is_some_and(is_word_char)
}

/// The end of the number that starts at byte `start` of `folded`: a run of digits with an
/// optional decimal part (a comma or point and more digits); `None` when no digit is there.
pub fn number_end(folded: &str, start: usize) -> Option<usize> {
    let b = folded.as_bytes();
    let digits_from = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let end = digits_from(start);
    if end == start {
        return None;
    }
    if matches!(b.get(end), Some(b'.' | b',')) && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
        return Some(digits_from(end + 1));
    }
    Some(end)
}

/// Numbers in folded text, in order (see [`number_end`]), as (start, end).
pub fn decimal_numbers(folded: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = folded.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        let start = pos + b.get(pos..)?.iter().position(u8::is_ascii_digit)?;
        let end = number_end(folded, start)?;
        pos = end;
        Some((start, end))
    })
}

/// True when `gap` is one of the bytes `signs` alone, with at most one space after it and,
/// when `space_before`, at most one before it (" x ", "-", ", ").
pub fn lone_sign(gap: &str, signs: &[u8], space_before: bool) -> bool {
    let b = gap.as_bytes();
    let mut i = usize::from(space_before && b.first() == Some(&b' '));
    if !b.get(i).is_some_and(|c| signs.contains(c)) {
        return false;
    }
    i += 1;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    i == b.len()
}

/// Number of tokens between two folded positions.
pub fn tokens_between(ctx: &Ctx, from: usize, to: usize) -> usize {
    super::work::step();
    if to <= from {
        return 0;
    }
    ctx.doc
        .token_index(to)
        .saturating_sub(ctx.doc.token_index(from))
}

/// True when the folded text between the two positions holds clause punctuation.
pub fn has_punct(ctx: &Ctx, from: usize, to: usize) -> bool {
    ctx.folded()
        .get(from..to)
        .is_some_and(|s| s.contains([',', ';', '.', ':', '(', ')']))
}

/// Sections whose content is history, not findings: their scope is the header's own line
/// (or, for a header alone on its line, the paragraph below it), since reports often go on
/// with the findings without a new header.
const HISTORY_SECTIONS: &[&str] = &["clinical", "indication", "comparison"];

/// The name of the section a sentence belongs to, with history sections ending at their
/// line or paragraph (text after it counts as `body`).
pub fn section_of<'d>(ctx: &Ctx<'d>, sentence: usize) -> &'d str {
    let doc = ctx.doc;
    let name = doc.section_name(sentence);
    if !HISTORY_SECTIONS.contains(&name) {
        return name;
    }
    let (Some(s), Some(sec)) = (
        doc.sentences.get(sentence),
        doc.sentences
            .get(sentence)
            .and_then(|s| doc.sections.get(s.section)),
    ) else {
        return name;
    };
    let Some((_, header_end)) = sec.header else {
        return name;
    };
    let text = doc.text;
    let between = text.get(header_end..s.start).unwrap_or("");
    // Text after the header on its own line; the search stops at the first such character.
    let inline = text.get(header_end..).is_some_and(|t| {
        t.chars()
            .take_while(|&c| c != '\n')
            .any(|c| !c.is_whitespace())
    });
    let in_scope = if inline {
        !between.contains('\n')
    } else {
        !between
            .trim_start_matches([' ', '\t', '\r'])
            .trim_start_matches('\n')
            .contains("\n\n")
            && !between
                .trim_start_matches([' ', '\t', '\r'])
                .trim_start_matches('\n')
                .contains("\n\r\n")
    };
    if in_scope {
        name
    } else {
        "body"
    }
}

/// Declares a function that returns a regex compiled once per process.
macro_rules! static_regex {
    ($(#[$doc:meta])* $name:ident, $pattern:expr) => {
        $(#[$doc])*
        fn $name() -> &'static regex::Regex {
            static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            RE.get_or_init(|| regex::Regex::new($pattern).expect("a valid built-in regex"))
        }
    };
}
pub(crate) use static_regex;

/// Test helpers: run a closure on the context of a text.
#[cfg(test)]
pub mod testing {
    use std::sync::OnceLock;

    use crate::extract::{Ctx, Extractor};
    use crate::lexicon::LexiconSet;
    use crate::record::Language;

    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

    /// Runs `f` on the extraction context of `text` in language `lang`.
    pub fn with_ctx<R>(text: &str, lang: Language, f: impl FnOnce(&Ctx) -> R) -> R {
        let ex = extractor();
        let doc = ex.document(text);
        let matches = ex
            .lexicons()
            .matcher(lang.into())
            .find_all(&doc.folded.text);
        let ctx = Ctx::new(&doc, ex.lexicons(), &matches, lang);
        f(&ctx)
    }

    /// The shared extractor.
    pub fn extractor() -> &'static Extractor {
        EXTRACTOR.get_or_init(|| Extractor::new(LexiconSet::embedded().expect("embedded lexicons")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_as_a_regex_reads_them() {
        let s = "s7, ab_c 4é";
        assert!(word_boundary(s, 0));
        assert!(word_boundary(s, 2));
        assert!(!word_boundary(s, 1));
        assert!(!word_boundary(s, 6), "underscore is a word character");
        assert!(
            !word_boundary(s, 10),
            "a letter with an accent is a word character"
        );
        assert!(word_boundary(s, s.len()));
        assert!(!word_boundary(s, 11), "inside a character: no boundary");
    }

    #[test]
    fn numbers_with_their_decimal_part() {
        let f = "2,3 x 1.8 cm, 12-03-2023 en 7. en 4,";
        let found: Vec<&str> = decimal_numbers(f).map(|(s, e)| &f[s..e]).collect();
        assert_eq!(found, ["2,3", "1.8", "12", "03", "2023", "7", "4"]);
        assert_eq!(number_end("1.5.2", 0), Some(3));
        assert_eq!(number_end("x1", 0), None);
    }

    #[test]
    fn a_sign_alone_with_one_space_around() {
        assert!(lone_sign(" x ", b"x*", true));
        assert!(lone_sign("*", b"x*", true));
        assert!(lone_sign("- ", b"-", true));
        assert!(!lone_sign("  -", b"-", true));
        assert!(!lone_sign(" ,", b",", false));
        assert!(lone_sign(", ", b",", false));
        assert!(!lone_sign(" x y", b"x*", true));
        assert!(!lone_sign("", b"-", true));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The number scanner finds what the number pattern it replaced finds.
        #[test]
        fn same_numbers_as_the_number_pattern(text in "[0-9.,a x-]{0,20}") {
            let re = regex::Regex::new(r"\d+(?:[.,]\d+)?").expect("regex");
            let expected: Vec<(usize, usize)> = re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(decimal_numbers(&text).collect::<Vec<_>>(), expected);
        }
    }
}
