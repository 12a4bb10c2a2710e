//! ConText triggers: what a `context` lexicon entry means, and finding them in a document.

use crate::lexicon::{Entry, EntryId, LexMatch, Matcher};

use super::super::context::Ctx;

/// What a trigger does to the spans in its scope (the ConText categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Negation: the finding is absent ("geen", "no evidence of").
    Negated,
    /// Uncertainty: the finding is possible ("verdacht voor", "cannot be excluded").
    Possible,
    /// The finding belongs to the past ("status na", "history of").
    Historical,
    /// The finding is hypothetical or expected ("ter uitsluiting van", "if").
    Hypothetical,
    /// The finding concerns a relative ("moeder", "family history").
    Family,
    /// The finding concerns someone else than the patient or a relative ("donor").
    Other,
    /// Looks like a trigger but is none ("geen toename", "no change"); matched so that
    /// the shorter trigger inside it is not.
    Pseudo,
    /// Ends the scope of every trigger it stands between ("maar", "however").
    Terminate,
    /// Ends the scope of past and hypothetical triggers only ("nu": "in 2020 RFA van een
    /// metastase, nu een recidief"), not that of a negation ("deze is nu verdwenen").
    TerminateTime,
    /// Limits a negation to new findings ("nieuwe" in "geen nieuwe laesies").
    Novelty,
}

impl Category {
    /// The category named in a lexicon entry.
    pub fn parse(name: &str) -> Option<Category> {
        Some(match name {
            "NEGATED_EXISTENCE" => Category::Negated,
            "POSSIBLE_EXISTENCE" => Category::Possible,
            "HISTORICAL" => Category::Historical,
            "HYPOTHETICAL" => Category::Hypothetical,
            "FAMILY" => Category::Family,
            "OTHER_EXPERIENCER" => Category::Other,
            "PSEUDO" => Category::Pseudo,
            "TERMINATE" => Category::Terminate,
            "TERMINATE_TIME" => Category::TerminateTime,
            "NOVELTY" => Category::Novelty,
            _ => return None,
        })
    }

    /// True for the categories that set a qualifier of the spans in scope.
    pub fn qualifies(self) -> bool {
        !matches!(
            self,
            Category::Pseudo | Category::Terminate | Category::TerminateTime | Category::Novelty
        )
    }

    /// True for the categories that set presence (negation and uncertainty).
    pub fn is_presence(self) -> bool {
        matches!(self, Category::Negated | Category::Possible)
    }
}

/// Which way a trigger looks for the spans it qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Spans after the trigger ("geen metastasen").
    Forward,
    /// Spans before the trigger ("metastasen zijn verdwenen").
    Backward,
    /// Both.
    Bidirectional,
    /// Neither (pseudo-triggers, terminators).
    None,
}

impl Direction {
    /// The direction named in a lexicon entry (unknown names read as forward).
    pub fn parse(name: &str) -> Direction {
        match name {
            "backward" => Direction::Backward,
            "bidirectional" => Direction::Bidirectional,
            "none" => Direction::None,
            _ => Direction::Forward,
        }
    }

    /// True when the trigger qualifies spans after it.
    pub fn looks_forward(self) -> bool {
        matches!(self, Direction::Forward | Direction::Bidirectional)
    }

    /// True when the trigger qualifies spans before it.
    pub fn looks_backward(self) -> bool {
        matches!(self, Direction::Backward | Direction::Bidirectional)
    }
}

/// A trigger found in a document's folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    /// Start byte in the folded text.
    pub fstart: usize,
    /// End byte in the folded text.
    pub fend: usize,
    /// What it does.
    pub category: Category,
    /// Which way it looks.
    pub direction: Direction,
    /// The most word tokens allowed between the trigger and a span it qualifies.
    pub max_scope: Option<usize>,
    /// The lexicon entry behind it.
    pub entry: EntryId,
}

