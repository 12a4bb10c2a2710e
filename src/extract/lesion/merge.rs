//! Merging: the same lesion named in the findings and in the conclusion becomes one;
//! lesions itemised after an explicit total are folded into that total.

use super::group::Group;
use crate::extract::Ctx;
use crate::record::{Count, Presence, Temporality};

/// Sections that restate the findings.
const CONCLUSION: &str = "conclusion";
/// Sizes within this many mm are taken as the same size.
const SAME_SIZE_MM: f64 = 2.0;

/// Drops other organs' groups and merges repeated mentions of the same lesion.
pub fn merge(_ctx: &Ctx, groups: Vec<Group>) -> Vec<Group> {
    let (mut history, groups): (Vec<Group>, Vec<Group>) = groups
        .into_iter()
        .filter(|g| !g.foreign)
        .partition(|g| g.history);
    // Lesions the text places in the past outside the history sections ("vg restadiering
    // ivm crc met lever- en longmetastasen") also name what known lesions are.
    history.extend(
        groups
            .iter()
            .filter(|g| g.assertion.temporality == Temporality::Historical && !g.kind.is_generic())
            .cloned(),
    );
    let mut out: Vec<Group> = Vec::new();
    for mut g in groups {
        if g.known && g.kind.is_generic() {
            name_from_history(&history, &mut g);
        }
        if g.rest && g.assertion.presence != Presence::Absent {
            // "Overige laesies tot 3 cm": more about lesions already counted.
            if let Some(t) = out.iter_mut().rev().find(|t| {
                t.kind.compatible(g.kind) && same_polarity(t, &g) && t.satellite() == g.satellite()
            }) {
                t.absorb_details(g);
                continue;
            }
        }
        if let Some(targets) = same_lesion(&out, &g) {
            merge_into(&mut out, &targets, g);
            continue;
        }
        if let Some(i) = total_that_covers(&out, &g) {
            if let Some(t) = out.get_mut(i) {
                t.absorb(g);
            }
            continue;
        }
        out.push(g);
    }
    name_satellites(&mut out);
    out
}

/// Satellites of no stated kind take the kind and presence of their main tumour: the
/// nearest lesion of their sentence that is not a satellite ("HCC segment 7 met twee
/// satellietlaesies"), else the nearest before them, else the nearest after them.
fn name_satellites(groups: &mut [Group]) {
    for i in 0..groups.len() {
        let Some(g) = groups.get(i) else { continue };
        if !g.satellite() || !g.kind.is_generic() || g.assertion.presence == Presence::Absent {
            continue;
        }
        let main = |j: &usize| {
            groups.get(*j).is_some_and(|m| {
                !m.satellite()
                    && !m.kind.is_generic()
                    && m.assertion.presence != Presence::Absent
                    && m.assertion.temporality == g.assertion.temporality
            })
        };
        let same_sentence =
            |j: &usize| main(j) && groups.get(*j).is_some_and(|m| m.sentence == g.sentence);
        let found = (0..groups.len())
            .filter(same_sentence)
            .min_by_key(|j| j.abs_diff(i))
            .or_else(|| (0..i).rev().find(main))
            .or_else(|| (i + 1..groups.len()).find(main));
        let Some(j) = found else { continue };
        let Some((kind, presence)) = groups.get(j).map(|m| (m.kind, m.assertion.presence)) else {
            continue;
        };
        if let Some(g) = groups.get_mut(i) {
            g.kind = kind;
            if presence == Presence::Uncertain {
                g.assertion.presence = presence;
            }
        }
    }
}

/// A known lesion of no stated kind takes the kind that the history gives it ("Vergelijking:
/// MRI (metastase seg. 7). De bekende laesie in segment 7 ...").
fn name_from_history(history: &[Group], g: &mut Group) {
    let segs = g.segments();
    let named = history.iter().rev().find(|h| {
        let h_segs = h.segments();
        !h.kind.is_generic()
            && h.assertion.presence != Presence::Absent
            && (segs.is_empty() || h_segs.is_empty() || h_segs.iter().any(|s| segs.contains(s)))
    });
    if let Some(h) = named {
        g.kind = h.kind;
        if let Some(head) = h.heads.get(h.decisive) {
            g.heads.push(head.clone());
        }
    }
}

