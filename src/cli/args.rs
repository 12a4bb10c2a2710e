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
    /// Make a review pack: a reproducible sample of an archive, an index page, one review
    /// page per report and a CSV for the reviewer's verdicts (`radpath eval` scores it).
    Review(ReviewArgs),
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
    /// By extension (.jsonl/.ndjson, .csv/.tsv, .xlsx/.xlsm/.ods/.xls/.xlsb, else text);
    /// stdin is JSON Lines when its first non-blank line is a JSON object, else text.
    Auto,
    /// One report per file (or stdin).
    Text,
    /// JSON Lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// A workbook (.xlsx, .xlsm, .ods, .xls, .xlsb): a header row, then one report per row.
    #[value(alias = "xlsx")]
    Workbook,
}

/// Record separator flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RecordSeparatorArg {
    /// Reports end at a NUL byte (and may hold line breaks).
    Nul,
    /// Each non-blank line is a report.
    Line,
}

/// Output format flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// One JSON record per line.
    Jsonl,
    /// One CSV row per report: summary, markers, labs, staging, meta, versions.
    Csv,
    /// One CSV row per lesion, with the report id.
    #[value(name = "lesions-csv")]
    LesionsCsv,
    /// One FHIR R4 Bundle (type collection) per report, as JSON Lines.
    Fhir,
    /// OMOP CDM v5.4 NOTE_NLP rows (CSV), one per fact.
    #[value(name = "note_nlp")]
    NoteNlp,
}

/// CSV dialect flag.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CsvDialectArg {
    /// RFC 4180: comma, decimal point, UTF-8 without a byte order mark.
    Rfc4180,
    /// What Dutch Excel opens as is: UTF-8 with a byte order mark, `;`, decimal comma.
    #[value(name = "excel-nl")]
    ExcelNl,
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
    /// CSV column separator: auto (sniffed from the first rows; .tsv files: tab), or one
    /// character such as , ; | or \t (also: tab, comma, semicolon, pipe).
    #[arg(long, default_value = "auto", value_parser = parse_delimiter)]
    pub delimiter: radpath::io::sniff::Delimiter,
    /// Workbook sheet: its name, or its position from 1 (default: the first sheet).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Text input (stdin, or a file read as text) holds many reports: each ends at a NUL
    /// byte (nul) or is one line (line). Without it a text input is one report.
    #[arg(long, value_enum)]
    pub record_separator: Option<RecordSeparatorArg>,
}

fn parse_delimiter(s: &str) -> Result<radpath::io::sniff::Delimiter, String> {
    s.parse()
        .map_err(|e: radpath::io::sniff::DelimiterError| e.to_string())
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
    /// CSV dialect of the CSV formats (csv, lesions-csv, note_nlp).
    #[arg(long, value_enum, default_value = "rfc4180")]
    pub csv_dialect: CsvDialectArg,
    /// Write to FILE instead of stdout (- is stdout). A regular file is written atomically
    /// (a temporary file renamed at the end, keeping the mode of the file it replaces); a
    /// FIFO, a character device or a symbolic link is written through.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Allow --output to name one of the inputs (it is replaced after all is read).
    #[arg(long)]
    pub force: bool,
    /// Report language.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// Worker threads (default: all cores; more than 4 per core is capped, with a warning).
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
    /// Exit 0 even when some reports failed (their error records are still written).
    #[arg(long)]
    pub exit_zero: bool,
}

/// Flags of `radpath eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold JSONL files, or a review CSV returned with the reviewer's verdicts.
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Folder of lexicon files that add to or override the embedded ones.
    #[arg(long)]
    pub lexicons: Option<PathBuf>,
}

/// Flags of `radpath review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The archive: files, directories, JSONL or CSV (as for `extract`).
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// How many reports to sample.
    #[arg(long, default_value_t = 50)]
    pub sample: usize,
    /// The seed: the same seed gives the same sample.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder to write the pack to (created; files in it are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// How the inputs are read.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Report language.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
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
    /// Also write the review page (summary, lesions, staging, the text with every piece of
    /// evidence highlighted) to FILE: one self-contained HTML file.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Print only the table of facts.
    #[arg(long)]
    pub facts_only: bool,
    /// Also print every lexicon match (sections, triggers, terms) sentence by sentence.
    #[arg(long)]
    pub matches: bool,
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
    /// Write to FILE instead of stdout (- is stdout); as for `extract --output`.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Allow --output to name the input.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: all cores; at most 4 per core); output order is input order
    /// whatever this is.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Folder of lexicon files that add to or override the embedded ones.
    #[arg(long)]
    pub lexicons: Option<PathBuf>,
    /// No summary line on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
