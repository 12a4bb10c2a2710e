//! Scope: which of a sentence's triggers reach a span, and what they make of it.
//!
//! A trigger reaches a span in its direction up to the end of the sentence, unless a
//! terminator ("maar", "however") or a semicolon stands between them, the gap is longer
//! than the trigger's `max_scope` (in word tokens), or another negation or uncertainty
//! trigger that opens a new clause (", mogelijk ...") stands between them.

use crate::record::{Assertion, Experiencer, Presence, Temporality};
use crate::text::Document;

use super::trigger::{Category, Direction, Trigger};
use super::{Applied, Qualified};

/// The most word tokens between a span and a following "?" that still make it a question.
const QUESTION_REACH: usize = 4;

/// The most word tokens a dangling negation or uncertainty reaches back ("Metastasen: geen.").
const DANGLING_REACH: usize = 6;

/// One sentence (or the span's own text when it lies outside every sentence).
pub struct Scope<'t> {
    /// Folded start of the sentence.
    pub lo: usize,
    /// Folded end of the sentence.
    pub hi: usize,
    /// The sentence's triggers, in text order.
    pub triggers: &'t [Trigger],
    /// Qualifiers that the section sets when no trigger does (indication -> future, ...).
    pub section: Option<SectionDefault>,
}

/// A default that a section gives every span in it.
#[derive(Debug, Clone)]
pub struct SectionDefault {
    /// The qualifier it sets.
    pub category: Category,
    /// The folded range of the section header.
    pub fstart: usize,
    /// End of the header.
    pub fend: usize,
    /// The section name (`indication`, `clinical`, ...).
    pub name: String,
}

/// A trigger that reaches the span, with the length of the gap between them.
struct Reach<'t> {
    trigger: &'t Trigger,
    gap: usize,
}

/// Qualifies the folded span `[a, b)` within `scope`.
pub fn apply(
    doc: &Document,
    lex: &crate::lexicon::LexiconSet,
    scope: &Scope,
    a: usize,
    b: usize,
) -> Qualified {
    evaluate(doc, lex, scope, a, b, true)
}

/// The qualifiers of the folded span `[a, b)` within `scope`: what [`apply`] gives, without
/// building the list of triggers that applied.
pub fn assertion(
    doc: &Document,
    lex: &crate::lexicon::LexiconSet,
    scope: &Scope,
    a: usize,
    b: usize,
) -> Assertion {
    evaluate(doc, lex, scope, a, b, false).assertion
}

