//! Locations: Couinaud segments and liver lobes in every common writing.
//!
//! Segments follow a segment word from the lexicon ("segment", "seg.", "leversegmenten")
//! as a list of Roman or Arabic numerals ("VII", "7", "4a", "IVb") joined by commas,
//! slashes, dashes (ranges) and list words; "S7"/"S4a" need no segment word.

use super::scan;
use super::work;
use super::Ctx;
use crate::record::{Lobe, Segment};

/// One mention of one or more segments.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentMention {
    /// Start in the folded text.
    pub fstart: usize,
    /// End in the folded text.
    pub fend: usize,
    /// The segments named, in anatomical order.
    pub segments: Vec<Segment>,
    /// The rule that read them.
    pub rule: String,
}

/// One mention of a lobe.
#[derive(Debug, Clone, PartialEq)]
pub struct LobeMention {
    /// Start in the folded text.
    pub fstart: usize,
    /// End in the folded text.
    pub fend: usize,
    /// The lobes named (both for "beide leverkwabben").
    pub lobes: Vec<Lobe>,
    /// True for "beide leverkwabben", "bilobar".
    pub both: bool,
    /// The lexicon entry.
    pub rule: String,
}

/// Every segment mention of the report, in text order.
pub fn find_segments(ctx: &Ctx) -> Vec<SegmentMention> {
    let folded = ctx.folded();
    let mut lists = Lists::default();
    let mut out: Vec<SegmentMention> = Vec::new();
    for cue in scan::hits(ctx, "segment_cue") {
        work::step();
        if let Some((segments, end)) = lists.read(ctx, word_end(folded, cue.end), false) {
            out.push(SegmentMention {
                fstart: cue.start,
                fend: end,
                segments,
                rule: cue.entry.rule(),
            });
        }
    }
    // An "S7" inside a mention already read is part of it. The mentions so far start in
    // text order, and so do the S-notations: the furthest end of the mentions that start
    // at or before an S-notation says whether one covers it.
    let cue_mentions = out.len();
    let mut next = 0;
    let mut reach = 0;
    for start in s_notations(folded) {
        work::step();
        while next < cue_mentions && out[next].fstart <= start {
            reach = reach.max(out[next].fend);
            next += 1;
        }
        if reach > start {
            continue;
        }
        if let Some((segments, end)) = lists.read(ctx, start + 1, true) {
            // A lone "S1" is more often the first sacral vertebra than the caudate lobe.
            if segments == [Segment::I] {
                continue;
            }
            reach = reach.max(end);
            out.push(SegmentMention {
                fstart: start,
                fend: end,
                segments,
                rule: "location:s-notation".into(),
            });
        }
    }
    out.sort_by_key(|m| m.fstart);
    out
}

/// Starts of the "S7" notation, in text order: an "s" that begins a word, an optional
/// space, a Couinaud number 1-8 and an optional sub-segment letter that end the word.
fn s_notations(folded: &str) -> impl Iterator<Item = usize> + '_ {
    let b = folded.as_bytes();
    folded.match_indices('s').map(|(i, _)| i).filter(move |&i| {
        let mut j = i + 1;
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
        if !b.get(j).is_some_and(|c| (b'1'..=b'8').contains(c)) || !scan::word_boundary(folded, i) {
            return false;
        }
        j += 1;
        if matches!(b.get(j), Some(b'a' | b'b')) && scan::word_boundary(folded, j + 1) {
            return true;
        }
        scan::word_boundary(folded, j)
    })
}

/// The segment lists of a report, read once: a list that goes on past another segment
/// cue ("segment 7 en segment 8") contains the list of that cue, so each list read
/// remembers, for every numeral it passed, the segments from that numeral to its end.
#[derive(Default)]
struct Lists {
    /// By start position (as passed to [`numeral_at`]), for Arabic-only lists (`[1]`)
    /// and all lists (`[0]`).
    read: [std::collections::HashMap<usize, Tail>; 2],
}

/// A list from one numeral on: that numeral, the segments from it to the end, the end.
#[derive(Debug, Clone, Copy)]
struct Tail {
    first: Segment,
    segments: u16,
    end: usize,
}

/// All segments in anatomical order (the order of `Segment`).
const ALL_SEGMENTS: [Segment; 10] = [
    Segment::I,
    Segment::II,
    Segment::III,
    Segment::IV,
    Segment::IVa,
    Segment::IVb,
    Segment::V,
    Segment::VI,
    Segment::VII,
    Segment::VIII,
];

