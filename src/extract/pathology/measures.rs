//! Sizes in a pathology report and what they measure: a tumour, a distance to the
//! resection margin, or something else (the specimen, a lymph node); specimen weight.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{tokens_between, Cue, Cues};
use crate::extract::{scan, Ctx};

/// A size read at one position: "3,2 cm", "1.5 x 1.4 x 1.3 cm", "16x12x8cm", "8 mm".
struct SizeAt<'t> {
    /// The numbers as written, one to three dimensions.
    dims: Vec<&'t str>,
    /// The unit's factor to mm.
    unit: f64,
    /// End of the size (after the unit).
    end: usize,
}

/// The size that starts at `start`: a number, at most two more joined by "x" or "*" (a
/// stray period may stand on either side of the sign), then "mm" or "cm" ending a word,
/// after spaces or a period and a space.
fn size_at(folded: &str, start: usize) -> Option<SizeAt<'_>> {
    let b = folded.as_bytes();
    let first = scan::number_end(folded, start)?;
    let mut dims = vec![&folded[start..first]];
    let mut pos = first;
    while dims.len() < 3 {
        let mut i = pos;
        if b.get(i) == Some(&b'.') {
            i += 1;
        }
        i = scan::skip_spaces(folded, i);
        if !matches!(b.get(i), Some(b'x' | b'*')) {
            break;
        }
        i += 1;
        if b.get(i) == Some(&b'.') {
            i += 1;
        }
        i = scan::skip_spaces(folded, i);
        let Some(end) = scan::number_end(folded, i) else {
            break;
        };
        dims.push(&folded[i..end]);
        pos = end;
    }
    let mut i = pos;
    if b.get(i) == Some(&b'.') && b.get(i + 1) == Some(&b' ') {
        i += 2;
    } else if b.get(i) == Some(&b'-') {
        // "3.8-cm", "4.3-cm wedge": a unit joined by a hyphen.
        i += 1;
    }
    i = scan::skip_spaces(folded, i);
    let unit = match b.get(i..i + 2) {
        Some(b"mm") => 1.0,
        Some(b"cm") => 10.0,
        _ => return None,
    };
    let end = i + 2;
    scan::word_boundary(folded, end).then_some(SizeAt { dims, unit, end })
}

/// Every size of the text, in order, as the leftmost one at each digit that is not part
/// of a size before it.
fn all_sizes(folded: &str) -> impl Iterator<Item = (usize, SizeAt<'_>)> + '_ {
    let b = folded.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < b.len() {
            let start = pos + b[pos..].iter().position(u8::is_ascii_digit)?;
            match size_at(folded, start) {
                Some(size) => {
                    pos = size.end;
                    return Some((start, size));
                }
                None => pos = start + 1,
            }
        }
        None
    })
}

/// A number joined to the size after it: "3,2 en 1,1 cm", "0,5 tot 3,2 cm", "1-3 cm".
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+(?:[.,]\d+)?)\s*(?:-|[a-z/]{1,3})\s*$").expect("leading number")
});

/// "540 gram", "65.5 g", "800gm", "116-g", and with a stray period "3,190. gram".
static WEIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+(?:[.,]\d+)?)(?:\.\s+|\s*-\s*|\s*)(?:g|gr|gram|grams|gm|gms|grammes?)\b")
        .expect("weight regex")
});

/// What a size measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measured {
    /// A tumour or nodule.
    Tumour,
    /// The distance from tumour to resection margin.
    Margin,
    /// Something else.
    Other,
}

/// One size in the text.
#[derive(Debug, Clone)]
pub struct SizeFact {
    /// Folded range.
    pub span: (usize, usize),
    /// Largest dimension in mm.
    pub max_mm: f64,
    /// What it measures.
    pub measured: Measured,
    /// The rule.
    pub rule: String,
    /// True when a histology word names what is measured ("adenocarcinoma, 2.8 cm").
    pub by_histology: bool,
}

