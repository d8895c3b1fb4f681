//! Pull-request review comments, one per finding: the view the action posts as one review with
//! `review: true`. Where a rule has a mechanical fix (MC001's production twin), the comment
//! carries a GitHub ````suggestion` block holding the fixed line(s), which applies it in one
//! click.
//!
//! Entry point: [`render`]`(&Report, root) -> Vec<ReviewComment>`. Each body starts with a
//! hidden marker naming the rule (`<!-- minicheck-review:MC001 -->`), so a host can tell the
//! comments it already made on a line for a finding and not repeat them.

use super::markdown::escape;
use super::sarif::repo_path;
use super::{Finding, Report, Severity};
use serde::Serialize;

/// One line comment of a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewComment {
    /// Relative to the repository root, with `/`.
    pub path: String,
    /// The first line the comment covers (1-based); equal to `line` for one line.
    pub start_line: u32,
    /// The last line it covers: GitHub's `line`.
    pub line: u32,
    pub rule: &'static str,
    pub severity: Severity,
    /// `<!-- minicheck-review:MC001 -->`, the first line of `body`.
    pub marker: String,
    /// Markdown; with a suggestion block when the finding has a fix.
    pub body: String,
}

/// The hidden first line of every review comment of a rule.
pub fn marker(code: &str) -> String {
    format!("<!-- minicheck-review:{code} -->")
}

/// One comment per finding, in report order.
pub fn render(report: &Report, root: Option<&str>) -> Vec<ReviewComment> {
    let mut out = Vec::new();
    for file in &report.files {
        let path = repo_path(&file.path, root);
        for finding in &file.findings {
            out.push(comment(&path, &file.source, finding));
        }
    }
    out
}

fn comment(path: &str, source: &str, finding: &Finding) -> ReviewComment {
    let (start_line, line) = lines_of(finding.span.start.line, finding.span.end);
    let marker = marker(finding.code);
    let icon = match finding.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    };
    let mut body = format!(
        "{marker}\n{icon} **{} {}** ({}): {}\n",
        finding.code,
        finding.name,
        finding.severity.as_str(),
        escape(&finding.message)
    );
    if let Some(help) = &finding.help {
        body.push_str(&format!("\n{}\n", escape(help)));
    }
    let suggestion = finding.fix.as_ref().and_then(|fix| {
        let (first, last) = lines_of(fix.span.start.line, fix.span.end);
        let fixed = apply(
            source,
            fix.span.start.offset,
            fix.span.end.offset,
            &fix.replacement,
        )?;
        Some((first, last, fixed, &fix.description))
    });
    let (start_line, line) = match suggestion {
        Some((first, last, fixed, description)) => {
            let fence = fence_for(&fixed);
            body.push_str(&format!(
                "\nSuggested fix: {}.\n\n{fence}suggestion\n{fixed}\n{fence}\n",
                escape(description)
            ));
            (first, last)
        }
        None => (start_line, line),
    };
    ReviewComment {
        path: path.to_string(),
        start_line,
        line,
        rule: finding.code,
        severity: finding.severity,
        marker,
        body,
    }
}

/// The lines a span covers; a span ending at column 1 of a later line ends on the line before.
fn lines_of(start: u32, end: crate::dockerfile::Position) -> (u32, u32) {
    let last = if end.column == 1 && end.line > start {
        end.line - 1
    } else {
        end.line
    };
    (start, last.max(start))
}

/// The whole lines around `start..end` with that range replaced, without line endings; `None`
/// when the offsets do not fit the text.
fn apply(source: &str, start: usize, end: usize, replacement: &str) -> Option<String> {
    // Spans count from after a byte-order mark.
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return None;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    // A span that ends just after a line break ends on the line before (as `lines_of`):
    // nothing of the next line belongs to the suggestion.
    let rest = if end > start && text.as_bytes()[end - 1] == b'\n' {
        ""
    } else {
        &text[end..text[end..].find('\n').map_or(text.len(), |i| end + i)]
    };
    let fixed = format!("{}{}{}", &text[line_start..start], replacement, rest);
    Some(
        fixed
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A code fence longer than any run of backticks in the text.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckOptions, check_dockerfile};

    fn report(text: &str) -> Report {
        Report {
            files: vec![check_dockerfile(
                "/repo/app/Dockerfile",
                text,
                &CheckOptions::default(),
            )],
            comparisons: Vec::new(),
        }
    }

    #[test]
    fn mc001_carries_a_suggestion_that_fixes_the_line() {
        let text = "FROM reg.mini.dev/python:3.13.5-dev AS build\nRUN pip install flask\n\nFROM reg.mini.dev/python:3.13.5-dev AS final\nCOPY --from=build /app /app\n";
        let comments = render(&report(text), Some("/repo"));
        let mc001 = comments.iter().find(|c| c.rule == "MC001").expect("MC001");
        assert_eq!(mc001.path, "app/Dockerfile");
        assert_eq!((mc001.start_line, mc001.line), (4, 4));
        assert!(
            mc001.body.starts_with("<!-- minicheck-review:MC001 -->\n"),
            "{}",
            mc001.body
        );
        assert!(
            mc001
                .body
                .contains("```suggestion\nFROM reg.mini.dev/python:3.13.5 AS final\n```\n"),
            "{}",
            mc001.body
        );
    }

    #[test]
    fn a_finding_without_a_fix_has_no_suggestion() {
        let comments = render(&report("FROM debian:12\nRUN apt-get update\n"), None);
        assert!(!comments.is_empty());
        for c in &comments {
            assert!(!c.body.contains("suggestion"), "{}", c.body);
            assert_eq!(c.path, "/repo/app/Dockerfile");
            assert!(c.start_line <= c.line);
        }
    }

    #[test]
    fn fixes_keep_the_rest_of_the_line_and_crlf_and_bom_do_not_shift_it() {
        let text = "\u{feff}FROM x\r\nFROM  reg.mini.dev/node:22-dev  AS final # why\r\n";
        let start = text
            .trim_start_matches('\u{feff}')
            .find("reg.mini")
            .unwrap();
        let end = start + "reg.mini.dev/node:22-dev".len();
        assert_eq!(
            apply(text, start, end, "reg.mini.dev/node:22").as_deref(),
            Some("FROM  reg.mini.dev/node:22  AS final # why")
        );
        assert_eq!(apply(text, end, start, "x"), None);
        // A whole line replaced, break included: the suggestion covers that line only.
        assert_eq!(
            apply("FROM a\nRUN x\n", 0, 7, "FROM b\n").as_deref(),
            Some("FROM b")
        );
        assert_eq!(apply(text, 0, 10_000, "x"), None);
    }

    #[test]
    fn no_suggestion_that_would_write_a_masked_token() {
        let text = "FROM reg.mini.dev/mini_abcdefghijklmnopqrstuvwxyz0123/python:3.13.5-dev\n";
        let comments = render(&report(text), None);
        let mc001 = comments.iter().find(|c| c.rule == "MC001").expect("MC001");
        assert!(!mc001.body.contains("suggestion"), "{}", mc001.body);
        assert!(!mc001.body.contains("abcdefghijklmnop"), "{}", mc001.body);
    }

    #[test]
    fn fences_outgrow_backticks_in_the_text() {
        assert_eq!(fence_for("FROM a"), "```");
        assert_eq!(fence_for("RUN echo ````"), "`````");
    }
}
