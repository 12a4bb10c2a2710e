//! Lesion groups: the lesion words of a sentence split it into zones, and every size,
//! count, segment, lobe and pattern in a zone belongs to that zone's lesion. A sentence
//! without a lesion word continues the description of the lesion before it.

use super::mention::{self, Head, Kind};
use crate::extract::count::{self, CountMention};
use crate::extract::location::{self, LobeMention, SegmentMention};
use crate::extract::measure::{self, Measurement};
use crate::extract::pattern::{self, PatternMention};
use crate::extract::scan::{self, Hit};
use crate::extract::{assertion, work, Ctx};
use crate::record::{Assertion, Count, Lobe, Pattern, Presence, Segment, Temporality};

/// Sections whose lesions are not findings of this exam (the clinical question).
const SKIPPED_SECTIONS: &[&str] = &["clinical", "indication", "comparison"];
/// How many sentences on a description may continue without naming its lesion again.
const CONTINUATION: usize = 2;

/// One lesion (or a group of lesions described together) and what was read about it.
#[derive(Debug, Clone)]
pub struct Group {
    /// Index of the sentence of its first head.
    pub sentence: usize,
    /// Index of the last sentence that added to it.
    pub last_sentence: usize,
    /// Section name of its first head.
    pub section: String,
    /// The lesion words.
    pub heads: Vec<Head>,
    /// The kind, from the most specific head.
    pub kind: Kind,
    /// Index into `heads` of the head that named the kind.
    pub decisive: usize,
    /// True when the group belongs to another organ.
    pub foreign: bool,
    /// The count phrase before a head.
    pub count: Option<CountMention>,
    /// Counts of more lesions named without a lesion word after the head ("twee laesies
    /// rechts en één in segment 3", "one in segment 2 and one in segment 7").
    pub more: Vec<CountMention>,
    /// A count set by merging (a total, or a sum of merged groups).
    pub count_override: Option<Count>,
    /// Current sizes.
    pub sizes: Vec<Measurement>,
    /// Sizes given in the sentence of the first head.
    pub own_sizes: usize,
    /// Segment mentions.
    pub segment_mentions: Vec<SegmentMention>,
    /// Lobe mentions.
    pub lobe_mentions: Vec<LobeMention>,
    /// Affirmed patterns.
    pub patterns: Vec<PatternMention>,
    /// Presence, time and experiencer, from the decisive head.
    pub assertion: Assertion,
    /// True when a word refers back to a lesion named before ("bovengenoemde").
    pub anaphora: bool,
    /// True when the lesion word is restricted to new or other lesions ("geen nieuwe laesies").
    pub new_only: bool,
    /// True when the lesion word names the rest of lesions already counted ("overige laesies").
    pub rest: bool,
    /// True when the count is the report's total ("in totaal vijf metastasen").
    pub total: bool,
    /// True for a lesion named in the history, the clinical question or the comparison.
    pub history: bool,
    /// True when the lesion is called known ("de bekende laesie").
    pub known: bool,
    /// Folded range of the zone in the first sentence.
    pub zone: (usize, usize),
}

impl Group {
    fn new(sentence: usize, section: &str, head: Head, zone_start: usize) -> Group {
        let kind = head.kind.unwrap_or(Kind::Unspecified);
        Group {
            sentence,
            last_sentence: sentence,
            section: section.to_string(),
            foreign: head.foreign,
            heads: vec![head],
            kind,
            decisive: 0,
            count: None,
            more: Vec::new(),
            count_override: None,
            sizes: Vec::new(),
            own_sizes: 0,
            segment_mentions: Vec::new(),
            lobe_mentions: Vec::new(),
            patterns: Vec::new(),
            assertion: Assertion::default(),
            anaphora: false,
            new_only: false,
            rest: false,
            total: false,
            history: false,
            known: false,
            zone: (zone_start, zone_start),
        }
    }

    /// The span and rule that name the lesion.
    pub fn anchor(&self) -> (usize, usize) {
        self.heads
            .get(self.decisive)
            .map_or((0, 0), |h| (h.start, h.end))
    }

    /// The rule of the decisive head.
    pub fn anchor_rule(&self) -> String {
        self.heads
            .get(self.decisive)
            .map_or_else(String::new, |h| h.rule.clone())
    }