/// A weight: "1,180 g" and "1.180 gram" are thousands (a liver specimen weighs more than 1 g).
fn grams(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let thousands =
        b.len() >= 5 && matches!(b[b.len() - 4], b',' | b'.') && b[..b.len() - 4].len() <= 2;
    if thousands {
        return s.replace([',', '.'], "").parse().ok();
    }
    number(s)
}

fn number(s: &str) -> Option<f64> {
    s.replace(',', ".").parse().ok()
}

/// True when the text before a number shows an OCR-garbled dimension ("1.: x 0.8 cm",
/// "6. 8 x 6.0 cm"): such numbers are skipped, never guessed.
fn garbled_before(before: &str) -> bool {
    let t = before.trim_end();
    if t.ends_with(['x', '*']) && t.len() > 1 {
        let b = t.as_bytes();
        let prev = b.get(b.len().saturating_sub(2)).copied().unwrap_or(b' ');
        return !prev.is_ascii_alphabetic();
    }
    let b = before.as_bytes();
    let n = b.len();
    // "6. 8": a digit, a period, a space, then our number.
    n >= 3 && b[n - 1] == b' ' && b[n - 2] == b'.' && b[n - 3].is_ascii_digit()
}

/// Every size of the report, classified.
pub fn sizes(ctx: &Ctx, cues: &Cues) -> Vec<SizeFact> {
    let folded = ctx.folded();
    let mut out = Vec::new();
    for (size_start, size) in all_sizes(folded) {
        let before = &folded[..size_start];
        if before.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == ',')
            || garbled_before(before)
        {
            continue;
        }
        let unit = size.unit;
        let mut dims: Vec<f64> = size
            .dims
            .iter()
            .filter_map(|d| number(d))
            .map(|v| v * unit)
            .collect();
        let mut start = size_start;
        if size.dims.len() == 1 {
            if let Some(lead) = LEADING.captures(before).and_then(|l| l.get(1)) {
                let head = &before[..lead.start()];
                if !head.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == ',') {
                    dims.extend(number(lead.as_str()).map(|v| v * unit));
                    start = lead.start();
                }
            }
        }
        if bounded(ctx, cues, start) {
            continue;
        }
        let max = dims.iter().copied().fold(0.0, f64::max);
        if max <= 0.0 || max > 400.0 {
            continue;
        }
        let (measured, rule, by_histology) = classify(ctx, cues, start, size.end);
        out.push(SizeFact {
            span: (start, size.end),
            max_mm: (max * 10.0).round() / 10.0,
            measured,
            rule,
            by_histology,
        });
    }
    out
}

/// True for a threshold, not a measurement: "more than 5 cm", "< 2 cm", or a size in a
/// clinical-history sentence.
fn bounded(ctx: &Ctx, cues: &Cues, start: usize) -> bool {
    let before = ctx.folded().get(..start).unwrap_or("").trim_end();
    if before.ends_with(['<', '>', '=']) {
        return true;
    }
    let clause = cues.clause(ctx, start);
    cues.iter().any(|c| {
        (c.cue == "bound" && c.end <= start && tokens_between(ctx, c.end, start) <= 1)
            || (c.cue == "background" && c.sentence == clause)
    })
}

/// Decides what the size at `[s, e)` measures from the cues around it.
fn classify(ctx: &Ctx, cues: &Cues, s: usize, e: usize) -> (Measured, String, bool) {
    let (m, rule, anchor) = classify_by(ctx, cues, s, e);
    (m, rule, anchor == Some("histology"))
}