/// True when presence and time allow two groups to be one lesion.
fn same_polarity(a: &Group, b: &Group) -> bool {
    let absent = |g: &Group| g.assertion.presence == Presence::Absent;
    absent(a) == absent(b)
        && a.assertion.temporality != Temporality::Future
        && b.assertion.temporality != Temporality::Future
}

/// The earlier groups that `g` names again, if any.
fn same_lesion(done: &[Group], g: &Group) -> Option<Vec<usize>> {
    crate::extract::work::add(done.len());
    let candidates: Vec<usize> = done
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            let before = a.zone.1 <= g.zone.0;
            (a.sentence < g.sentence
                || (before && g.anaphora)
                || (before && a.satellite() && g.satellite()))
                && a.satellite() == g.satellite()
                && a.kind.compatible(g.kind)
                && same_polarity(a, g)
        })
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() || g.assertion.presence == Presence::Absent {
        return None;
    }
    let segs = g.segments();
    let size = g.largest_size().map(|m| m.max);
    let many = g.plural() || g.explicit_count().is_some_and(|c| c.number() >= 2);
    let bare_plural = |a: &Group| {
        a.plural() && a.explicit_count().is_none() && a.segments().is_empty() && a.sizes.is_empty()
    };
    // "Known liver metastases. ... All five known metastases ...": a bare plural named
    // before is the same set as a later count; a bare plural named after adds nothing.
    if g.explicit_count().is_some_and(|c| c.number() >= 2) {
        let bare: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| bare_plural(&done[i]) && done[i].kind.compatible(g.kind))
            .collect();
        if !bare.is_empty() {
            return Some(bare);
        }
    }
    if bare_plural(g) && !g.new_only && g.section != CONCLUSION {
        if let Some(&i) = candidates.iter().rev().find(|&&i| {
            done[i].kind == g.kind
                && (done[i].plural() || done[i].explicit_count().is_some_and(|c| c.number() >= 2))
        }) {
            return Some(vec![i]);
        }
    }
    let mut targets = by_place(done, &candidates, &segs, size);
    if many && (!targets.is_empty() || g.section == CONCLUSION) {
        // A summary of several lesions ("Two hepatic metastases, the largest 2.3 cm in
        // segment VII"): it names every lesion described before it, not only the one placed.
        // "Multifocal HCC": the satellites described before are among them.
        let satellites = done.iter().enumerate().filter(|(_, a)| {
            a.satellite()
                && !g.satellite()
                && a.sentence < g.sentence
                && a.kind.compatible(g.kind)
                && same_polarity(a, g)
        });
        let satellites: Vec<usize> = satellites.map(|(i, _)| i).collect();
        for &i in candidates.iter().chain(&satellites) {
            let a = &done[i];
            let other_section = g.section != CONCLUSION || a.section != CONCLUSION;
            if !targets.contains(&i) && other_section && (a.kind.is_generic() || a.kind == g.kind) {
                targets.push(i);
            }
        }
        targets.sort_unstable();
    }
    if !targets.is_empty() {
        return Some(targets);
    }
    let bare = segs.is_empty() && size.is_none();
    if g.anaphora {
        return candidates.last().map(|&i| vec![i]);
    }
    // A conclusion that names the lesion(s) of the findings without new detail, or a
    // diagnosis that interprets lesions described before without one ("Beeld passend bij HCC.").
    let interprets =
        bare && !g.kind.is_generic() && candidates.iter().any(|&i| done[i].kind.is_generic());
    let restates = g.section == CONCLUSION && bare;
    if !restates && !interprets {
        return None;
    }
    let mut earlier: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| done[i].section != CONCLUSION || g.section != CONCLUSION)
        .filter(|&i| restates || done[i].kind.is_generic())
        .collect();
    if earlier.is_empty() {
        return None;
    }
    // "Conclusie: een nieuwe levermetastase" names the new lesion, not the known one.
    if g.new_only && earlier.iter().any(|&i| done[i].new_only) {
        earlier.retain(|&i| done[i].new_only);
    }
    if many {
        return Some(earlier);
    }
    // One lesion named: the one in the same lobe, else the largest, else the last.
    let lobe = g.lobe();
    let same_lobe = earlier
        .iter()
        .copied()
        .rfind(|&i| lobe.is_some() && done[i].lobe() == lobe);
    let largest = earlier
        .iter()
        .copied()
        .filter(|&i| done[i].largest_size().is_some())
        .max_by(|&x, &y| {
            let (x, y) = (
                done[x].largest_size().map_or(0.0, |m| m.max),
                done[y].largest_size().map_or(0.0, |m| m.max),
            );
            x.total_cmp(&y)
        });
    same_lobe
        .or(largest)
        .or(earlier.last().copied())
        .map(|i| vec![i])
}

