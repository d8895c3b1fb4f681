//! The human output: `path:line:col: MC000 [error] message`, then a summary line.

use super::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for file in &report.files {
        for f in &file.findings {
            let _ = writeln!(
                out,
                "{}:{}:{}: {} [{}] {}",
                file.path,
                f.span.start.line,
                f.span.start.column,
                f.code,
                f.severity.as_str(),
                f.message
            );
        }
    }
    let s = report.summary();
    let files = plural(s.files, "file", "files");
    if s.findings == 0 {
        let _ = writeln!(out, "{files} checked: no findings");
    } else {
        let _ = writeln!(
            out,
            "{files} checked: {} ({}, {}, {})",
            plural(s.findings, "finding", "findings"),
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
            plural(s.info, "info", "info"),
        );
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
