//! Counts: digits, number words and quantifiers, as exact values or lower bounds.
//!
//! [`find_counts`] reads every count-like phrase; the lesion extractor decides which
//! lesion word a count belongs to.

use super::scan::{self, static_regex};
use super::Ctx;
use crate::record::Count;

static_regex!(
    /// What may follow a digit that is a count (not a size, decimal, date or ratio).
    not_a_count_after, r"^(?:[.,/:]\d|-\d+-|\s?(?:mm|cm|%|x\s?\d|\*|ml|cc|kg|g\b))");

/// One count phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct CountMention {
    /// Start in the folded text.
    pub fstart: usize,
    /// End in the folded text.
    pub fend: usize,
    /// The count.
    pub count: Count,
    /// The rule or lexicon entry that read it.
    pub rule: String,
}

/// Every count phrase of the report, in text order; "twee à drie", "2-3" and
/// "minstens drie" are read as one phrase each.
pub fn find_counts(ctx: &Ctx) -> Vec<CountMention> {
    let mut raw = words(ctx);
    raw.extend(digits(ctx));
    raw.sort_by_key(|c| c.fstart);
    let mut out: Vec<CountMention> = Vec::with_capacity(raw.len());
    for c in raw {
        if let Some(prev) = out.last_mut() {
            if joins_range(ctx, prev.fend, c.fstart) {
                // "twee à drie", "2-3", "two or three": at least the lower.
                let low = prev.count.number().min(c.count.number());
                prev.count = Count::AtLeast(low);
                prev.fend = c.fend;
                prev.rule = format!("{} + {}", prev.rule, c.rule);
                continue;
            }
        }
        out.push(c);
    }
    apply_modifiers(ctx, &mut out);
    out
}

/// Number words and quantifiers from the lexicon.
fn words(ctx: &Ctx) -> Vec<CountMention> {
    scan::hits(ctx, "number")
        .into_iter()
        .filter_map(|h| {
            let n: u32 = h.attr("value")?.parse().ok()?;
            let count = if h.attr("bound") == Some("at_least") {
                Count::AtLeast(n)
            } else {
                Count::Value(n)
            };
            Some(CountMention {
                fstart: h.start,
                fend: h.end,
                count,
                rule: h.entry.rule(),
            })
        })
        .collect()
}

/// Digits that are counts: not sizes, decimals, dates, segment numbers or part of a word.
fn digits(ctx: &Ctx) -> Vec<CountMention> {
    let folded = ctx.folded();
    let bytes = folded.as_bytes();
    standalone_numbers(folded)
        .filter(|&(start, end)| {
            let before = start.checked_sub(1).and_then(|p| bytes.get(p)).copied();
            if before == Some(b'-') {
                // "2-3 laesies" joins two counts; "12-03-2023" is a date.
                let head = &folded[..start - 1];
                let lead = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
                let ok = (1..=2).contains(&lead)
                    && !head[..head.len() - lead]
                        .ends_with(|c: char| c == '-' || c.is_ascii_alphanumeric());
                if !ok || folded[end..].starts_with('-') {
                    return false;
                }
            } else if before.is_some_and(|b| b == b'.' || b == b',' || b == b'/' || b == b':') {
                return false;
            }
            if not_a_count_after().is_match(&folded[end..]) {
                return false;
            }
            scan::hit_before(ctx, start, "segment_cue").is_none()
        })
        .filter_map(|(start, end)| {
            let n: u32 = folded[start..end].parse().ok()?;
            (n > 0).then(|| CountMention {
                fstart: start,
                fend: end,
                count: Count::Value(n),
                rule: "count:digits".into(),
            })
        })
        .collect()
}

/// Numbers of one or two digits that stand alone as a word, in text order.
fn standalone_numbers(folded: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = folded.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start <= 2
                && scan::word_boundary(folded, start)
                && scan::word_boundary(folded, i)
            {
                return Some((start, i));
            }
        }
        None
    })
}

