//! What a reviewer sees of one report, independent of how it is drawn: the evidence spans
//! that reach the record (grouped, numbered, with their kind and qualifiers), the report text
//! cut into pieces with the spans and whole-word highlights that cover each, and the links
//! from every summary value, lesion and staging input to its evidence.

use std::collections::BTreeMap;

use crate::extract::Extraction;
use crate::record::{Evidence, Presence, StagingInput, Temporality};

/// How a highlighted span is coloured: the kind of fact it supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SpanKind {
    /// A lesion mention.
    Lesion,
    /// A size.
    Size,
    /// A count.
    Count,
    /// A segment or lobe.
    Location,
    /// An enhancement or appearance pattern.
    Pattern,
    /// An IHC result.
    Ihc,
    /// Histology, margin, resection, weight, LI-RADS.
    Pathology,
    /// An imaging modality.
    Modality,
    /// A lab value or other clinical fact.
    Clinical,
}

impl SpanKind {
    /// The CSS class and legend name.
    pub fn name(self) -> &'static str {
        match self {
            SpanKind::Lesion => "lesion",
            SpanKind::Size => "size",
            SpanKind::Count => "count",
            SpanKind::Location => "location",
            SpanKind::Pattern => "pattern",
            SpanKind::Ihc => "ihc",
            SpanKind::Pathology => "pathology",
            SpanKind::Modality => "modality",
            SpanKind::Clinical => "clinical",
        }
    }

    /// Every kind, in legend order.
    pub const ALL: [SpanKind; 9] = [
        SpanKind::Lesion,
        SpanKind::Size,
        SpanKind::Count,
        SpanKind::Location,
        SpanKind::Pattern,
        SpanKind::Ihc,
        SpanKind::Pathology,
        SpanKind::Modality,
        SpanKind::Clinical,
    ];

    /// The kind of a fact field.
    pub fn of_field(field: &str) -> SpanKind {
        match field {
            "lesion" | "liver_metastasis" => SpanKind::Lesion,
            "size" | "largest_lesion_mm" => SpanKind::Size,
            "lesion_count" => SpanKind::Count,
            "segments" | "segment" | "lobes" => SpanKind::Location,
            "patterns" => SpanKind::Pattern,
            "ihc" => SpanKind::Ihc,
            "histology" | "margin_mm" | "resection" | "specimen_weight_g" | "lirads_stated" => {
                SpanKind::Pathology
            }
            "modality" => SpanKind::Modality,
            _ => SpanKind::Clinical,
        }
    }
}

/// One evidence span of the record, with everything read from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its number (`e{n}` in a page), in text order.
    pub n: usize,
    /// Start byte in the original text.
    pub start: usize,
    /// End byte in the original text.
    pub end: usize,
    /// The colour: the kind of its first fact.
    pub kind: SpanKind,
    /// Negated (struck through).
    pub absent: bool,
    /// Hedged.
    pub uncertain: bool,
    /// Historical or future (marked).
    pub temporality: Temporality,
    /// `field = value [rule]` of every fact and lesion read here.
    pub notes: Vec<String>,
}

/// A run of the text and what covers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// Groups whose exact span covers the piece.
    pub groups: Vec<usize>,
    /// The group whose whole-word highlight covers the piece (the word around a span).
    pub word_of: Option<usize>,
}

/// A value of the record with the evidence groups behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// What is shown (`VII`, `HepPar-1: negative`, `23`).
    pub value: String,
    /// Evidence groups, in text order.
    pub groups: Vec<usize>,
}

/// One summary field with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The field name.
    pub field: String,
    /// Its values (one for scalars; none when null or empty).
    pub values: Vec<Linked>,
}

/// One lesion row.
#[derive(Debug, Clone, PartialEq)]
pub struct LesionRow {
    /// Kind, count, size, segments, patterns, assertion, as shown.
    pub cells: [String; 6],
    /// Its evidence.
    pub groups: Vec<usize>,
    /// Negated.
    pub absent: bool,
}

/// One staging score with its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct StagingRow {
    /// The score name.
    pub name: String,
    /// Its value as shown (`3.05`, `null`).
    pub value: String,
    /// Its inputs, each with its evidence.
    pub inputs: Vec<Linked>,
}

/// Everything a review page shows of one report.
#[derive(Debug, Clone)]
pub struct Page {
    /// Evidence groups in text order.
    pub groups: Vec<Group>,
    /// The text cut at every group and word boundary.
    pub pieces: Vec<Piece>,
    /// The summary, field by field.
    pub summary: Vec<SummaryRow>,
    /// The lesions.
    pub lesions: Vec<LesionRow>,
    /// The staging scores.
    pub staging: Vec<StagingRow>,
}

fn is_word_byte(text: &str, i: usize) -> bool {
    text[i..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric())
}

