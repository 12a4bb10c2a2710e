//! Lexicons: word lists as TSV data, embedded at build time, compiled into one matcher
//! per language.

pub mod matcher;
pub mod schema;
pub mod tsv;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use matcher::{LexMatch, Matcher};

use crate::text::{Abbreviations, HeaderSet, Joiners, TextConfig};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_lexicons.rs"));
}

/// Index of an entry in [`LexiconSet::entries`].
pub type EntryId = u32;

/// One lexicon line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The term as written in the file (without a trailing `*`).
    pub term: String,
    /// True when the term was written `term*`: it may continue into a longer word.
    pub prefix: bool,
    /// The kind: the file stem (`pattern`, `context`, ...).
    pub kind: String,
    /// `nl`, `en` or `common`.
    pub lang: String,
    /// Attributes (`pattern=rim_enhancement`, `category=NEGATED_EXISTENCE`, ...).
    pub attrs: Vec<(String, String)>,
    /// Relative path of the file the entry came from.
    pub file: String,
    /// Line number in that file (1-based).
    pub line: usize,
    /// The rule name, built once when the entry is read (see [`Entry::rule`]).
    rule: String,
}

impl Entry {
    /// The value of attribute `key`.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The rule name written on evidence: `lexicon:<file>:<line>:<term>`.
    pub fn rule(&self) -> String {
        self.rule.clone()
    }

    /// The rule name, borrowed.
    pub fn rule_str(&self) -> &str {
        &self.rule
    }

    fn rule_name(file: &str, line: usize, term: &str) -> String {
        format!("lexicon:{file}:{line}:{term}")
    }
}

/// A malformed lexicon line (or file), reported as `file:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct LexiconError {
    /// The file.
    pub file: String,
    /// The line (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl LexiconError {
    pub(crate) fn new(file: &str, line: usize, reason: String) -> LexiconError {
        LexiconError {
            file: file.to_string(),
            line,
            reason,
        }
    }
}

/// All errors found while loading lexicons.
#[derive(Debug, Clone, thiserror::Error)]
pub struct LexiconErrors(pub Vec<LexiconError>);

impl fmt::Display for LexiconErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The language a matcher serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// The loaded lexicons: all entries, one matcher per language, and the text configuration
/// (section headers, abbreviations) derived from them.
#[derive(Debug, Clone)]
pub struct LexiconSet {
    entries: Vec<Entry>,
    nl: Matcher,
    en: Matcher,
    context_nl: Matcher,
    context_en: Matcher,
    text_config: TextConfig,
    version: String,
}

impl LexiconSet {
    /// The lexicons embedded in the binary.
    pub fn embedded() -> Result<LexiconSet, LexiconErrors> {
        LexiconSet::from_files(embedded_files())
    }

    /// The embedded lexicons with the files of `dir` added, or overriding embedded files
    /// of the same relative path.
    pub fn with_overrides(dir: &Path) -> Result<LexiconSet, LexiconErrors> {
        LexiconSet::with_overrides_warned(dir).map(|(set, _)| set)
    }

    /// As [`LexiconSet::with_overrides`], with the warnings of [`check_dir`]: files of the
    /// folder that are not read, attributes no rule reads, and override files that drop
    /// every embedded entry of the file they replace. An error in any file fails the
    /// whole load, and every problem of every file is returned.
    pub fn with_overrides_warned(
        dir: &Path,
    ) -> Result<(LexiconSet, Vec<LexiconError>), LexiconErrors> {
        let report = check_dir(dir)?;
        if !report.errors.is_empty() {
            return Err(LexiconErrors(report.errors));
        }
        let mut files: BTreeMap<String, String> = embedded_files().into_iter().collect();
        for (rel, contents) in report.files {
            files.insert(rel, contents);
        }
        let set = LexiconSet::from_files(files.into_iter().collect())?;
        Ok((set, report.warnings))
    }

