//! Work accounting: a per-thread step counter that the extractors advance in their inner
//! loops, and a budget that stops one report's extraction when it is spent.
//!
//! A step is one iteration of an inner loop (a match, a token, a candidate looked at) or
//! one byte of a linear pass over the text. Counting steps rather than time makes the
//! measure deterministic: the tests check that ten times the input costs about ten
//! times the steps, whatever the load of the machine.
//!
//! [`within`] runs an extraction under a limit. When the count passes the limit, the
//! extraction is abandoned at once by unwinding (without a panic message) back to
//! [`within`], which turns it into [`Exhausted`]; outside [`within`] there is no limit and
//! nothing unwinds.

use std::cell::Cell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

struct State {
    steps: Cell<u64>,
    limit: Cell<u64>,
}

thread_local! {
    static STATE: State = const {
        State {
            steps: Cell::new(0),
            limit: Cell::new(u64::MAX),
        }
    };
}

/// The budget of one extraction was spent: the steps counted when it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the work budget of {limit} steps was spent")]
pub struct Exhausted {
    /// The limit that was passed.
    pub limit: u64,
}

/// Counts `n` steps of work on this thread; past the limit of the enclosing [`within`],
/// abandons the extraction.
#[inline]
pub fn add(n: usize) {
    STATE.with(|s| {
        let steps = s.steps.get().saturating_add(n as u64);
        s.steps.set(steps);
        if steps > s.limit.get() {
            let limit = s.limit.get();
            // Only `within` sets a limit, and it catches this payload.
            resume_unwind(Box::new(Exhausted { limit }));
        }
    });
}

/// Counts one step.
#[inline]
pub fn step() {
    add(1);
}

/// Runs `f` and returns its result with the steps it counted (no limit).
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = STATE.with(|s| s.steps.replace(0));
    let out = f();
    let steps = STATE.with(|s| s.steps.replace(before));
    (out, steps)
}

/// Runs `f` with at most `limit` steps: its result and the steps counted, or
/// [`Exhausted`] when it needed more. A panic inside `f` is passed on.
pub fn within<T>(limit: u64, f: impl FnOnce() -> T) -> Result<(T, u64), Exhausted> {
    let (before, outer) = STATE.with(|s| (s.steps.replace(0), s.limit.replace(limit)));
    let result = catch_unwind(AssertUnwindSafe(f));
    let steps = STATE.with(|s| {
        s.limit.set(outer);
        s.steps.replace(before)
    });
    match result {
        Ok(out) => Ok((out, steps)),
        Err(payload) => match payload.downcast::<Exhausted>() {
            Ok(e) => Err(*e),
            Err(other) => resume_unwind(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_stops() {
        let ((), n) = measure(|| {
            for _ in 0..10 {
                step();
            }
            add(5);
        });
        assert_eq!(n, 15);
        let got = within(100, || add(50));
        assert_eq!(got, Ok(((), 50)));
        let got = within(100, || {
            add(60);
            add(60);
            "not reached"
        });
        assert_eq!(got, Err(Exhausted { limit: 100 }));
        // The limit ends with `within`.
        let ((), n) = measure(|| add(1000));
        assert_eq!(n, 1000);
    }

    #[test]
    fn a_panic_is_passed_on() {
        let r = catch_unwind(|| within(10, || panic!("boom")));
        assert!(r.is_err());
    }
}