/// True when the text between two counts joins them into a range ("à", "tot", "-", "or").
fn joins_range(ctx: &Ctx, from: usize, to: usize) -> bool {
    let Some(gap) = ctx.folded().get(from..to) else {
        return false;
    };
    if scan::lone_sign(gap, b"-", true) {
        return true;
    }
    if gap.len() > 12 {
        return false;
    }
    scan::hit_at(ctx, from, "conjunction").is_some_and(|h| {
        matches!(h.attr("role"), Some("range" | "or"))
            && scan::skip_spaces(ctx.folded(), h.end) == to
    })
}

/// "minstens drie" gives at least 3, "meer dan drie" at least 4, "drie of meer" at least 3.
fn apply_modifiers(ctx: &Ctx, counts: &mut [CountMention]) {
    for h in scan::hits(ctx, "number") {
        let Some(role) = h.attr("role") else { continue };
        if role == "or_more" {
            let before = counts
                .iter_mut()
                .rfind(|c| c.fend <= h.start && scan::tokens_between(ctx, c.fend, h.start) == 0);
            if let Some(c) = before {
                c.count = Count::AtLeast(c.count.number());
                c.fend = h.end;
                c.rule = format!("{} + {}", c.rule, h.entry.rule());
            }
            continue;
        }
        let Some(c) = counts
            .iter_mut()
            .find(|c| c.fstart >= h.end && scan::tokens_between(ctx, h.end, c.fstart) == 0)
        else {
            continue;
        };
        let n = c.count.number();
        c.count = if role == "more" {
            Count::AtLeast(n + 1)
        } else {
            Count::AtLeast(n)
        };
        c.fstart = h.start;
        c.rule = format!("{} + {}", h.entry.rule(), c.rule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scan::testing::with_ctx;
    use crate::record::Language::{self, En, Nl};

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The scanner finds the numbers the pattern it replaced found.
        #[test]
        fn standalone_numbers_as_the_pattern(text in "[0-9a_ .,-]{0,16}") {
            let re = regex::Regex::new(r"\b\d{1,2}\b").expect("regex");
            let expected: Vec<(usize, usize)> = re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(standalone_numbers(&text).collect::<Vec<_>>(), expected);
        }
    }

    fn counts(text: &str, lang: Language) -> Vec<Count> {
        with_ctx(text, lang, |ctx| {
            find_counts(ctx).into_iter().map(|c| c.count).collect()
        })
    }

    #[test]
    fn number_words_and_digits() {
        assert_eq!(counts("drie laesies", Nl), [Count::Value(3)]);
        assert_eq!(counts("één laesie", Nl), [Count::Value(1)]);
        // The count word nearest the lesion word is the one that counts.
        assert_eq!(
            counts("een drietal laesies", Nl).last(),
            Some(&Count::Value(3))
        );
        assert_eq!(counts("three lesions", En), [Count::Value(3)]);
        assert_eq!(counts("4 laesies", Nl), [Count::Value(4)]);
    }

    #[test]
    fn quantifiers_are_lower_bounds() {
        assert_eq!(counts("multipele metastasen", Nl), [Count::AtLeast(2)]);
        assert_eq!(counts("talrijke metastasen", Nl), [Count::AtLeast(2)]);
        assert_eq!(counts("several lesions", En), [Count::AtLeast(2)]);
        assert_eq!(counts("a few lesions", En), [Count::AtLeast(2)]);
        assert_eq!(counts("twee à drie laesies", Nl), [Count::AtLeast(2)]);
        assert_eq!(counts("2-3 lesions", En), [Count::AtLeast(2)]);
        assert_eq!(counts("minstens drie laesies", Nl), [Count::AtLeast(3)]);
        assert_eq!(counts("more than three lesions", En), [Count::AtLeast(4)]);
        assert_eq!(counts("twenty or more lesions", En), [Count::AtLeast(20)]);
        assert_eq!(counts("vijf of meer laesies", Nl), [Count::AtLeast(5)]);
    }

    #[test]
    fn sizes_dates_and_segments_are_no_counts() {
        assert!(counts("23 mm", Nl).is_empty());
        assert!(counts("2,3 cm", Nl).is_empty());
        assert!(counts("segment 7", Nl).is_empty());
        assert!(counts("12-03-2023", Nl).is_empty());
    }
}
