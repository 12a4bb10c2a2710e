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

#[test]
fn check_reports_every_problem_of_every_file_and_names_files_it_does_not_read() {
    let dir = tempdir();
    // A file that is not UTF-8 (line 2), with a malformed line after it (line 3).
    write(
        dir.path(),
        "lex/en/lesion.tsv",
        b"metastasis\tkind=metastasis\ncaf\xe9\tkind=cyst\ncyst\tkind=sac\n".as_slice(),
    );
    write(
        dir.path(),
        "lex/nl/number.tsv",
        "twee\tvalue=2\ndrie\tvalue=abc\nvier\tvalue=-5\nvijf\tvalue=99999999999\nzes value=6\nzeven\tvalue=7 bound=exact\n",
    );
    write(
        dir.path(),
        "lex/en/context.tsv",
        "no\tNEGATED_EXISTENCE\tforward\t3x\nnot\tNEGATED_EXISTENCE\tforward\t-1\nnever NEGATED_EXISTENCE forward\n",
    );
    write(
        dir.path(),
        "lex/nl/clinical.tsv",
        "maanden\tcue=time_unit months=0\nweken\tcue=time_unit months=0,23\n",
    );
    write(
        dir.path(),
        "lex/nl/lesion.tsv",
        "laesie*\tkind=indeterminate plural=s/1\n",
    );
    write(
        dir.path(),
        "lex/nl/pattern.TSV",
        "hypodens\tpattern=hypoattenuating\n",
    );
    write(
        dir.path(),
        "lex/nl/pattern.tsv.bak",
        "hypodens\tpattern=hypoattenuating\n",
    );
    let run = run_in(dir.path(), &["lexicon", "check", "lex"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let problems: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("radpath:"))
        .collect();
    let expect_prefixes = [
        "en/context.tsv:1: `max_scope=3x` is not a whole number",
        "en/context.tsv:2: `max_scope=-1` is not a whole number",
        "en/context.tsv:3: no TAB after the term: a `context` entry needs `category`",
        "en/lesion.tsv:2: not valid UTF-8",
        "en/lesion.tsv:3: `kind=sac` is not one of",
        "nl/clinical.tsv:1: `months=0` is not a number greater than 0",
        "nl/clinical.tsv:2: `months=0,23` is not a number greater than 0",
        "nl/lesion.tsv:1: `plural=s/1` is not a list of word endings",
        "nl/number.tsv:2: `value=abc` is not a whole number",
        "nl/number.tsv:3: `value=-5` is not a whole number",
        "nl/number.tsv:4: `value=99999999999` is out of range (0 to 4294967295)",
        "nl/number.tsv:5: term and attributes must be separated by a TAB",
    ];
    assert_eq!(problems.len(), expect_prefixes.len(), "{}", run.stderr);
    for (line, prefix) in problems.iter().zip(expect_prefixes) {
        assert!(
            line.starts_with(prefix),
            "expected `{prefix}...`, got `{line}`"
        );
    }
    assert!(
        run.stderr.contains("radpath: 12 problem(s)"),
        "{}",
        run.stderr
    );
    // Files that are not read are named.
    for name in ["nl/pattern.TSV", "nl/pattern.tsv.bak"] {
        assert!(
            run.stderr
                .contains(&format!("radpath: warning: {name}:0: not read")),
            "{name}: {}",
            run.stderr
        );
    }

    // The same folder through --lexicons: every problem, exit 2, nothing on stdout.
    write(dir.path(), "r.txt", "CT lever: twee laesies.");
    let run = run_in(dir.path(), &["extract", "--lexicons", "lex", "r.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    for prefix in expect_prefixes {
        assert!(run.stderr.contains(prefix), "{prefix}: {}", run.stderr);
    }
}

#[test]
fn check_warns_of_attributes_no_rule_reads() {
    let dir = tempdir();
    write(
        dir.path(),
        "lex/nl/number.tsv",
        "twee\tvalue=2\ndrie\tvalue=3 bund=at_least\n",
    );
    let run = run_in(dir.path(), &["lexicon", "check", "lex"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("radpath: warning: nl/number.tsv:2: attribute `bund` is not read"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 warning(s)"), "{}", run.stdout);
}

#[test]
fn an_override_that_drops_every_built_in_entry_of_a_kind_is_a_warning() {
    let dir = tempdir();
    write(dir.path(), "r.txt", "CT lever: twee laesies.");
    // Replaces nl/number.tsv with a file that keeps none of its terms.
    write(dir.path(), "lex/nl/number.tsv", "tweeentwintig\tvalue=22\n");
    // Adds one term to en/number.tsv, keeping the built-in ones: no warning.
    let mut en = std::fs::read_to_string(root().join("lexicons/en/number.tsv")).expect("en");
    en.push_str("a score of\tvalue=20\n");
    write(dir.path(), "lex/en/number.tsv", en);
    let run = run_in(dir.path(), &["extract", "--lexicons", "lex", "r.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("nl/number.tsv")
            && warnings[0].contains("keeps none of its")
            && warnings[0].contains("`number`"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["lexicon", "check", "lex"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("keeps none of its"), "{}", run.stderr);
}