fn bit(s: Segment) -> u16 {
    1 << (s as u16)
}

/// The segments strictly between `from` and `to` of a range ("II-IV" adds III).
fn between(from: Segment, to: Segment) -> u16 {
    ((order(from) + 1)..order(to))
        .filter_map(from_order)
        .fold(0, |set, s| set | bit(s))
}

impl Lists {
    /// Reads "7", "VI/VII", "2 en 3", "II-III", "5, 6 en 8" from `pos`; returns the
    /// segments, in anatomical order, and the end of the list.
    fn read(&mut self, ctx: &Ctx, pos: usize, arabic_only: bool) -> Option<(Vec<Segment>, usize)> {
        let known = &mut self.read[usize::from(arabic_only)];
        let tail = match known.get(&pos) {
            Some(t) => *t,
            None => numeral_list(ctx, pos, arabic_only, known)?,
        };
        let segments = ALL_SEGMENTS
            .into_iter()
            .filter(|s| tail.segments & bit(*s) != 0)
            .collect();
        Some((segments, tail.end))
    }
}

/// Reads the list from `pos` up to its end or to a numeral already in `known`, and adds
/// each of its numerals to `known`.
fn numeral_list(
    ctx: &Ctx,
    pos: usize,
    arabic_only: bool,
    known: &mut std::collections::HashMap<usize, Tail>,
) -> Option<Tail> {
    let folded = ctx.folded();
    let (first, mut end) = numeral_at(folded, pos, arabic_only)?;
    // Each numeral: where it was read from, its segment, whether a range leads to it.
    let mut items: Vec<(usize, Segment, bool)> = vec![(pos, first, false)];
    // The rest of the list when it joins one read before, with whether a range leads to it.
    let mut joined: Option<(Tail, bool)> = None;
    loop {
        work::step();
        let rest = folded.get(end..).unwrap_or("");
        let (next_pos, range) = if let Some((len, range)) = separator(rest) {
            (end + len, range)
        } else if let Some(h) = scan::hit_at(ctx, end, "conjunction") {
            let range = h.attr("role") == Some("range");
            if !matches!(h.attr("role"), Some("and" | "or" | "range")) {
                break;
            }
            let mut p = scan::skip_spaces(folded, h.end);
            if let Some(cue) = scan::hit_at(ctx, p, "segment_cue") {
                p = word_end(folded, cue.end);
            } else if folded.get(p..).is_some_and(|r| {
                r.starts_with('s') && r[1..].starts_with(|c: char| c.is_ascii_digit())
            }) {
                p += 1;
            }
            (p, range)
        } else {
            break;
        };
        if let Some(t) = known.get(&next_pos) {
            joined = Some((*t, range));
            break;
        }
        match numeral_at(folded, next_pos, arabic_only) {
            Some((seg, e)) => {
                items.push((next_pos, seg, range));
                end = e;
            }
            None => break,
        }
    }
    // From the last numeral back to the first: the segments of each numeral's tail.
    let (mut segments, mut after) = match joined {
        Some((t, range)) => {
            end = t.end;
            (t.segments, Some((t.first, range)))
        }
        None => (0, None),
    };
    for &(at, seg, range) in items.iter().rev() {
        segments |= bit(seg);
        if let Some((next, true)) = after {
            segments |= between(seg, next);
        }
        known.insert(
            at,
            Tail {
                first: seg,
                segments,
                end,
            },
        );
        after = Some((seg, range));
    }
    Some(Tail {
        first,
        segments,
        end,
    })
}

/// One numeral at `pos`, with its end.
fn numeral_at(folded: &str, pos: usize, arabic_only: bool) -> Option<(Segment, usize)> {
    let rest = folded.get(pos..)?;
    let (num, sub, len) = numeral(rest)?;
    let end = pos + len;
    if not_after(folded.get(end..).unwrap_or("")) {
        return None;
    }
    let n = couinaud_number(num)?;
    if arabic_only && !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((segment_of(n, sub)?, end))
}

/// The numerals a segment may be written with, longest first where one begins another.
const NUMERALS: &[&str] = &[
    "viii", "vii", "vi", "iv", "v", "iii", "ii", "i", "1", "2", "3", "4", "5", "6", "7", "8",
];

