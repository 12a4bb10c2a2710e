//! How many tumour nodules: "drie metastasen", "Tumor number: one", "multiple (#3)",
//! "solitary", "multipele", satellites added to the main tumour.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{negated_before, tokens_between, Cue, Cues};
use crate::extract::Ctx;
use crate::record::Count;

/// A count in brackets after "multiple": "(#3)", "(3)".
static BRACKET_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*\(\s*(?:#|n\s*=)?\s*(\d{1,2})\s*\)").expect("bracket count")
});
/// "(more than 10)", "(> 10)": a bound after a word such as "numerous".
static MORE_THAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*\(\s*(?:>|[a-z]+\s+[a-z]+)\s*(\d{1,3})\s*\)").expect("more than")
});
/// A small number right before a noun: "3 metastasen".
static NUMBER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.,])(\d{1,2})\s+(?:[a-z][a-z-]*,?\s+){0,2}$").expect("number before")
});
/// A labelled number after "number", "aantal": ": 2" (not a size: "2 cm").
static LABEL_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[:=]?\s*(\d{1,2})\b(?:\s*(?:[.,;)]|$)|\s+[a-z]{3,})").expect("label number")
});

/// A block code before a line of a block summary: "E6: ", "B7 - ", "2c - 2g - ".
static BLOCK_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[a-z]{0,2}\d{1,2}[a-z]?(?:\s*-\s*[a-z]{0,2}\d{1,2}[a-z]?)?\s*[:-]\s")
        .expect("block code")
});

/// True when the words at `pos` follow a block code at the start of their sentence.
fn in_block_line(folded: &str, pos: usize) -> bool {
    let before = folded.get(..pos).unwrap_or("");
    let line = before.rfind(". ").map_or(before, |p| &before[p + 2..]);
    BLOCK_CODE.is_match(line)
}

/// A count with its evidence.
pub type CountFinding = (Count, (usize, usize), String);

fn number_word_at<'c, 'a>(cues: &'c [Cue<'a>], lo: usize, hi: usize) -> Option<&'c Cue<'a>> {
    cues.iter()
        .find(|c| c.cue == "number" && c.start >= lo && c.end <= hi)
}

fn value_of(c: &Cue) -> Option<u32> {
    c.entry.attr("value").and_then(|v| v.parse().ok())
}