/// Qualifies `[a, b)`; `detail` records the triggers that applied (`applied`, `rules`).
fn evaluate(
    doc: &Document,
    lex: &crate::lexicon::LexiconSet,
    scope: &Scope,
    a: usize,
    b: usize,
    detail: bool,
) -> Qualified {
    let mut reached: Vec<Reach> = Vec::new();
    crate::extract::work::add(scope.triggers.len());
    for t in scope.triggers {
        if !t.category.qualifies() || (t.fstart < b && t.fend > a) {
            continue;
        }
        let (gap_lo, gap_hi, forward) = if t.fend <= a && t.direction.looks_forward() {
            (t.fend, a, true)
        } else if t.fstart >= b && (t.direction.looks_backward() || dangling(doc, scope, t)) {
            (b, t.fstart, false)
        } else {
            continue;
        };
        if blocked(doc, scope.triggers, t, gap_lo, gap_hi, forward) {
            continue;
        }
        if !forward
            && !t.direction.looks_backward()
            && word_tokens(doc, gap_lo, gap_hi) > DANGLING_REACH
        {
            continue;
        }
        reached.push(Reach {
            trigger: t,
            gap: gap_hi - gap_lo,
        });
    }

    let mut q = Qualified::default();
    let negated = reached
        .iter()
        .any(|r| r.trigger.category == Category::Negated);
    let possible = reached
        .iter()
        .any(|r| r.trigger.category == Category::Possible);
    let question = question_mark(doc, scope, a, b);
    q.assertion.presence = if negated {
        Presence::Absent
    } else if possible || question.is_some() {
        Presence::Uncertain
    } else {
        Presence::Present
    };
    let who = closest(&reached, &[Category::Family, Category::Other]);
    // A relative's finding is family history, told as it stands ("vader bekend met
    // coloncarcinoom", "mother with a history of HCC"): past-time triggers do not make it
    // historical; a hypothetical one still makes it future.
    let family = who.is_some_and(|t| t.category == Category::Family);
    let time = if family {
        closest(&reached, &[Category::Hypothetical])
    } else {
        closest(&reached, &[Category::Historical, Category::Hypothetical])
    };
    for r in &reached {
        let c = r.trigger.category;
        let used = match c {
            Category::Negated => true,
            Category::Possible => !negated,
            Category::Historical | Category::Hypothetical => {
                time.is_some_and(|t| std::ptr::eq(t, r.trigger))
            }
            Category::Family | Category::Other => who.is_some_and(|t| std::ptr::eq(t, r.trigger)),
            _ => false,
        };
        if used && detail {
            q.applied.push(applied(lex, r.trigger));
        }
    }
    match time.map(|t| t.category) {
        Some(Category::Historical) => q.assertion.temporality = Temporality::Historical,
        Some(Category::Hypothetical) => q.assertion.temporality = Temporality::Future,
        _ => {}
    }
    match who.map(|t| t.category) {
        Some(Category::Family) => q.assertion.experiencer = Experiencer::Family,
        Some(Category::Other) => q.assertion.experiencer = Experiencer::Other,
        _ => {}
    }
    if let Some(sec) = &scope.section {
        let set = match sec.category {
            Category::Historical | Category::Hypothetical
                if time.is_none() && !(family && sec.category == Category::Historical) =>
            {
                q.assertion.temporality = if sec.category == Category::Historical {
                    Temporality::Historical
                } else {
                    Temporality::Future
                };
                true
            }
            Category::Family if who.is_none() => {
                q.assertion.experiencer = Experiencer::Family;
                true
            }
            _ => false,
        };
        if set && detail {
            q.applied.push(Applied {
                fstart: sec.fstart,
                fend: sec.fend,
                category: sec.category,
                term: format!("section:{}", sec.name),
                rule: format!("section:{}", sec.name),
            });
        }
    }
    if let (Some(qpos), false, true) = (question, negated, detail) {
        q.applied.push(Applied {
            fstart: qpos,
            fend: qpos + 1,
            category: Category::Possible,
            term: "?".into(),
            rule: "question_mark".into(),
        });
    }
    if negated {
        if let Some(n) = novelty(doc, scope, &reached, a, b) {
            q.only_new = true;
            if detail {
                q.applied.push(applied(lex, n));
            }
        }
    }
    q.applied.sort_by_key(|x| (x.fstart, x.fend));
    q.rules = q.applied.iter().map(|x| x.term.clone()).collect();
    q
}

fn applied(lex: &crate::lexicon::LexiconSet, t: &Trigger) -> Applied {
    let entry = lex.entry(t.entry);
    Applied {
        fstart: t.fstart,
        fend: t.fend,
        category: t.category,
        term: entry.term.clone(),
        rule: entry.rule(),
    }
}

/// The reaching trigger of one of `cats` closest to the span.
fn closest<'t>(reached: &[Reach<'t>], cats: &[Category]) -> Option<&'t Trigger> {
    reached
        .iter()
        .filter(|r| cats.contains(&r.trigger.category))
        .min_by_key(|r| r.gap)
        .map(|r| r.trigger)
}

/// True for a forward negation or uncertainty with no word after it in its sentence: it
/// answers what came before ("Levermetastasen: geen.", "Metastasen zijn hoogstwaarschijnlijk.").
fn dangling(doc: &Document, scope: &Scope, t: &Trigger) -> bool {
    t.category.is_presence()
        && t.direction == Direction::Forward
        && word_tokens(doc, t.fend, scope.hi) == 0
}