    /// True when the group only says that there are no new or other lesions.
    pub fn drop_as_new_only(&self) -> bool {
        self.new_only && self.assertion.presence == Presence::Absent
    }

    /// True when the group stands for the satellites of a main tumour ("met twee
    /// satellietlaesies").
    pub fn satellite(&self) -> bool {
        self.heads.first().is_some_and(|h| h.satellite)
    }

    /// True when a head is plural.
    pub fn plural(&self) -> bool {
        self.heads.iter().any(|h| h.plural)
    }

    /// True when the count was written as a number or quantifier.
    pub fn explicit_count(&self) -> Option<Count> {
        self.count_override.or_else(|| {
            self.count.as_ref().map(|c| match c.count {
                // "multipele laesies, o.a. seg. 2 (31 mm), seg. 6 (24 mm) en seg. 7 (45 mm)":
                // at least as many as are measured one by one.
                Count::AtLeast(n) if self.own_sizes as u32 > n => {
                    Count::AtLeast(self.own_sizes as u32)
                }
                count => self.with_more(count),
            })
        })
    }

    /// A count with the lesions named after the head without a lesion word added.
    fn with_more(&self, count: Count) -> Count {
        self.more
            .iter()
            .map(|c| c.count)
            .fold(count, super::add_counts)
    }

    /// How many lesions the group stands for.
    pub fn count_value(&self) -> Count {
        if let Some(c) = self.explicit_count() {
            return c;
        }
        if self.plural() {
            // "Metastasen in S5 en S8 (12 en 15 mm)": one size per lesion itemises them.
            return if self.own_sizes >= 2 {
                Count::Value(self.own_sizes as u32)
            } else {
                self.with_more(Count::AtLeast(2))
            };
        }
        self.with_more(Count::Value((self.own_sizes as u32).max(1)))
    }

    /// The measurement with the largest dimension.
    pub fn largest_size(&self) -> Option<&Measurement> {
        self.sizes.iter().max_by(|a, b| a.max.total_cmp(&b.max))
    }

    /// Segments, sorted and unique.
    pub fn segments(&self) -> Vec<Segment> {
        let caudate = self
            .lobe_mentions
            .iter()
            .any(|l| l.lobes.contains(&Lobe::Caudate))
            .then_some(Segment::I);
        let mut s: Vec<Segment> = caudate.into_iter().collect();
        s.extend(
            self.segment_mentions
                .iter()
                .flat_map(|m| m.segments.iter().copied()),
        );
        s.sort();
        s.dedup();
        s
    }

    /// The one lobe the group lies in, when there is one.
    pub fn lobe(&self) -> Option<Lobe> {
        if self.lobe_mentions.iter().any(|l| l.both) {
            return None;
        }
        let mut lobes: Vec<Lobe> = self
            .lobe_mentions
            .iter()
            .flat_map(|l| l.lobes.iter().copied())
            .collect();
        lobes.extend(self.segments().iter().map(|s| s.lobe()));
        lobes.sort();
        lobes.dedup();
        match lobes.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Pattern codes, sorted and normalised.
    pub fn pattern_codes(&self) -> Vec<Pattern> {
        pattern::normalise(self.patterns.iter().map(|p| p.pattern).collect())
    }

    /// Takes a more specific head into the group ("laesie ..., passend bij metastase").
    fn add_head(&mut self, mut head: Head) {
        let kind = head.kind.unwrap_or(Kind::Unspecified);
        // "een laesie ..., verdacht voor filiae": the diagnosis of one lesion may be plural.
        head.plural &= self.plural();
        self.heads.push(head);
        if kind.rank() > self.kind.rank() {
            self.kind = kind;
            self.decisive = self.heads.len() - 1;
        }
    }

    /// Adds the sizes, places and patterns of another group, not its count.
    pub fn absorb_details(&mut self, other: Group) {
        self.heads.extend(other.heads);
        self.sizes.extend(other.sizes);
        self.segment_mentions.extend(other.segment_mentions);
        self.lobe_mentions.extend(other.lobe_mentions);
        self.patterns.extend(other.patterns);
        self.last_sentence = self.last_sentence.max(other.last_sentence);
    }

    /// Adds everything another group read (merging the same lesion named twice).
    pub fn absorb(&mut self, other: Group) {
        let take_kind = other.kind.rank() > self.kind.rank();
        let offset = self.heads.len();
        self.heads.extend(other.heads);
        if take_kind {
            let current = self.assertion.temporality == Temporality::Current;
            self.kind = other.kind;
            self.decisive = offset + other.decisive;
            self.assertion = other.assertion;
            if current {
                // A lesion seen now keeps its time when a later sentence names its kind
                // with history around it ("given the history of ..., consistent with metastases").
                self.assertion.temporality = Temporality::Current;
            }
        }
        if self.count.is_none() {
            self.count = other.count;
            self.total |= other.total;
        }
        self.sizes.extend(other.sizes);
        self.segment_mentions.extend(other.segment_mentions);
        self.lobe_mentions.extend(other.lobe_mentions);
        self.patterns.extend(other.patterns);
        self.last_sentence = self.last_sentence.max(other.last_sentence);
    }
}

/// Everything the groups are built from, read once per report.
struct Parts<'a> {
    lesions: Vec<Hit<'a>>,
    organs: Vec<Hit<'a>>,
    sizes: Vec<Measurement>,
    segments: Vec<SegmentMention>,
    lobes: Vec<LobeMention>,
    patterns: Vec<PatternMention>,
    counts: Vec<CountMention>,
    novelty: Vec<Hit<'a>>,
    totals: Vec<Hit<'a>>,
    priors: Vec<Hit<'a>>,
    known: Vec<Hit<'a>>,
    anaphora: Vec<Hit<'a>>,
    joins: Vec<Hit<'a>>,
    /// `sizes`, `segments`, `lobes` and `patterns` by start.
    by_start: [StartIndex; 4],
    /// The most tokens an organ word spans.
    organ_tokens: usize,
}

