//! A one-line progress indicator on stderr, for fetches that take more than a second, and only
//! when stderr is a terminal (never in logs, pipes or CI output). Plain text, rewritten in place
//! with a carriage return and wiped when the fetch ends.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(500);

pub(crate) struct Progress {
    running: Option<Running>,
}

struct Running {
    done: Arc<AtomicUsize>,
    printed: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Progress {
    /// Starts counting `total` fetches; prints nothing unless `enabled`, stderr is a terminal
    /// and a second passes. Must be called inside the Tokio runtime.
    pub(crate) fn start(enabled: bool, total: usize) -> Progress {
        if !enabled || total == 0 || !std::io::stderr().is_terminal() {
            return Progress { running: None };
        }
        let done = Arc::new(AtomicUsize::new(0));
        let printed = Arc::new(AtomicBool::new(false));
        let task = {
            let done = done.clone();
            let printed = printed.clone();
            tokio::spawn(async move {
                let start = Instant::now();
                tokio::time::sleep(DELAY).await;
                loop {
                    let line = line(total, done.load(Ordering::Relaxed), start.elapsed());
                    {
                        let mut err = std::io::stderr().lock();
                        let _ = write!(err, "\r{line}");
                        let _ = err.flush();
                    }
                    printed.store(true, Ordering::Relaxed);
                    tokio::time::sleep(TICK).await;
                }
            })
        };
        Progress {
            running: Some(Running {
                done,
                printed,
                task,
            }),
        }
    }

    pub(crate) fn one_done(&self) {
        if let Some(r) = &self.running {
            r.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Stops and wipes the line, if one was printed.
    pub(crate) fn finish(self) {
        if let Some(r) = self.running {
            r.task.abort();
            if r.printed.load(Ordering::Relaxed) {
                let width = line(usize::MAX, usize::MAX, Duration::from_secs(99_999))
                    .chars()
                    .count();
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{}\r", " ".repeat(width));
                let _ = err.flush();
            }
        }
    }
}

fn line(total: usize, done: usize, elapsed: Duration) -> String {
    let what = if total == 1 { "image" } else { "images" };
    format!(
        "minicheck: fetching {total} {what} from the registry ({done} done, {} s)",
        elapsed.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line() {
        assert_eq!(
            line(3, 1, Duration::from_millis(2500)),
            "minicheck: fetching 3 images from the registry (1 done, 2 s)"
        );
        assert_eq!(
            line(1, 0, Duration::from_secs(1)),
            "minicheck: fetching 1 image from the registry (0 done, 1 s)"
        );
    }
}
