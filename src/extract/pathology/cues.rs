//! The pathology cue words of a report, in text order, with their sentence.

use crate::extract::assertion::trigger;
use crate::extract::Ctx;
use crate::lexicon::Entry;

/// One cue: a lexicon match of a pathology kind.
#[derive(Debug, Clone)]
pub struct Cue<'a> {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    /// `path_cue` value (`tumour`, `margin`, ...), or `histology`, `origin`, `number`,
    /// `negation` for the other kinds.
    pub cue: &'a str,
    /// The entry behind it.
    pub entry: &'a Entry,
    /// Sentence index.
    pub sentence: usize,
}

impl Cue<'_> {
    /// The lexicon rule.
    pub fn rule(&self) -> String {
        self.entry.rule()
    }

    /// True for words that name a tumour (a tumour noun, a histology, a metastasis).
    pub fn is_tumour(&self) -> bool {
        matches!(
            self.cue,
            "tumour" | "histology" | "metastasis" | "satellite"
        )
    }
}

/// Clause numbers per sentence: a sentence that starts with a digit or a lower-case
/// letter continues the one before (OCR'd text puts stray periods mid-sentence: "closest is. 1.5 cm").
pub fn clauses(ctx: &Ctx) -> Vec<usize> {
    let doc = ctx.doc;
    let mut out = Vec::with_capacity(doc.sentences.len());
    let mut cur = 0;
    for (i, s) in doc.sentences.iter().enumerate() {
        let first = doc
            .text
            .get(s.start..)
            .and_then(|t| t.chars().next())
            .unwrap_or(' ');
        let prev_end = i
            .checked_sub(1)
            .and_then(|p| doc.sentences.get(p))
            .and_then(|p| doc.text.get(p.start..p.end))
            .unwrap_or("");
        let weak = first.is_ascii_digit()
            || first.is_lowercase()
            || first == '('
            || prev_end.trim_end().ends_with([':', ',']);
        let same_section = i > 0 && doc.sentences[i - 1].section == s.section;
        if i > 0 && !(weak && same_section) {
            cur += 1;
        }
        out.push(cur);
    }
    out
}

/// The clause of a folded position.
pub fn clause_at(ctx: &Ctx, clauses: &[usize], pos: usize) -> usize {
    ctx.doc
        .sentence_at(pos)
        .and_then(|i| clauses.get(i).copied())
        .unwrap_or(0)
}

/// The cues of a report with the clause number of every sentence.
pub struct Cues<'a> {
    list: Vec<Cue<'a>>,
    clauses: Vec<usize>,
    /// The most tokens a cue spans.
    span: usize,
}

impl<'a> std::ops::Deref for Cues<'a> {
    type Target = [Cue<'a>];
    fn deref(&self) -> &[Cue<'a>] {
        &self.list
    }
}

impl Cues<'_> {
    /// The clause of a folded position.
    pub fn clause(&self, ctx: &Ctx, pos: usize) -> usize {
        clause_at(ctx, &self.clauses, pos)
    }

    /// The cues of clause `sentence` (cues are in text order, so clause order).
    pub fn in_clause(&self, sentence: usize) -> &[Cue<'_>] {
        let from = self.list.partition_point(|c| c.sentence < sentence);
        let to = self.list.partition_point(|c| c.sentence <= sentence);
        self.list.get(from..to).unwrap_or(&[])
    }

    /// The cues, in text order, that can lie at most `before` tokens before the folded
    /// range `[lo, hi)` or at most `after` tokens after it, or overlap it (a superset:
    /// the callers test the exact distance). A search for the first cue near a position
    /// looks at these alone.
    pub fn near(&self, ctx: &Ctx, lo: usize, hi: usize, before: usize, after: usize) -> &[Cue<'_>] {
        let doc = ctx.doc;
        let first = doc.token_index(lo).saturating_sub(before + self.span + 1);
        let last = doc.token_index(hi) + after + 1;
        let from = self
            .list
            .partition_point(|c| doc.token_index(c.start) < first);
        let to = self
            .list
            .partition_point(|c| c.start < hi || doc.token_index(c.start) <= last);
        crate::extract::work::add(to.saturating_sub(from) + 1);
        self.list.get(from..to).unwrap_or(&[])
    }
}

/// The lexicon kinds whose entries are cues.
const CUE_KINDS: [&str; 4] = ["histology", "path_cue", "tumour_origin", "number_word"];