/// The items of a list by start: what a range of the text holds, without a walk over
/// the whole list.
#[derive(Debug, Default)]
struct StartIndex {
    /// (start, index in the list), sorted.
    order: Vec<(usize, usize)>,
}

impl StartIndex {
    fn new<T>(list: &[T], start: impl Fn(&T) -> usize) -> StartIndex {
        let mut order: Vec<(usize, usize)> = list
            .iter()
            .enumerate()
            .map(|(i, x)| (start(x), i))
            .collect();
        order.sort_unstable();
        StartIndex { order }
    }

    /// The indices of the items that start in `[lo, hi)`, in list order.
    fn starting_in(&self, lo: usize, hi: usize) -> Vec<usize> {
        let from = self.order.partition_point(|&(s, _)| s < lo);
        let to = self.order.partition_point(|&(s, _)| s < hi).max(from);
        work::add(to - from + 1);
        let mut found: Vec<usize> = self.order[from..to].iter().map(|&(_, i)| i).collect();
        found.sort_unstable();
        found
    }
}

/// Builds the lesion groups of a report, in text order (other organs' groups included,
/// marked `foreign`).
pub fn build(ctx: &Ctx) -> Vec<Group> {
    let mut parts = Parts {
        lesions: scan::hits(ctx, "lesion"),
        organs: organs(ctx),
        sizes: measure::find_sizes(ctx)
            .into_iter()
            .filter(|m| m.is_current_size())
            .collect(),
        segments: location::find_segments(ctx),
        lobes: location::find_lobes(ctx),
        patterns: pattern::find_patterns(ctx)
            .into_iter()
            .filter(|p| !p.negated)
            .collect(),
        counts: count::find_counts(ctx),
        novelty: scan::hits(ctx, "novelty"),
        totals: scan::hits(ctx, "total"),
        known: scan::hits(ctx, "known_cue"),
        priors: scan::hits(ctx, "time_cue")
            .into_iter()
            .filter(|h| h.attr("role") == Some("prior"))
            .collect(),
        anaphora: scan::hits(ctx, "anaphora"),
        joins: scan::hits(ctx, "conjunction")
            .into_iter()
            .filter(|h| matches!(h.attr("role"), Some("and" | "or")))
            .collect(),
        by_start: Default::default(),
        organ_tokens: 0,
    };
    parts.organ_tokens = parts
        .organs
        .iter()
        .map(|o| scan::tokens_between(ctx, o.start, o.end))
        .max()
        .unwrap_or(0);
    parts.by_start = [
        StartIndex::new(&parts.sizes, |m| m.fstart),
        StartIndex::new(&parts.segments, |m| m.fstart),
        StartIndex::new(&parts.lobes, |m| m.fstart),
        StartIndex::new(&parts.patterns, |m| m.fstart),
    ];
    let mut groups: Vec<Group> = Vec::new();
    for (si, s) in ctx.doc.sentences.iter().enumerate() {
        let section = scan::section_of(ctx, si);
        let history = SKIPPED_SECTIONS.contains(&section);
        let heads = mention::heads(ctx, &parts.lesions, &parts.organs, s.fstart, s.fend);
        if heads.is_empty() {
            if let Some(g) = groups.last_mut() {
                if !g.foreign && g.section == section && si <= g.last_sentence + CONTINUATION {
                    attach(ctx, &parts, g, (s.fstart, s.fend), false);
                    g.last_sentence = si;
                }
            }
            continue;
        }
        let mut sentence_groups: Vec<Group> = Vec::new();
        for h in heads {
            // "a mass with satellite lesions, consistent with a metastasis": the diagnosis
            // names the main tumour, not its satellites.
            let skip =
                usize::from(!h.satellite && sentence_groups.last().is_some_and(|g| g.satellite()));
            let main = sentence_groups.len().checked_sub(1 + skip);
            if let Some(g) = main.and_then(|i| sentence_groups.get_mut(i)) {
                if joins_group(ctx, &parts, g, &h) {
                    g.add_head(h);
                    continue;
                }
            }
            let zone_start = match sentence_groups.last() {
                None => s.fstart,
                Some(prev) => {
                    let prev_end = prev.heads.last().map_or(s.fstart, |p| p.end);
                    last_boundary(ctx, &parts, prev_end, h.start).unwrap_or_else(|| {
                        // "a mass with two satellite nodules": the count opens the zone.
                        parts
                            .counts
                            .iter()
                            .rfind(|c| {
                                c.fstart >= prev_end
                                    && c.fend <= h.start
                                    && scan::tokens_between(ctx, c.fend, h.start) <= 4
                                    && !scan::has_punct(ctx, c.fend, h.start)
                            })
                            .map_or(h.start, |c| c.fstart)
                    })
                }
            };
            let mut g = Group::new(si, section, h, zone_start);
            g.history = history;
            sentence_groups.push(g);
        }
        let starts: Vec<usize> = sentence_groups.iter().map(|g| g.zone.0).collect();
        for (k, g) in sentence_groups.iter_mut().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(s.fend);
            g.zone = (g.zone.0, end);
            attach(ctx, &parts, g, (g.zone.0, end), true);
            g.count = head_count(ctx, &parts, g);
            g.more = more_lesions(ctx, &parts, g);
            let novelty = |cue: &str| {
                g.heads.iter().any(|h| {
                    parts.novelty.iter().any(|n| {
                        n.attr("cue") == Some(cue)
                            && n.end <= h.start
                            && scan::tokens_between(ctx, n.end, h.start) <= 2
                    })
                })
            };
            g.new_only = novelty("new");
            g.rest = novelty("rest");
            g.total = parts.totals.iter().any(|t| {
                let count_start = g.count.as_ref().map(|c| c.fstart);
                g.heads.iter().any(|h| {
                    t.end <= h.start
                        && scan::tokens_between(ctx, t.end, h.start) <= 4
                        && t.start >= g.zone.0
                }) || count_start
                    .is_some_and(|c| t.end <= c && scan::tokens_between(ctx, t.end, c) <= 1)
            });
            // "de bovengenoemde laesie", "the largest lesion", "the lesion described above".
            g.anaphora = parts.anaphora.iter().any(|a| {
                a.start >= g.zone.0
                    && a.end <= g.zone.1
                    && g.heads.iter().any(|h| {
                        (a.end <= h.start && scan::tokens_between(ctx, a.end, h.start) <= 3)
                            || (a.start >= h.end && scan::tokens_between(ctx, h.end, a.start) <= 2)
                    })
            });
            g.decisive = decisive_head(ctx, g);
            g.kind = g
                .heads
                .get(g.decisive)
                .and_then(|h| h.kind)
                .unwrap_or(Kind::Unspecified);
            let (a, b) = g.anchor();
            g.assertion = assertion::assertion_of(ctx, a, b);
            // The applied triggers are read only for the few groups found absent.
            if g.assertion.presence == Presence::Absent
                && negation_ends_before(ctx, &parts, g, &assertion::qualify(ctx, a, b))
            {
                g.assertion.presence = Presence::Present;
            }
            if of_prior_exam(ctx, &parts, g) {
                g.assertion.temporality = Temporality::Historical;
            }
            g.known = known_lesion(ctx, &parts, g);
            if g.assertion.temporality == Temporality::Historical
                && g.known
                && !of_prior_exam(ctx, &parts, g)
            {
                // "bekende metastasen, in grootte afgenomen": seen again on this exam.
                g.assertion.temporality = Temporality::Current;
            }
        }
        groups.extend(sentence_groups);
    }
    groups
}