/// The nodule count of the tumour(s), satellites included.
pub fn count(ctx: &Ctx, cues: &Cues) -> Option<CountFinding> {
    let folded = ctx.folded();
    let mut main: Option<CountFinding> = None;
    let mut satellites: Option<(Count, (usize, usize), String)> = None;
    let mut satellites_none = false;
    // "there is a separate tumor mass", "an additional nodule": one more tumour each.
    let mut separate: Vec<(usize, usize)> = Vec::new();
    for (i, c) in cues.iter().enumerate() {
        let sentence_ok = !matches!(ctx.doc.section_name(c.sentence), "clinical" | "indication");
        if !sentence_ok {
            continue;
        }
        match c.cue {
            "tumour" | "metastasis" | "satellite" => {
                let mut n: Option<(u32, usize)> = None;
                let before = folded.get(..c.start).unwrap_or("");
                if let Some(m) = NUMBER_BEFORE.captures(before).and_then(|m| m.get(1)) {
                    // "3 kleine metastasen", not "segment 8 lesion" or "2 cm tumor".
                    let words = &before[m.end()..];
                    // At most one describing word between: "3 kleine metastasen".
                    let ws: Vec<&str> = words.split_whitespace().collect();
                    let unit = ws.len() > 1
                        || words.contains(',')
                        || ws.iter().any(|w| {
                            w.len() < 4
                                || w.starts_with("gram")
                                || w.starts_with("jar")
                                || w.starts_with("year")
                        });
                    let after_segment = cues[..i]
                        .iter()
                        .rev()
                        .find(|p| p.end <= m.start())
                        .is_some_and(|p| {
                            matches!(
                                p.cue,
                                "segment" | "lobe_left" | "lobe_right" | "lobe_caudate"
                            ) && tokens_between(ctx, p.end, m.start()) == 0
                        });
                    // Not a count: a block label at the start of a sentence ("5 lesion. 6
                    // lesion."), the end of a range or a dimension ("1-5 tumor", "12.5 x 11 x
                    // 3 mass", "segment 7/8 mass").
                    let lead = before[..m.start()].trim_end();
                    let label = lead.is_empty() || lead.ends_with(['.', 'x', '*', '/', '-']);
                    if !unit && !after_segment && !label {
                        n = m.as_str().parse().ok().map(|v| (v, m.start()));
                    }
                }
                if n.is_none() {
                    if let Some(w) = i.checked_sub(1).and_then(|p| cues.get(p)).filter(|p| {
                        p.cue == "number"
                            && tokens_between(ctx, p.end, c.start) <= 3
                            && folded
                                .get(p.end..c.start)
                                .is_some_and(|g| !g.contains(['.', ';', ':']))
                    }) {
                        n = value_of(w).map(|v| (v, w.start));
                    }
                }
                let label = cues
                    .get(i + 1)
                    .filter(|l| l.cue == "count_label" && tokens_between(ctx, c.end, l.start) == 0);
                if let (None, Some(l)) = (n, label) {
                    let after = folded.get(l.end..).unwrap_or("");
                    if let Some(m) = LABEL_NUMBER.captures(after).and_then(|m| m.get(1)) {
                        n = m.as_str().parse().ok().map(|v| (v, c.start));
                    } else if let Some(w) = number_word_at(cues, l.end, l.end + 6) {
                        n = value_of(w).map(|v| (v, c.start));
                    }
                }
                let negated = negated_before(ctx, cues, c.start, 3) || followed_by_no(ctx, cues, c);
                if c.cue == "satellite" {
                    if negated {
                        satellites_none = true;
                        continue;
                    }
                    let plural = plural_after(folded, c.start);
                    let article = i.checked_sub(1).and_then(|p| cues.get(p)).is_some_and(|p| {
                        p.cue == "article" && tokens_between(ctx, p.end, c.start) == 0
                    });
                    let count = match n {
                        Some((v, _)) => Count::Value(v),
                        None if plural => Count::AtLeast(2),
                        // "Satellite nodule: yes" says at least one; "met een satelliet" one.
                        None if form_field(folded, c.end) && !article => Count::AtLeast(1),
                        None => Count::Value(1),
                    };
                    if satellites.as_ref().is_none_or(|(old, _, _)| {
                        matches!(old, Count::AtLeast(_)) && matches!(count, Count::Value(_))
                    }) {
                        satellites = Some((count, (c.start, c.end), c.rule()));
                    }
                    continue;
                }
                if negated {
                    continue;
                }
                let separate_before = i.checked_sub(1).and_then(|p| cues.get(p)).filter(|p| {
                    p.cue == "separate"
                        && p.sentence == c.sentence
                        && tokens_between(ctx, p.end, c.start) <= 2
                });
                if let (Some(p), None) = (separate_before, n) {
                    if !cues
                        .iter()
                        .any(|b| b.cue == "benign" && b.sentence == c.sentence)
                        && !in_block_line(folded, p.start)
                    {
                        separate.push((p.start, c.end));
                    }
                }
                if let Some((v, s)) = n {
                    if v > 0
                        && main
                            .as_ref()
                            .is_none_or(|(m, _, _)| !matches!(m, Count::Value(_)) || m.number() < v)
                    {
                        main = Some((
                            Count::Value(v),
                            (s.min(c.start), c.end),
                            format!("pathology:count + {}", c.rule()),
                        ));
                    }
                }
            }
            "many" => {
                if !about_tumour(ctx, cues, i) {
                    continue;
                }
                let after = folded.get(c.end..).unwrap_or("");
                if let Some(m) = MORE_THAN.captures(after).and_then(|m| m.get(1)) {
                    let bound = cues[i + 1..].first().is_some_and(|b| {
                        b.cue == "bound" && tokens_between(ctx, c.end, b.start) <= 1
                    });
                    if let (true, Ok(v)) = (
                        bound
                            || after
                                .trim_start()
                                .trim_start_matches('(')
                                .trim_start()
                                .starts_with('>'),
                        m.as_str().parse::<u32>(),
                    ) {
                        main = Some((
                            Count::AtLeast(v + 1),
                            (c.start, c.end + m.end()),
                            format!("pathology:count-bound + {}", c.rule()),
                        ));
                        continue;
                    }
                }
                if let Some(m) = BRACKET_COUNT.captures(after).and_then(|m| m.get(1)) {
                    if let Ok(v) = m.as_str().parse::<u32>() {
                        main = Some((
                            Count::Value(v),
                            (c.start, c.end + m.end() + 1),
                            format!("pathology:count + {}", c.rule()),
                        ));
                        continue;
                    }
                }
                if !negated_before(ctx, cues, c.start, 2) && main.is_none() {
                    main = Some((Count::AtLeast(2), (c.start, c.end), c.rule()));
                }
            }
            "one" => {
                if !about_tumour(ctx, cues, i) {
                    continue;
                }
                if main.is_none() && !negated_before(ctx, cues, c.start, 2) {
                    main = Some((Count::Value(1), (c.start, c.end), c.rule()));
                }
            }
            _ => {}
        }
    }
    // A separate tumour adds to one main tumour (stated or not); a stated total of more
    // than one already counts it.
    if let Some(&(lo, hi)) = separate.first() {
        // Reports often repeat their text: one separate tumour is counted once.
        let extra = 1;
        match &main {
            None => {
                main = Some((
                    Count::Value(1 + extra),
                    (lo, hi),
                    "pathology:separate-tumour".to_string(),
                ));
            }
            Some((Count::Value(1), span, rule)) => {
                main = Some((
                    Count::Value(1 + extra),
                    (span.0.min(lo), span.1.max(hi)),
                    format!("{rule} + pathology:separate-tumour"),
                ));
            }
            Some(_) => {}
        }
    }
    match (main, satellites) {
        (Some((m, span, rule)), Some((s, sspan, srule))) => {
            let total = match (m, s) {
                (Count::Value(a), Count::Value(b)) if a == 1 => Count::Value(a + b),
                (Count::Value(a), Count::Value(_)) => Count::Value(a),
                (a, b) => Count::AtLeast(a.number().max(1 + b.number())),
            };
            Some((
                total,
                (span.0.min(sspan.0), span.1.max(sspan.1)),
                format!("{rule} + {srule}"),
            ))
        }
        (None, Some((s, span, rule))) => {
            let total = match s {
                Count::Value(b) => Count::Value(1 + b),
                Count::AtLeast(b) => Count::AtLeast(1 + b),
            };
            Some((total, span, rule))
        }
        (main, _) => {
            let _ = satellites_none;
            main
        }
    }
}

