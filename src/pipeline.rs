//! From one input to one output line: extraction (panics caught per report), provenance.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use crate::extract::Extractor;
use crate::io::source::{Input, RawReport};
use crate::record::{
    ErrorInfo, ErrorKind, ErrorRecord, ErrorSource, Language, Output, Provenance, Record,
};

/// The radpath version written on every record.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

/// Environment variable naming a report id whose extraction is made to panic.
///
/// It exists so that the test suite can prove, through the real binary, that a panic
/// inside one report's extraction becomes that report's `internal` error record while the
/// run goes on. It is read once per process; when it is unset (always, in normal use)
/// nothing changes.
pub const FAULT_PANIC_ENV: &str = "RADPATH_FAULT_PANIC_ID";

fn fault_panic_id() -> Option<&'static str> {
    static ID: OnceLock<Option<String>> = OnceLock::new();
    ID.get_or_init(|| {
        std::env::var(FAULT_PANIC_ENV)
            .ok()
            .filter(|s| !s.is_empty())
    })
    .as_deref()
}

/// The work budget of one report, in steps of [`crate::extract::work`] per byte of its
/// text (a report shorter than [`Budget::MIN_BYTES`] counts as that long).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Steps allowed per byte of text.
    pub steps_per_byte: u64,
}

impl Budget {
    /// The default steps per byte: every extractor is linear in its report and takes
    /// well under 100 steps per byte of a real report (see the README, "Reliability"),
    /// so only a report that drives some rule into a super-linear path reaches it.
    pub const DEFAULT_STEPS_PER_BYTE: u64 = 2_000;

    /// The size a shorter report is counted as.
    pub const MIN_BYTES: usize = 4096;

    /// The step limit of a report of `bytes` bytes.
    pub fn limit(&self, bytes: usize) -> u64 {
        self.steps_per_byte
            .saturating_mul(bytes.max(Budget::MIN_BYTES) as u64)
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            steps_per_byte: Budget::DEFAULT_STEPS_PER_BYTE,
        }
    }
}

/// The language a record names in its own `lang` field (`"nl"` or `"en"`, any case, spaces
/// around ignored); `None` for any other value or when the field is absent.
pub fn record_language(meta: &serde_json::Map<String, serde_json::Value>) -> Option<Language> {
    let code = meta.get("lang")?.as_str()?.trim();
    if code.eq_ignore_ascii_case("nl") {
        Some(Language::Nl)
    } else if code.eq_ignore_ascii_case("en") {
        Some(Language::En)
    } else {
        None
    }
}

/// Turns one input into its output line: a record, or an error record. Never panics:
/// a panic inside extraction becomes an `internal` error record. No work budget.
///
/// `lang` is the language forced for every report (`--lang nl|en`); when it is `None`
/// (`--lang auto`), a report's own `lang` field decides, else the language is detected.
pub fn process(extractor: &Extractor, input: Input, lang: Option<Language>) -> Output {
    process_within(extractor, input, lang, None)
}

/// [`process`] with a work budget: a report whose extraction needs more steps than
/// `budget` allows becomes a `budget` error record.
pub fn process_within(
    extractor: &Extractor,
    input: Input,
    lang: Option<Language>,
    budget: Option<Budget>,
) -> Output {
    match input {
        Input::Failed(e) => Output::Error(e),
        Input::Report(raw) => record_for(extractor, raw, lang, budget),
    }
}

fn record_for(
    extractor: &Extractor,
    raw: RawReport,
    lang: Option<Language>,
    budget: Option<Budget>,
) -> Output {
    let result = catch_unwind(AssertUnwindSafe(|| {
        if fault_panic_id() == Some(raw.id.as_str()) {
            panic!("fault injected by {FAULT_PANIC_ENV}");
        }
        let lang = lang.or_else(|| record_language(&raw.meta));
        match budget {
            None => Ok(extractor.extract_text(&raw.text, lang)),
            Some(b) => extractor
                .extract_within(&raw.text, lang, b.limit(raw.text.len()))
                .map(|(ex, _)| ex),
        }
    }));
    match result {
        Ok(Err(spent)) => Output::Error(ErrorRecord {
            id: Some(raw.id),
            error: ErrorInfo {
                kind: ErrorKind::Budget,
                message: format!(
                    "extraction stopped after {} steps of work for {} bytes of text \
                     (--max-work-per-byte {}); a report this hard is most likely not \
                     one report (an archive in one file?) or repeats one phrase; raise \
                     --max-work-per-byte to extract it anyway",
                    spent.limit,
                    raw.text.len(),
                    budget.map_or(0, |b| b.steps_per_byte),
                ),
            },
            provenance: ErrorSource {
                source: raw.source,
                line: raw.line,
                row: raw.row,
                sheet: raw.sheet,
            },
        }),
        Ok(Ok(ex)) => Output::Record(Box::new(Record {
            provenance: Provenance {
                source: raw.source,
                line: raw.line,
                row: raw.row,
                sheet: raw.sheet,
                encoding: raw.encoding.to_string(),
                sha256: sha256_hex(&raw.text),
                radpath: VERSION.to_string(),
                lexicons: extractor.lexicons().version().to_string(),
            },
            id: raw.id,
            meta: raw.meta,
            summary: ex.summary,
            lesions: ex.lesions,
            facts: ex.facts,
            staging: ex.staging,
        })),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_string());
            Output::Error(ErrorRecord {
                id: Some(raw.id),
                error: ErrorInfo {
                    kind: ErrorKind::Internal,
                    message: format!("extraction failed: {what}"),
                },
                provenance: ErrorSource {
                    source: raw.source,
                    line: raw.line,
                    row: raw.row,
                    sheet: raw.sheet,
                },
            })
        }
    }
}