/// Classification with the kind of cue that decided it.
fn classify_by<'c>(
    ctx: &Ctx,
    cues: &'c Cues,
    s: usize,
    e: usize,
) -> (Measured, String, Option<&'c str>) {
    let sentence = cues.clause(ctx, s);
    let same: Vec<&Cue> = cues.iter().filter(|c| c.sentence == sentence).collect();
    // "0,4 cm van het snijvlak", "1.1 cm from the surgical margin", "within 1.5 cm of the margin".
    // A stray period may stand between: "located 0.2 cm. from the surgical margin".
    let folded = ctx.folded();
    let adjacent = |c: &&&Cue| {
        c.start >= e
            && (tokens_between(ctx, e, c.start) == 0
                || folded.get(e..c.start).is_some_and(|g| g.trim() == "."))
    };
    let distance = same.iter().find(|c| c.cue == "distance" && adjacent(c));
    if let Some(d) = distance {
        let margin = same.iter().find(|c| {
            c.cue == "margin" && c.start >= d.end && tokens_between(ctx, d.end, c.start) <= 6
        });
        if let Some(m) = margin {
            return (
                Measured::Margin,
                format!("pathology:size-from + {}", m.rule()),
                None,
            );
        }
        // "closest margin 0.4 cm from the segment 8 lesion": a margin named before, when
        // the distance is measured from the tumour; "0.8 cm from the resection margin and
        // 0.1 cm from the capsule" measures to something else.
        let object = same
            .iter()
            .find(|c| {
                c.start >= d.end
                    && !matches!(
                        c.cue,
                        "segment" | "number" | "article" | "approx" | "distance"
                    )
            })
            .filter(|c| tokens_between(ctx, d.end, c.start) <= 5);
        let from_tumour = object.is_some_and(|o| o.is_tumour());
        let margin_before = same.iter().rev().find(|c| {
            c.end <= s
                && tokens_between(ctx, c.end, s) <= 4
                && (c.is_tumour() || matches!(c.cue, "specimen" | "node" | "margin"))
        });
        return match margin_before {
            Some(m) if m.cue == "margin" && from_tumour => (
                Measured::Margin,
                format!("pathology:margin-size + {}", m.rule()),
                None,
            ),
            _ => (
                Measured::Other,
                format!("pathology:distance + {}", d.rule()),
                None,
            ),
        };
    }
    // "The margins are free of tumor (free by 0.5 cm)", "negative for tumor by 5.0 cm":
    // a tumour word that is the object of a free statement names no measured tumour.
    let free_object = |c: &Cue| {
        c.is_tumour()
            && same.iter().any(|f| {
                matches!(f.cue, "margin_free" | "negation")
                    && f.end <= c.start
                    && tokens_between(ctx, f.end, c.start) <= 4
            })
            && same
                .iter()
                .any(|m| m.cue == "margin" && m.end <= c.start && m.entry.attr("side").is_none())
    };
    // "the closest surgical margin is a 3.3 x 2.5 cm mass": a size after an article
    // describes a thing, not a distance.
    let described_thing = same
        .iter()
        .any(|c| c.cue == "article" && c.end <= s && tokens_between(ctx, c.end, s) == 0);
    let before = same.iter().rev().find(|c| {
        c.end <= s
            && tokens_between(ctx, c.end, s) <= 15
            && (c.is_tumour() || matches!(c.cue, "specimen" | "node" | "margin"))
            && !free_object(c)
            && !(described_thing && c.cue == "margin")
    });
    // "10 cm mass", "3 cm grote metastase"; with describing words between ("a 12 x 10 x
    // 10 cm, fairly well-circumscribed, yellow/tan mass") when no specimen or node is
    // named just before the size.
    let after = same
        .iter()
        .find(|c| c.start >= e && !matches!(c.cue, "approx" | "negation"));
    if let Some(a) = after {
        let gap = tokens_between(ctx, e, a.start);
        let described = gap <= 8
            && folded
                .get(e..a.start)
                .is_some_and(|g| !g.contains([';', ':', '(', ')']))
            && !before.is_some_and(|b| {
                matches!(b.cue, "specimen" | "node") && tokens_between(ctx, b.end, s) <= 4
            });
        if a.is_tumour() && (gap <= 2 || described) {
            return (
                Measured::Tumour,
                format!("pathology:size + {}", a.rule()),
                Some(a.cue),
            );
        }
    }
    // "Lesion: solid mass. Size: 4.0 x 3.0 cm": a bare size label refers to the clause before.
    let before = match before {
        None if same.iter().any(|c| c.cue == "size" && c.end <= s) => {
            // The subject of the clause before: its first tumour, specimen or node word
            // ("There is a mass which occupies the liver. It measures 13.5 cm").
            let prev = sentence.checked_sub(1);
            cues.iter().find(|c| {
                Some(c.sentence) == prev
                    && (c.is_tumour() || matches!(c.cue, "specimen" | "node" | "margin"))
            })
        }
        b => b.copied(),
    };
    match before {
        Some(b) if b.cue == "margin" => (
            Measured::Margin,
            format!("pathology:margin-size + {}", b.rule()),
            None,
        ),
        Some(b) if b.is_tumour() => (
            Measured::Tumour,
            format!("pathology:size + {}", b.rule()),
            Some(b.cue),
        ),
        Some(b) => (
            Measured::Other,
            format!("pathology:size + {}", b.rule()),
            None,
        ),
        None => (Measured::Other, "pathology:size".into(), None),
    }
}