/// True when every negation of a group stands before a comma that opens the group's own
/// description: "Geen galwegverwijding, hypodense laesie in segment 7 van 2 cm" describes a
/// lesion, while "No ascites, lymphadenopathy or liver lesions" lists what is absent (an
/// "or" before the lesion word, or no place or size of its own, keeps the negation).
fn negation_ends_before(ctx: &Ctx, parts: &Parts, g: &Group, q: &assertion::Qualified) -> bool {
    let Some(first) = g.heads.first() else {
        return false;
    };
    let start = g
        .count
        .as_ref()
        .map_or(first.start, |c| c.fstart.min(first.start));
    let described = g.own_sizes > 0
        || parts
            .segments
            .iter()
            .any(|m| m.fstart >= start && m.fstart < g.zone.1);
    let negations = || {
        q.applied
            .iter()
            .filter(|t| t.category == assertion::Category::Negated)
    };
    let folded = ctx.folded();
    described
        && negations().next().is_some()
        && negations().all(|t| {
            t.fend <= start
                && folded
                    .get(t.fend..start)
                    .and_then(|gap| gap.rfind(','))
                    .is_some_and(|comma| {
                        let after = t.fend + comma;
                        !parts.joins.iter().any(|j| {
                            j.attr("role") == Some("or") && j.start > after && j.end <= start
                        })
                    })
        })
}