/// The span widened to whole words (a span that cuts a word covers the word).
fn whole_word(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (mut s, mut e) = (start, end);
    while s > 0 {
        let prev = text[..s].char_indices().next_back().map(|(i, _)| i);
        match prev {
            Some(p) if is_word_byte(text, p) && s < text.len() && is_word_byte(text, s) => s = p,
            _ => break,
        }
    }
    while e < text.len() && e > 0 {
        let last = text[..e].char_indices().next_back().map(|(i, _)| i);
        if last.is_some_and(|l| is_word_byte(text, l)) && is_word_byte(text, e) {
            e += text[e..].chars().next().map_or(1, char::len_utf8);
        } else {
            break;
        }
    }
    (s, e)
}

/// A value as a reviewer reads it: counts as `2` or `>= 2`, sizes in mm, lists joined.
fn plain(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        Value::Object(m) if m.len() == 1 && m.contains_key("value") => plain(&m["value"]),
        Value::Object(m) if m.len() == 1 && m.contains_key("at_least") => {
            format!(">= {}", plain(&m["at_least"]))
        }
        Value::Object(m) if m.contains_key("dims") => match &m["dims"] {
            Value::Array(d) => d.iter().map(plain).collect::<Vec<_>>().join(" x ") + " mm",
            other => plain(other),
        },
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The fact fields that give a summary field its value.
fn sources_of(field: &str) -> &'static [&'static str] {
    match field {
        "modality" => &["modality"],
        "liver_metastasis" => &["liver_metastasis", "lesion"],
        "lesion_count" => &["lesion_count"],
        "largest_lesion_mm" => &["largest_lesion_mm", "size"],
        "segments" => &["segments", "segment"],
        "lobes" | "bilobar" => &["lobes", "segments", "segment"],
        "patterns" => &["patterns"],
        "lirads_stated" => &["lirads_stated"],
        "histology" => &["histology"],
        "margin_mm" => &["margin_mm"],
        "resection" => &["resection"],
        "specimen_weight_g" => &["specimen_weight_g"],
        _ => &[],
    }
}

struct Builder<'a> {
    text: &'a str,
    by_span: BTreeMap<(usize, usize), usize>,
    groups: Vec<Group>,
}

impl Builder<'_> {
    fn valid(&self, start: usize, end: usize) -> bool {
        start < end
            && end <= self.text.len()
            && self.text.is_char_boundary(start)
            && self.text.is_char_boundary(end)
    }

    fn group(&mut self, start: usize, end: usize, kind: SpanKind) -> Option<usize> {
        if !self.valid(start, end) {
            return None;
        }
        let next = self.groups.len();
        let n = *self.by_span.entry((start, end)).or_insert(next);
        if n == next {
            self.groups.push(Group {
                n,
                start,
                end,
                kind,
                absent: false,
                uncertain: false,
                temporality: Temporality::Current,
                notes: Vec::new(),
            });
        }
        Some(n)
    }

    fn find(&self, e: &Evidence) -> Option<usize> {
        self.by_span.get(&(e.start, e.end)).copied()
    }
}

