//! The clinical cues share one leftmost-longest matching pass with every other lexicon, so
//! a clinical term that starts earlier or runs longer could hide another kind's match
//! ("enlarged lymph nodes" hiding "lymph node"). This test runs every gold text with and
//! without the clinical lexicons and fails when a match of another kind disappears.

use std::path::Path;

use radpath::eval::read_gold;
use radpath::lexicon::{embedded_files, Lang, LexiconSet};
use radpath::text::fold_str;

#[test]
fn clinical_cues_hide_no_other_match() {
    let all = LexiconSet::embedded().expect("embedded lexicons");
    let without = LexiconSet::from_files(
        embedded_files()
            .into_iter()
            .filter(|(p, _)| !p.ends_with("/clinical.tsv"))
            .collect(),
    )
    .expect("lexicons without clinical");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut hidden = Vec::new();
    for file in files {
        let Ok(cases) = read_gold(&file) else {
            continue;
        };
        for case in cases {
            let folded = fold_str(&case.text);
            for lang in [Lang::Nl, Lang::En] {
                let full = all.matcher(lang).find_all(&folded);
                for m in without.matcher(lang).find_all(&folded) {
                    let kept = full.iter().any(|f| f.start == m.start && f.end == m.end);
                    if !kept {
                        let term = folded.get(m.start..m.end).unwrap_or("");
                        let by = full
                            .iter()
                            .find(|f| f.start < m.end && f.end > m.start)
                            .and_then(|f| folded.get(f.start..f.end))
                            .unwrap_or("");
                        hidden.push(format!("{}: `{term}` hidden by `{by}`", case.id));
                    }
                }
            }
        }
    }
    hidden.sort();
    hidden.dedup();
    assert!(
        hidden.is_empty(),
        "{} matches hidden by clinical cues:\n{}",
        hidden.len(),
        hidden.join("\n")
    );
}
