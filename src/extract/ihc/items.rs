//! The pieces of an IHC sentence: markers, results, signs, modifiers, links, joiners,
//! breaks and the sites a stain is seen in, in text order.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::Ctx;
use crate::lexicon::Entry;
use crate::record::IhcResult;

/// A sign right after a marker: "CK7+", "CK7 (-)", "CK7: +", "CK7 | -", "CK7 +/-".
static SIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[:|=]?\s*(\(\s*)?(\+/-|±|\+{1,3}|-)\s*(\)|,|;|/|\.|\s|$)").expect("sign regex")
});

/// A word that qualifies a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// Focal(ly).
    Focal,
    /// Weak(ly).
    Weak,
    /// Strong(ly), diffuse(ly).
    Strong,
    /// Negation: "not", "no", "geen".
    Not,
    /// A general statement, not this tumour's result: "usually", "meestal".
    Generic,
}

/// What an item is.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A marker, by canonical name.
    Marker(String),
    /// A result word; `direct` when a marker may follow it without a linking word.
    Result {
        /// The result.
        result: IhcResult,
        /// "express CK7".
        direct: bool,
        /// The same word can also qualify another result ("focaal positief").
        also_modifier: Option<Modifier>,
    },
    /// A sign after a marker.
    Sign(IhcResult),
    /// A qualifying word.
    Modifier(Modifier),
    /// "voor", "for", "with".
    Link,
    /// "en", "and".
    Join,
    /// "maar", "while": a result does not reach across it.
    Break,
    /// A place the stain is seen in: the tumour (true) or something else (false).
    Site(bool),
}

/// One item with its folded range and the rule behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    /// What it is.
    pub kind: ItemKind,
    /// The lexicon entry or rule.
    pub rule: String,
    /// A result word that only implies a result ("staining for X"): an explicit result
    /// after the marker wins.
    pub implicit: bool,
}

fn result_of(s: &str) -> Option<IhcResult> {
    Some(match s {
        "positive" => IhcResult::Positive,
        "negative" => IhcResult::Negative,
        "focal" => IhcResult::Focal,
        "weak" => IhcResult::Weak,
        "equivocal" => IhcResult::Equivocal,
        _ => return None,
    })
}

fn modifier_of(s: &str) -> Option<Modifier> {
    Some(match s {
        "focal" => Modifier::Focal,
        "weak" => Modifier::Weak,
        "strong" => Modifier::Strong,
        "not" => Modifier::Not,
        "generic" => Modifier::Generic,
        _ => return None,
    })
}

/// True when the original text of a folded range has no lower-case letter.
fn written_in_capitals(ctx: &Ctx, start: usize, end: usize) -> bool {
    let (s, e) = ctx.doc.original_range(start, end);
    ctx.doc
        .text
        .get(s..e)
        .is_some_and(|t| !t.chars().any(char::is_lowercase))
}

/// The lexicon kinds an item is read from.
const ITEM_KINDS: &[&str] = &[
    "ihc_marker",
    "ihc_result",
    "ihc_modifier",
    "ihc_link",
    "ihc_join",
    "ihc_site",
];

/// Collects the items of the whole report, in text order.
pub fn collect(ctx: &Ctx) -> Vec<Item> {
    let folded = ctx.folded();
    let matcher = ctx.matcher();
    let item_kinds: Vec<u16> = ITEM_KINDS
        .iter()
        .filter_map(|k| matcher.kind_id(k))
        .collect();
    let mut items = Vec::new();
    for (i, m) in ctx.matches.iter().enumerate() {
        // Matches of several kinds over the same words are one item with all their entries.
        if i > 0 && ctx.matches[i - 1].start == m.start && ctx.matches[i - 1].end == m.end {
            continue;
        }
        let same = || {
            ctx.matches[i..]
                .iter()
                .take_while(|o| o.start == m.start && o.end == m.end)
        };
        if !same().any(|o| item_kinds.contains(&o.kind)) {
            continue;
        }
        let entries: Vec<_> = same().flat_map(|o| ctx.entries(o)).collect();
        // A term read through an OCR misreading says so in its rule.
        let ocr = matcher.is_ocr_variant(m.pattern);
        let rule_of = |e: &Entry| {
            if ocr {
                format!("{}~ocr", e.rule_str())
            } else {
                e.rule()
            }
        };
        // The rule text is built only for the entry that becomes an item (`Entry::rule`).
        let modifier =
            entry_of(&entries, "ihc_modifier").and_then(|e| e.attr("mod").and_then(modifier_of));
        if let Some(e) = entry_of(&entries, "ihc_marker") {
            let upper_only = e.attr("case") == Some("upper");
            if !upper_only || written_in_capitals(ctx, m.start, m.end) {
                let name = e.attr("marker").unwrap_or(&e.term).replace('_', " ");
                items.push(Item {
                    start: m.start,
                    end: m.end,
                    kind: ItemKind::Marker(name),
                    rule: rule_of(e),
                    implicit: false,
                });
                if let Some(sign) = sign_after(folded, m.end) {
                    items.push(sign);
                }
                continue;
            }
        }
        if let Some(e) = entry_of(&entries, "ihc_result") {
            if let Some(result) = e.attr("result").and_then(result_of) {
                let direct = e.attr("prefix") == Some("direct");
                items.push(Item {
                    start: m.start,
                    end: m.end,
                    kind: ItemKind::Result {
                        result,
                        direct,
                        also_modifier: modifier,
                    },
                    rule: rule_of(e),
                    implicit: e.attr("implicit") == Some("yes"),
                });
                continue;
            }
        }
        if let (Some(md), Some(e)) = (modifier, entry_of(&entries, "ihc_modifier")) {
            items.push(Item {
                start: m.start,
                end: m.end,
                kind: ItemKind::Modifier(md),
                rule: e.rule(),
                implicit: false,
            });
            continue;
        }
        if let Some(e) = entry_of(&entries, "ihc_link") {
            items.push(Item {
                start: m.start,
                end: m.end,
                kind: ItemKind::Link,
                rule: e.rule(),
                implicit: false,
            });
            continue;
        }
        if let Some(e) = entry_of(&entries, "ihc_join") {
            let kind = if e.attr("role") == Some("break") {
                ItemKind::Break
            } else {
                ItemKind::Join
            };
            items.push(Item {
                start: m.start,
                end: m.end,
                kind,
                rule: e.rule(),
                implicit: false,
            });
            continue;
        }
        if let Some(e) = entry_of(&entries, "ihc_site") {
            items.push(Item {
                start: m.start,
                end: m.end,
                kind: ItemKind::Site(e.attr("site") == Some("tumour")),
                rule: e.rule(),
                implicit: false,
            });
            continue;
        }
    }
    items
}

/// The first of `entries` of `kind`.
fn entry_of<'e>(entries: &[&'e Entry], kind: &str) -> Option<&'e Entry> {
    entries.iter().find(|e| e.kind == kind).copied()
}

/// A sign right after a marker ending at folded position `at`.
fn sign_after(folded: &str, at: usize) -> Option<Item> {
    let rest = folded.get(at..)?;
    let c = SIGN.captures(rest)?;
    let sign = c.get(2)?;
    let result = match sign.as_str() {
        "-" => IhcResult::Negative,
        "+/-" | "±" => IhcResult::Equivocal,
        _ => IhcResult::Positive,
    };
    let end = c
        .get(3)
        .filter(|g| g.as_str() == ")")
        .map_or(sign.end(), |g| g.end());
    Some(Item {
        start: at + sign.start(),
        end: at + end,
        kind: ItemKind::Sign(result),
        rule: "ihc:sign".into(),
        implicit: false,
    })
}
