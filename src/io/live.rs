//! The batch for a pipe: each input is answered, and the output flushed, as soon as it
//! has been read, in input order. Inputs are read on their own thread; whatever has
//! arrived while the last answers were being made is taken together and shared out over
//! the worker threads, so a pipe that is fed faster than one core keeps all of them busy.

use std::io::Write;
use std::sync::mpsc::{sync_channel, TryRecvError};

use rayon::prelude::*;

use super::batch::{encode_run, BatchError, BatchOptions, Counts};
use super::sink::LineSink;
use super::source::{Input, Inputs};
use crate::extract::Extractor;

fn input_bytes(i: &Input) -> usize {
    match i {
        Input::Report(r) => r.text.len(),
        Input::Failed(_) => 0,
    }
}

/// Like [`super::batch::run`], but answers each input as soon as it is read: the sink is
/// flushed after every group of inputs that had arrived, never waiting for a full chunk.
pub fn run_live<W: Write>(
    extractor: &Extractor,
    inputs: Inputs,
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
    let (tx, rx) = sync_channel::<Input>(opts.chunk_reports.max(1));
    // The reader stops by itself when the inputs end or this side is gone.
    std::thread::Builder::new()
        .name("radpath-reader".into())
        .spawn(move || {
            for input in inputs {
                if tx.send(input).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| BatchError::Pool {
            jobs,
            message: format!("cannot start the reader thread: {e}"),
        })?;
    let mut counts = Counts::default();
    while let Ok(first) = rx.recv() {
        let mut bytes = input_bytes(&first);
        let mut chunk = vec![first];
        while chunk.len() < opts.chunk_reports && bytes < opts.chunk_bytes {
            match rx.try_recv() {
                Ok(i) => {
                    bytes += input_bytes(&i);
                    chunk.push(i);
                }
                Err(TryRecvError::Empty) | Err(TryRecvError::Disconnected) => break,
            }
        }
        counts.read += chunk.len() as u64;
        counts.bytes += bytes as u64;
        // Runs small enough that every worker gets some of what has arrived.
        let per_run = chunk.len().div_ceil(jobs).clamp(1, 16);
        let encoded = pool.install(|| {
            chunk
                .into_par_iter()
                .chunks(per_run)
                .map(|run| encode_run(extractor, run, opts))
                .collect::<Vec<_>>()
        });
        for enc in &encoded {
            counts.extracted += enc.extracted;
            counts.failed += enc.failed;
            sink.write(&enc.bytes)?;
        }
        sink.flush()?;
        progress(&counts);
    }
    Ok(counts)
}