/// Finds the triggers in `ctx.folded()[lo..hi]`, in text order.
pub fn find(ctx: &Ctx, lo: usize, hi: usize) -> Vec<Trigger> {
    let folded = ctx.folded();
    let (lo, hi) = char_bounds(folded, lo, hi);
    let Some(slice) = folded.get(lo..hi) else {
        return Vec::new();
    };
    let matcher = ctx.lex.context_matcher(ctx.lang.into());
    let found: Vec<Trigger> = matcher
        .find_all(slice)
        .into_iter()
        .filter_map(|m| {
            to_trigger(
                ctx,
                matcher,
                LexMatch {
                    start: m.start + lo,
                    end: m.end + lo,
                    pattern: m.pattern,
                    kind: m.kind,
                    entry: m.entry,
                },
            )
        })
        .collect();
    with_dates(ctx, found, lo, hi)
}

/// The triggers among `matches`, matches of `matcher` over the whole folded text (the
/// context matches that [`Matcher::find_all_and_aside`] keeps apart), in text order.
pub fn from_matches(ctx: &Ctx, matcher: &Matcher, matches: &[LexMatch]) -> Vec<Trigger> {
    let found: Vec<Trigger> = matches
        .iter()
        .filter_map(|&m| to_trigger(ctx, matcher, m))
        .collect();
    with_dates(ctx, found, 0, ctx.folded().len())
}

/// The term of the `context` entry that says what a leading date does ("2019: resectie",
/// "in maart 2020 RFA van ...": the finding after it lies in the past).
pub const DATE_TERM: &str = "<date>";

/// The `time_cue` role of the words that may stand before a date that opens a clause
/// ("in", "rond", "begin", a month name).
const DATE_LEAD_ROLE: &str = "date_lead";

/// `found` plus the date triggers of `folded[lo..hi]`, in text order.
///
/// A date (a year 1900-2099 on its own or inside a numeric date such as 12-03-2019 or
/// 03/2019) is a trigger when it opens a clause: between it and the start of its sentence,
/// line or clause (after `:`, `,`, `;`, `(`) stand only lead words (`time_cue` entries with
/// `role=date_lead`) and numbers. "Vergeleken met de CT van 2019" and "sinds 2019" are no
/// triggers. The trigger takes category, direction and scope from the `<date>` entry of
/// the `context` lexicon; without that entry there are no date triggers.
fn with_dates(ctx: &Ctx, mut found: Vec<Trigger>, lo: usize, hi: usize) -> Vec<Trigger> {
    let folded = ctx.folded();
    let dates = date_runs(folded, lo, hi);
    if dates.is_empty() {
        return found;
    }
    let lang = match ctx.lang {
        crate::record::Language::Nl => "nl",
        crate::record::Language::En => "en",
    };
    let of_lang = |e: &&Entry| e.lang == lang || e.lang == "common";
    let Some((id, entry)) = ctx
        .lex
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == "context" && e.term == DATE_TERM)
        .find(|(_, e)| of_lang(e))
    else {
        return found;
    };
    let Some(category) = entry.attr("category").and_then(Category::parse) else {
        return found;
    };
    let leads: Vec<&str> = ctx
        .lex
        .of_kind("time_cue")
        .filter(of_lang)
        .filter(|e| e.attr("role") == Some(DATE_LEAD_ROLE))
        .map(|e| e.term.as_str())
        .collect();
    let before = found.len();
    for (s, e) in dates {
        if opens_clause(ctx, s, e, &leads)
            && !found[..before].iter().any(|t| t.fstart < e && t.fend > s)
        {
            found.push(Trigger {
                fstart: s,
                fend: e,
                category,
                direction: Direction::parse(entry.attr("direction").unwrap_or("forward")),
                max_scope: max_scope(entry),
                entry: id as EntryId,
            });
        }
    }
    if found.len() > before {
        found.sort_by_key(|t| (t.fstart, t.fend));
    }
    found
}

