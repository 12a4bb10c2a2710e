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
            "NOVELTY" => Category::Novelty,
            _ => return None,
        })
    }

    /// True for the categories that set a qualifier of the spans in scope.
    pub fn qualifies(self) -> bool {
        !matches!(
            self,
            Category::Pseudo | Category::Terminate | Category::Novelty
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
    matcher
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
        .collect()
}

/// The triggers among `matches`, matches of `matcher` over the whole folded text (the
/// context matches that [`Matcher::find_all_and_aside`] keeps apart), in text order.
pub fn from_matches(ctx: &Ctx, matcher: &Matcher, matches: &[LexMatch]) -> Vec<Trigger> {
    matches
        .iter()
        .filter_map(|&m| to_trigger(ctx, matcher, m))
        .collect()
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