    /// Builds the set from (relative path, contents) pairs.
    pub fn from_files(files: Vec<(String, String)>) -> Result<LexiconSet, LexiconErrors> {
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        let mut hasher = Sha256::new();
        for (path, contents) in &files {
            hasher.update(path.as_bytes());
            hasher.update([0]);
            hasher.update(contents.as_bytes());
            match tsv::parse_file(path, contents) {
                Ok(mut e) => entries.append(&mut e),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(LexiconErrors(errors));
        }
        let digest = hasher.finalize();
        let version = digest
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        let ids_for = |lang: &str| {
            entries
                .iter()
                .enumerate()
                .filter(|(_, e)| (e.lang == lang || e.lang == "common") && matched_kind(&e.kind))
                .map(|(i, _)| i as EntryId)
                .collect::<Vec<_>>()
        };
        let context_ids = |lang: &str| {
            entries
                .iter()
                .enumerate()
                .filter(|(_, e)| (e.lang == lang || e.lang == "common") && e.kind == CONTEXT_KIND)
                .map(|(i, _)| i as EntryId)
                .collect::<Vec<_>>()
        };
        // Compiling the automata is most of the start-up time: the two languages compile
        // on two threads. A language's matcher also holds its context triggers, kept apart
        // from the other kinds, so that one pass over a report finds both
        // (`Matcher::find_all_and_aside`); the context matcher is a view of it.
        let build = |lang: &str| {
            let ids = ids_for(lang).into_iter().chain(context_ids(lang));
            Matcher::build_with_aside(&entries, ids, Some(CONTEXT_KIND))
                .map_err(|e| LexiconErrors(vec![e]))
        };
        let (nl, en) = std::thread::scope(|scope| {
            let dutch = scope.spawn(|| build("nl"));
            let english = build("en");
            let dutch = dutch.join().unwrap_or_else(|_| {
                Err(LexiconErrors(vec![LexiconError::new(
                    "<matcher>",
                    0,
                    "compilation failed".into(),
                )]))
            });
            (dutch, english)
        });
        let (nl, en) = (nl?, en?);
        let (context_nl, context_en) = (nl.aside_view(), en.aside_view());
        let headers = HeaderSet::new(entries.iter().filter(|e| e.kind == "section").map(|e| {
            (
                e.term.as_str(),
                e.attr("section").unwrap_or("body").to_string(),
            )
        }));
        let abbreviations = Abbreviations::new(
            entries
                .iter()
                .filter(|e| e.kind == "abbreviation")
                .map(|e| e.term.as_str()),
        );
        let joiners = Joiners::new(
            entries
                .iter()
                .filter(|e| e.kind == "joiner")
                .map(|e| e.term.as_str()),
        );
        Ok(LexiconSet {
            entries,
            nl,
            en,
            context_nl,
            context_en,
            text_config: TextConfig {
                headers,
                abbreviations,
                joiners,
            },
            version,
        })
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// One entry.
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id as usize]
    }

    /// The matcher of a language. Its [`Matcher::find_all`] gives the matches of every
    /// kind but the context triggers; [`Matcher::find_all_and_aside`] gives the triggers
    /// too, as the [`LexiconSet::context_matcher`] finds them.
    pub fn matcher(&self, lang: Lang) -> &Matcher {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// The matcher of a language's ConText triggers (`context` entries). They are matched
    /// apart from the other kinds so that a trigger ("negatief voor") never hides a term
    /// of another kind ("negatief") and the other way round.
    pub fn context_matcher(&self, lang: Lang) -> &Matcher {
        match lang {
            Lang::Nl => &self.context_nl,
            Lang::En => &self.context_en,
        }
    }

    /// Section headers and abbreviations for the text pipeline.
    pub fn text_config(&self) -> &TextConfig {
        &self.text_config
    }

    /// A short hash of every lexicon file, written on each record's provenance.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Entries of one kind (all languages).
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.kind == kind)
    }
}

/// The kind of the ConText triggers.
pub const CONTEXT_KIND: &str = "context";

/// Kinds that take part in the shared text matching (the rest configure the text pipeline,
/// and `context` triggers have their own matcher).
fn matched_kind(kind: &str) -> bool {
    !matches!(
        kind,
        "section" | "abbreviation" | "joiner" | "language" | "context"
    )
}