/// True when something between trigger `t` and the span stops `t` from reaching it.
fn blocked(
    doc: &Document,
    triggers: &[Trigger],
    t: &Trigger,
    lo: usize,
    hi: usize,
    forward: bool,
) -> bool {
    let folded = doc.folded.text.as_str();
    let gap = folded.get(lo..hi).unwrap_or("");
    if gap.contains(';') {
        return true;
    }
    // Bidirectional negation and uncertainty are local: they qualify their own phrase
    // ("metastase niet uit te sluiten", "abces minder waarschijnlijk"), not the clause
    // on the other side of a comma.
    if t.direction == Direction::Bidirectional && t.category.is_presence() && gap.contains(',') {
        return true;
    }
    if let Some(max) = t.max_scope {
        if word_tokens(doc, lo, hi) > max {
            return true;
        }
    }
    crate::extract::work::add(triggers.len() + gap.len());
    triggers
        .iter()
        .filter(|o| !std::ptr::eq(*o, t) && o.fstart >= lo && o.fend <= hi)
        .any(|o| {
            match o.category {
                Category::Terminate => true,
                Category::TerminateTime => {
                    matches!(t.category, Category::Historical | Category::Hypothetical)
                }
                // ", mogelijk ..." after "geen ...", ", ter uitsluiting van ..." after "verdenking op
                // ...": a new clause with its own presence or time.
                c if forward && sets_presence_or_time(c) && sets_presence_or_time(t.category) => {
                    o.direction.looks_forward() && opens_clause(folded, o.fstart)
                }
                // Backward, a forward negation or uncertainty owns the text after it.
                c if !forward && c.is_presence() && t.category.is_presence() => {
                    o.direction.looks_forward()
                }
                _ => false,
            }
        })
}

fn sets_presence_or_time(c: Category) -> bool {
    matches!(
        c,
        Category::Negated | Category::Possible | Category::Historical | Category::Hypothetical
    )
}

/// True when the text before `pos` ends in a comma, semicolon or colon.
fn opens_clause(folded: &str, pos: usize) -> bool {
    folded
        .get(..pos)
        .map(|s| s.trim_end().ends_with([',', ';', ':']))
        .unwrap_or(false)
}

/// Number of tokens with a letter or digit in the folded range `[lo, hi)`.
pub fn word_tokens(doc: &Document, lo: usize, hi: usize) -> usize {
    let folded = doc.folded.text.as_bytes();
    let first = doc.token_index(lo);
    doc.tokens
        .get(first..)
        .unwrap_or(&[])
        .iter()
        .take_while(|t| t.start < hi)
        .filter(|t| {
            folded
                .get(t.start)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
        })
        .count()
}

/// The position of a "?" that makes the span a question: right after it (at most a few
/// words, no comma between: "metastasen in de lever?") or glued before it ("?metastase").
fn question_mark(doc: &Document, scope: &Scope, a: usize, b: usize) -> Option<usize> {
    let folded = doc.folded.text.as_str();
    if a > 0 && folded.as_bytes().get(a - 1) == Some(&b'?') {
        return Some(a - 1);
    }
    let hi = scope.hi.max(b).min(folded.len());
    // A "?" past the fifth word token after the span is too far (QUESTION_REACH): look no
    // further than that token.
    let bytes = folded.as_bytes();
    let reach = doc
        .tokens
        .get(doc.token_index(b)..)
        .unwrap_or(&[])
        .iter()
        .inspect(|_| crate::extract::work::step())
        .filter(|t| {
            bytes
                .get(t.start)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c >= 0x80)
        })
        .nth(QUESTION_REACH)
        .map_or(hi, |t| t.end.clamp(b, hi));
    let after = folded.get(b..reach)?;
    let q = after.find('?')?;
    let gap = &after[..q];
    if gap.contains([',', ';', ':', '.', '(', ')']) || word_tokens(doc, b, b + q) > QUESTION_REACH {
        return None;
    }
    Some(b + q)
}

/// The novelty word ("nieuwe", "new") that limits a negation of the span to new findings:
/// inside the span or just before it, after the negation.
fn novelty<'t>(
    doc: &Document,
    scope: &'t Scope,
    reached: &[Reach],
    a: usize,
    b: usize,
) -> Option<&'t Trigger> {
    let neg_end = reached
        .iter()
        .filter(|r| r.trigger.category == Category::Negated && r.trigger.fend <= a)
        .map(|r| r.trigger.fend)
        .min()
        .unwrap_or(scope.lo);
    scope.triggers.iter().find(|n| {
        n.category == Category::Novelty
            && n.fstart >= neg_end
            && ((n.fstart >= a && n.fend <= b) || (n.fend <= a && word_tokens(doc, n.fend, a) <= 2))
    })
}