/// The numeric dates in `folded[lo..hi]`: runs of digits and `-./` that stand on their own
/// and hold a year from 1900 to 2099 (alone, or with a day and month of one or two digits).
fn date_runs(folded: &str, lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let bytes = folded.as_bytes();
    let hi = hi.min(bytes.len());
    let mut out = Vec::new();
    let mut i = lo.min(hi);
    while i < hi {
        let b = bytes[i];
        let glued = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
        if !b.is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < hi && (bytes[j].is_ascii_digit() || matches!(bytes[j], b'-' | b'.' | b'/')) {
            j += 1;
        }
        // A separator at the end belongs to the text ("2019." ends a sentence).
        let mut end = j;
        while end > i && !bytes[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let free = bytes
            .get(j)
            .is_none_or(|c| !c.is_ascii_alphanumeric() && *c < 0x80);
        if free && is_date(&folded[i..end]) {
            out.push((i, end));
        }
        i = j.max(i + 1);
    }
    out
}

/// True for "2019", "03-2019", "12-03-2019", "2019-03-12", "12/3/2019", "12.03.2019".
pub(crate) fn is_date(run: &str) -> bool {
    let parts: Vec<&str> = run.split(['-', '.', '/']).collect();
    let year = |p: &str| {
        p.len() == 4
            && (p.starts_with("19") || p.starts_with("20"))
            && p.bytes().all(|b| b.is_ascii_digit())
    };
    let small = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => year(y),
        [m, y] => small(m) && year(y),
        [a, m, b] => (small(a) && small(m) && year(b)) || (year(a) && small(m) && small(b)),
        _ => false,
    }
}

/// True when the date `[pos, end)` opens a clause: only lead words and numbers stand
/// between it and the start of its line or clause (after `:`, `,`, `;`, `(`). At the start
/// of a sentence that does not start a line, it also needs a lead word or a colon right
/// after it ("In 2019 RFA ...", "2019: RFA ..."): a year after a sentence end inside a line
/// is as often a reference or an edition ("... 7th ed. 2010 staging parameters"). A date
/// closed by a bracket ("(AJCC, 2010)") opens nothing.
fn opens_clause(ctx: &Ctx, pos: usize, end: usize, leads: &[&str]) -> bool {
    let folded = ctx.folded();
    let next = folded.get(end..).unwrap_or("").trim_start();
    if next.starts_with(')') {
        return false;
    }
    let sentence_start = ctx
        .doc
        .sentence_at(pos)
        .and_then(|i| ctx.doc.sentences.get(i))
        .map_or(0, |s| s.fstart.min(pos));
    let before = folded.get(sentence_start..pos).unwrap_or("");
    let mut start = before.len();
    let (clause, bounded) = loop {
        let head = before.get(..start).unwrap_or("");
        match head.rfind([':', ',', ';', '(', '\n']) {
            // "March 3, 2019": a comma after a number is part of the date.
            Some(p)
                if head.as_bytes().get(p) == Some(&b',')
                    && head[..p].trim_end().ends_with(|c: char| c.is_ascii_digit()) =>
            {
                start = p;
            }
            Some(p) => break (before.get(p + 1..).unwrap_or(""), true),
            None => break (before, false),
        }
    };
    let mut words = clause
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '*' | ',' | '\u{2022}'))
        .filter(|w| !w.is_empty())
        .peekable();
    let has_words = words.peek().is_some();
    if !words.all(|w| w.bytes().all(|b| b.is_ascii_digit()) || leads.contains(&w)) {
        return false;
    }
    let line_start = folded
        .get(..sentence_start)
        .unwrap_or("")
        .trim_end_matches([' ', '\t'])
        .ends_with('\n')
        || folded.get(..sentence_start).unwrap_or("").trim().is_empty();
    bounded || line_start || has_words || next.starts_with(':')
}

fn to_trigger(ctx: &Ctx, matcher: &Matcher, m: LexMatch) -> Option<Trigger> {
    let (id, entry) = matcher
        .entries_of(&m)
        .map(|id| (id, ctx.lex.entry(id)))
        .find(|(_, e)| e.kind == "context")?;
    let category = Category::parse(entry.attr("category")?)?;
    Some(Trigger {
        fstart: m.start,
        fend: m.end,
        category,
        direction: Direction::parse(entry.attr("direction").unwrap_or("forward")),
        max_scope: max_scope(entry),
        entry: id,
    })
}

fn max_scope(entry: &Entry) -> Option<usize> {
    entry.attr("max_scope").and_then(|s| s.parse().ok())
}

/// Widens `[lo, hi)` to character boundaries of `s` and clamps it to `s`.
pub fn char_bounds(s: &str, lo: usize, hi: usize) -> (usize, usize) {
    let mut lo = lo.min(s.len());
    let mut hi = hi.clamp(lo, s.len());
    while lo > 0 && !s.is_char_boundary(lo) {
        lo -= 1;
    }
    while hi < s.len() && !s.is_char_boundary(hi) {
        hi += 1;
    }
    (lo, hi)
}
