//! The ordered parallel batch: inputs stream in bounded chunks through a thread pool and
//! come out in input order, whatever the number of threads.

use std::io::{self, Write};

use rayon::prelude::*;

use super::sink::{encode, LineSink, OutputFormat};
use super::source::{Input, Inputs};
use crate::extract::Extractor;
use crate::pipeline::{process_within, Budget};
use crate::record::{Language, Output};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Forced language, or `None` to detect per report.
    pub lang: Option<Language>,
    /// Output format.
    pub format: OutputFormat,
    /// Most reports held in one chunk.
    pub chunk_reports: usize,
    /// Most text bytes held in one chunk.
    pub chunk_bytes: usize,
    /// Work budget of each report (`None`: no limit).
    pub budget: Option<Budget>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            jobs: 1,
            lang: None,
            format: OutputFormat::Jsonl,
            chunk_reports: 1024,
            chunk_bytes: 8 << 20,
            budget: Some(Budget::default()),
        }
    }
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Inputs read.
    pub read: u64,
    /// Records extracted.
    pub extracted: u64,
    /// Error records written.
    pub failed: u64,
    /// Bytes of report text read.
    pub bytes: u64,
}

/// A batch failure: the thread pool could not start, or the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Writing the output failed (a closed pipe included).
    #[error("cannot write output: {0}")]
    Write(#[from] io::Error),
    /// The thread pool could not be built.
    #[error("cannot start {jobs} worker threads: {message}")]
    Pool {
        /// Threads asked for.
        jobs: usize,
        /// Why not.
        message: String,
    },
}

fn input_bytes(i: &Input) -> usize {
    match i {
        Input::Report(r) => r.text.len(),
        Input::Failed(_) => 0,
    }
}

/// A first guess at the bytes of an input's output line, so that the line buffer is
/// seldom grown: a record, with its evidence texts, is about ten times its report.
fn line_capacity(i: &Input) -> usize {
    1024 + 10 * input_bytes(i)
}

/// Reports whose output lines share one buffer: one allocation for a run of lines
/// instead of one per line, while a chunk still splits finely enough over the threads.
const LINES_PER_BUFFER: usize = 16;

/// The encoded lines of a run of consecutive inputs, in input order.
pub(crate) struct Encoded {
    pub(crate) bytes: Vec<u8>,
    pub(crate) extracted: u64,
    pub(crate) failed: u64,
}

/// Extracts and encodes a run of consecutive inputs into one buffer.
pub(crate) fn encode_run(
    extractor: &Extractor,
    inputs: Vec<Input>,
    opts: &BatchOptions,
) -> Encoded {
    let capacity = inputs.iter().map(line_capacity).sum();
    let mut enc = Encoded {
        bytes: Vec::with_capacity(capacity),
        extracted: 0,
        failed: 0,
    };
    for input in inputs {
        let text = match &input {
            Input::Report(r) if opts.format.needs_text() => Some(r.text.clone()),
            _ => None,
        };
        let out = process_within(extractor, input, opts.lang, opts.budget);
        if matches!(out, Output::Record(_)) {
            enc.extracted += 1;
        } else {
            enc.failed += 1;
        }
        encode(&out, opts.format, text.as_deref(), &mut enc.bytes);
    }
    enc
}

fn read_chunk(inputs: &mut Inputs, opts: &BatchOptions) -> Vec<Input> {
    let mut chunk = Vec::with_capacity(opts.chunk_reports.min(4096));
    let mut bytes = 0;
    for input in inputs.by_ref() {
        bytes += input_bytes(&input);
        chunk.push(input);
        if chunk.len() >= opts.chunk_reports || bytes >= opts.chunk_bytes {
            break;
        }
    }
    chunk
}

/// Runs every input through the extractor and writes one line per input, in order.
/// `progress` is called after each chunk with the counts so far.
pub fn run<W: Write>(
    extractor: &Extractor,
    mut inputs: Inputs,
    opts: &BatchOptions,
    sink: &mut LineSink<W>,
    mut progress: impl FnMut(&Counts),
) -> Result<Counts, BatchError> {
    let jobs = opts.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| BatchError::Pool {
            jobs,
            message: e.to_string(),
        })?;
    let mut counts = Counts::default();
    let mut next = read_chunk(&mut inputs, opts);
    while !next.is_empty() {
        let chunk = std::mem::take(&mut next);
        counts.read += chunk.len() as u64;
        counts.bytes += chunk.iter().map(input_bytes).sum::<usize>() as u64;
        let (encoded, following) = pool.install(|| {
            rayon::join(
                || {
                    chunk
                        .into_par_iter()
                        .chunks(LINES_PER_BUFFER)
                        .map(|run| encode_run(extractor, run, opts))
                        .collect::<Vec<_>>()
                },
                || read_chunk(&mut inputs, opts),
            )
        });
        next = following;
        for enc in &encoded {
            counts.extracted += enc.extracted;
            counts.failed += enc.failed;
            sink.write(&enc.bytes)?;
        }
        progress(&counts);
    }
    Ok(counts)
}
