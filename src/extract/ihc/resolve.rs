//! From items to marker results: prefix lists ("positief voor A, B en C"), postfix lists
//! ("A en B negatief"), signs ("A+, B-"), modifiers and the tumour-site check.

use super::items::{Item, ItemKind, Modifier};
use super::{combine, Assignment};
use crate::extract::{work, Ctx};
use crate::record::{IhcResult, IhcValue};

/// Most tokens between a result and the marker it governs ("positive staining for X").
const PREFIX_GAP: usize = 5;
/// Most tokens between the last marker of a list and its result ("X (block A1) : positive").
const POSTFIX_GAP: usize = 8;

/// Most tokens between a stain and the site word that says where it was seen.
const SITE_REACH: usize = 4;

/// Clause boundaries and parenthesised stretches of the folded text.
struct Layout {
    bounds: Vec<usize>,
    parens: Vec<(usize, usize)>,
    /// The innermost parenthesised stretch at each item start and end, by position.
    paren_at: Vec<(usize, Option<(usize, usize)>)>,
    /// The site items (start, end, on tumour), by start.
    sites: Vec<(usize, usize, bool)>,
    /// The most tokens a site item spans.
    site_tokens: usize,
}

impl Layout {
    fn new(ctx: &Ctx, items: &[Item]) -> Layout {
        let folded = ctx.folded();
        let mut bounds: Vec<usize> = Vec::new();
        let mut join_ends: Vec<usize> = items
            .iter()
            .filter(|i| i.kind == ItemKind::Join)
            .map(|i| i.end)
            .collect();
        join_ends.sort_unstable();
        let by_start = items_by_start(items);
        let longest = items.iter().map(|i| i.end - i.start).max().unwrap_or(0);
        // A line that ends in ":", "," or "and" goes on in the next one.
        let glued_at = |fstart: usize| {
            let before = folded.get(..fstart).unwrap_or("").trim_end();
            before.ends_with([':', ',']) || join_ends.binary_search(&before.len()).is_ok()
        };
        let mut prev_glued = false;
        for s in ctx.doc.sentences.iter().skip(1) {
            work::step();
            // "CK20,. AND HSA": a stray period after a comma does not end the sentence;
            // nor does the period after a lone marker ("Cytokeratin 7. Cytokeratin 19: negative").
            let before = folded.get(..s.fstart).unwrap_or("").trim_end();
            let prev_only_marker =
                !prev_glued && prev_sentence_is_marker(ctx, items, &by_start, longest, s.fstart);
            let glued = glued_at(s.fstart) || (s.weak && open_before(items, before.len()));
            if !before.ends_with(",.") && !prev_only_marker && !glued {
                bounds.push(s.fstart);
            }
            prev_glued = glued;
        }
        for (i, b) in folded.bytes().enumerate() {
            if b == b';' {
                bounds.push(i);
            }
        }
        bounds.extend(
            items
                .iter()
                .filter(|i| i.kind == ItemKind::Break)
                .map(|i| i.start),
        );
        bounds.sort_unstable();
        let mut parens = Vec::new();
        let mut stack = Vec::new();
        for (i, b) in folded.bytes().enumerate() {
            match b {
                b'(' => stack.push(i),
                b')' => {
                    if let Some(o) = stack.pop() {
                        parens.push((o, i + 1));
                    }
                }
                _ => {}
            }
        }
        let paren_at = innermost_parens(&parens, items);
        let mut sites: Vec<(usize, usize, bool)> = items
            .iter()
            .filter_map(|i| match i.kind {
                ItemKind::Site(tumour) => Some((i.start, i.end, tumour)),
                _ => None,
            })
            .collect();
        sites.sort_unstable();
        let site_tokens = sites
            .iter()
            .map(|&(s, e, _)| tokens_between(ctx, s, e))
            .max()
            .unwrap_or(0);
        Layout {
            bounds,
            parens,
            paren_at,
            sites,
            site_tokens,
        }
    }

    fn clause(&self, pos: usize) -> usize {
        self.bounds.partition_point(|&b| b <= pos)
    }

    /// The innermost parenthesised stretch that holds `pos`.
    fn paren(&self, pos: usize) -> Option<(usize, usize)> {
        if let Ok(i) = self.paren_at.binary_search_by_key(&pos, |&(p, _)| p) {
            return self.paren_at[i].1;
        }
        self.parens
            .iter()
            .filter(|(o, c)| *o < pos && pos < *c)
            .min_by_key(|(o, c)| c - o)
            .copied()
    }
}