/// The embedded lexicon files as (relative path, contents).
pub fn embedded_files() -> Vec<(String, String)> {
    embedded::EMBEDDED
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

/// Reads every `*.tsv` below `dir` as (relative path, contents).
pub fn read_dir_files(dir: &Path) -> Result<Vec<(String, String)>, LexiconErrors> {
    let scan = scan_dir(dir)?;
    if scan.errors.is_empty() {
        Ok(scan.files)
    } else {
        Err(LexiconErrors(scan.errors))
    }
}

/// The files of a lexicon folder.
#[derive(Debug, Default)]
pub struct DirScan {
    /// Every `*.tsv` file as (relative path, contents); a file that is not valid UTF-8 is
    /// here with its invalid bytes replaced, so that its other lines are checked too.
    pub files: Vec<(String, String)>,
    /// Files that could not be read, and lines that are not valid UTF-8.
    pub errors: Vec<LexiconError>,
    /// Files below the folder that are not read (not `*.tsv`).
    pub unread: Vec<String>,
}

/// Reads every `*.tsv` below `dir`, noting the files it does not read and every problem of
/// reading (all of them, not only the first). Fails only when `dir` is not a folder.
pub fn scan_dir(dir: &Path) -> Result<DirScan, LexiconErrors> {
    if !dir.is_dir() {
        return Err(LexiconErrors(vec![LexiconError::new(
            &dir.display().to_string(),
            0,
            "not a directory".into(),
        )]));
    }
    let mut scan = DirScan::default();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| relative(dir, p))
                    .unwrap_or_else(|| dir.display().to_string());
                scan.errors.push(LexiconError::new(&at, 0, e.to_string()));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(dir, path);
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "tsv") {
            scan.unread.push(rel);
            continue;
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => scan.files.push((rel, s)),
                Err(e) => {
                    let bytes = e.into_bytes();
                    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                        if let Err(e) = std::str::from_utf8(line) {
                            let column = e.valid_up_to() + 1;
                            scan.errors.push(LexiconError::new(
                                &rel,
                                i + 1,
                                format!("not valid UTF-8 (byte {column} of the line); lexicon files are UTF-8"),
                            ));
                        }
                    }
                    scan.files
                        .push((rel, String::from_utf8_lossy(&bytes).into_owned()));
                }
            },
            Err(e) => scan.errors.push(LexiconError::new(&rel, 0, e.to_string())),
        }
    }
    Ok(scan)
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What [`check_dir`] found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Entries in the files that parse.
    pub entries: usize,
    /// Every problem of every file: the folder cannot be used while there is one.
    pub errors: Vec<LexiconError>,
    /// What loads but will not do what it seems to: files not read, attributes no rule
    /// reads, an override file that drops every embedded entry of the file it replaces.
    pub warnings: Vec<LexiconError>,
    /// The files read, as (relative path, contents).
    pub files: Vec<(String, String)>,
}

/// Checks every lexicon file below `dir`; returns every problem of every file, and the
/// warnings. Fails only when `dir` is not a folder.
pub fn check_dir(dir: &Path) -> Result<CheckReport, LexiconErrors> {
    let scan = scan_dir(dir)?;
    let mut report = CheckReport {
        errors: scan.errors,
        ..CheckReport::default()
    };
    for rel in scan.unread {
        let hint = if rel.to_ascii_lowercase().ends_with(".tsv") {
            " (radpath reads only names ending in `.tsv`, in lower case)"
        } else {
            " (radpath reads only `*.tsv` files)"
        };
        report
            .warnings
            .push(LexiconError::new(&rel, 0, format!("not read{hint}")));
    }
    let embedded: BTreeMap<String, String> = embedded_files().into_iter().collect();
    for (path, contents) in &scan.files {
        let (parsed, mut warnings) = tsv::parse_file_warned(path, contents);
        report.warnings.append(&mut warnings);
        match parsed {
            Ok(e) => {
                if let Some(w) = embedded
                    .get(path)
                    .and_then(|built_in| drops_every_entry(path, built_in, &e))
                {
                    report.warnings.push(w);
                }
                report.entries += e.len();
            }
            Err(mut e) => report.errors.append(&mut e),
        }
    }
    report
        .errors
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    report.files = scan.files;
    Ok(report)
}

