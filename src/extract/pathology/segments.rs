//! Couinaud segments named in a pathology report: "segment 6", "segmenten 4b en 5",
//! "segments IV, V, VI", "S6-7", "LIVER, SEGMENT 6, SEGMENTAL RESECTION".

use super::cues::Cues;
use crate::extract::{location, scan, Ctx};
use crate::record::Segment;

/// One segment numeral at the start of the text ("6", "4a", ": viii"), after spaces with at
/// most one colon or period among them: the numeral, its letter and the length read.
fn numeral_at(rest: &str) -> Option<(&str, Option<&str>, usize)> {
    let mut i = scan::skip_spaces(rest, 0);
    if rest[i..].starts_with([':', '.']) {
        i = scan::skip_spaces(rest, i + 1);
    }
    location::numeral_word(rest, i)
}

/// What may join two numerals (",", "/", "-", "&", "+", spaces around it): its length and
/// whether it is a dash.
fn separator(rest: &str) -> Option<(usize, bool)> {
    let i = scan::skip_spaces(rest, 0);
    let sign = *rest.as_bytes().get(i).filter(|c| b",/&+-".contains(c))?;
    Some((scan::skip_spaces(rest, i + 1), sign == b'-'))
}

/// An S-code: "s6", "s4a", "s6-7", "s6/s7".
struct SCode<'t> {
    start: usize,
    end: usize,
    first: &'t str,
    sub: Option<&'t str>,
    last: Option<&'t str>,
}

/// The S-codes of the text, in order: an "s" that starts a word, a number 1-8 with an
/// optional sub-segment letter, and optionally a dash or slash with a second number.
fn s_codes(folded: &str) -> impl Iterator<Item = SCode<'_>> + '_ {
    let b = folded.as_bytes();
    let digit_at = move |i: usize| b.get(i).is_some_and(|c| (b'1'..=b'8').contains(c));
    let code_at = move |i: usize| -> Option<SCode<'_>> {
        if !digit_at(i + 1) || !scan::word_boundary(folded, i) {
            return None;
        }
        let first = &folded[i + 1..i + 2];
        let with_sub = matches!(b.get(i + 2), Some(b'a' | b'b'));
        let subs: &[bool] = if with_sub { &[true, false] } else { &[false] };
        for &sub in subs {
            let k = i + 2 + usize::from(sub);
            let sub = sub.then(|| &folded[i + 2..i + 3]);
            // The range part, when it ends a word.
            let mut j = scan::skip_spaces(folded, k);
            if matches!(b.get(j), Some(b'-' | b'/')) {
                j = scan::skip_spaces(folded, j + 1);
                if b.get(j) == Some(&b's') && digit_at(j + 1) {
                    j += 1;
                }
                if digit_at(j) && scan::word_boundary(folded, j + 1) {
                    let last = Some(&folded[j..j + 1]);
                    return Some(SCode {
                        start: i,
                        end: j + 1,
                        first,
                        sub,
                        last,
                    });
                }
            }
            if scan::word_boundary(folded, k) {
                return Some(SCode {
                    start: i,
                    end: k,
                    first,
                    sub,
                    last: None,
                });
            }
        }
        None
    };
    let mut pos = 0;
    std::iter::from_fn(move || {
        while let Some(p) = folded.get(pos..)?.find('s') {
            let i = pos + p;
            match code_at(i) {
                Some(code) => {
                    pos = code.end;
                    return Some(code);
                }
                None => pos = i + 1,
            }
        }
        None
    })
}

fn numeral(n: &str) -> Option<u8> {
    location::couinaud_number(n)
}

/// A segment from its number; a sub-segment letter counts on segment 4 only ("6a" is VI).
fn segment(n: u8, sub: Option<&str>) -> Option<Segment> {
    location::segment_of(n, sub.filter(|_| n == 4))
}

/// Segments read after a `segment` cue, or from an S-code, with the folded range.
pub fn mentions(ctx: &Ctx, cues: &Cues) -> Vec<(Vec<Segment>, (usize, usize))> {
    let folded = ctx.folded();
    let joins: Vec<(usize, usize)> = ctx
        .of_kind("ihc_join")
        .filter(|(_, e)| e.attr("role") == Some("join"))
        .map(|(m, _)| (m.start, m.end))
        .collect();
    let mut out = Vec::new();
    for c in cues.iter().filter(|c| c.cue == "segment") {
        // The numerals follow the word the cue starts.
        if folded[c.end..].starts_with(|ch: char| ch.is_alphabetic()) {
            let word_end = folded[c.end..]
                .find(|ch: char| !ch.is_alphabetic())
                .map_or(folded.len(), |p| c.end + p);
            // "segmenten 6 en 7", "segmentresectie 7 en 8": numerals right after the word.
            out.extend(list_at(folded, &joins, word_end).map(|(s, e)| (s, (c.start, e))));
            continue;
        }
        out.extend(list_at(folded, &joins, c.end).map(|(s, e)| (s, (c.start, e))));
    }
    for code in s_codes(folded) {
        let Some(first) = numeral(code.first) else {
            continue;
        };
        let mut segs: Vec<Segment> = segment(first, code.sub).into_iter().collect();
        if let Some(b) = code.last.and_then(numeral) {
            segs.extend((first + 1..=b).filter_map(|n| segment(n, None)));
        }
        out.push((segs, (code.start, code.end)));
    }
    out
}