/// The indices of `items` ordered by start (a sign follows its marker, so items are
/// nearly but not always in start order).
fn items_by_start(items: &[Item]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| items[i].start);
    order
}

/// The innermost of `parens` (matched pairs, so nested or apart) that holds each item
/// start and end, in one sweep over the positions in order.
fn innermost_parens(
    parens: &[(usize, usize)],
    items: &[Item],
) -> Vec<(usize, Option<(usize, usize)>)> {
    let mut at: Vec<usize> = items.iter().flat_map(|i| [i.start, i.end]).collect();
    at.sort_unstable();
    at.dedup();
    let mut opens: Vec<(usize, usize)> = parens.to_vec();
    opens.sort_unstable();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    at.into_iter()
        .map(|pos| {
            work::step();
            while let Some(&(o, c)) = opens.get(next).filter(|(o, _)| *o < pos) {
                while stack.last().is_some_and(|&(_, sc)| sc <= o) {
                    stack.pop();
                }
                stack.push((o, c));
                next += 1;
            }
            while stack.last().is_some_and(|&(_, sc)| sc <= pos) {
                stack.pop();
            }
            (pos, stack.last().copied())
        })
        .collect()
}

/// True when the phrase that ends at folded position `end` (its final period left out)
/// waits for more: its last item is a link, a joining word or a modifier ("positive for.",
/// "CK7 and.", "focally."). Read across a weak sentence boundary only.
fn open_before(items: &[Item], end: usize) -> bool {
    let end = end.saturating_sub(1);
    let before = items.partition_point(|i| i.start < end);
    items[..before].last().is_some_and(|i| {
        i.end <= end
            && i.end + 1 >= end
            && matches!(
                i.kind,
                ItemKind::Link | ItemKind::Join | ItemKind::Modifier(_)
            )
    })
}

/// True when the sentence that ends at `fstart` holds nothing but one marker ("Cytokeratin 7.").
fn prev_sentence_is_marker(
    ctx: &Ctx,
    items: &[Item],
    by_start: &[usize],
    longest: usize,
    fstart: usize,
) -> bool {
    let Some(i) = ctx.doc.sentence_at(fstart).and_then(|i| i.checked_sub(1)) else {
        return false;
    };
    let Some(prev) = ctx.doc.sentences.get(i) else {
        return false;
    };
    // Only spaces and periods may follow the marker up to the end of the sentence: it
    // ends at or after the last other character, so it starts at most the longest item
    // before that.
    let Some(text) = ctx.folded().get(..prev.fend) else {
        return false;
    };
    let last = text
        .trim_end_matches(|c: char| c.is_whitespace() || c == '.')
        .len();
    let from = by_start.partition_point(|&k| items[k].start + longest < last);
    by_start[from..]
        .iter()
        .map(|&k| &items[k])
        .take_while(|it| it.start <= prev.fend)
        .any(|it| {
            work::step();
            matches!(it.kind, ItemKind::Marker(_))
                && it.start <= prev.fstart + 1
                && ctx
                    .folded()
                    .get(it.end..prev.fend)
                    .is_some_and(|rest| rest.chars().all(|c| c.is_whitespace() || c == '.'))
        })
}

fn tokens_between(ctx: &Ctx, a: usize, b: usize) -> usize {
    work::step();
    if b <= a {
        return 0;
    }
    ctx.doc
        .token_index(b)
        .saturating_sub(ctx.doc.token_index(a))
}

/// True when only list glue lies between two markers: commas, slashes, "en"/"and",
/// brackets, a modifier.
fn joined(ctx: &Ctx, items: &[Item], a: usize, b: usize) -> bool {
    let folded = ctx.folded();
    let (end, start) = (items[a].end, items[b].start);
    if tokens_between(ctx, end, start) > 4 {
        return false;
    }
    let mut pos = end;
    for it in &items[a + 1..b] {
        if !matches!(it.kind, ItemKind::Join | ItemKind::Modifier(_)) {
            return false;
        }
        if !glue(folded.get(pos..it.start).unwrap_or("x")) {
            return false;
        }
        pos = it.end.max(pos);
    }
    glue(folded.get(pos..start).unwrap_or("x"))
}

fn glue(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | '/' | '&' | '(' | ')' | '.' | ':'))
}