/// The organ words that say where something lies: not those that name the primary tumour
/// ("metastases from the colon cancer", "longcarcinoom", "pancreas carcinoom").
fn organs<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let mut histology = scan::hits(ctx, "histology");
    histology.extend(scan::hits(ctx, "primary_cue"));
    scan::hits(ctx, "organ")
        .into_iter()
        .filter(|o| {
            o.attr("organ")
                .is_some_and(|n| n == "liver" || n == "liver_span")
                || !histology.iter().any(|h| {
                    (h.start <= o.start && o.end <= h.end)
                        || (h.start >= o.end && scan::tokens_between(ctx, o.end, h.start) == 0)
                })
        })
        .collect()
}

/// True when a head names the lesion of the group before it rather than a new one: a
/// diagnosis after a lesion word of no kind ("laesie ..., passend bij metastase").
fn joins_group(ctx: &Ctx, parts: &Parts, g: &Group, h: &Head) -> bool {
    let Some(kind) = h.kind else { return false };
    if g.foreign || h.foreign || h.satellite || kind.is_generic() {
        return false;
    }
    let Some(last) = g.heads.last() else {
        return false;
    };
    let between = |s: usize| s >= last.end && s < h.start;
    let own_count = |c: &CountMention| {
        between(c.fstart)
            && c.count.number() >= 2
            && c.fend <= h.start
            && scan::tokens_between(ctx, c.fend, h.start) <= 3
            && !scan::has_punct(ctx, c.fend, h.start)
    };
    if parts.counts.iter().any(own_count) {
        return false; // "two lesions ..., fourteen liver metastases": a count starts a new group
    }
    if g.kind.is_generic() {
        return g.heads.len() == 1;
    }
    // An alternative diagnosis of the same lesion ("cyste, dd metastase", "probably a
    // cyst, although a metastasis cannot be excluded"): hedged, with no new place or count.
    if kind == g.kind {
        return false;
    }
    let new_place = parts.segments.iter().any(|m| between(m.fstart));
    if new_place {
        return false;
    }
    let hedged = |start: usize, end: usize| {
        assertion::assertion_of(ctx, start, end).presence == Presence::Uncertain
    };
    let new_size = parts.sizes.iter().any(|m| between(m.fstart));
    hedged(h.start, h.end) || (!new_size && hedged(last.start, last.end))
}