/// The earlier groups at the same place: the same segments (or, with the same size, a
/// segment among theirs); else the groups whose segments together are exactly these
/// ("Twee nieuwe levermetastasen (seg. VII en IVb)").
fn by_place(
    done: &[Group],
    candidates: &[usize],
    segs: &[crate::record::Segment],
    size: Option<f64>,
) -> Vec<usize> {
    if segs.is_empty() {
        return Vec::new();
    }
    let same_size = |a: &Group| match (size, a.largest_size().map(|m| m.max)) {
        (Some(x), Some(y)) => Some((x - y).abs() <= SAME_SIZE_MM),
        _ => None,
    };
    let placed = candidates.iter().copied().rev().find(|&i| {
        let a = &done[i];
        let a_segs = a.segments();
        (a_segs == segs && same_size(a) != Some(false))
            || (!a_segs.is_empty()
                && segs.iter().all(|s| a_segs.contains(s))
                && same_size(a) == Some(true))
    });
    if let Some(i) = placed {
        return vec![i];
    }
    let covered: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| {
            let a = done[i].segments();
            !a.is_empty() && a.iter().all(|s| segs.contains(s))
        })
        .collect();
    let mut union: Vec<_> = covered.iter().flat_map(|&i| done[i].segments()).collect();
    union.sort();
    union.dedup();
    if !covered.is_empty() && union == segs {
        covered
    } else {
        Vec::new()
    }
}

/// Merges `g` into the target groups (several targets become one group).
fn merge_into(done: &mut Vec<Group>, targets: &[usize], g: Group) {
    let Some(&first) = targets.first() else {
        return;
    };
    let mut rest: Vec<Group> = Vec::new();
    for &i in targets.iter().rev() {
        if i != first && i < done.len() {
            rest.push(done.remove(i));
        }
    }
    let Some(t) = done.get_mut(first) else { return };
    let count = {
        let mut members: Vec<&Group> = vec![&*t];
        members.extend(rest.iter());
        combined_count(&members, &g)
    };
    let total = t.total || g.total || rest.iter().any(|r| r.total);
    for r in rest.into_iter().rev() {
        t.absorb(r);
    }
    t.absorb(g);
    t.count_override = Some(count);
    t.total = total;
}

/// How many lesions a set of groups and the group that names them all again stand for.
///
/// A count marked as the total ("in totaal vijf") wins; else the summary's own count
/// ("Twee levermetastasen"), unless the mentions are more; else the members: an explicit
/// count covers the single lesions described after it and the counts at a place within
/// its own, counts at other places add up ("2 laesies rechts en 1 laesie links"), a bare
/// plural is at least two (or the single lesions itemised under it), satellites add to
/// their main tumour, and new lesions ("twee nieuwe metastasen") add up. A summary of new
/// lesions ("Twee nieuwe leverlaesies") counts the new lesions before it.
fn combined_count(members: &[&Group], summary: &Group) -> Count {
    let all = || members.iter().copied().chain(std::iter::once(summary));
    if let Some(t) = all()
        .filter(|g| g.total)
        .filter_map(|g| g.explicit_count())
        .max_by_key(|c| c.number())
    {
        return t;
    }
    let mut members: Vec<&Group> = members.to_vec();
    members.sort_by_key(|g| (g.sentence, g.zone.0));
    let is_new = |g: &Group| g.new_only && g.assertion.presence != Presence::Absent;
    let is_satellite = |g: &Group| g.satellite() && !summary.satellite();
    let (satellites, members): (Vec<&Group>, Vec<&Group>) =
        members.into_iter().partition(|g| is_satellite(g));
    let (new, old): (Vec<&Group>, Vec<&Group>) = members.into_iter().partition(|g| is_new(g));
    let stated = summary.explicit_count();
    let all = base_count(&old.iter().chain(&new).copied().collect::<Vec<_>>());
    let combined = if summary.new_only && stated.is_some_and(|c| c.number() < all.number()) {
        // The summary names the new lesions; the others add to them.
        let new = reconcile(stated, base_count(&new));
        let new = satellites
            .iter()
            .map(|g| g.count_value())
            .fold(new, super::add_counts);
        if old.is_empty() {
            new
        } else {
            super::add_counts(base_count(&old), new)
        }
    } else {
        let news = new.iter().chain(&satellites).map(|g| g.count_value());
        let combined = news.fold(base_count(&old), super::add_counts);
        reconcile(stated, combined)
    };
    if combined.number() == 0 {
        Count::Value(1)
    } else {
        combined
    }
}