/// The effective kind: a result word used as a modifier ("focaal positief") becomes one.
fn effective(ctx: &Ctx, items: &[Item]) -> Vec<ItemKind> {
    let mut kinds: Vec<ItemKind> = items.iter().map(|i| i.kind.clone()).collect();
    for i in 0..items.len() {
        if let ItemKind::Result {
            also_modifier: Some(m),
            ..
        } = items[i].kind
        {
            let next_is_result = items.get(i + 1).is_some_and(|n| {
                matches!(n.kind, ItemKind::Result { .. })
                    && ctx
                        .folded()
                        .get(items[i].end..n.start)
                        .is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() || c == '-'))
            });
            if next_is_result {
                kinds[i] = ItemKind::Modifier(m);
            }
        }
    }
    kinds
}

/// Modifiers just before item `i` (at most two tokens away, same clause, no marker between).
fn modifiers_before(
    ctx: &Ctx,
    items: &[Item],
    kinds: &[ItemKind],
    lay: &Layout,
    i: usize,
) -> Vec<Modifier> {
    let mut mods = Vec::new();
    let mut edge = items[i].start;
    for j in (0..i).rev() {
        if lay.clause(items[j].start) != lay.clause(items[i].start)
            || tokens_between(ctx, items[j].end, edge) > 2
        {
            break;
        }
        match kinds[j] {
            ItemKind::Modifier(m)
            | ItemKind::Result {
                also_modifier: Some(m),
                ..
            } => {
                mods.push(m);
                edge = items[j].start;
            }
            ItemKind::Join => edge = items[j].start,
            _ => break,
        }
    }
    mods
}

/// Modifiers right after item `i` inside the same brackets or after a comma ("(+, focal)").
fn modifiers_after(ctx: &Ctx, items: &[Item], kinds: &[ItemKind], i: usize) -> Vec<Modifier> {
    let folded = ctx.folded();
    let mut mods = Vec::new();
    let mut edge = items[i].end;
    for j in i + 1..items.len() {
        let gap = folded.get(edge..items[j].start).unwrap_or("x");
        if !gap
            .chars()
            .all(|c| c.is_whitespace() || c == ',' || c == '(')
            || tokens_between(ctx, edge, items[j].start) > 1
        {
            break;
        }
        match kinds[j] {
            ItemKind::Modifier(m)
            | ItemKind::Result {
                also_modifier: Some(m),
                ..
            } if matches!(m, Modifier::Focal | Modifier::Weak) => {
                // "A positief, zwak positief voor B": the modifier belongs to the next result.
                let next_result = items.get(j + 1).is_some_and(|n| {
                    matches!(kinds[j + 1], ItemKind::Result { .. })
                        && tokens_between(ctx, items[j].end, n.start) <= 1
                });
                if next_result {
                    break;
                }
                mods.push(m);
                edge = items[j].end;
            }
            _ => break,
        }
    }
    mods
}

/// True when the stain is on tumour cells: the nearest site word of the clause (brackets
/// only count from inside) is not a control, vessel, bile duct or background liver.
fn on_tumour(
    ctx: &Ctx,
    items: &[Item],
    lay: &Layout,
    lo: usize,
    hi: usize,
    result_at: usize,
) -> bool {
    let clause = lay.clause(result_at);
    let here = (lay.paren(lo), lay.paren(hi));
    let mut best: Option<(usize, bool)> = None;
    // Only a site within SITE_REACH tokens of [lo, hi) counts, and which of those is
    // looked at first does not change the answer: look at those alone.
    let doc = ctx.doc;
    let near = doc
        .token_index(lo.min(result_at))
        .saturating_sub(SITE_REACH + 1 + lay.site_tokens);
    let far = doc.token_index(hi) + SITE_REACH + 2;
    let first = lay
        .sites
        .partition_point(|&(s, _, _)| doc.token_index(s) < near);
    let candidates = lay.sites[first..]
        .iter()
        .take_while(|&&(s, _, _)| s < hi || doc.token_index(s) <= far);
    for &(start, end, tumour) in candidates {
        work::step();
        let it = Site { start, end };
        if lay.clause(it.start) != clause {
            continue;
        }
        let (lo, hi) = if lay.clause(lo) == clause {
            (lo, hi)
        } else {
            (
                items
                    .iter()
                    .find(|i| i.start >= result_at)
                    .map_or(result_at, |i| i.start),
                hi,
            )
        };
        if let Some(p) = lay.paren(it.start) {
            if here.0 != Some(p) && here.1 != Some(p) {
                continue;
            }
        }
        // A site speaks for the nearest result only, never across another one
        // ("HepPar-1 positive, CK7 positive in bile ducts").
        let (a, b) = if it.end <= lo {
            (it.end, lo)
        } else {
            (hi, it.start)
        };
        let from = items.partition_point(|o| o.start < a);
        let folded = ctx.folded();
        if items[from..].iter().take_while(|o| o.start < b).any(|o| {
            o.end <= b
                && match o.kind {
                    ItemKind::Result { .. } | ItemKind::Sign(_) => true,
                    // "CK7 positive in bile ducts, CK19 negative": a new list item.
                    ItemKind::Marker(_) => {
                        it.end <= lo && folded.get(a..o.start).is_some_and(|g| g.contains(','))
                    }
                    _ => false,
                }
        }) {
            continue;
        }
        // A site right after the result ("negatief in de tumor", "positive in bile ducts")
        // speaks for it before anything said earlier.
        let d = if it.end <= lo {
            tokens_between(ctx, it.end, lo) + 1
        } else if it.start >= hi {
            tokens_between(ctx, hi, it.start).saturating_sub(1)
        } else {
            0
        };
        if d > SITE_REACH {
            continue;
        }
        let better = match best {
            None => true,
            Some((bd, bt)) => d < bd || (d == bd && tumour && !bt),
        };
        if better {
            best = Some((d, tumour));
        }
    }
    best.is_none_or(|(_, tumour)| tumour)
}

