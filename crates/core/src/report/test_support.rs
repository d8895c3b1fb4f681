//! Shared helpers for the views' tests.

use crate::check::{CheckOptions, check_dockerfile};
use crate::dockerfile::{Position, Span};
use crate::report::FileReport;

/// A real check, keeping only the syntax errors (MC000) so that the expected output does not
/// change as rules are added.
pub fn check(path: &str, text: &str) -> FileReport {
    let mut file = check_dockerfile(path, text, &CheckOptions::default());
    file.findings.retain(|f| f.code == "MC000");
    file
}

/// A span from 1-based line and column numbers (byte offsets are not used by the views).
pub fn span(line: u32, start: u32, end_line: u32, end: u32) -> Span {
    Span {
        start: Position {
            line,
            column: start,
            offset: 0,
        },
        end: Position {
            line: end_line,
            column: end,
            offset: 0,
        },
    }
}