/// The head that names the group: the most specific kind; between diagnoses of equal
/// weight, a malignant one that is not negated ("cyste, dd metastase" is a suspected
/// metastasis; "cyste, geen metastase" a cyst).
fn decisive_head(ctx: &Ctx, g: &Group) -> usize {
    let mut best = (0usize, (0u8, false));
    for (i, h) in g.heads.iter().enumerate() {
        let kind = h.kind.unwrap_or(Kind::Unspecified);
        let malignant = kind.is_malignant()
            && assertion::assertion_of(ctx, h.start, h.end).presence != Presence::Absent;
        let key = (kind.rank(), malignant);
        if i == 0 || key > best.1 {
            best = (i, key);
        }
    }
    best.0
}

/// True when the lesion words are about the comparison exam ("Compared with prior (two
/// lesions, max. 1.6 cm)", "voorheen twee laesies"), not "eerder beschreven laesie".
fn of_prior_exam(ctx: &Ctx, parts: &Parts, g: &Group) -> bool {
    let first = g
        .count
        .as_ref()
        .map_or_else(|| g.heads.first().map_or(0, |h| h.start), |c| c.fstart);
    parts.priors.iter().any(|p| {
        p.end <= first
            && scan::tokens_between(ctx, p.end, first) <= 3
            && ctx.doc.sentence_at(p.start) == ctx.doc.sentence_at(first)
            && !parts
                .anaphora
                .iter()
                .any(|a| a.start >= p.start && a.end <= first)
    })
}

/// True when a "known" word stands right before one of the group's heads or its count.
fn known_lesion(ctx: &Ctx, parts: &Parts, g: &Group) -> bool {
    let starts = g
        .heads
        .iter()
        .map(|h| h.start)
        .chain(g.count.as_ref().map(|c| c.fstart));
    let starts: Vec<usize> = starts.collect();
    parts.known.iter().any(|k| {
        starts
            .iter()
            .any(|&s| k.end <= s && scan::tokens_between(ctx, k.end, s) <= 3)
    })
}

/// The last clause boundary (comma, semicolon, bracket, "en", "and") between two positions.
fn last_boundary(ctx: &Ctx, parts: &Parts, from: usize, to: usize) -> Option<usize> {
    let folded = ctx.folded();
    let bytes = folded.as_bytes();
    let mut best: Option<usize> = None;
    for (i, b) in folded.get(from..to)?.bytes().enumerate() {
        let p = from + i;
        let punct = matches!(b, b';' | b'(' | b')' | b':')
            || (b == b',' && !bytes.get(p + 1).is_some_and(|n| n.is_ascii_digit()));
        if punct {
            best = Some(p);
        }
    }
    for j in parts
        .joins
        .iter()
        .filter(|j| j.start >= from && j.end <= to)
    {
        best = Some(best.map_or(j.start, |b| b.max(j.start)));
    }
    best
}

/// Attaches the sizes, segments, lobes and patterns of a folded range to a group.
fn attach(ctx: &Ctx, parts: &Parts, g: &mut Group, (lo, hi): (usize, usize), own: bool) {
    let [sizes, segments, lobes, patterns] = &parts.by_start;
    for m in sizes
        .starting_in(lo, hi)
        .into_iter()
        .map(|i| &parts.sizes[i])
    {
        if is_liver_span(ctx, parts, m) {
            continue;
        }
        g.sizes.push(m.clone());
        if own {
            g.own_sizes += 1;
        }
    }
    g.segment_mentions.extend(
        segments
            .starting_in(lo, hi)
            .into_iter()
            .map(|i| parts.segments[i].clone()),
    );
    g.lobe_mentions.extend(
        lobes
            .starting_in(lo, hi)
            .into_iter()
            .map(|i| parts.lobes[i].clone()),
    );
    g.patterns.extend(
        patterns
            .starting_in(lo, hi)
            .into_iter()
            .map(|i| parts.patterns[i].clone()),
    );
}

