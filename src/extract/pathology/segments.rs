//! Couinaud segments named in a pathology report: "segment 6", "segmenten 4b en 5",
//! "segments IV, V, VI", "S6-7", "LIVER, SEGMENT 6, SEGMENTAL RESECTION".

use std::sync::LazyLock;

use regex::Regex;

use super::cues::Cues;
use crate::extract::{location, Ctx};
use crate::record::Segment;

/// One segment numeral at the start of the text ("6", "4a", "viii").
static NUMERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[:.]?\s*(viii|vii|vi|iv|v|iii|ii|i|[1-8])([ab])?\b").expect("numeral")
});
/// What may join two numerals: ",", "/", "-", "&", "+".
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([,/&+]|-)\s*").expect("separator"));
/// "s6", "s4a", "s6-7".
static S_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bs([1-8])([ab])?(?:\s*[-/]\s*s?([1-8]))?\b").expect("s code"));

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
    for m in S_CODE.captures_iter(folded) {
        let (Some(all), Some(a)) = (m.get(0), m.get(1)) else {
            continue;
        };
        let Some(first) = numeral(a.as_str()) else {
            continue;
        };
        let mut segs: Vec<Segment> = segment(first, m.get(2).map(|g| g.as_str()))
            .into_iter()
            .collect();
        if let Some(b) = m.get(3).and_then(|b| numeral(b.as_str())) {
            segs.extend((first + 1..=b).filter_map(|n| segment(n, None)));
        }
        out.push((segs, (all.start(), all.end())));
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
        let Some(c) = NUMERAL.captures(rest) else {
            break;
        };
        let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
            break;
        };
        let Some(num) = numeral(n.as_str()) else {
            break;
        };
        let sub = c.get(2).map(|g| g.as_str());
        // "5 cm", "6.9 x 6.0": a size, not a segment.
        let after = &rest[all.end()..];
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
        at += all.end();
        let rest = &folded[at..];
        if let Some(sep) = SEPARATOR.captures(rest).and_then(|s| s.get(0)) {
            if rest[..sep.end()].contains('-') {
                range_from = Some(num);
            }
            at += sep.end();
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