/// A list of numerals at `pos`: "6", "4-5", "2 en 3", "iv, v, vi, vii and viii".
fn list_at(folded: &str, joins: &[(usize, usize)], pos: usize) -> Option<(Vec<Segment>, usize)> {
    let mut segs = Vec::new();
    let mut at = pos;
    let mut range_from: Option<u8> = None;
    loop {
        let rest = folded.get(at..)?;
        let Some((n, sub, len)) = numeral_at(rest) else {
            break;
        };
        let Some(num) = numeral(n) else {
            break;
        };
        // "5 cm", "6.9 x 6.0": a size, not a segment.
        let after = &rest[len..];
        if after.starts_with(['.', ',']) && after[1..].starts_with(|ch: char| ch.is_ascii_digit())
            || after.trim_start().starts_with("cm")
            || after.trim_start().starts_with("mm")
        {
            break;
        }
        if let Some(from) = range_from.take() {
            segs.extend((from + 1..num).filter_map(|k| segment(k, None)));
        }
        segs.extend(segment(num, sub));
        at += len;
        let rest = &folded[at..];
        if let Some((sep_len, dash)) = separator(rest) {
            if dash {
                range_from = Some(num);
            }
            at += sep_len;
            continue;
        }
        let trimmed = at + (rest.len() - rest.trim_start().len());
        if let Some(&(_, e)) = joins.iter().find(|(s, _)| *s == trimmed) {
            at = e;
            continue;
        }
        break;
    }
    if segs.is_empty() {
        None
    } else {
        Some((segs, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(folded: &str) -> Vec<(&str, &str, Option<&str>, Option<&str>)> {
        s_codes(folded)
            .map(|c| (&folded[c.start..c.end], c.first, c.sub, c.last))
            .collect()
    }

    #[test]
    fn s_codes_with_letters_and_ranges() {
        assert_eq!(
            codes("s6, s4a en s6-7; s5 / s8"),
            [
                ("s6", "6", None, None),
                ("s4a", "4", Some("a"), None),
                ("s6-7", "6", None, Some("7")),
                ("s5 / s8", "5", None, Some("8")),
            ]
        );
        // A range that does not end its word falls back to the code alone.
        assert_eq!(codes("s6-7a"), [("s6", "6", None, None)]);
        assert!(codes("ss6 s9 s6x").is_empty());
    }

    #[test]
    fn numerals_and_separators() {
        assert_eq!(numeral_at(" : vii en"), Some(("vii", None, 6)));
        assert_eq!(numeral_at("4b,"), Some(("4", Some("b"), 2)));
        assert_eq!(numeral_at("villa"), None);
        assert_eq!(separator(" - 7"), Some((3, true)));
        assert_eq!(separator(", 7"), Some((2, false)));
        assert_eq!(separator(" en 7"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The scanners read what the patterns they replaced read.
        #[test]
        fn same_as_the_patterns(text in "[s1-9abiv /:.,&+-]{0,16}") {
            let s_code = regex::Regex::new(r"\bs([1-8])([ab])?(?:\s*[-/]\s*s?([1-8]))?\b").expect("regex");
            let expected: Vec<_> = s_code
                .captures_iter(&text)
                .filter_map(|c| {
                    let all = c.get(0)?;
                    Some((all.start(), all.end(), c.get(1)?.as_str(), c.get(2).map(|g| g.as_str()), c.get(3).map(|g| g.as_str())))
                })
                .collect();
            let found: Vec<_> = s_codes(&text).map(|c| (c.start, c.end, c.first, c.sub, c.last)).collect();
            proptest::prop_assert_eq!(found, expected);
            let numeral = regex::Regex::new(r"^\s*[:.]?\s*(viii|vii|vi|iv|v|iii|ii|i|[1-8])([ab])?\b").expect("regex");
            let expected = numeral.captures(&text).and_then(|c| {
                Some((c.get(1)?.as_str(), c.get(2).map(|g| g.as_str()), c.get(0)?.end()))
            });
            proptest::prop_assert_eq!(numeral_at(&text), expected);
            let sep = regex::Regex::new(r"^\s*([,/&+]|-)\s*").expect("regex");
            let expected = sep.captures(&text).and_then(|c| Some((c.get(0)?.end(), c.get(1)?.as_str() == "-")));
            proptest::prop_assert_eq!(separator(&text), expected);
        }
    }
}