/// The count phrase right before one of the group's heads ("drie hypodense laesies",
/// "two small segment 8 liver lesions"), or a bound set off right after the last head
/// when it is higher ("diverse metastasen, minstens vijf, in ...").
fn head_count(ctx: &Ctx, parts: &Parts, g: &Group) -> Option<CountMention> {
    let before = g.heads.iter().find_map(|h| {
        parts.counts.iter().rev().find(|c| {
            c.fend <= h.start
                && c.fstart >= g.zone.0
                && scan::tokens_between(ctx, c.fend, h.start) <= 4
                && !scan::has_punct(ctx, c.fend, h.start)
        })
    });
    let after = g.heads.last().and_then(|h| {
        let folded = ctx.folded();
        let word_end = scan::word_end(folded, h.end);
        parts.counts.iter().find(|c| {
            let gap = folded.get(word_end..c.fstart).unwrap_or("");
            let next = folded.get(c.fend..).unwrap_or("").trim_start_matches(' ');
            matches!(c.count, Count::AtLeast(_))
                && c.fstart >= word_end
                && c.fend <= g.zone.1
                && gap.trim_matches(' ').len() == 1
                && gap.contains([',', '('])
                && (next.is_empty() || next.starts_with([',', ';', ')', '.']))
        })
    });
    match (before, after) {
        (Some(b), Some(a)) if a.count.number() > b.count.number() => Some(a.clone()),
        (None, Some(a)) => Some(a.clone()),
        (b, _) => b.cloned(),
    }
}

/// Counts after the head that name more lesions at another place without a lesion word:
/// "2 laesies in de rechter leverkwab en 1 in de linker", "one in segment 2 and one in
/// segment 7". A count right after the head that its places follow ("Drie laesies, twee in
/// segment 5 en één in segment 7") itemises the head's count and adds nothing.
fn more_lesions(ctx: &Ctx, parts: &Parts, g: &Group) -> Vec<CountMention> {
    // After the lesion word that opens the group (a diagnosis may follow: "..., passend
    // bij metastasen").
    let Some(first) = g.heads.first() else {
        return Vec::new();
    };
    let folded = ctx.folded();
    let places: Vec<usize> = parts
        .segments
        .iter()
        .map(|m| m.fstart)
        .chain(parts.lobes.iter().filter(|l| !l.both).map(|l| l.fstart))
        .filter(|&p| p > first.end && p < g.zone.1)
        .collect();
    let in_place = |c: &CountMention| {
        parts
            .segments
            .iter()
            .any(|m| m.fstart <= c.fstart && c.fend <= m.fend)
    };
    let mut out: Vec<CountMention> = Vec::new();
    for c in parts
        .counts
        .iter()
        .filter(|c| c.fstart > first.end && c.fend <= g.zone.1 && !in_place(c))
    {
        let lead = folded.get(..c.fstart).unwrap_or("").trim_end_matches(' ');
        let joined = lead.ends_with([',', ';'])
            || parts.joins.iter().any(|j| {
                j.attr("role") == Some("and") && scan::skip_spaces(folded, j.end) == c.fstart
            });
        let placed = places
            .iter()
            .any(|&p| p >= c.fend && scan::tokens_between(ctx, c.fend, p) <= 3);
        if !placed {
            continue;
        }
        let own_place_first = places.iter().any(|&p| p < c.fstart);
        if out.is_empty() && !(joined && own_place_first) {
            break; // "Twee laesies: één in segment 2 en één in segment 7" itemises the two.
        }
        if joined {
            out.push(c.clone());
        }
    }
    out
}

