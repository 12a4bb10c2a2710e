//! `radpath extract`: sources -> ordered parallel batch -> sink.

use std::io::{self, BufWriter, Write};

use std::path::Path;

use anyhow::Result;

use radpath::extract::Extractor;
use radpath::io::batch::{self, BatchError, BatchOptions, Counts};
use radpath::io::csv_dialect::CsvDialect;
use radpath::io::sink::{output_target, LineSink, OutputError, OutputFormat, OutputTarget};
use radpath::io::source::{self, Inputs};
use radpath::io::{live, sniff};

use super::args::{CsvDialectArg, ExtractArgs, FormatArg};

/// The output format the `--format` and `--csv-dialect` flags ask for.
fn output_format(format: FormatArg, dialect: CsvDialectArg) -> OutputFormat {
    let d = match dialect {
        CsvDialectArg::Rfc4180 => CsvDialect::Rfc4180,
        CsvDialectArg::ExcelNl => CsvDialect::ExcelNl,
    };
    match format {
        FormatArg::Jsonl => OutputFormat::Jsonl,
        FormatArg::Csv => OutputFormat::Csv(d),
        FormatArg::LesionsCsv => OutputFormat::LesionsCsv(d),
        FormatArg::Fhir => OutputFormat::Fhir,
        FormatArg::NoteNlp => OutputFormat::NoteNlp(d),
    }
}

pub fn run(a: ExtractArgs) -> Result<i32> {
    // The process ends after the run: dropping the compiled lexicons would only cost time.
    let extractor = match super::build_extractor(a.lexicons.as_deref()) {
        Ok(e) => std::mem::ManuallyDrop::new(e),
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    if a.jobs == Some(0) {
        eprintln!("radpath: --jobs must be at least 1");
        return Ok(2);
    }
    let source_opts = super::source_options(&a.read, a.max_record_bytes);
    let inputs = match source::open(&a.paths, &source_opts) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let opts = BatchOptions {
        jobs: super::worker_threads(a.jobs),
        lang: super::language_choice(a.lang),
        format: output_format(a.format, a.csv_dialect),
        budget: (a.max_work_per_byte > 0).then_some(radpath::pipeline::Budget {
            steps_per_byte: a.max_work_per_byte,
        }),
        ..BatchOptions::default()
    };
    // Stdin from a pipe is answered as it is read: each report is written and flushed
    // as soon as it has been read, instead of waiting for a full chunk.
    let reads_stdin = a.paths.is_empty() || a.paths.iter().any(|p| p == "-");
    let live = reads_stdin && !sniff::stdin_is_file();
    let progress = super::progress::Progress::start(a.quiet, super::progress::input_size(&a.paths));
    let tick = |c: &Counts| {
        if let Some(p) = &progress {
            p.tick(c);
        }
    };
    let result = {
        let target = match &a.output {
            None => OutputTarget::Stdout,
            Some(path) => {
                let inputs: Vec<&Path> = a.paths.iter().map(Path::new).collect();
                match output_target(path, &inputs, a.force) {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("radpath: {e}");
                        return Ok(2);
                    }
                }
            }
        };
        let out = match target.create() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("radpath: {e}");
                return Ok(2);
            }
        };
        let mut sink = LineSink::new(BufWriter::with_capacity(1 << 20, out), opts.format)?;
        match run_batch(live, &extractor, inputs, &opts, &mut sink, tick) {
            Ok(c) => sink
                .finish()
                .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
                .map_err(BatchError::Write)
                .and_then(|out| {
                    out.commit().map_err(|e| match e {
                        OutputError::Io { source, .. }
                            if source.kind() == io::ErrorKind::BrokenPipe =>
                        {
                            BatchError::Write(source)
                        }
                        other => BatchError::Write(io::Error::other(other.to_string())),
                    })
                })
                .map(|_| c),
            Err(e) => Err(e),
        }
    };
    if let Some(p) = &progress {
        p.finish();
    }
    match result {
        Ok(c) => {
            if !a.quiet {
                eprintln!(
                    "radpath: read {}, extracted {}, failed {}",
                    c.read, c.extracted, c.failed
                );
            }
            Ok(if c.failed > 0 && !a.exit_zero { 1 } else { 0 })
        }
        Err(BatchError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => {
            eprintln!("radpath: {e}");
            Ok(2)
        }
    }
}

/// The ordered batch, answering as it reads when `live`.
fn run_batch<W: Write>(
    live: bool,
    extractor: &Extractor,
    inputs: Inputs,
    opts: &BatchOptions,
    sink: &mut LineSink<W>,
    tick: impl FnMut(&Counts),
) -> Result<Counts, BatchError> {
    if live {
        live::run_live(extractor, inputs, opts, sink, tick)
    } else {
        batch::run(extractor, inputs, opts, sink, tick)
    }
}
