//! Lesion words and the organ they belong to.

use crate::extract::scan::{self, Hit};
use crate::extract::{assertion, Ctx};
use crate::record::{Experiencer, LesionKind, Presence, Temporality};

/// The kind a lesion word names (finer than [`LesionKind`]: malignancy and primary
/// tumours of the bile ducts are told apart while grouping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Metastasis.
    Metastasis,
    /// Hepatocellular carcinoma.
    Hcc,
    /// Cholangiocarcinoma.
    Cholangiocarcinoma,
    /// Malignancy of no stated kind ("maligniteit", "recidief").
    Malignant,
    /// Cyst.
    Cyst,
    /// Hemangioma.
    Hemangioma,
    /// Focal nodular hyperplasia.
    Fnh,
    /// Adenoma.
    Adenoma,
    /// Abscess.
    Abscess,
    /// Indeterminate lesion.
    Indeterminate,
    /// A lesion word of no kind ("laesie", "lesion").
    Unspecified,
}

impl Kind {
    /// Parses the `kind` attribute of a lesion entry.
    pub fn from_attr(s: &str) -> Option<Kind> {
        Some(match s {
            "metastasis" => Kind::Metastasis,
            "hcc" => Kind::Hcc,
            "cholangiocarcinoma" => Kind::Cholangiocarcinoma,
            "malignant" => Kind::Malignant,
            "cyst" => Kind::Cyst,
            "hemangioma" => Kind::Hemangioma,
            "fnh" => Kind::Fnh,
            "adenoma" => Kind::Adenoma,
            "abscess" => Kind::Abscess,
            "indeterminate" => Kind::Indeterminate,
            "unspecified" => Kind::Unspecified,
            _ => return None,
        })
    }

    /// True for words that name no diagnosis ("laesie", "indeterminate").
    pub fn is_generic(self) -> bool {
        matches!(self, Kind::Unspecified | Kind::Indeterminate)
    }

    /// True when two kinds can describe the same lesion.
    pub fn compatible(self, other: Kind) -> bool {
        self == other
            || self.is_generic()
            || other.is_generic()
            || (self == Kind::Malignant
                && matches!(
                    other,
                    Kind::Metastasis | Kind::Hcc | Kind::Cholangiocarcinoma
                ))
            || (other == Kind::Malignant
                && matches!(
                    self,
                    Kind::Metastasis | Kind::Hcc | Kind::Cholangiocarcinoma
                ))
    }

    /// True for malignant kinds.
    pub fn is_malignant(self) -> bool {
        matches!(
            self,
            Kind::Metastasis | Kind::Hcc | Kind::Cholangiocarcinoma | Kind::Malignant
        )
    }

    /// How specific the kind is: a more specific word names the lesion.
    pub fn rank(self) -> u8 {
        match self {
            Kind::Unspecified => 0,
            Kind::Indeterminate => 1,
            _ => 3,
        }
    }

    /// The kind written on the record (an unnamed malignancy in the liver is taken as a
    /// metastasis; cholangiocarcinoma has no kind of its own).
    pub fn output(self) -> LesionKind {
        match self {
            Kind::Metastasis | Kind::Malignant => LesionKind::Metastasis,
            Kind::Hcc => LesionKind::Hcc,
            Kind::Cholangiocarcinoma | Kind::Unspecified => LesionKind::Unspecified,
            Kind::Cyst => LesionKind::Cyst,
            Kind::Hemangioma => LesionKind::Hemangioma,
            Kind::Fnh => LesionKind::Fnh,
            Kind::Adenoma => LesionKind::Adenoma,
            Kind::Abscess => LesionKind::Abscess,
            Kind::Indeterminate => LesionKind::Indeterminate,
        }
    }
}

/// A lesion word, or the word of another organ that starts a description of that organ.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    /// The kind named; `None` for another organ.
    pub kind: Option<Kind>,
    /// True for a plural word ("laesies").
    pub plural: bool,
    /// True when the lesion is not in the liver (or the head is another organ).
    pub foreign: bool,
    /// True for a satellite of a main tumour ("satellietlaesies", "satellite nodule").
    pub satellite: bool,
    /// The lexicon entry.
    pub rule: String,
}

/// Organs that are the liver itself.
fn is_liver(organ: &str) -> bool {
    matches!(organ, "liver" | "liver_span")
}

