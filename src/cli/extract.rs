//! `radpath extract`: sources -> ordered parallel batch -> sink.

use std::io::{self, BufWriter, IsTerminal, Write};

use std::path::Path;

use anyhow::Result;

use radpath::io::batch::{self, BatchError, BatchOptions, Counts};
use radpath::io::sink::{output_target, LineSink, OutputError, OutputFormat, OutputTarget};
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
        jobs: super::worker_threads(a.jobs),
        lang: super::language_choice(a.lang),
        format: match a.format {
            FormatArg::Jsonl => OutputFormat::Jsonl,
            FormatArg::Csv => OutputFormat::Csv,
        },
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
        match batch::run(&extractor, inputs, &opts, &mut sink, tick) {
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
