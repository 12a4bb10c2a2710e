//! The review tools: `explain` on a terminal (highlights, facts table, plain without a
//! terminal), `review` packs (a reproducible sample, pages, a verdict CSV) and `eval` of a
//! returned verdict CSV. The pages themselves are checked in a real browser by
//! tests/browser/check_review_pages.py.

mod util;

use util::{root, run_in, tempdir, write};

#[test]
fn explain_prints_highlights_and_a_facts_table_in_plain_text_off_a_terminal() {
    let dir = tempdir();
    write(
        dir.path(),
        "r.txt",
        "CT lever: twee metastasen in segment 7, grootste 2,3 cm. Geen ascites.",
    );
    let run = run_in(dir.path(), &["explain", "r.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'), "no colours off a terminal");
    assert!(run.stdout.contains("== report =="));
    assert!(run.stdout.contains("[metastasen]"), "{}", run.stdout);
    assert!(run.stdout.contains("[2,3 cm]"), "{}", run.stdout);
    assert!(run.stdout.contains("== facts =="));
    assert!(run.stdout.contains("measure:size"));
    let facts = run_in(dir.path(), &["explain", "--facts-only", "r.txt"], None);
    assert!(facts.stdout.contains("== facts =="));
    assert!(!facts.stdout.contains("== report ==") && !facts.stdout.contains("== summary =="));
}

#[test]
fn review_pack_samples_reproducibly_and_eval_scores_the_verdicts() {
    let dir = tempdir();
    let gold = root().join("corpus/radiology_dev.jsonl");
    let gold = gold.to_str().unwrap();
    let run = run_in(
        dir.path(),
        &[
            "review", gold, "--sample", "7", "--seed", "42", "--out", "pack",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv_text = std::fs::read_to_string(dir.path().join("pack/review.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "reviewer_ok"));
    assert!(headers.iter().any(|h| h == "reviewer_note"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 7);
    for r in &rows {
        assert!(
            dir.path().join("pack").join(&r[1]).exists(),
            "page {}",
            &r[1]
        );
    }
    let index = std::fs::read_to_string(dir.path().join("pack/index.html")).unwrap();
    assert_eq!(index.matches("href=\"reports/").count(), 7);

    // The same seed gives the same sample; another seed another one.
    let again = run_in(
        dir.path(),
        &[
            "review", gold, "--sample", "7", "--seed", "42", "--out", "pack2",
        ],
        None,
    );
    assert_eq!(again.code, 0);
    let csv2 = std::fs::read_to_string(dir.path().join("pack2/review.csv")).unwrap();
    assert_eq!(csv_text, csv2);
    run_in(
        dir.path(),
        &[
            "review", gold, "--sample", "7", "--seed", "43", "--out", "pack3",
        ],
        None,
    );
    let csv3 = std::fs::read_to_string(dir.path().join("pack3/review.csv")).unwrap();
    assert_ne!(csv_text, csv3);

    // A reviewer fills in verdicts; eval scores them.
    let mut filled = String::new();
    for (i, line) in csv_text.lines().enumerate() {
        let verdict = match i {
            0 => String::new(),
            1 => ",nee,size is wrong".to_string(),
            2 => ",,".to_string(),
            _ => ",ja,".to_string(),
        };
        if i == 0 {
            filled.push_str(line);
        } else {
            // The two verdict columns are the last two, empty: the line ends in ",,".
            assert!(line.ends_with(",,"), "{line}");
            filled.push_str(&line[..line.len() - 2]);
            filled.push_str(&verdict);
        }
        filled.push('\n');
    }
    write(dir.path(), "returned.csv", &filled);
    let scored = run_in(dir.path(), &["eval", "returned.csv"], None);
    assert_eq!(scored.code, 0, "{}", scored.stderr);
    assert!(
        scored.stdout.contains("7 rows, 6 reviewed"),
        "{}",
        scored.stdout
    );
    assert!(scored.stdout.contains("right: 5 of 6"), "{}", scored.stdout);
    assert!(scored.stdout.contains("size is wrong"), "{}", scored.stdout);
}