/// The heads of one sentence (folded range), in text order.
pub fn heads(ctx: &Ctx, lesions: &[Hit], organs: &[Hit], lo: usize, hi: usize) -> Vec<Head> {
    let organs: Vec<&Hit> = starting_in(organs, lo, hi)
        .iter()
        .filter(|o| o.start >= lo && o.end <= hi && o.attr("organ") != Some("liver_span"))
        .collect();
    let mut consumed = vec![false; organs.len()];
    // "Longen: multipele noduli ..., metastasen.": an organ label opens the sentence.
    let folded = ctx.folded();
    let label = organs.iter().position(|o| {
        scan::tokens_between(ctx, lo, o.start) == 0
            && folded
                .get(o.end..)
                .is_some_and(|r| r.trim_start().starts_with(':'))
    });
    let sole = sole_organ(ctx, lesions, &organs, lo, hi);
    let mut out = Vec::new();
    for h in starting_in(lesions, lo, hi)
        .iter()
        .filter(|h| h.start >= lo && h.end <= hi)
    {
        let Some(kind) = h.attr("kind").and_then(Kind::from_attr) else {
            continue;
        };
        // "Bijnier rechts 3 cm, eveneens metastase.", "opacities in both lungs, in keeping
        // with metastases": a finding in a sentence about one other organ only.
        let about_sole = || {
            sole.filter(|&i| {
                organs.get(i).is_some_and(|o| o.end <= h.start)
                    && assertion::assertion_of(ctx, h.start, h.end).presence != Presence::Absent
            })
        };
        let liver_word = h.attr("organ") == Some("liver");
        let mut foreign = false;
        // "tumortrombus", "tumor thrombus": a lesion word inside another organ's phrase
        // belongs to it; such a phrase places no other lesion word.
        let around = organs.iter().position(|o| encloses(o, h));
        let nearest = nearest_organ(ctx, &organs, h).filter(|&i| {
            !organs.get(i).is_some_and(|o| {
                starting_in(lesions, o.start, o.end)
                    .iter()
                    .any(|l| encloses(o, l))
            })
        });
        if !liver_word {
            if let Some(i) = around.or(nearest).or(label).or_else(about_sole) {
                consumed[i] = true;
                foreign = organs[i].attr("organ").is_some_and(|o| !is_liver(o));
            }
        }
        out.push(Head {
            start: h.start,
            end: h.end,
            kind: Some(kind),
            plural: is_plural(ctx, h),
            foreign,
            satellite: h.attr("role") == Some("satellite"),
            rule: h.entry.rule(),
        });
    }
    for (i, o) in organs.iter().enumerate() {
        if consumed[i] || o.attr("organ").is_some_and(is_liver) {
            continue;
        }
        // A lesion word already inside another organ's compound ("longmetastasen") is one head.
        out.push(Head {
            start: o.start,
            end: o.end,
            kind: None,
            plural: false,
            foreign: true,
            satellite: false,
            rule: o.entry.rule(),
        });
    }
    out.sort_by_key(|h| h.start);
    out
}

/// The first organ word of a sentence that names one other organ only: no liver word,
/// no segment or lobe, and every organ word of the same organ.
fn sole_organ(ctx: &Ctx, lesions: &[Hit], organs: &[&Hit], lo: usize, hi: usize) -> Option<usize> {
    let first = organs.first()?;
    let lesions = starting_in(lesions, lo, hi);
    if !lesions.iter().any(|l| l.start >= lo && l.end <= hi) {
        return None;
    }
    // "Given the history of pancreatic cancer, consistent with metastases": the organ of a
    // past tumour is no place.
    let now = |o: &&Hit| {
        let a = assertion::assertion_of(ctx, o.start, o.end);
        a.temporality == Temporality::Current && a.experiencer == Experiencer::Patient
    };
    if !organs.iter().all(now) {
        return None;
    }
    let organ = first.attr("organ")?;
    if is_liver(organ) || organs.iter().any(|o| o.attr("organ") != Some(organ)) {
        return None;
    }
    let inside = |s: usize, e: usize| s >= lo && e <= hi;
    let liver_word = lesions
        .iter()
        .any(|l| inside(l.start, l.end) && l.attr("organ") == Some("liver"));
    let placed_in_liver = || {
        // The matches are in text order: look at this sentence's only.
        let from = ctx.matches.partition_point(|m| m.start < lo);
        ctx.matches
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|m| m.start < hi)
            .filter(|m| m.end <= hi)
            .any(|m| {
                ctx.entries(m)
                    .any(|e| e.kind == "segment_cue" || e.kind == "lobe")
            })
    };
    (!liver_word && !placed_in_liver()).then_some(0)
}

/// The hits of a list in text order that start in `[lo, hi)`.
fn starting_in<'h, 'a>(hits: &'h [Hit<'a>], lo: usize, hi: usize) -> &'h [Hit<'a>] {
    let from = hits.partition_point(|h| h.start < lo);
    let to = hits.partition_point(|h| h.start < hi).max(from);
    crate::extract::work::add(to - from + 1);
    &hits[from..to]
}

/// True when an organ phrase holds a lesion word ("tumortrombus").
fn encloses(organ: &Hit, lesion: &Hit) -> bool {
    organ.start <= lesion.start
        && lesion.end <= organ.end
        && organ.end - organ.start > lesion.end - lesion.start
}

/// The organ word that a lesion word belongs to: the nearest one right after it ("cyste in
/// de linker nier") or right before it ("in de milt een laesie").
fn nearest_organ(ctx: &Ctx, organs: &[&Hit], h: &Hit) -> Option<usize> {
    let folded = ctx.folded();
    let mut best: Option<(usize, usize)> = None;
    for (i, o) in organs.iter().enumerate() {
        let (dist, gap) = if o.start >= h.end {
            (
                scan::tokens_between(ctx, h.end, o.start),
                folded.get(h.end..o.start).unwrap_or(""),
            )
        } else if o.end <= h.start {
            (
                scan::tokens_between(ctx, o.end, h.start),
                folded.get(o.end..h.start).unwrap_or(""),
            )
        } else {
            continue;
        };
        let limit = if o.start >= h.end { 6 } else { 4 };
        if dist > limit || gap.contains(';') || gap.contains(". ") || gap.contains(',') {
            continue;
        }
        if best.is_none_or(|(_, d)| dist < d) {
            best = Some((i, dist));
        }
    }
    best.map(|(i, _)| i)
}

/// True for a plural lesion word: the entry says so (`number=plural`), or the word goes on
/// past a `term*` entry with one of the entry's plural endings (`laesie*` with `plural=s/tjes`
/// reads "laesies" and "laesietjes" as plural).
fn is_plural(ctx: &Ctx, h: &Hit) -> bool {
    if h.attr("number") == Some("plural") {
        return true;
    }
    let Some(endings) = h.attr("plural") else {
        return false;
    };
    let folded = ctx.folded();
    let tail = folded
        .get(h.end..scan::word_end(folded, h.end))
        .unwrap_or("");
    !tail.is_empty() && endings.split('/').any(|e| e == tail)
}
