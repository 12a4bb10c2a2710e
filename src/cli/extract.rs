//! `radpath extract`: sources -> ordered parallel batch -> sink.

use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{Context, Result};

use radpath::io::batch::{self, BatchError, BatchOptions, Counts};
use radpath::io::sink::{LineSink, OutputFormat};
use radpath::io::source;

use super::args::{ExtractArgs, FormatArg};

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
        jobs: a.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }),
        lang: super::language_choice(a.lang),
        format: match a.format {
            FormatArg::Jsonl => OutputFormat::Jsonl,
            FormatArg::Csv => OutputFormat::Csv,
        },
        budget: (a.max_work_per_byte > 0).then_some(radpath::pipeline::Budget {
            steps_per_byte: a.max_work_per_byte,
        }),
        ..BatchOptions::default()
    };
    let progress = progress_bar();
    let tick = |c: &Counts| {
        if let Some(p) = &progress {
            p.set_message(format!(
                "{} reports, {} failed, {:.1} MB",
                c.read,
                c.failed,
                c.bytes as f64 / 1e6
            ));
            p.set_position(c.read);
        }
    };
    let result = match &a.output {
        None => {
            let stdout = io::stdout();
            let mut sink = LineSink::new(
                BufWriter::with_capacity(1 << 20, stdout.lock()),
                opts.format,
            )?;
            let r = batch::run(&extractor, inputs, &opts, &mut sink, tick);
            match r {
                Ok(c) => sink.finish().map(|_| c).map_err(BatchError::Write),
                Err(e) => Err(e),
            }
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let tmp = tempfile::Builder::new()
                .prefix(".radpath-")
                .suffix(".partial")
                .tempfile_in(dir)
                .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
            let mut sink = LineSink::new(BufWriter::with_capacity(1 << 20, tmp), opts.format)?;
            let counts = batch::run(&extractor, inputs, &opts, &mut sink, tick);
            match counts {
                Ok(c) => {
                    let writer = sink.finish()?;
                    let tmp = writer.into_inner().map_err(|e| e.into_error())?;
                    tmp.as_file().sync_all().ok();
                    tmp.persist(path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    Ok(c)
                }
                Err(e) => Err(e),
            }
        }
    };
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    match result {
        Ok(c) => {
            if !a.quiet {
                eprintln!(
                    "radpath: read {}, extracted {}, failed {}",
                    c.read, c.extracted, c.failed
                );
            }
            Ok(if c.failed > 0 { 1 } else { 0 })
        }
        Err(BatchError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => {
            eprintln!("radpath: {e}");
            Ok(2)
        }
    }
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let p = indicatif::ProgressBar::new_spinner();
    p.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg} ({per_sec} reports)")
            .ok()?,
    );
    p.enable_steady_tick(std::time::Duration::from_millis(200));
    let _ = io::stderr().flush();
    Some(p)
}