/// Collects the cues of a report; `sentence` holds the clause number (see [`clauses`]).
pub fn collect<'a>(ctx: &Ctx<'a>) -> Cues<'a> {
    let clauses = clauses(ctx);
    let matcher = ctx.matcher();
    let cue_kinds = CUE_KINDS.map(|k| matcher.kind_id(k));
    let mut out = Vec::new();
    for (i, m) in ctx.matches.iter().enumerate() {
        // Matches of several kinds over the same words are one cue.
        if i > 0 && ctx.matches[i - 1].start == m.start && ctx.matches[i - 1].end == m.end {
            continue;
        }
        let same = || {
            ctx.matches[i..]
                .iter()
                .take_while(|o| o.start == m.start && o.end == m.end)
        };
        if !same().any(|o| cue_kinds.contains(&Some(o.kind))) {
            continue;
        }
        let sentence = clause_at(ctx, &clauses, m.start);
        let mut pick: Option<(&'a str, &'a Entry)> = None;
        for e in same().flat_map(|o| ctx.entries(o)) {
            // Short names that are also words ("NET") count only in capitals.
            if e.attr("case") == Some("upper") && !written_in_capitals(ctx, m.start, m.end) {
                continue;
            }
            let cue = match e.kind.as_str() {
                "histology" => Some("histology"),
                "path_cue" => e.attr("cue"),
                "tumour_origin" => Some("origin"),
                "number_word" => Some("number"),
                _ => None,
            };
            if let Some(c) = cue {
                // Histology wins over a generic cue of the same words.
                if pick.is_none() || c == "histology" {
                    pick = Some((c, e));
                }
            }
        }
        if let Some((cue, entry)) = pick {
            // A prefix entry ("multipel*") covers the whole word it starts.
            let folded = ctx.folded();
            let end = if entry.prefix {
                folded
                    .get(m.end..)
                    .and_then(|rest| rest.find(|c: char| !c.is_alphanumeric()))
                    .map_or(folded.len(), |p| m.end + p)
            } else {
                m.end
            };
            out.push(Cue {
                start: m.start,
                end,
                cue,
                entry,
                sentence,
            });
        }
    }
    // Negation and hedge triggers come from the context matcher of their own, so that
    // "negative for" (a trigger) never hides "negative" (a result word) or the reverse.
    // The document's triggers are matched once (`Ctx::triggers`); without them they are
    // matched here.
    let found;
    let triggers = match ctx.triggers {
        Some(t) => t.triggers(),
        None => {
            found = trigger::find(ctx, 0, ctx.folded().len());
            &found
        }
    };
    for t in triggers {
        let entry = ctx.lex.entry(t.entry);
        let cue = match entry.attr("category") {
            Some("NEGATED_EXISTENCE") => "negation",
            Some("POSSIBLE_EXISTENCE") => "hedge",
            _ => continue,
        };
        let sentence = clause_at(ctx, &clauses, t.fstart);
        out.push(Cue {
            start: t.fstart,
            end: t.fend,
            cue,
            entry,
            sentence,
        });
    }
    out.sort_by_key(|c| (c.start, c.end));
    let span = out
        .iter()
        .map(|c| tokens_between(ctx, c.start, c.end))
        .max()
        .unwrap_or(0);
    crate::extract::work::add(out.len());
    Cues {
        list: out,
        clauses,
        span,
    }
}

/// True when the original text of a folded range has no lower-case letter.
fn written_in_capitals(ctx: &Ctx, start: usize, end: usize) -> bool {
    let (s, e) = ctx.doc.original_range(start, end);
    ctx.doc
        .text
        .get(s..e)
        .is_some_and(|t| !t.chars().any(char::is_lowercase))
}

/// Number of tokens between two folded positions.
pub fn tokens_between(ctx: &Ctx, a: usize, b: usize) -> usize {
    crate::extract::work::step();
    if b <= a {
        return 0;
    }
    ctx.doc
        .token_index(b)
        .saturating_sub(ctx.doc.token_index(a))
}

/// True when a negation cue stands at most `scope` tokens before `pos` in its sentence.
pub fn negated_before(ctx: &Ctx, cues: &Cues, pos: usize, scope: usize) -> bool {
    let sentence = cues.clause(ctx, pos);
    cues.near(ctx, pos, pos, scope, 0).iter().any(|c| {
        matches!(c.cue, "negation" | "benign")
            && c.sentence == sentence
            && c.end <= pos
            && tokens_between(ctx, c.end, pos) <= scope
    })
}