/// The span of a site item.
struct Site {
    start: usize,
    end: usize,
}

/// True when marker `n` has a result of its own right after it, with no comma between,
/// that governs no list of its own ("positive for HepPar-1 and CK19 is negative"): a list
/// result before it does not reach it.
fn own_result(ctx: &Ctx, items: &[Item], kinds: &[ItemKind], n: usize) -> bool {
    let Some(r) = items.get(n + 1) else {
        return false;
    };
    if !matches!(kinds[n + 1], ItemKind::Result { .. })
        || tokens_between(ctx, items[n].end, r.start) > 2
        || ctx
            .folded()
            .get(items[n].end..r.start)
            .is_none_or(|gap| gap.contains([',', ';', '.', '(']))
    {
        return false;
    }
    // "..., CK19 negative for ..." would govern a list after it.
    !matches!(kinds.get(n + 2), Some(ItemKind::Link | ItemKind::Marker(_)))
        || items
            .get(n + 2)
            .is_some_and(|x| tokens_between(ctx, r.end, x.start) > PREFIX_GAP)
}

/// A sign that is really a dash before a result word ("CK7 - focal positive") is no result.
fn sign_is_result(ctx: &Ctx, items: &[Item], kinds: &[ItemKind], i: usize) -> bool {
    match items.get(i + 1) {
        Some(n)
            if matches!(
                kinds[i + 1],
                ItemKind::Result { .. } | ItemKind::Modifier(_)
            ) =>
        {
            tokens_between(ctx, items[i].end, n.start) > 0
                || !matches!(items[i].kind, ItemKind::Sign(IhcResult::Negative))
        }
        _ => true,
    }
}