/// The warning for an override file that keeps none of the terms of the embedded file it
/// replaces: every embedded entry of that kind and language is gone.
fn drops_every_entry(path: &str, built_in: &str, new: &[Entry]) -> Option<LexiconError> {
    let old = tsv::parse_file(path, built_in).ok()?;
    if old.is_empty() || new.iter().any(|n| old.iter().any(|o| o.term == n.term)) {
        return None;
    }
    let kind = old.first().map(|e| e.kind.as_str()).unwrap_or_default();
    Some(LexiconError::new(
        path,
        0,
        format!(
            "replaces the embedded {path} and keeps none of its {} entries: every embedded `{kind}` entry of this language is dropped (to add entries, copy the embedded file and add to it)",
            old.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_load_and_are_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<LexiconSet>();
        let set = LexiconSet::embedded().expect("embedded lexicons are valid");
        assert!(!set.entries().is_empty());
        assert!(!set.text_config().headers.is_empty());
        assert_eq!(set.version().len(), 12);
    }

    #[test]
    fn overrides_replace_and_add_files_and_change_the_version() {
        let base = LexiconSet::embedded().expect("embedded");
        let mut files = embedded_files();
        files.retain(|(p, _)| p != "nl/section.tsv");
        files.push((
            "nl/section.tsv".into(),
            "bespreking\tsection=discussion\n".into(),
        ));
        let set = LexiconSet::from_files(files).expect("valid");
        assert_ne!(set.version(), base.version());
        assert_eq!(
            set.text_config().headers.lookup("bespreking"),
            Some("discussion")
        );
        assert_eq!(set.text_config().headers.lookup("conclusie"), None);
        assert_eq!(
            base.text_config().headers.lookup("conclusie"),
            Some("conclusion")
        );
    }

    #[test]
    fn one_pass_finds_the_context_triggers_of_the_context_matcher() {
        let set = LexiconSet::embedded().expect("embedded");
        let texts = [
            (Lang::Nl, "Geen aanwijzingen voor metastasen; mogelijk een cyste in segment 7. Uitgesloten is een HCC, niet uit te sluiten metastase. Vraagstelling: metastasen? Familie: moeder had leverkanker. Geenszins."),
            (Lang::En, "No evidence of metastases; possibly a cyst in segment 7. Cannot exclude HCC, ruled out: abscess. History of colon cancer, mother had liver cancer. Not unlikely a metastasis?"),
        ];
        for (lang, text) in texts {
            let folded = crate::text::fold_str(text);
            let main = set.matcher(lang);
            let code = if lang == Lang::Nl { "nl" } else { "en" };
            let ids =
                set.entries().iter().enumerate().filter(|(_, e)| {
                    (e.lang == code || e.lang == "common") && e.kind == CONTEXT_KIND
                });
            let context = &Matcher::build(set.entries(), ids.map(|(i, _)| i as EntryId))
                .expect("context matcher");
            let spans = |m: &Matcher, v: &[LexMatch]| {
                v.iter()
                    .map(|x| (x.start, x.end, m.entries_of(x).collect::<Vec<_>>()))
                    .collect::<Vec<_>>()
            };
            let (others, aside) = main.find_all_and_aside(&folded);
            let expected = context.find_all(&folded);
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(spans(main, &aside), spans(context, &expected), "{text}");
            assert_eq!(others, main.find_all(&folded));
            assert_eq!(aside, set.context_matcher(lang).find_all(&folded));
            let context_kind = main.kind_id(CONTEXT_KIND);
            assert!(context_kind.is_some());
            assert!(others.iter().all(|m| Some(m.kind) != context_kind));
        }
    }

    #[test]
    fn every_bad_line_is_an_error() {
        let files = vec![(
            "en/context.tsv".to_string(),
            "no\tNEGATED_EXISTENCE\tforward\nmaybe\tPERHAPS\tforward\nx\n".to_string(),
        )];
        let errors = LexiconSet::from_files(files).expect_err("bad lines");
        let lines: Vec<usize> = errors.0.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3]);
        assert!(errors.to_string().starts_with("en/context.tsv:2: "));
    }
}