/// True when a size is the liver's own ("lever 18 cm craniocaudaal", "leverspan 17 cm").
fn is_liver_span(ctx: &Ctx, parts: &Parts, m: &Measurement) -> bool {
    // Organ and lesion words are in text order: only those within a few tokens of the
    // size can count, so look at those alone.
    let organs = &parts.organs;
    let next = organs.partition_point(|o| o.start < m.fend);
    let span_after = organs[next..]
        .iter()
        .take_while(|o| {
            work::step();
            scan::tokens_between(ctx, m.fend, o.start) <= 3
        })
        .any(|o| o.attr("organ") == Some("liver_span") && o.start >= m.fend);
    if span_after {
        return true;
    }
    let lesion_between = |from: usize, to: usize| {
        let first = parts.lesions.partition_point(|l| l.start < from);
        parts.lesions[first..]
            .iter()
            .take_while(|l| l.start < to)
            .inspect(|_| work::step())
            .any(|l| l.start >= from && l.end <= to)
    };
    // The lesion words are in text order: those at most two tokens after the size follow
    // the first one that starts after it.
    let after = parts.lesions.partition_point(|l| l.start < m.fend);
    let lesion_right_after = parts.lesions[after..]
        .iter()
        .take_while(|l| {
            work::step();
            scan::tokens_between(ctx, m.fend, l.start) <= 2
        })
        .any(|l| l.start >= m.fend);
    let before = organs.partition_point(|o| o.start < m.fstart);
    let reach = ctx.doc.token_index(m.fstart);
    organs[..before]
        .iter()
        .rev()
        .take_while(|o| {
            work::step();
            ctx.doc.token_index(o.start) + 5 + parts.organ_tokens >= reach
        })
        .any(|o| {
            let near = o.end <= m.fstart
                && scan::tokens_between(ctx, o.end, m.fstart) <= 5
                && !lesion_between(o.end, m.fstart);
            match o.attr("organ").unwrap_or("") {
                "liver_span" => near,
                "liver" => near && !lesion_right_after,
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scan::testing::with_ctx;
    use crate::record::Language::{self, En, Nl};

    /// The count of every group, other organs' groups left out.
    fn counts(text: &str, lang: Language) -> Vec<Count> {
        with_ctx(text, lang, |ctx| {
            build(ctx)
                .into_iter()
                .filter(|g| !g.foreign)
                .map(|g| g.count_value())
                .collect()
        })
    }

    #[test]
    fn lesions_named_without_a_lesion_word_add_up() {
        assert_eq!(
            counts(
                "Twee laesies in de rechterkwab en één in de linkerkwab.",
                Nl
            ),
            [Count::Value(3)]
        );
        assert_eq!(
            counts("One metastasis in segment 2 and one in segment 7.", En),
            [Count::Value(2)]
        );
        // A count right after the head itemises it.
        assert_eq!(
            counts("Drie laesies, twee in segment 5 en één in segment 7.", Nl),
            [Count::Value(3)]
        );
        assert_eq!(
            counts("Two lesions: one in segment 2 and one in segment 7.", En),
            [Count::Value(2)]
        );
    }

    #[test]
    fn bounds_after_the_head_and_itemised_quantifiers() {
        assert_eq!(
            counts("Diverse metastasen, minstens vijf, in beide kwabben.", Nl),
            [Count::AtLeast(5)]
        );
        assert_eq!(
            counts(
                "Multiple lesions including segment 2 (3.2 cm), segment 6 (2.5 cm) and segment 7 (4.7 cm).",
                En
            ),
            [Count::AtLeast(3)]
        );
        assert_eq!(
            counts("Two small segment 8 liver lesions.", En),
            [Count::Value(2)]
        );
    }

    #[test]
    fn a_negation_ends_at_a_comma_that_opens_a_described_lesion() {
        let presence = |text: &str, lang: Language| -> Vec<Presence> {
            with_ctx(text, lang, |ctx| {
                build(ctx)
                    .into_iter()
                    .map(|g| g.assertion.presence)
                    .collect()
            })
        };
        assert_eq!(
            presence(
                "Geen galwegverwijding, hypodense laesie in segment 7 van 2 cm.",
                Nl
            ),
            [Presence::Present]
        );
        assert_eq!(
            presence("No ascites, new 2 cm metastasis in segment 6.", En),
            [Presence::Present]
        );
        // A list of what is absent stays absent.
        for (text, lang) in [
            (
                "No ascites, lymphadenopathy or liver lesions in segment 6.",
                En,
            ),
            ("Geen ascites, lymfadenopathie of metastasen.", Nl),
        ] {
            let p = presence(text, lang);
            assert!(
                !p.is_empty() && p.iter().all(|p| *p == Presence::Absent),
                "{text}: {p:?}"
            );
        }
    }

    #[test]
    fn lesion_words_inside_a_vessel_phrase_are_no_lesions() {
        assert_eq!(
            counts("HCC van 7 cm met tumortrombus in de poortader.", Nl),
            [Count::Value(1)]
        );
        assert_eq!(
            counts(
                "Mass in segment 8 with tumor thrombus in the right portal vein.",
                En
            ),
            [Count::Value(1)]
        );
    }

    #[test]
    fn an_organ_that_names_the_primary_tumour_does_not_place_a_lesion() {
        with_ctx(
            "Two liver lesions, consistent with metastases from the colon cancer.",
            En,
            |ctx| {
                let groups = build(ctx);
                assert!(groups.iter().all(|g| !g.foreign), "{groups:?}");
            },
        );
    }
}
