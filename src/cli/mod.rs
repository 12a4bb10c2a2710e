//! The command line: validated arguments wired to the library. No extraction logic here.

pub mod args;
mod eval;
mod explain;
mod extract;
mod lexicon;
mod progress;
mod qualify;
mod review;
mod schema;

use anyhow::Result;
use clap::Parser;

use radpath::extract::Extractor;
use radpath::lexicon::LexiconSet;

/// Parses the arguments and runs the command; returns the process exit code.
pub fn run() -> Result<i32> {
    let cli = args::Cli::parse();
    match cli.command {
        args::Command::Extract(a) => extract::run(a),
        args::Command::Eval(a) => eval::run(a),
        args::Command::Explain(a) => explain::run(a),
        args::Command::Review(a) => review::run(a),
        args::Command::Schema => schema::run(),
        args::Command::Qualify(a) => qualify::run(a),
        args::Command::Lexicon { command } => lexicon::run(command),
    }
}

/// Builds the extractor from the embedded lexicons and an optional override folder.
pub fn build_extractor(lexicons: Option<&std::path::Path>) -> Result<Extractor, ConfigError> {
    let set = match lexicons {
        Some(dir) => {
            let (set, warnings) =
                LexiconSet::with_overrides_warned(dir).map_err(|e| ConfigError(e.to_string()))?;
            for w in warnings {
                eprintln!("radpath: warning: --lexicons {}: {w}", dir.display());
            }
            set
        }
        None => LexiconSet::embedded().map_err(|e| ConfigError(e.to_string()))?,
    };
    Ok(Extractor::new(set))
}

/// The worker threads for `--jobs`: all cores when not given. More than four per core only
/// costs memory and start-up time (each thread holds its own buffers), so a larger number
/// is capped at four per core, with a warning on stderr.
pub fn worker_threads(requested: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let cap = cores.saturating_mul(4);
    match requested {
        None => cores,
        Some(n) if n > cap => {
            eprintln!(
                "radpath: warning: --jobs {n} is more than 4 per core ({cores} cores); using {cap} worker threads"
            );
            cap
        }
        Some(n) => n,
    }
}

/// A configuration error: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The decoding the `--encoding` flag asks for.
pub fn encoding_choice(a: args::EncodingArg) -> radpath::io::decode::EncodingChoice {
    use radpath::io::decode::EncodingChoice;
    match a {
        args::EncodingArg::Auto => EncodingChoice::Auto,
        args::EncodingArg::Utf8 => EncodingChoice::Utf8,
        args::EncodingArg::Windows1252 => EncodingChoice::Windows1252,
    }
}

/// The reader options of the `--input`, `--id-field`, `--text-field` and `--encoding` flags.
pub fn source_options(
    r: &args::ReadArgs,
    max_record_bytes: usize,
) -> radpath::io::source::SourceOptions {
    radpath::io::source::SourceOptions {
        format: input_format(r.input),
        id_field: r.id_field.clone(),
        text_field: r.text_field.clone(),
        encoding: encoding_choice(r.encoding),
        max_record_bytes,
        delimiter: r.delimiter,
        sheet: r.sheet.clone(),
        record_separator: r.record_separator.map(|s| match s {
            args::RecordSeparatorArg::Nul => radpath::io::text_records::RecordSeparator::Nul,
            args::RecordSeparatorArg::Line => radpath::io::text_records::RecordSeparator::Line,
        }),
        notifier: radpath::io::notice::Notifier::new(|m| eprintln!("radpath: {m}")),
    }
}

/// The language the `--lang` flag forces, or `None` to detect it per report.
pub fn language_choice(a: args::LangArg) -> Option<radpath::record::Language> {
    use radpath::record::Language;
    match a {
        args::LangArg::Auto => None,
        args::LangArg::Nl => Some(Language::Nl),
        args::LangArg::En => Some(Language::En),
    }
}

/// The input format the `--input` flag asks for.
pub fn input_format(a: args::InputArg) -> radpath::io::source::InputFormat {
    use radpath::io::source::InputFormat;
    match a {
        args::InputArg::Auto => InputFormat::Auto,
        args::InputArg::Text => InputFormat::Text,
        args::InputArg::Jsonl => InputFormat::Jsonl,
        args::InputArg::Csv => InputFormat::Csv,
        args::InputArg::Workbook => InputFormat::Workbook,
    }
}