/// Builds the page of one report from its text and extraction.
pub fn build(text: &str, ex: &Extraction) -> Page {
    let mut b = Builder {
        text,
        by_span: BTreeMap::new(),
        groups: Vec::new(),
    };
    for f in &ex.facts {
        let kind = SpanKind::of_field(&f.field);
        if let Some(n) = b.group(f.evidence.start, f.evidence.end, kind) {
            let g = &mut b.groups[n];
            g.notes.push(format!(
                "{} = {} [{}]",
                f.field,
                plain(&f.value),
                f.evidence.rule
            ));
            match f.value.get("presence").and_then(|p| p.as_str()) {
                Some("absent") => g.absent = true,
                Some("uncertain") => g.uncertain = true,
                _ => {}
            }
        }
    }
    for (i, lesion) in ex.lesions.iter().enumerate() {
        for e in &lesion.evidence {
            if let Some(n) = b.group(e.start, e.end, SpanKind::Lesion) {
                let g = &mut b.groups[n];
                g.notes.push(format!(
                    "lesion {} ({}, {}) [{}]",
                    i + 1,
                    lesion.kind.as_str(),
                    lesion.assertion.presence.as_str(),
                    e.rule
                ));
                match lesion.assertion.presence {
                    Presence::Absent => g.absent = true,
                    Presence::Uncertain => g.uncertain = true,
                    Presence::Present => {}
                }
                if lesion.assertion.temporality != Temporality::Current {
                    g.temporality = lesion.assertion.temporality;
                }
            }
        }
    }
    // Number the groups in text order.
    let mut order: Vec<usize> = (0..b.groups.len()).collect();
    order.sort_by_key(|&i| (b.groups[i].start, std::cmp::Reverse(b.groups[i].end)));
    let mut renumber = vec![0; b.groups.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    let mut groups: Vec<Group> = order.iter().map(|&i| b.groups[i].clone()).collect();
    for (i, g) in groups.iter_mut().enumerate() {
        g.n = i;
    }
    b.by_span = groups
        .iter()
        .map(|g| ((g.start, g.end), g.n))
        .collect::<BTreeMap<_, _>>();
    b.groups = groups;

    let pieces = pieces(text, &b.groups);
    let summary = summary_rows(ex, &b);
    let lesions = ex
        .lesions
        .iter()
        .map(|l| {
            let mut groups: Vec<usize> = l.evidence.iter().filter_map(|e| b.find(e)).collect();
            groups.sort_unstable();
            groups.dedup();
            let size = l.size_mm.as_ref().map_or(String::new(), |s| {
                s.dims
                    .iter()
                    .map(|d| num(*d))
                    .collect::<Vec<_>>()
                    .join(" x ")
                    + " mm"
            });
            LesionRow {
                cells: [
                    l.kind.as_str().to_string(),
                    l.count.map_or(String::new(), |c| match c {
                        crate::record::Count::Value(n) => n.to_string(),
                        crate::record::Count::AtLeast(n) => format!(">= {n}"),
                    }),
                    size,
                    l.segments
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    l.patterns
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    format!(
                        "{}, {}, {}",
                        l.assertion.presence.as_str(),
                        l.assertion.temporality.as_str(),
                        l.assertion.experiencer.as_str()
                    ),
                ],
                groups,
                absent: l.assertion.presence == Presence::Absent,
            }
        })
        .collect();
    let staging = staging_rows(ex, &b);
    Page {
        groups: b.groups,
        pieces,
        summary,
        lesions,
        staging,
    }
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn pieces(text: &str, groups: &[Group]) -> Vec<Piece> {
    let words: Vec<(usize, usize)> = groups
        .iter()
        .map(|g| whole_word(text, g.start, g.end))
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (g, w) in groups.iter().zip(&words) {
        cuts.extend([g.start, g.end, w.0, w.1]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len());
    // Groups sorted by start: a sweep keeps the ones open at each cut.
    let mut open: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut by_word_start: Vec<usize> = (0..groups.len()).collect();
    by_word_start.sort_by_key(|&i| words[i].0);
    let mut wnext = 0;
    let mut wopen: Vec<usize> = Vec::new();
    for w in cuts.windows(2) {
        let (a, z) = (w[0], w[1]);
        while next < groups.len() && groups[next].start <= a {
            open.push(next);
            next += 1;
        }
        open.retain(|&g| groups[g].end > a);
        while wnext < by_word_start.len() && words[by_word_start[wnext]].0 <= a {
            wopen.push(by_word_start[wnext]);
            wnext += 1;
        }
        wopen.retain(|&g| words[g].1 > a);
        let covering: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&g| groups[g].start <= a && groups[g].end >= z)
            .collect();
        let word_of = if covering.is_empty() {
            wopen
                .iter()
                .copied()
                .find(|&g| words[g].0 <= a && words[g].1 >= z)
        } else {
            None
        };
        out.push(Piece {
            start: a,
            end: z,
            groups: covering,
            word_of,
        });
    }
    out
}

fn summary_rows(ex: &Extraction, b: &Builder) -> Vec<SummaryRow> {
    let summary = serde_json::to_value(&ex.summary).unwrap_or_default();
    let mut rows = Vec::new();
    let Some(map) = summary.as_object() else {
        return rows;
    };
    for (field, value) in map {
        let facts_of = |sources: &[&str], item: Option<&str>| -> Vec<usize> {
            let mut gs: Vec<usize> = ex
                .facts
                .iter()
                .filter(|f| sources.contains(&f.field.as_ref()))
                .filter(|f| match item {
                    None => true,
                    Some(it) => match &f.value {
                        serde_json::Value::String(s) => s == it,
                        serde_json::Value::Array(a) => a.iter().any(|x| x.as_str() == Some(it)),
                        serde_json::Value::Object(o) => o.values().any(|x| x.as_str() == Some(it)),
                        _ => false,
                    },
                })
                .filter_map(|f| b.find(&f.evidence))
                .collect();
            gs.sort_unstable();
            gs.dedup();
            gs
        };
        let values: Vec<Linked> = match (field.as_str(), value) {
            ("ihc", serde_json::Value::Object(m)) => m
                .iter()
                .map(|(marker, result)| {
                    let mut groups: Vec<usize> = ex
                        .facts
                        .iter()
                        .filter(|f| {
                            f.field == "ihc"
                                && f.value.get("marker").and_then(|x| x.as_str())
                                    == Some(marker.as_str())
                        })
                        .filter_map(|f| b.find(&f.evidence))
                        .collect();
                    groups.sort_unstable();
                    groups.dedup();
                    Linked {
                        value: format!("{marker}: {}", plain(result)),
                        groups,
                    }
                })
                .collect(),
            ("labs", serde_json::Value::Object(m)) => m
                .iter()
                .map(|(key, v)| Linked {
                    value: format!("{key}: {}", plain(v)),
                    groups: facts_of(&["labs"], None)
                        .into_iter()
                        .filter(|&g| b.groups[g].notes.iter().any(|n| n.contains(key.as_str())))
                        .collect(),
                })
                .collect(),
            (_, serde_json::Value::Array(items)) => items
                .iter()
                .map(|item| {
                    let name = plain(item);
                    let mut groups = facts_of(sources_of(field), Some(&name));
                    if groups.is_empty() {
                        groups = facts_of(sources_of(field), None);
                    }
                    Linked {
                        value: name,
                        groups,
                    }
                })
                .collect(),
            (_, serde_json::Value::Null) => Vec::new(),
            ("language" | "report_type", v) => vec![Linked {
                value: plain(v),
                groups: Vec::new(),
            }],
            ("liver_metastasis", v) if v.as_str() == Some("not_mentioned") => vec![Linked {
                value: plain(v),
                groups: Vec::new(),
            }],
            (_, v) => vec![Linked {
                value: plain(v),
                groups: facts_of(sources_of(field), None),
            }],
        };
        rows.push(SummaryRow {
            field: field.clone(),
            values,
        });
    }
    rows
}

fn linked_inputs(inputs: &[StagingInput], b: &Builder) -> Vec<Linked> {
    inputs
        .iter()
        .map(|i| {
            let mut groups: Vec<usize> = i.evidence.iter().filter_map(|e| b.find(e)).collect();
            groups.sort_unstable();
            groups.dedup();
            Linked {
                value: format!("{} = {}", i.name, plain(&i.value)),
                groups,
            }
        })
        .collect()
}

fn staging_rows(ex: &Extraction, b: &Builder) -> Vec<StagingRow> {
    let s = &ex.staging;
    let opt = |v: Option<String>| v.unwrap_or_else(|| "null".to_string());
    let mut rows = Vec::new();
    if let Some(t) = &s.tumor_burden_score {
        rows.push(StagingRow {
            name: "tumor_burden_score".into(),
            value: match (t.value, t.lower_bound) {
                (Some(v), _) => num(v),
                (None, Some(lb)) => format!(">= {}", num(lb)),
                _ => "null".into(),
            },
            inputs: linked_inputs(&t.inputs, b),
        });
    }
    if let Some(f) = &s.fong_crs {
        let inputs: Vec<StagingInput> = f
            .criteria
            .iter()
            .flat_map(|c| c.inputs.iter().cloned())
            .collect();
        rows.push(StagingRow {
            name: "fong_crs".into(),
            value: format!(
                "{} ({} points of {} known criteria)",
                opt(f.value.map(|v| v.to_string())),
                f.points,
                f.known_criteria
            ),
            inputs: linked_inputs(&inputs, b),
        });
    }
    if let Some(r) = &s.resectability {
        let inputs: Vec<StagingInput> = r
            .criteria
            .iter()
            .flat_map(|c| c.inputs.iter().cloned())
            .collect();
        rows.push(StagingRow {
            name: "resectability".into(),
            value: format!(
                "meets classic criteria: {}",
                opt(r.meets_classic_criteria.map(|v| v.to_string()))
            ),
            inputs: linked_inputs(&inputs, b),
        });
    }
    if let Some(l) = &s.lirads_computed {
        rows.push(StagingRow {
            name: "lirads_computed".into(),
            value: opt(l.value.clone()),
            inputs: linked_inputs(&l.inputs, b),
        });
    }
    if let Some(o) = &s.origin_hint {
        rows.push(StagingRow {
            name: "origin_hint".into(),
            value: opt(o.value.map(|v| v.as_str().to_string())),
            inputs: linked_inputs(&o.markers, b),
        });
    }
    if let Some(m) = &s.m_category {
        rows.push(StagingRow {
            name: "m_category".into(),
            value: opt(m.value.clone()),
            inputs: linked_inputs(&m.inputs, b),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_around_a_cut() {
        let t = "twee metastasen, 2,3 cm";
        assert_eq!(whole_word(t, 5, 12), (5, 15));
        assert_eq!(&t[5..15], "metastasen");
        assert_eq!(whole_word(t, 17, 23), (17, 23));
        let t = "één laesie";
        assert_eq!(whole_word(t, 6, 9), (6, 12));
        assert_eq!(whole_word(t, 0, 2), (0, 5));
    }
}
