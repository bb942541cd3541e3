//! Progress on standard error for long runs: a bar appears once a run has worked for
//! [`DELAY`] (or `CONNECTOR_ROLES_PROGRESS_AFTER` seconds) and only when standard error is a
//! terminal; short runs, pipes and CI logs stay quiet.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run works before its bar appears, unless `CONNECTOR_ROLES_PROGRESS_AFTER`
/// gives another number of seconds.
const DELAY: Duration = Duration::from_secs(1);

/// [`DELAY`], or the seconds `CONNECTOR_ROLES_PROGRESS_AFTER` gives.
fn delay() -> Duration {
    std::env::var("CONNECTOR_ROLES_PROGRESS_AFTER")
        .ok()
        .and_then(|seconds| Duration::try_from_secs_f64(seconds.parse().ok()?).ok())
        .unwrap_or(DELAY)
}

/// The progress of one step over a known number of roles.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// How long to wait before drawing.
    delay: Duration,
    /// Whether the bar may be drawn at all (standard error is a terminal).
    drawable: bool,
}

impl Progress {
    /// A hidden bar for `what` (`writing`), counting `roles`.
    pub fn new(what: &'static str, roles: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(roles).unwrap_or(u64::MAX)),
            ProgressDrawTarget::hidden(),
        );
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} roles, {eta} left")
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_message(what);
        Progress {
            bar,
            started: Instant::now(),
            delay: delay(),
            drawable: std::io::stderr().is_terminal(),
        }
    }

    /// One more role done; the bar is drawn from the first role after the delay.
    pub fn advance(&self) {
        if self.drawable && self.bar.is_hidden() && self.started.elapsed() >= self.delay {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.inc(1);
    }

    /// Runs `print` with the bar cleared, so lines on standard output never cut through it.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        self.bar.suspend(print)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
