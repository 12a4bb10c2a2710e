//! Command-line flags as parsed (the raw layer); `cli::*` validates them into pipeline
//! objects.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// radpath: structured liver-cancer staging facts from Dutch and English radiology and
/// pathology reports.
#[derive(Debug, Parser)]
#[command(name = "radpath", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract one record per report (files, directories, JSONL, CSV, or stdin).
    Extract(ExtractArgs),
    /// Score radpath against gold cases: per-field precision, recall, F1 and the misses.
    Eval(EvalArgs),
    /// Show a report with every recognised span marked, and the rules behind them.
    Explain(ExplainArgs),
    /// Print the JSON Schema of the output record.
    Schema,
    /// The assertion engine on its own: JSONL {"id","text","spans":[[start,end],...]} in,
    /// the presence, temporality and experiencer of every span out.
    Qualify(QualifyArgs),
    /// Lexicon tools.
    Lexicon {
        /// Lexicon subcommand.
        #[command(subcommand)]
        command: LexiconCommand,
    },
}

/// Lexicon subcommands.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Validate every lexicon file below DIR; prints `file:line: reason` per problem.
    Check {
        /// Folder with nl/, en/, common/ subfolders of .tsv files.
        dir: PathBuf,
    },
}

/// Input format flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum InputArg {
    /// By extension (.jsonl/.ndjson, .csv, else text); stdin is one text report.
    Auto,
    /// One report per file (or stdin).
    Text,
    /// JSON Lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// Output format flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// One JSON record per line.
    Jsonl,
    /// One CSV row per report, the summary flattened.
    Csv,
}

/// Language flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// Detect per report.
    Auto,
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// Encoding flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EncodingArg {
    /// UTF-8 when valid, else Windows-1252 (noted on the record).
    Auto,
    /// UTF-8 only.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Windows-1252.
    #[value(name = "windows-1252", alias = "cp1252")]
    Windows1252,
}

/// How report inputs are read: format, fields and encoding (`extract` and `explain`).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    pub input: InputArg,
    /// JSONL/CSV field with the report id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL/CSV field with the report text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Input encoding.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: EncodingArg,
}

/// Flags of `radpath extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files, directories (every *.txt below), or - for stdin. No path: stdin.
    pub paths: Vec<String>,
    /// How the inputs are read.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: FormatArg,
    /// Write to FILE (atomically: a temporary file renamed at the end) instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Report language.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Folder of lexicon files that add to or override the embedded ones.
    #[arg(long)]
    pub lexicons: Option<PathBuf>,
    /// Reports larger than this many bytes become error records.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_record_bytes: usize,
    /// Work budget per byte of report text: a report whose extraction needs more steps
    /// becomes a `budget` error record (0: no limit).
    #[arg(long, default_value_t = radpath::pipeline::Budget::DEFAULT_STEPS_PER_BYTE)]
    pub max_work_per_byte: u64,
    /// No summary line on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Flags of `radpath eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold JSONL files.
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Folder of lexicon files that add to or override the embedded ones.
    #[arg(long)]
    pub lexicons: Option<PathBuf>,
}

/// Flags of `radpath explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A text report, a JSONL or CSV file (see --id), or - for stdin.
    pub path: String,
    /// In a JSONL or CSV file: the report with this id (default: the first one).
    #[arg(long)]
    pub id: Option<String>,
    /// How the input is read.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Also write a browser page with every span highlighted to FILE.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Report language.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// Folder of lexicon files that add to or override the embedded ones.
    #[arg(long)]
    pub lexicons: Option<PathBuf>,
}

/// Flags of `radpath qualify`.
#[derive(Debug, Args)]
pub struct QualifyArgs {
    /// JSONL requests, one per line; - or nothing for stdin.
    pub path: Option<String>,
    /// Language of requests that do not name one.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Worker threads (default: all cores); output order is input order whatever this is.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Folder of lexicon files that add to or override the embedded ones.
    #[arg(long)]
    pub lexicons: Option<PathBuf>,
    /// No summary line on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