/// A numeral at the start of `rest` after at most three dots, colons or spaces: the
/// numeral, its sub-segment letter ("a"/"b") and the length read. The numeral must end
/// its word ("vii" in "viii" or "villa" is none).
fn numeral(rest: &str) -> Option<(&str, Option<&str>, usize)> {
    let lead = rest
        .bytes()
        .take(4)
        .take_while(|b| matches!(b, b' ' | b'.' | b':'))
        .count();
    if lead > 3 {
        return None;
    }
    numeral_word(rest, lead)
}

/// The numeral that starts at byte `at` of `s`, Roman or Arabic (1-8), with an optional
/// sub-segment letter, ending its word: the numeral, the letter and the end (counted from
/// the start of `s`).
pub fn numeral_word(s: &str, at: usize) -> Option<(&str, Option<&str>, usize)> {
    let body = s.get(at..)?;
    let num = NUMERALS.iter().find(|n| body.starts_with(**n))?;
    let mut len = at + num.len();
    let mut sub = None;
    if let Some(letter @ ("a" | "b")) = s.get(len..len + 1) {
        if scan::word_boundary(s, len + 1) {
            sub = Some(letter);
            len += 1;
        }
    }
    if sub.is_none() && !scan::word_boundary(s, len) {
        return None;
    }
    Some((&s[at..at + num.len()], sub, len))
}

/// A list separator between numerals at the start of `rest` (",", "/", "+", "&" or a dash
/// for a range, with an optional space on each side and an optional "s" of the S-notation
/// after it): its length and whether it makes a range.
fn separator(rest: &str) -> Option<(usize, bool)> {
    let b = rest.as_bytes();
    let mut i = usize::from(b.first() == Some(&b' '));
    let sign = *b
        .get(i)
        .filter(|c| matches!(c, b',' | b'/' | b'+' | b'&' | b'-'))?;
    i += 1;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b's') {
        i += 1;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    Some((i, sign == b'-'))
}

