//! The progress line of a run on stderr: only when stderr is a terminal that is not also
//! where the records go, never under `--quiet`; reports/s and MB/s as plain numbers, and an
//! ETA when the size of the input is known.

use std::io::IsTerminal;
use std::time::Instant;

use radpath::io::batch::Counts;

/// A progress line, or nothing when it must not be shown.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    total: Option<u64>,
}

/// Whether stdout and stderr are the same terminal (records would mix with the bar).
#[cfg(unix)]
fn same_terminal() -> bool {
    use std::os::unix::fs::MetadataExt;
    let meta = |fd: &str| std::fs::metadata(format!("/dev/fd/{fd}")).ok();
    match (meta("1"), meta("2")) {
        (Some(a), Some(b)) => a.rdev() == b.rdev() && a.ino() == b.ino(),
        _ => std::io::stdout().is_terminal(),
    }
}

#[cfg(not(unix))]
fn same_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The bytes of the files and folders (their `.txt` files) given, when every path is one.
pub fn input_size(paths: &[String]) -> Option<u64> {
    if paths.is_empty() {
        return None;
    }
    let mut total = 0u64;
    for p in paths {
        if p == "-" {
            return None;
        }
        let meta = std::fs::metadata(p).ok()?;
        if meta.is_file() {
            total += meta.len();
        } else if meta.is_dir() {
            for e in walkdir::WalkDir::new(p).into_iter().flatten() {
                if e.path().extension().is_some_and(|x| x == "txt") {
                    total += e.metadata().map(|m| m.len()).unwrap_or(0);
                }
            }
        } else {
            return None;
        }
    }
    Some(total)
}

impl Progress {
    /// A progress line for a run over `total` bytes (when known), or `None`.
    pub fn start(quiet: bool, total: Option<u64>) -> Option<Progress> {
        if quiet || !std::io::stderr().is_terminal() || same_terminal() {
            return None;
        }
        let bar = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let template = if total.is_some() {
            "{bar:30} {percent:>3}% {msg} ETA {eta}"
        } else {
            "{spinner} {elapsed} {msg}"
        };
        bar.set_style(indicatif::ProgressStyle::with_template(template).ok()?);
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
        Some(Progress {
            bar,
            started: Instant::now(),
            total,
        })
    }

    /// Shows the counts so far.
    pub fn tick(&self, c: &Counts) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} reports ({} failed), {:.0} reports/s, {:.1} MB/s",
            c.read,
            c.failed,
            c.read as f64 / secs,
            c.bytes as f64 / 1e6 / secs
        ));
        match self.total {
            Some(t) => self.bar.set_position(c.bytes.min(t)),
            None => self.bar.tick(),
        }
    }

    /// Clears the line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
