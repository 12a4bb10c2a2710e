//! One Aho-Corasick automaton per language over folded text.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::schema::OCR_TOLERANT_KINDS;
use super::{Entry, EntryId, LexiconError};
use crate::text::fold_str;

/// A lexicon match in folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexMatch {
    /// Start byte in the folded text.
    pub start: usize,
    /// End byte in the folded text.
    pub end: usize,
    /// The matched pattern; [`Matcher::entries`] gives the lexicon entries behind it.
    pub pattern: u32,
    /// The lexicon kind this match was chosen for; [`Matcher::entries_of`] gives the
    /// entries of that kind behind the pattern.
    pub kind: u16,
    /// The first entry of that kind behind the pattern.
    pub entry: EntryId,
}

/// The compiled matcher of one language (its own files plus `common/`).
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// For each pattern, the entries that share it.
    pattern_entries: Vec<Vec<EntryId>>,
    /// For each pattern, the kind index of each of its entries (parallel to `pattern_entries`).
    pattern_entry_kinds: Vec<Vec<u16>>,
    /// For each pattern, the distinct kinds of its entries, each with its first entry.
    pattern_kinds: Vec<Vec<(u16, EntryId)>>,
    /// Kind names by index.
    kinds: Vec<String>,
    /// (kind name, index), sorted by name: the look-up of [`Matcher::kind_id`].
    kind_ids: Vec<(String, u16)>,
    /// For each pattern, whether it may be followed by more word characters.
    pattern_prefix: Vec<bool>,
    /// The kind whose matches are kept apart (see [`Matcher::build_with_aside`]).
    aside: Option<u16>,
    /// For each pattern, whether it may be followed by more word characters as a term of
    /// the kind kept apart.
    pattern_prefix_aside: Vec<bool>,
    /// Which matches [`Matcher::find_all`] gives.
    view: View,
    /// For each pattern, whether it is an OCR misreading of its terms rather than a
    /// spelling variant ([`ocr_variants`]).
    pattern_ocr: Vec<bool>,
}

/// The matches [`Matcher::find_all`] gives: those of every kind but the one kept apart, or
/// those of the kind kept apart alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Others,
    Aside,
}

impl Matcher {
    /// Compiles the entries whose ids are given.
    pub fn build(
        entries: &[Entry],
        ids: impl IntoIterator<Item = EntryId>,
    ) -> Result<Matcher, LexiconError> {
        Matcher::build_with_aside(entries, ids, None)
    }