/// Resolves items into marker results on tumour cells.
pub fn assign(ctx: &Ctx, items: &[Item]) -> Vec<Assignment> {
    let lay = Layout::new(ctx, items);
    let kinds = effective(ctx, items);
    let mut done: Vec<Option<Assignment>> = vec![None; items.len()];
    let mut prefix_results = vec![false; items.len()];
    let push = |done: &mut Vec<Option<Assignment>>, m: usize, r: usize, result: IhcResult| {
        // Where the stain is seen is said next to the result word.
        let (lo, hi) = (items[r].start, items[r].end);
        if !on_tumour(ctx, items, &lay, lo, hi, items[r].start) {
            return;
        }
        if let ItemKind::Marker(name) = &items[m].kind {
            done[m] = Some(Assignment {
                marker: name.clone(),
                value: IhcValue::Result(result),
                marker_span: (items[m].start, items[m].end),
                result_span: (items[r].start, items[r].end),
                rule: format!("{} + {}", items[m].rule, items[r].rule),
            });
        }
    };

    // Prefix results: "positief voor A, B en C".
    let mut implicit = vec![false; items.len()];
    for r in 0..items.len() {
        let ItemKind::Result { result, direct, .. } = kinds[r] else {
            continue;
        };
        let weak_word = items[r].implicit;
        // A bare word that only implies a result ("CK7 shows patchy staining") reads back
        // to its marker, never forward over a list ("staining, no loss of DPC-4").
        if weak_word && !direct {
            continue;
        }
        let mods = modifiers_before(ctx, items, &kinds, &lay, r);
        if mods.contains(&Modifier::Generic) {
            continue;
        }
        let colon = ctx
            .folded()
            .get(items[r].end..)
            .is_some_and(|t| t.trim_start().starts_with(':'));
        let mut linked = direct || colon;
        let mut first = None;
        for j in r + 1..items.len() {
            if lay.clause(items[j].start) != lay.clause(items[r].start)
                || tokens_between(ctx, items[r].end, items[j].start) > PREFIX_GAP
            {
                break;
            }
            match kinds[j] {
                ItemKind::Link => linked = true,
                ItemKind::Modifier(_) => {}
                ItemKind::Marker(_) if linked => {
                    first = Some(j);
                    break;
                }
                _ => break,
            }
        }
        let Some(first) = first else { continue };
        prefix_results[r] = true;
        let mut cur = first;
        loop {
            let mut m = mods.clone();
            m.extend(modifiers_after(ctx, items, &kinds, cur));
            push(&mut done, cur, r, combine(result, &m));
            implicit[cur] = weak_word;
            let next = (cur + 1..items.len()).find(|&k| matches!(kinds[k], ItemKind::Marker(_)));
            match next {
                Some(n)
                    if lay.clause(items[n].start) == lay.clause(items[cur].start)
                        && joined(ctx, items, cur, n)
                        && !own_result(ctx, items, &kinds, n) =>
                {
                    cur = n
                }
                _ => break,
            }
        }
    }

    // Postfix results and signs: "A en B negatief", "A+, B-".
    let markers: Vec<usize> = (0..items.len())
        .filter(|&i| matches!(kinds[i], ItemKind::Marker(_)))
        .collect();
    let mut g = 0;
    while g < markers.len() {
        let mut group = vec![markers[g]];
        while g + 1 < markers.len() {
            let (a, b) = (markers[g], markers[g + 1]);
            let own_sign = matches!(kinds.get(a + 1), Some(ItemKind::Sign(_))) && a + 1 < b;
            if own_sign
                || lay.clause(items[a].start) != lay.clause(items[b].start)
                || !joined(ctx, items, a, b)
            {
                break;
            }
            group.push(b);
            g += 1;
        }
        g += 1;
        let last = *group.last().unwrap_or(&markers[0]);
        // A sign right after a marker is that marker's own result.
        let mut group_result: Option<(usize, IhcResult)> = None;
        let mut clause = lay.clause(items[last].start);
        let mut from = items[last].end;
        let mut retried = false;
        for j in last + 1..items.len() {
            // "HepPar-1 stains the background hepatocytes but is negative in the tumour":
            // the result may follow one break, before any other marker.
            if kinds[j] == ItemKind::Break
                && lay.clause(items[j].start) != clause
                && clause == lay.clause(items[last].start)
                && lay.clause(items[j].start) == clause + 1
            {
                let crossed = lay.bounds.get(clause).is_some_and(|&b| b == items[j].start);
                if crossed {
                    clause += 1;
                    from = items[j].end;
                    continue;
                }
            }
            if lay.clause(items[j].start) != clause
                || tokens_between(ctx, from, items[j].start) > POSTFIX_GAP
            {
                break;
            }
            match kinds[j] {
                ItemKind::Sign(res) if j == last + 1 => {
                    if sign_is_result(ctx, items, &kinds, j) {
                        let m = modifiers_after(ctx, items, &kinds, j);
                        group_result = Some((j, combine(res, &m)));
                        break;
                    }
                }
                ItemKind::Result { result, .. } if !prefix_results[j] => {
                    let mut m = modifiers_before(ctx, items, &kinds, &lay, j);
                    m.extend(
                        modifiers_before(ctx, items, &kinds, &lay, group[0])
                            .into_iter()
                            .filter(|x| matches!(x, Modifier::Focal | Modifier::Weak)),
                    );
                    m.extend(modifiers_after(ctx, items, &kinds, j));
                    if m.contains(&Modifier::Generic) {
                        break;
                    }
                    // "HepPar-1 positief in het omgevende leverparenchym, negatief in de tumor":
                    // a result on something else gives way to the next one.
                    if !retried
                        && !on_tumour(
                            ctx,
                            items,
                            &lay,
                            items[j].start,
                            items[j].end,
                            items[j].start,
                        )
                    {
                        retried = true;
                        from = items[j].end;
                        continue;
                    }
                    group_result = Some((j, combine(result, &m)));
                    break;
                }
                ItemKind::Modifier(_) | ItemKind::Site(_) | ItemKind::Link | ItemKind::Sign(_) => {}
                _ => break,
            }
        }
        for &m in &group {
            if done[m].is_some() && !implicit[m] {
                continue;
            }
            if let Some((r, res)) = group_result {
                push(&mut done, m, r, res);
            }
        }
    }
    done.into_iter().flatten().collect()
}