/// True when what follows a numeral makes it a size, decimal or other number: a decimal
/// part, or a unit or dimension sign after an optional space.
fn not_after(rest: &str) -> bool {
    let b = rest.as_bytes();
    if matches!(b.first(), Some(b'.' | b',')) && b.get(1).is_some_and(u8::is_ascii_digit) {
        return true;
    }
    let r = rest.strip_prefix(' ').unwrap_or(rest);
    if r.starts_with("mm") || r.starts_with("cm") || r.starts_with('%') {
        return true;
    }
    r.strip_prefix('x').is_some_and(|x| {
        x.strip_prefix(' ')
            .unwrap_or(x)
            .starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The Couinaud number of a numeral, Arabic or Roman ("7", "vii").
pub fn couinaud_number(num: &str) -> Option<u8> {
    Some(match num {
        "1" | "i" => 1,
        "2" | "ii" => 2,
        "3" | "iii" => 3,
        "4" | "iv" => 4,
        "5" | "v" => 5,
        "6" | "vi" => 6,
        "7" | "vii" => 7,
        "8" | "viii" => 8,
        _ => return None,
    })
}

/// The segment of a Couinaud number with an optional sub-segment letter: (4, "a") is IVa;
/// a letter on any other segment is no segment.
pub fn segment_of(n: u8, sub: Option<&str>) -> Option<Segment> {
    match (n, sub) {
        (4, Some("a")) => Some(Segment::IVa),
        (4, Some("b")) => Some(Segment::IVb),
        (_, Some(_)) => None,
        (n, None) => from_order(n),
    }
}

/// Position of a segment in 1..=8 (IVa and IVb count as 4).
fn order(s: Segment) -> u8 {
    match s {
        Segment::I => 1,
        Segment::II => 2,
        Segment::III => 3,
        Segment::IV | Segment::IVa | Segment::IVb => 4,
        Segment::V => 5,
        Segment::VI => 6,
        Segment::VII => 7,
        Segment::VIII => 8,
    }
}

/// The segment at position 1..=8.
fn from_order(n: u8) -> Option<Segment> {
    Some(match n {
        1 => Segment::I,
        2 => Segment::II,
        3 => Segment::III,
        4 => Segment::IV,
        5 => Segment::V,
        6 => Segment::VI,
        7 => Segment::VII,
        8 => Segment::VIII,
        _ => return None,
    })
}

/// Every lobe mention of the report, in text order.
pub fn find_lobes(ctx: &Ctx) -> Vec<LobeMention> {
    scan::hits(ctx, "lobe")
        .into_iter()
        .filter_map(|h| {
            let (lobes, both) = match h.attr("lobe")? {
                "left" => (vec![Lobe::Left], false),
                "right" => (vec![Lobe::Right], false),
                "caudate" => (vec![Lobe::Caudate], false),
                "both" => (vec![Lobe::Left, Lobe::Right], true),
                _ => return None,
            };
            Some(LobeMention {
                fstart: h.start,
                fend: h.end,
                lobes,
                both,
                rule: h.entry.rule(),
            })
        })
        .collect()
}

/// True when the segments lie on both sides of the Cantlie line.
pub fn bilobar(segments: &[Segment]) -> bool {
    segments.iter().any(|s| s.lobe() == Lobe::Left)
        && segments.iter().any(|s| s.lobe() == Lobe::Right)
}

/// The end of the word that goes on at `pos` ("segment*" matches "segmenten"); letters only,
/// unlike `scan::word_end`, so that "segment7" keeps its numeral.
fn word_end(folded: &str, pos: usize) -> usize {
    let rest = folded.get(pos..).unwrap_or("");
    pos + rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scan::testing::with_ctx;
    use crate::record::Language::{self, En, Nl};
    use crate::record::Segment::*;

    fn segs(text: &str, lang: Language) -> Vec<Segment> {
        with_ctx(text, lang, |ctx| {
            let mut s: Vec<Segment> = find_segments(ctx)
                .into_iter()
                .flat_map(|m| m.segments)
                .collect();
            s.sort();
            s.dedup();
            s
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The scanners read what the patterns they replaced read.
        #[test]
        fn same_as_the_patterns(text in "[s1-9abivx :.,/&+%cm-]{0,14}") {
            let numeral_re = regex::Regex::new(r"^[ .:]{0,3}(viii|vii|vi|iv|v|iii|ii|i|[1-8])([ab])?\b").expect("regex");
            let expected = numeral_re.captures(&text).and_then(|c| {
                Some((c.get(1)?.as_str(), c.get(2).map(|g| g.as_str()), c.get(0)?.end()))
            });
            proptest::prop_assert_eq!(numeral(&text), expected);
            let separator_re = regex::Regex::new(r"^ ?([,/+&]|-) ?(?:s ?)?").expect("regex");
            let expected = separator_re.captures(&text).and_then(|c| Some((c.get(0)?.end(), c.get(1)?.as_str() == "-")));
            proptest::prop_assert_eq!(separator(&text), expected);
            let not_after_re = regex::Regex::new(r"^(?:[.,]\d| ?(?:mm|cm|x ?\d|%))").expect("regex");
            proptest::prop_assert_eq!(not_after(&text), not_after_re.is_match(&text));
            let s_form = regex::Regex::new(r"\bs ?([1-8])([ab])?\b").expect("regex");
            let expected: Vec<usize> = s_form.find_iter(&text).map(|m| m.start()).collect();
            proptest::prop_assert_eq!(s_notations(&text).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn every_common_writing() {
        assert_eq!(segs("segment 7", Nl), [VII]);
        assert_eq!(segs("seg. VII", Nl), [VII]);
        assert_eq!(segs("in S7", Nl), [VII]);
        assert_eq!(segs("S4a", Nl), [IVa]);
        assert_eq!(segs("segment IVb", Nl), [IVb]);
        assert_eq!(segs("segment 6/7", Nl), [VI, VII]);
        assert_eq!(segs("segmenten 2 en 3", Nl), [II, III]);
        assert_eq!(segs("segment II-III", Nl), [II, III]);
        assert_eq!(segs("leversegment 8", Nl), [VIII]);
        assert_eq!(segs("in de segmenten 5, 6 en 8", Nl), [V, VI, VIII]);
        assert_eq!(segs("segments 5 through 7", En), [V, VI, VII]);
        assert_eq!(segs("segments II and III", En), [II, III]);
    }

    #[test]
    fn sizes_and_other_words_are_not_segments() {
        assert_eq!(segs("segment 7 2,3 cm", Nl), [VII]);
        assert_eq!(segs("segment 7, 8 mm", Nl), [VII]);
        assert!(segs("leverkoepel", Nl).is_empty());
        assert!(segs("segment in de lever", Nl).is_empty());
        assert!(segs("S1 wervel", Nl).is_empty());
    }

    #[test]
    fn lobes_and_bilobar() {
        with_ctx("beide leverkwabben en de lobus caudatus", Nl, |ctx| {
            let l = find_lobes(ctx);
            assert!(l[0].both);
            assert_eq!(l[1].lobes, [Lobe::Caudate]);
        });
        assert!(bilobar(&[II, VII]));
        assert!(!bilobar(&[VI, VII]));
    }
}