/// How many lesions groups named one after another stand for (see [`combined_count`]);
/// zero for none.
fn base_count(members: &[&Group]) -> Count {
    crate::extract::work::add(members.len());
    // "een laesie" is a single lesion, not a count that covers others.
    let explicit = |g: &Group| g.explicit_count().filter(|c| *c != Count::Value(1));
    let mut kept: Vec<(&Group, Count, u32)> = Vec::new();
    for g in members {
        let Some(c) = explicit(g) else { continue };
        let covered = kept
            .iter()
            .any(|(k, n, _)| n.number() >= c.number() && place_within(k, g));
        if !covered {
            kept.push((g, c, 0));
        }
    }
    // A single lesion is one of a count at a place that holds it, else one more.
    let mut free = 0u32;
    for g in members
        .iter()
        .filter(|g| explicit(g).is_none() && !g.plural())
    {
        match kept.iter_mut().find(|(k, _, _)| place_within(k, g)) {
            Some((_, _, singles)) => *singles += 1,
            None => free += 1,
        }
    }
    let counted = kept.iter().map(|&(_, c, singles)| {
        if singles > c.number() {
            Count::Value(singles)
        } else {
            c
        }
    });
    let sum = counted.reduce(super::add_counts);
    match sum {
        Some(c) => super::add_counts(c, Count::Value(free)),
        None if members.iter().any(|g| g.plural()) => {
            if free >= 2 {
                Count::Value(free)
            } else {
                members
                    .iter()
                    .map(|g| g.count_value())
                    .max_by_key(|c| (c.number(), matches!(c, Count::Value(_))))
                    .unwrap_or(Count::AtLeast(2))
            }
        }
        None => Count::Value(free),
    }
}

/// The count of a summary against the count of what it names: an exact summary wins
/// unless the mentions are more; "at least" holds when the mentions are not more.
fn reconcile(stated: Option<Count>, combined: Count) -> Count {
    match stated {
        Some(Count::AtLeast(n)) if combined.number() > n => combined,
        Some(t @ Count::Value(n)) => {
            if matches!(combined, Count::Value(m) if m > n) {
                combined
            } else {
                t
            }
        }
        Some(t) => t,
        None => combined,
    }
}

/// True when two groups are said to lie in different lobes ("R lobe: two lesions. L lobe:
/// one lesion."); lobes that only follow from segments do not count here, since a total's
/// segment is often that of its largest lesion.
fn other_lobe(a: &Group, b: &Group) -> bool {
    let lobes = |g: &Group| -> Vec<crate::record::Lobe> {
        g.lobe_mentions
            .iter()
            .filter(|l| !l.both)
            .flat_map(|l| l.lobes.iter().copied())
            .collect()
    };
    let (x, y) = (lobes(a), lobes(b));
    !x.is_empty() && !y.is_empty() && !x.iter().any(|l| y.contains(l))
}