    /// Compiles the entries whose ids are given; the matches of kind `aside` are kept apart:
    /// [`Matcher::find_all`] leaves them out and [`Matcher::find_all_and_aside`] returns
    /// them on their own, as a matcher of that kind alone would find them. One pass over a
    /// report then serves two matchers.
    pub fn build_with_aside(
        entries: &[Entry],
        ids: impl IntoIterator<Item = EntryId>,
        aside: Option<&str>,
    ) -> Result<Matcher, LexiconError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_entries: Vec<Vec<EntryId>> = Vec::new();
        let mut pattern_prefix: Vec<bool> = Vec::new();
        let mut pattern_prefix_aside: Vec<bool> = Vec::new();
        let mut pattern_entry_kinds: Vec<Vec<u16>> = Vec::new();
        let mut kinds: Vec<String> = Vec::new();
        let mut ocr_ids: Vec<EntryId> = Vec::new();
        for id in ids {
            let entry = &entries[id as usize];
            if OCR_TOLERANT_KINDS.contains(&entry.kind.as_str()) && !entry.prefix {
                ocr_ids.push(id);
            }
            let kind = match kinds.iter().position(|k| *k == entry.kind) {
                Some(k) => k as u16,
                None => {
                    kinds.push(entry.kind.clone());
                    (kinds.len() - 1) as u16
                }
            };
            for variant in variants(&fold_str(&entry.term)) {
                let slot = *index.entry(variant.clone()).or_insert_with(|| {
                    patterns.push(variant);
                    pattern_entries.push(Vec::new());
                    pattern_entry_kinds.push(Vec::new());
                    pattern_prefix.push(false);
                    pattern_prefix_aside.push(false);
                    patterns.len() - 1
                });
                if !pattern_entries[slot].contains(&id) {
                    pattern_entries[slot].push(id);
                    pattern_entry_kinds[slot].push(kind);
                }
                if aside == Some(entry.kind.as_str()) {
                    pattern_prefix_aside[slot] |= entry.prefix;
                } else {
                    pattern_prefix[slot] |= entry.prefix;
                }
            }
        }
        // OCR misreadings of the terms of OCR-tolerant kinds, after every exact spelling:
        // a misreading that is itself a term (of any kind) stays that term.
        let exact = patterns.len();
        let mut pattern_ocr = vec![false; exact];
        for id in ocr_ids {
            let entry = &entries[id as usize];
            let Some(kind) = kinds.iter().position(|k| *k == entry.kind) else {
                continue;
            };
            // Misread spelling variants of terms of up to three words; longer terms only as
            // written (their variants would multiply into thousands of patterns).
            let term = fold_str(&entry.term);
            let spellings = if term.bytes().filter(|b| matches!(b, b' ' | b'-')).count() <= 2 {
                variants(&term)
            } else {
                vec![term]
            };
            for variant in spellings {
                for misread in ocr_variants(&variant) {
                    let slot = *index.entry(misread.clone()).or_insert_with(|| {
                        patterns.push(misread);
                        pattern_entries.push(Vec::new());
                        pattern_entry_kinds.push(Vec::new());
                        pattern_prefix.push(false);
                        pattern_prefix_aside.push(false);
                        pattern_ocr.push(true);
                        patterns.len() - 1
                    });
                    if slot < exact {
                        continue;
                    }
                    if !pattern_entries[slot].contains(&id) {
                        pattern_entries[slot].push(id);
                        pattern_entry_kinds[slot].push(kind as u16);
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| {
                LexiconError::new("<matcher>", 0, format!("cannot compile lexicon: {e}"))
            })?;
        // Each pattern's kinds, in kind order, with the first entry of that kind.
        let pattern_kinds = pattern_entry_kinds
            .iter()
            .zip(&pattern_entries)
            .map(|(ks, ids)| {
                let mut firsts: Vec<(u16, EntryId)> = Vec::new();
                for (&k, &id) in ks.iter().zip(ids) {
                    if !firsts.iter().any(|(seen, _)| *seen == k) {
                        firsts.push((k, id));
                    }
                }
                firsts.sort_unstable_by_key(|(k, _)| *k);
                firsts
            })
            .collect();
        let mut kind_ids: Vec<(String, u16)> = kinds
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((k.clone(), u16::try_from(i).ok()?)))
            .collect();
        kind_ids.sort();
        let aside = aside.and_then(|a| kinds.iter().position(|k| k == a));
        let aside = aside.and_then(|a| u16::try_from(a).ok());
        Ok(Matcher {
            pattern_ocr,
            view: View::Others,
            aside,
            pattern_prefix_aside,
            kind_ids,
            automaton,
            pattern_entries,
            pattern_entry_kinds,
            pattern_kinds,
            kinds,
            pattern_prefix,
        })
    }

    /// The entries behind a match that are of the kind it was chosen for.
    pub fn entries_of<'m>(&'m self, m: &LexMatch) -> impl Iterator<Item = EntryId> + 'm {
        let p = m.pattern as usize;
        let kind = m.kind;
        self.pattern_entries[p]
            .iter()
            .zip(&self.pattern_entry_kinds[p])
            .filter(move |(_, k)| **k == kind)
            .map(|(id, _)| *id)
    }

    /// The name of a kind index.
    pub fn kind_name(&self, kind: u16) -> &str {
        self.kinds
            .get(kind as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The index of a kind name, when any entry of this matcher is of that kind. Resolve
    /// it once and compare [`LexMatch::kind`] with it instead of comparing names per match.
    pub fn kind_id(&self, name: &str) -> Option<u16> {
        self.kind_ids
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .and_then(|i| self.kind_ids.get(i))
            .map(|(_, id)| *id)
    }

    /// The entries behind a matched pattern.
    pub fn entries(&self, pattern: u32) -> &[EntryId] {
        &self.pattern_entries[pattern as usize]
    }

    /// True when a matched pattern is an OCR misreading of its terms ([`ocr_variants`]),
    /// not one of their spellings.
    pub fn is_ocr_variant(&self, pattern: u32) -> bool {
        self.pattern_ocr
            .get(pattern as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The matches in `folded` that start and end on word boundaries (a prefix entry,
    /// written `term*`, may continue into a longer word), chosen leftmost-longest for each
    /// lexicon kind on its own: a term of one kind never hides a term of another kind (the
    /// pathology cue `tumor*` and the lesion word `tumoren` are both found in "tumoren"),
    /// while within a kind the longer term wins ("geen toename" over "geen"). Sorted by
    /// start, longer first.
    pub fn find_all(&self, folded: &str) -> Vec<LexMatch> {
        let (others, aside) = self.find_all_and_aside(folded);
        match self.view {
            View::Others => others,
            View::Aside => aside,
        }
    }

    /// The same automaton, whose [`Matcher::find_all`] gives the matches of the kind kept
    /// apart alone: what a matcher of that kind's entries alone finds.
    pub fn aside_view(&self) -> Matcher {
        Matcher {
            view: View::Aside,
            ..self.clone()
        }
    }

    /// The matches of [`Matcher::find_all`], and apart from them those of the kind kept
    /// apart (empty when there is none), chosen and sorted the same way.
    pub fn find_all_and_aside(&self, folded: &str) -> (Vec<LexMatch>, Vec<LexMatch>) {
        let bytes = folded.as_bytes();
        let mut candidates: Vec<LexMatch> = Vec::new();
        for m in self.automaton.find_overlapping_iter(folded) {
            let (s, e) = (m.start(), m.end());
            let pid = m.pattern().as_usize();
            let left_ok = s == 0 || !is_word(bytes[s]) || !is_word(bytes[s - 1]);
            if !(left_ok && e > s) {
                continue;
            }
            let right_boundary = e >= bytes.len() || !is_word(bytes[e - 1]) || !is_word(bytes[e]);
            for &(kind, entry) in &self.pattern_kinds[pid] {
                let prefix = if Some(kind) == self.aside {
                    self.pattern_prefix_aside[pid]
                } else {
                    self.pattern_prefix[pid]
                };
                if right_boundary || prefix {
                    candidates.push(LexMatch {
                        start: s,
                        end: e,
                        pattern: pid as u32,
                        kind,
                        entry,
                    });
                }
            }
        }
        // One sort into the output order; the leftmost-longest choice is made per kind, in
        // that kind's own (start, longer first, pattern) order, which this order keeps.
        candidates.sort_unstable_by(|a, b| {
            (a.start, b.end, a.kind, a.pattern).cmp(&(b.start, a.end, b.kind, b.pattern))
        });
        let mut free_from = vec![0usize; self.kinds.len()];
        candidates.retain(|c| match free_from.get_mut(c.kind as usize) {
            Some(free) if c.start >= *free => {
                *free = c.end;
                true
            }
            _ => false,
        });
        match self.aside {
            Some(aside) => candidates.into_iter().partition(|c| c.kind != aside),
            None => (candidates, Vec::new()),
        }
    }
}

/// Letters, digits and any non-ASCII byte count as word characters.
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Least number of letters and digits a term needs before its OCR misreadings are
/// matched: on shorter terms ("CK7", "CD10", "AFP") one misread character makes another
/// word or another marker.
pub const OCR_MIN_CHARS: usize = 5;

/// Most misread characters (or character pairs) in one term.
const OCR_MAX_EDITS: usize = 2;

/// What OCR confuses, in folded text: each member of a group may be read as any other
/// member of that group (l/1/I, O/0, rn/m).
const OCR_CONFUSIONS: &[&[&str]] = &[&["l", "1", "i"], &["o", "0"], &["m", "rn"]];

/// The ways OCR misreads a folded term: one or two of its characters (or "rn"/"m") read as
/// another of their confusion group, the term itself left out. Empty for terms of fewer
/// than [`OCR_MIN_CHARS`] letters and digits.
pub fn ocr_variants(term: &str) -> Vec<String> {
    if term.chars().filter(|c| c.is_alphanumeric()).count() < OCR_MIN_CHARS {
        return Vec::new();
    }
    // Every single edit: (position, length replaced, replacement).
    let mut edits: Vec<(usize, usize, &str)> = Vec::new();
    for (pos, _) in term.char_indices() {
        let rest = &term[pos..];
        for group in OCR_CONFUSIONS {
            for from in group.iter().filter(|f| rest.starts_with(**f)) {
                for to in group.iter().filter(|t| *t != from) {
                    edits.push((pos, from.len(), to));
                }
            }
        }
    }
    let apply = |chosen: &[&(usize, usize, &str)]| {
        let mut out = String::with_capacity(term.len() + 2);
        let mut last = 0;
        for (pos, len, to) in chosen {
            out.push_str(&term[last..*pos]);
            out.push_str(to);
            last = pos + len;
        }
        out.push_str(&term[last..]);
        out
    };
    let mut out = Vec::new();
    for (i, a) in edits.iter().enumerate() {
        out.push(apply(&[a]));
        if OCR_MAX_EDITS < 2 {
            continue;
        }
        for b in edits[i + 1..].iter().filter(|b| b.0 >= a.0 + a.1) {
            out.push(apply(&[a, b]));
        }
    }
    out.sort();
    out.dedup();
    out.retain(|v| v != term);
    out
}

/// Spelling variants of a folded term: every space or hyphen may be written as a space,
/// a hyphen, or nothing ("heppar-1" = "heppar 1" = "heppar1").
pub fn variants(term: &str) -> Vec<String> {
    let seps: Vec<usize> = term
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b' ' || *b == b'-')
        .map(|(i, _)| i)
        .collect();
    if seps.is_empty() {
        return vec![term.to_string()];
    }
    if seps.len() > 3 {
        return ["", " ", "-"]
            .iter()
            .map(|rep| term.split([' ', '-']).collect::<Vec<_>>().join(rep))
            .chain(std::iter::once(term.to_string()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
    }
    let mut out = vec![String::new()];
    let mut last = 0;
    for &sep in &seps {
        let piece = &term[last..sep];
        let mut next = Vec::with_capacity(out.len() * 3);
        for prefix in &out {
            for rep in ["", " ", "-"] {
                let mut v = String::with_capacity(term.len());
                v.push_str(prefix);
                v.push_str(piece);
                v.push_str(rep);
                next.push(v);
            }
        }
        out = next;
        last = sep + 1;
    }
    for v in &mut out {
        v.push_str(&term[last..]);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphen_space_and_joined_variants() {
        let v = variants("heppar-1");
        assert!(v.contains(&"heppar-1".to_string()));
        assert!(v.contains(&"heppar 1".to_string()));
        assert!(v.contains(&"heppar1".to_string()));
        assert_eq!(variants("hep par 1").len(), 9);
    }

    fn matcher(lines: &str) -> (Vec<Entry>, Matcher) {
        let entries =
            crate::lexicon::tsv::parse_file("nl/pattern.tsv", lines).expect("valid lexicon");
        let ids = (0..entries.len() as EntryId).collect::<Vec<_>>();
        let m = Matcher::build(&entries, ids).expect("matcher");
        (entries, m)
    }

    fn found(m: &Matcher, entries: &[Entry], text: &str) -> Vec<(String, String)> {
        let folded = fold_str(text);
        m.find_all(&folded)
            .iter()
            .map(|x| {
                let e = &entries[m.entries(x.pattern)[0] as usize];
                (folded[x.start..x.end].to_string(), e.term.clone())
            })
            .collect()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn whole_words_only_unless_prefix() {
        let (e, m) = matcher("hypodens\tpattern=hypoattenuating\nwash-out*\tpattern=washout\n");
        assert_eq!(found(&m, &e, "Hypodense laesie"), pairs(&[]));
        assert_eq!(
            found(&m, &e, "niet-hypodens, wel HYPODENS."),
            pairs(&[("hypodens", "hypodens"), ("hypodens", "hypodens")])
        );
        assert_eq!(
            found(&m, &e, "met washoutfenomeen"),
            pairs(&[("washout", "wash-out")])
        );
        assert_eq!(
            found(&m, &e, "geen wash out"),
            pairs(&[("wash out", "wash-out")])
        );
        assert_eq!(found(&m, &e, "nowashout"), pairs(&[]));
    }

    #[test]
    fn leftmost_longest_wins() {
        let (e, m) = matcher("ringvormige aankleuring\tpattern=rim_enhancement\naankleuring\tpattern=arterial_hyperenhancement\n");
        assert_eq!(
            found(&m, &e, "Ringvormige   aankleuring en aankleuring"),
            pairs(&[
                ("ringvormige aankleuring", "ringvormige aankleuring"),
                ("aankleuring", "aankleuring")
            ])
        );
    }

    #[test]
    fn the_kind_kept_apart_has_its_own_prefix_flags() {
        let mut entries = crate::lexicon::tsv::parse_file(
            "nl/pattern.tsv",
            "hypodens*\tpattern=hypoattenuating\n",
        )
        .expect("valid lexicon");
        entries.extend(
            crate::lexicon::tsv::parse_file(
                "nl/context.tsv",
                "hypodens\tNEGATED_EXISTENCE\tforward\n",
            )
            .expect("valid lexicon"),
        );
        let ids = (0..entries.len() as EntryId).collect::<Vec<_>>();
        let m = Matcher::build_with_aside(&entries, ids, Some("context")).expect("matcher");
        let context = m.kind_id("context");
        let (main, aside) = m.find_all_and_aside("hypodense en hypodens");
        assert_eq!(main.len(), 2, "the prefix term matches in both words");
        assert!(main.iter().all(|x| Some(x.kind) != context));
        assert_eq!(aside.len(), 1, "the whole-word trigger only in the second");
        assert_eq!((aside[0].start, aside[0].end), (13, 21));
        assert_eq!(m.find_all("hypodense en hypodens"), main);
    }

    #[test]
    fn ocr_variants_of_long_terms_only() {
        let v = ocr_variants("heppar-1");
        assert!(v.contains(&"heppar-l".to_string()), "{v:?}");
        assert!(v.contains(&"heppar-i".to_string()), "{v:?}");
        assert!(
            !v.contains(&"heppar-1".to_string()),
            "the term itself is no variant"
        );
        let v = ocr_variants("synaptophysin");
        assert!(v.contains(&"synapt0physln".to_string()), "two edits: {v:?}");
        assert!(!v.contains(&"synapt0phys1n".to_string()) || v.len() > 1);
        assert!(
            !v.contains(&"syn4ptophysin".to_string()),
            "only the confusion groups: {v:?}"
        );
        // At most two edits.
        assert!(ocr_variants("lilil").contains(&"1i1il".to_string()));
        assert!(!ocr_variants("lilil").contains(&"1i1i1".to_string()));
        let v = ocr_variants("desmin");
        assert!(v.contains(&"desrnin".to_string()), "m read as rn: {v:?}");
        assert!(ocr_variants("inrnune").contains(&"inmune".to_string()));
        // Never on short terms: four letters and digits or fewer.
        for short in ["ck7", "cd10", "ck 19", "s100", "afp", "ttf1", "ki-6"] {
            assert!(ocr_variants(short).is_empty(), "{short}");
        }
    }

    #[test]
    fn misread_terms_match_with_exact_offsets() {
        let entries = crate::lexicon::tsv::parse_file(
            "common/ihc_marker.tsv",
            "heppar-1\tmarker=HepPar-1\nck7\tmarker=CK7\nglypican-3\tmarker=Glypican-3\n",
        )
        .expect("valid lexicon");
        let ids = (0..entries.len() as EntryId).collect::<Vec<_>>();
        let m = Matcher::build(&entries, ids).expect("matcher");
        let text = "Tumor: HepParl +, GIypican-3 (-), CKl -, HepPar-1 +.";
        let folded = crate::text::Folded::new(text);
        let hits: Vec<(&str, bool)> = m
            .find_all(&folded.text)
            .iter()
            .map(|x| {
                let (s, e) = folded.to_original(x.start, x.end);
                (&text[s..e], m.is_ocr_variant(x.pattern))
            })
            .collect();
        // "CKl" is too short to be read as a misreading of CK7.
        assert_eq!(
            hits,
            [("HepParl", true), ("GIypican-3", true), ("HepPar-1", false)]
        );
    }

    #[test]
    fn diacritics_and_dashes_fold_before_matching() {
        let (e, m) =
            matcher("hypoechogeen\tpattern=hypoechoic\nt2-hyperintens\tpattern=t2_hyperintense\n");
        assert_eq!(
            found(&m, &e, "Hypoëchogeen"),
            pairs(&[("hypoechogeen", "hypoechogeen")])
        );
        assert_eq!(
            found(&m, &e, "T2\u{2013}hyperintens"),
            pairs(&[("t2-hyperintens", "t2-hyperintens")])
        );
        assert_eq!(
            found(&m, &e, "T2 hyperintens"),
            pairs(&[("t2 hyperintens", "t2-hyperintens")])
        );
    }
}