/// "Satellite nodule: no", "satellieten: geen".
fn followed_by_no(ctx: &Ctx, cues: &Cues, c: &Cue) -> bool {
    let folded = ctx.folded();
    let after = folded.get(c.end..).unwrap_or("");
    let Some(colon) = after.find(':').filter(|&p| p < 12) else {
        return false;
    };
    let lo = c.end + colon;
    cues.iter()
        .any(|n| n.cue == "negation" && n.start >= lo && tokens_between(ctx, lo, n.start) <= 1)
}

/// True when the word at `start`, or the word after it, is a plural ("satellieten",
/// "satellite nodules").
fn plural_after(folded: &str, start: usize) -> bool {
    let rest = folded.get(start..).unwrap_or("");
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(2)
        .any(|w| {
            w.len() > 3
                && (w.ends_with("en")
                    || w.ends_with('i')
                    || (w.ends_with('s') && !w.ends_with("us") && !w.ends_with("ss")))
        })
}

/// True when a colon follows the word at `end` (a form field: "Satellite nodule: yes").
fn form_field(folded: &str, end: usize) -> bool {
    let rest = folded.get(end..).unwrap_or("");
    let word_end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    let after = rest[word_end..].trim_start();
    after.starts_with(':')
        || after.split_once(':').is_some_and(|(w, _)| {
            !w.trim().is_empty() && w.trim().chars().all(|c| c.is_alphabetic())
        })
}

/// True when the count word at `i` speaks of tumours: a tumour word follows within three
/// tokens ("multiple metastases", "multipele (3) haarden") or a tumour word or focality
/// label stands just before it ("Tumor focality: Multiple", "HCC, multiple (#3)").
fn about_tumour(ctx: &Ctx, cues: &Cues, i: usize) -> bool {
    let Some(c) = cues.get(i) else { return false };
    let next = cues[i + 1..]
        .iter()
        .find(|n| n.sentence == c.sentence && !matches!(n.cue, "number" | "negation" | "approx"));
    let near = |n: &Cue| {
        // A bracketed count may stand between: "multipele (n=5) metastasen".
        let gap = ctx.folded().get(c.end..n.start).unwrap_or("").trim();
        let bracket = gap.starts_with('(') && gap.ends_with(')') && gap.len() < 12;
        tokens_between(ctx, c.end, n.start) <= 3 || bracket
    };
    if next.is_some_and(|n| n.is_tumour() && near(n)) {
        return true;
    }
    let prev = cues[..i].iter().rev().find(|p| p.sentence == c.sentence);
    prev.is_some_and(|p| {
        (p.is_tumour() || p.cue == "focality") && tokens_between(ctx, p.end, c.start) <= 3
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lines() {
        let t = "representative sections. e6: separate pale lesion. there is a separate nodule";
        assert!(in_block_line(t, t.find("separate").unwrap_or(0)));
        assert!(!in_block_line(t, t.rfind("separate").unwrap_or(0)));
        let t = "block summary. 2c - 2g - sections of tumor";
        assert!(in_block_line(t, t.find("sections of").unwrap_or(0)));
    }
}