/// The specimen weight in grams (the largest weight stated) with its folded range.
pub fn weight(ctx: &Ctx) -> Option<(f64, (usize, usize))> {
    let folded = ctx.folded();
    let mut best: Option<(f64, (usize, usize))> = None;
    for c in WEIGHT.captures_iter(folded) {
        let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let before = &folded[..all.start()];
        if before.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == ',')
            || garbled_before(before)
        {
            continue;
        }
        let Some(v) = grams(n.as_str()) else {
            continue;
        };
        if v <= 0.0 || v > 5000.0 {
            continue;
        }
        if best.is_none_or(|(b, _)| v > b) {
            best = Some((v, (all.start(), all.end())));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes_of(folded: &str) -> Vec<(&str, Vec<&str>, f64)> {
        all_sizes(folded)
            .map(|(start, s)| (&folded[start..s.end], s.dims, s.unit))
            .collect()
    }

    #[test]
    fn sizes_with_up_to_three_dimensions() {
        assert_eq!(
            sizes_of("tumor 1.5 x 1.4 x 1.3 cm, lever 16x12x8cm; 8 mm."),
            [
                ("1.5 x 1.4 x 1.3 cm", vec!["1.5", "1.4", "1.3"], 10.0),
                ("16x12x8cm", vec!["16", "12", "8"], 10.0),
                ("8 mm", vec!["8"], 1.0),
            ]
        );
    }

    #[test]
    fn stray_periods_and_what_is_no_size() {
        assert_eq!(sizes_of("3,2. cm"), [("3,2. cm", vec!["3,2"], 10.0)]);
        assert_eq!(sizes_of("2 x. 3 mm"), [("2 x. 3 mm", vec!["2", "3"], 1.0)]);
        assert!(sizes_of("5 cmh2o, 2 x cm, 4 mmol").is_empty());
        // A digit inside a longer number starts no size of its own once a size has begun.
        assert_eq!(sizes_of("12 x 4 mm"), [("12 x 4 mm", vec!["12", "4"], 1.0)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The scanner finds what the size pattern it replaced finds.
        #[test]
        fn same_sizes_as_the_size_pattern(text in "[0-9xcm .,*a-]{0,24}") {
            let re = regex::Regex::new(r"(\d+(?:[.,]\d+)?)(?:\.?\s*[x*]\.?\s*(\d+(?:[.,]\d+)?))?(?:\.?\s*[x*]\.?\s*(\d+(?:[.,]\d+)?))?(?:\.\s|-)?\s*(mm|cm)\b").expect("regex");
            let expected: Vec<(usize, usize, Vec<&str>)> = re
                .captures_iter(&text)
                .filter_map(|c| {
                    let all = c.get(0)?;
                    Some((all.start(), all.end(), (1..=3).filter_map(|i| c.get(i)).map(|m| m.as_str()).collect()))
                })
                .collect();
            let found: Vec<(usize, usize, Vec<&str>)> =
                all_sizes(&text).map(|(start, s)| (start, s.end, s.dims)).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
