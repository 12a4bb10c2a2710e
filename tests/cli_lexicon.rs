//! The lexicon engine from the command line: `radpath lexicon check DIR` reports every
//! malformed line as `file:line: reason` and exits 2; `--lexicons DIR` adds and overrides
//! files at run time.

mod util;

use util::{root, run_in, tempdir, write};

#[test]
fn the_shipped_lexicons_are_valid() {
    let run = run_in(root(), &["lexicon", "check", "lexicons"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("no problems"));
}

#[test]
fn every_bad_line_is_reported_with_file_and_line() {
    let dir = tempdir();
    write(
        dir.path(),
        "lex/nl/context.tsv",
        "# comment\ngeen\tNEGATED_EXISTENCE\tforward\nverdacht\tMAYBE\tforward\n\t\tforward\nniet\tNEGATED_EXISTENCE\tforward\t4\tx\n",
    );
    write(
        dir.path(),
        "lex/en/section.tsv",
        "findings\tsection=findings\nimpression\tsection\n*\tsection=x\n",
    );
    write(dir.path(), "lex/en/colours.tsv", "red\tcolour=red\n");
    write(dir.path(), "lex/xx/section.tsv", "kop\tsection=x\n");
    let run = run_in(dir.path(), &["lexicon", "check", "lex"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let problems: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("radpath:"))
        .collect();
    let expect_prefixes = [
        "en/colours.tsv:0: unknown lexicon kind",
        "en/section.tsv:2: attribute `section` is not key=value",
        "en/section.tsv:3: a term of only `*`",
        "nl/context.tsv:3: `category=MAYBE` is not one of",
        "nl/context.tsv:4: empty term",
        "nl/context.tsv:5: too many columns",
        "xx/section.tsv:0: a lexicon file lives in a folder nl/, en/ or common/",
    ];
    assert_eq!(problems.len(), expect_prefixes.len(), "{}", run.stderr);
    for (line, prefix) in problems.iter().zip(expect_prefixes) {
        assert!(
            line.starts_with(prefix),
            "expected `{prefix}...`, got `{line}`"
        );
    }
    assert!(
        run.stderr.contains("radpath: 7 problem(s)"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_of_a_missing_folder_is_a_usage_error() {
    let dir = tempdir();
    let run = run_in(dir.path(), &["lexicon", "check", "nowhere"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a directory"), "{}", run.stderr);
}

#[test]
fn an_override_folder_adds_and_replaces_files_at_run_time() {
    let dir = tempdir();
    let text = "Bespreking: twee laesies.\nConclusie: metastasen.";
    write(dir.path(), "r.txt", text);
    // Without overrides "Bespreking" is no header and "Conclusie" is one.
    let run = run_in(dir.path(), &["explain", "--matches", "r.txt"], None);
    assert!(!run.stdout.contains("== discussion =="), "{}", run.stdout);
    assert!(run.stdout.contains("== conclusion =="), "{}", run.stdout);

    // An override of nl/section.tsv replaces the embedded file (so "Conclusie" is gone)
    // and a new file of a known kind is added.
    write(
        dir.path(),
        "lex/nl/section.tsv",
        "bespreking\tsection=discussion\n",
    );
    write(dir.path(), "lex/nl/context.tsv", "twee\tPSEUDO\tnone\n");
    let run = run_in(
        dir.path(),
        &["explain", "--matches", "--lexicons", "lex", "r.txt"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("== discussion =="), "{}", run.stdout);
    assert!(!run.stdout.contains("== conclusion =="), "{}", run.stdout);
    assert!(
        run.stdout.contains("lexicon:nl/context.tsv:1:twee"),
        "{}",
        run.stdout
    );

    // The lexicon version on every record changes with the lexicons.
    let plain = run_in(dir.path(), &["extract", "r.txt"], None).json_lines();
    let over = run_in(dir.path(), &["extract", "--lexicons", "lex", "r.txt"], None).json_lines();
    assert_ne!(
        plain[0]["provenance"]["lexicons"],
        over[0]["provenance"]["lexicons"]
    );

    // A bad override file is a configuration error: exit 2, file:line: reason.
    write(dir.path(), "bad/nl/context.tsv", "geen\tNEVER\tforward\n");
    let run = run_in(dir.path(), &["extract", "--lexicons", "bad", "r.txt"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("nl/context.tsv:1: `category=NEVER`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}