/// True when the place of `inner` lies within that of `outer`: its segments among theirs,
/// else the same lobe; groups without a stated place are taken to be within.
fn place_within(outer: &Group, inner: &Group) -> bool {
    let (o, i) = (outer.segments(), inner.segments());
    if !o.is_empty() && !i.is_empty() {
        return i.iter().all(|s| o.contains(s));
    }
    match (outer.lobe(), inner.lobe()) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// The group with an explicit total ("vier metastasen") that a later, itemised lesion of
/// the same section and not in another lobe belongs to, while the itemised lesions do not
/// exceed the total.
fn total_that_covers(done: &[Group], g: &Group) -> Option<usize> {
    let i = done.len().checked_sub(1)?;
    let t = done.get(i)?;
    let Some(Count::Value(n)) = t.count.as_ref().map(|c| c.count) else {
        return None;
    };
    let fits = n >= 2
        && t.sentence < g.sentence
        && t.section == g.section
        && t.kind.compatible(g.kind)
        && t.satellite() == g.satellite()
        && !other_lobe(t, g)
        && same_polarity(t, g)
        && g.assertion.presence != Presence::Absent
        && g.count_value().number() < n;
    fits.then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::lesion::{group, Kind};
    use crate::extract::scan::testing::with_ctx;
    use crate::record::Language::{self, En, Nl};

    /// Kind and count of every lesion that is not ruled out, after merging.
    fn lesions(text: &str, lang: Language) -> Vec<(Kind, Count)> {
        with_ctx(text, lang, |ctx| {
            merge(ctx, group::build(ctx))
                .into_iter()
                .filter(|g| g.assertion.presence != Presence::Absent && !g.history)
                .map(|g| (g.kind, g.count_value()))
                .collect()
        })
    }

    #[test]
    fn satellites_are_lesions_of_the_main_tumours_kind() {
        assert_eq!(
            lesions(
                "In segment 7 een HCC van 4 cm. Daarnaast een satelliet van 8 mm in segment 7.",
                Nl
            ),
            [(Kind::Hcc, Count::Value(1)), (Kind::Hcc, Count::Value(1))]
        );
        assert_eq!(
            lesions(
                "A 6 cm mass in segment 8 with two satellite nodules, consistent with HCC.",
                En
            ),
            [(Kind::Hcc, Count::Value(1)), (Kind::Hcc, Count::Value(2))]
        );
        // The satellites restated in the conclusion are the same satellites.
        let l = lesions(
            "Tumor in segment 4 met satellietlaesies. Conclusie: HCC met satellieten.",
            Nl,
        );
        assert_eq!(l.len(), 2, "{l:?}");
        // A summary of several lesions takes the satellites in.
        let l = lesions(
            "Findings: 6 cm mass in segment 8, with two satellite nodules in segment 7.\nImpression: Multifocal HCC.",
            En,
        );
        assert_eq!(l, [(Kind::Hcc, Count::Value(3))]);
    }

    #[test]
    fn counts_at_other_places_add_up_under_a_summary() {
        let l = lesions(
            "Rechter leverkwab: twee laesies van 12 en 15 mm.\nLinker leverkwab: één laesie van 9 mm.\nConclusie: metastasen.",
            Nl,
        );
        assert_eq!(l, [(Kind::Metastasis, Count::Value(3))]);
        // Lesions itemised under a total are not added again.
        let l = lesions(
            "Drie metastasen. De grootste in segment 7 van 3 cm. Een kleinere in segment 6.",
            Nl,
        );
        assert_eq!(l, [(Kind::Metastasis, Count::Value(3))]);
    }

    #[test]
    fn a_new_lesion_summary_counts_the_new_lesions_it_names() {
        let l = lesions(
            "New 14 mm lesion in segment 2. A second lesion of 9 mm in segment 6, also new.\nImpression: Two new liver metastases.",
            En,
        );
        assert_eq!(l, [(Kind::Metastasis, Count::Value(2))]);
    }

    #[test]
    fn at_least_in_a_summary_stays_a_lower_bound() {
        let l = lesions(
            "Findings: Six metastases, the largest 4 cm.\nImpression: At least six liver metastases.",
            En,
        );
        assert_eq!(l, [(Kind::Metastasis, Count::AtLeast(6))]);
    }
}
