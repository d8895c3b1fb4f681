//! Markdown for a pull-request comment or a job summary:
//!
//! ```markdown
//! ## minicheck
//!
//! ❌ 1 error in 2 files
//!
//! | Severity | Rule | Location | Message |
//! | --- | --- | --- | --- |
//! | ❌ error | [MC000](https://…/rules.md#mc000-syntax-error) syntax-error | app/Dockerfile:2 | unknown flag: chmodd |
//!
//! ### Final stages
//!
//! | File | Final stage image | Findings |
//! | --- | --- | --- |
//! | app/Dockerfile | `docker.io/library/python:3.13` | 1 |
//! | Dockerfile | `scratch` | 0 |
//! ```
//!
//! Entry point: [`render`]`(&Report, &MarkdownOptions) -> String`.
//!
//! Findings are sorted by severity (errors first), then path, then line and column. Text from
//! the Dockerfiles is escaped so that no cell can end the table, start a link or mention
//! someone. The whole output stays within `max_bytes`: rows that do not fit are left out whole,
//! and a closing line says how many.

use super::sarif::{encode, repo_path};
use super::{FileReport, Finding, Report, Severity};
use crate::rules::lookup;
use crate::stages::SourceKind;
use std::fmt::Write;

/// GitHub rejects comment bodies over 65,536 characters; this leaves room for a marker line.
pub const MAX_BYTES: usize = 65_000;

/// Links, paths and the size limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// The heading (default `minicheck`); a build-matrix leg may add its name.
    pub title: String,
    /// When set, each location links to `{link_base}/{path}#L{line}`, e.g.
    /// `https://github.com/o/r/blob/<sha>`.
    pub link_base: Option<String>,
    /// The repository root as the paths in the report spell it, removed from their front.
    pub root: Option<String>,
    /// The output is at most this many bytes (default [`MAX_BYTES`]).
    pub max_bytes: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            title: "minicheck".into(),
            link_base: None,
            root: None,
            max_bytes: MAX_BYTES,
        }
    }
}

/// The report as GitHub-flavoured Markdown, at most `options.max_bytes` long (unless even the
/// heading, summary and table headers do not fit), with the size and package table of
/// comparisons last.
pub fn render(report: &Report, options: &MarkdownOptions) -> String {
    let comparisons = super::comparison::files_markdown(&report.comparisons);
    let room = MarkdownOptions {
        max_bytes: options.max_bytes.saturating_sub(comparisons.len()),
        ..options.clone()
    };
    let mut out = render_findings(report, &room);
    out.push_str(&comparisons);
    out
}

fn render_findings(report: &Report, options: &MarkdownOptions) -> String {
    let summary = report.summary();
    let files = plural(summary.files, "file", "files");
    let mut head = format!("## {}\n\n", escape(&options.title));
    if summary.findings == 0 {
        let _ = writeln!(head, "✅ No findings in {files}");
    } else {
        let counts = [
            (summary.errors, "error", "errors"),
            (summary.warnings, "warning", "warnings"),
            (summary.info, "info", "info"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect::<Vec<_>>()
        .join(", ");
        let icon = if summary.errors > 0 {
            "❌"
        } else if summary.warnings > 0 {
            "⚠️"
        } else {
            "ℹ️"
        };
        let _ = writeln!(head, "{icon} {counts} in {files}");
    }

    let mut findings: Vec<(String, &Finding)> = report
        .files
        .iter()
        .flat_map(|file| {
            let path = repo_path(&file.path, options.root.as_deref());
            file.findings.iter().map(move |f| (path.clone(), f))
        })
        .collect();
    findings.sort_by(|(a_path, a), (b_path, b)| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a_path.cmp(b_path))
            .then_with(|| a.span.start.line.cmp(&b.span.start.line))
            .then_with(|| a.span.start.column.cmp(&b.span.start.column))
            .then_with(|| a.code.cmp(b.code))
    });
    let finding_rows: Vec<String> = findings
        .iter()
        .map(|(path, f)| finding_row(path, f, options))
        .collect();
    let file_rows: Vec<String> = report
        .files
        .iter()
        .map(|file| file_row(file, options))
        .collect();

    let findings_head = "\n| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n";
    let files_head =
        "\n### Final stages\n\n| File | Final stage image | Findings |\n| --- | --- | --- |\n";
    let finding_tail = |n: usize| {
        format!(
            "\n_{} not shown: this report is limited to {} bytes._\n",
            plural(n, "more finding", "more findings"),
            options.max_bytes
        )
    };
    let file_tail = |n: usize| format!("\n_{} not shown._\n", plural(n, "more file", "more files"));

    // What is always written, with room for both closing lines at their longest.
    let mut fixed = head.len() + files_head.len() + file_tail(file_rows.len()).len();
    if !finding_rows.is_empty() {
        fixed += findings_head.len() + finding_tail(finding_rows.len()).len();
    }
    let budget = options.max_bytes.saturating_sub(fixed);
    // The files table is kept to a quarter of the room until the findings have had theirs, so
    // neither table can crowd the other out.
    let files_bytes: usize = file_rows.iter().map(String::len).sum();
    let files_share = files_bytes.min(budget / 4);
    let mut left = budget - files_share;
    let shown_findings = fit(&finding_rows, &mut left);
    left += files_share;
    let shown_files = fit(&file_rows, &mut left);

    let mut out = head;
    if !finding_rows.is_empty() {
        out.push_str(findings_head);
        for row in &finding_rows[..shown_findings] {
            out.push_str(row);
        }
        if shown_findings < finding_rows.len() {
            out.push_str(&finding_tail(finding_rows.len() - shown_findings));
        }
    }
    if !file_rows.is_empty() {
        out.push_str(files_head);
        for row in &file_rows[..shown_files] {
            out.push_str(row);
        }
        if shown_files < file_rows.len() {
            out.push_str(&file_tail(file_rows.len() - shown_files));
        }
    }
    out
}

/// How many rows, from the first, fit in `budget` bytes; takes them from it.
fn fit(rows: &[String], budget: &mut usize) -> usize {
    let mut shown = 0;
    for row in rows {
        if row.len() > *budget {
            break;
        }
        *budget -= row.len();
        shown += 1;
    }
    shown
}

fn finding_row(path: &str, f: &Finding, options: &MarkdownOptions) -> String {
    let severity = match f.severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ info",
    };
    let rule = match lookup(f.code) {
        Some(meta) => format!("[{}]({}) {}", f.code, meta.url(), escape(f.name)),
        None => format!("{} {}", escape(f.code), escape(f.name)),
    };
    let line = f.span.start.line;
    let location = format!("{}:{line}", escape(path));
    let location = match &options.link_base {
        Some(base) => format!(
            "[{location}]({}/{}#L{line})",
            base.trim_end_matches('/'),
            encode(path, true)
        ),
        None => location,
    };
    let mut message = escape(&f.message);
    if let Some(help) = &f.help {
        let _ = write!(message, "<br>{}", escape(help));
    }
    format!("| {severity} | {rule} | {location} | {message} |\n")
}

fn file_row(file: &FileReport, options: &MarkdownOptions) -> String {
    let path = repo_path(&file.path, options.root.as_deref());
    format!(
        "| {} | {} | {} |\n",
        escape(&path),
        final_image(file),
        file.findings.len()
    )
}

/// The image the final stage runs on, as a Markdown cell: the normalised reference, `scratch`,
/// or `unresolved` (with the ARGs it needs).
fn final_image(file: &FileReport) -> String {
    let graph = &file.graph;
    let Some(stage) = graph.final_stage() else {
        return "no stage".into();
    };
    if let Some(image) = &stage.base.image {
        // A normalised reference has no backticks or pipes; escape anyway.
        return format!("`{}`", image.normalized().replace(['`', '|'], ""));
    }
    let root = graph
        .chain(stage.index)
        .last()
        .and_then(|&i| graph.stages.get(i))
        .unwrap_or(stage);
    match root.base.kind {
        SourceKind::Scratch => "`scratch`".into(),
        _ if !root.base.missing_args.is_empty() => {
            let args: Vec<String> = root
                .base
                .missing_args
                .iter()
                .map(|a| escape(&a.name))
                .collect();
            format!("unresolved (needs {})", args.join(", "))
        }
        _ => "unresolved".into(),
    }
}

/// Text for a table cell: Markdown punctuation is backslash-escaped (so `|` cannot end the cell
/// and `[`, `` ` ``, `<` start nothing), line breaks become `<br>`, and `@` and `#` are kept from
/// making mentions and issue links.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            // A word joiner after `@` or `#` stops a mention or an issue reference without
            // changing what is shown.
            '@' | '#' => {
                out.push(c);
                out.push('\u{2060}');
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{check, span as span4};

    fn span(line: u32, start: u32, end: u32) -> Span {
        span4(line, start, line, end)
    }

    use crate::dockerfile::Span;
    use crate::rules::DOCS_URL;

    const URL: &str =
        "https://github.com/minicheck/minicheck/blob/main/docs/rules.md#mc000-syntax-error";

    #[test]
    fn real_report() {
        assert_eq!(URL, format!("{DOCS_URL}#mc000-syntax-error"));
        let report = Report {
            files: vec![
                check(
                    "./b/Dockerfile",
                    "FROM python:3.13 AS base\nFROM base\nENV PATH\n",
                ),
                check("a/Dockerfile", "FROM scratch\nCOPY --chmodd=1 a b\n"),
                check("c/Dockerfile", "ARG BASE\nFROM $BASE\n"),
            ],
            ..Report::default()
        };
        assert_eq!(
            render(&report, &MarkdownOptions::default()),
            format!(
                "## minicheck\n\
                 \n\
                 ❌ 2 errors in 3 files\n\
                 \n\
                 | Severity | Rule | Location | Message |\n\
                 | --- | --- | --- | --- |\n\
                 | ❌ error | [MC000]({URL}) syntax-error | a/Dockerfile:2 | unknown flag: chmodd |\n\
                 | ❌ error | [MC000]({URL}) syntax-error | b/Dockerfile:3 | ENV must have two arguments |\n\
                 \n\
                 ### Final stages\n\
                 \n\
                 | File | Final stage image | Findings |\n\
                 | --- | --- | --- |\n\
                 | b/Dockerfile | `docker.io/library/python:3.13` | 1 |\n\
                 | a/Dockerfile | `scratch` | 1 |\n\
                 | c/Dockerfile | unresolved (needs BASE) | 0 |\n"
            )
        );
    }

    #[test]
    fn no_findings() {
        let report = Report {
            files: vec![check("Dockerfile", "FROM alpine\n")],
            ..Report::default()
        };
        assert_eq!(
            render(&report, &MarkdownOptions::default()),
            "## minicheck\n\
             \n\
             ✅ No findings in 1 file\n\
             \n\
             ### Final stages\n\
             \n\
             | File | Final stage image | Findings |\n\
             | --- | --- | --- |\n\
             | Dockerfile | `docker.io/library/alpine:latest` | 0 |\n"
        );
        let none = render(&Report::default(), &MarkdownOptions::default());
        assert_eq!(none, "## minicheck\n\n✅ No findings in 0 files\n");
        // No FROM at all.
        let report = Report {
            files: vec![check("Dockerfile", "# nothing\n")],
            ..Report::default()
        };
        assert!(
            render(&report, &MarkdownOptions::default())
                .contains("| Dockerfile | no stage | 1 |\n")
        );
    }

    #[test]
    fn summary_and_order_by_severity_path_line() {
        let meta = lookup("MC000").unwrap();
        let mut a = check("a/Dockerfile", "FROM x\n");
        let mut b = check("b/Dockerfile", "FROM x\n");
        let with = |severity: Severity, line: u32, message: &str| {
            let mut f = meta.finding(message, span(line, 1, 2));
            f.severity = severity;
            f
        };
        b.findings = vec![
            with(Severity::Info, 1, "b-info"),
            with(Severity::Warning, 3, "b-warning-3"),
            with(Severity::Warning, 1, "b-warning-1"),
        ];
        a.findings = vec![with(Severity::Warning, 9, "a-warning-9")];
        let out = render(
            &Report {
                files: vec![b, a],
                ..Report::default()
            },
            &MarkdownOptions::default(),
        );
        assert!(out.contains("⚠️ 3 warnings, 1 info in 2 files\n"), "{out}");
        let order: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("| ⚠️") || l.starts_with("| ℹ️"))
            .map(|l| l.split(" | ").nth(3).unwrap().trim_end_matches(" |"))
            .collect();
        assert_eq!(
            order,
            ["a-warning-9", "b-warning-1", "b-warning-3", "b-info"]
        );
        let mut info_only = check("Dockerfile", "FROM x\n");
        info_only.findings = vec![with(Severity::Info, 1, "i")];
        let out = render(
            &Report {
                files: vec![info_only],
                ..Report::default()
            },
            &MarkdownOptions::default(),
        );
        assert!(out.contains("ℹ️ 1 info in 1 file\n"), "{out}");
    }

    #[test]
    fn escaping_keeps_the_table_whole() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("`x`"), "\\`x\\`");
        assert_eq!(
            escape("one\ntwo\r\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
        // A backslash before a pipe cannot escape our escape.
        assert_eq!(escape("a\\|b"), "a\\\\\\|b");
        assert_eq!(
            escape("<script> [x](y) @team #1"),
            "\\<script\\> \\[x\\](y) @\u{2060}team #\u{2060}1"
        );
        let meta = lookup("MC000").unwrap();
        let mut file = check("we|ird`dir/Dockerfile", "FROM x\n");
        file.findings = vec![
            meta.finding("bad | value `x`\nsecond line", span(1, 1, 5))
                .with_help("use `y` | z"),
        ];
        let out = render(
            &Report {
                files: vec![file],
                ..Report::default()
            },
            &MarkdownOptions::default(),
        );
        let row = out.lines().find(|l| l.starts_with("| ❌")).unwrap();
        assert_eq!(
            row,
            format!(
                "| ❌ error | [MC000]({URL}) syntax-error | we\\|ird\\`dir/Dockerfile:1 | \
                 bad \\| value \\`x\\`<br>second line<br>use \\`y\\` \\| z |"
            )
        );
        // Exactly four unescaped cell separators plus the ends.
        let unescaped = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && (i == 0 || row.as_bytes()[i - 1] != b'\\'))
            .count();
        assert_eq!(unescaped, 5);
    }

    #[test]
    fn links() {
        let report = Report {
            files: vec![check("/w/repo/my app/Dockerfile", "FROM a\nENV PATH\n")],
            ..Report::default()
        };
        let options = MarkdownOptions {
            link_base: Some("https://github.com/o/r/blob/abc123/".into()),
            root: Some("/w/repo".into()),
            ..MarkdownOptions::default()
        };
        let out = render(&report, &options);
        assert!(
            out.contains(
                "| [my app/Dockerfile:2](https://github.com/o/r/blob/abc123/my%20app/Dockerfile#L2) |"
            ),
            "{out}"
        );
        assert!(out.contains("| my app/Dockerfile | `docker.io/library/a:latest` | 1 |"));
    }

    #[test]
    fn truncation_at_max_bytes() {
        let meta = lookup("MC000").unwrap();
        let mut file = check("Dockerfile", "FROM a\n");
        file.findings = (1..=2000)
            .map(|i| {
                meta.finding(
                    format!("finding number {i} {}", "x".repeat(40)),
                    span(1, 1, 2),
                )
            })
            .collect();
        let report = Report {
            files: vec![file],
            ..Report::default()
        };
        let out = render(&report, &MarkdownOptions::default());
        assert!(out.len() <= MAX_BYTES, "{}", out.len());
        assert!(out.len() > MAX_BYTES - 1000, "{}", out.len());
        let rows = out.lines().filter(|l| l.starts_with("| ❌")).count();
        assert!(rows > 100 && rows < 2000);
        // Whole rows only, then the closing line, then the files table.
        let last_row = out.lines().rfind(|l| l.starts_with("| ❌")).unwrap();
        assert!(last_row.ends_with(" |"));
        assert!(out.contains(&format!(
            "\n\n_{} more findings not shown: this report is limited to 65000 bytes._\n",
            2000 - rows
        )));
        assert!(out.ends_with("| Dockerfile | `docker.io/library/a:latest` | 2000 |\n"));

        // A small limit, exactly.
        let small = MarkdownOptions {
            max_bytes: 1500,
            ..MarkdownOptions::default()
        };
        let out = render(&report, &small);
        assert!(out.len() <= 1500, "{}", out.len());
        let rows = out.lines().filter(|l| l.starts_with("| ❌")).count();
        assert!(rows >= 1, "{out}");
        assert!(out.contains(&format!("_{} more findings not shown", 2000 - rows)));
        // Everything fits: no closing line.
        let out = render(
            &report,
            &MarkdownOptions {
                max_bytes: usize::MAX,
                ..MarkdownOptions::default()
            },
        );
        assert_eq!(out.lines().filter(|l| l.starts_with("| ❌")).count(), 2000);
        assert!(!out.contains("not shown"));
    }

    #[test]
    fn truncation_shares_the_room_between_the_tables() {
        let files = (0..500)
            .map(|i| check(&format!("svc{i:03}/Dockerfile"), "FROM a\nENV PATH\n"))
            .collect();
        let options = MarkdownOptions {
            max_bytes: 5000,
            ..MarkdownOptions::default()
        };
        let out = render(
            &Report {
                files,
                ..Report::default()
            },
            &options,
        );
        assert!(out.len() <= 5000, "{}", out.len());
        let findings = out.lines().filter(|l| l.starts_with("| ❌")).count();
        let files = out.lines().filter(|l| l.starts_with("| svc")).count();
        assert!(findings > 5 && files > 5, "{findings} {files}");
        assert!(out.contains(&format!(
            "\n\n_{} more findings not shown: this report is limited to 5000 bytes._\n\n### Final stages\n",
            500 - findings
        )));
        assert!(out.ends_with(&format!("\n\n_{} more files not shown._\n", 500 - files)));
    }

    #[test]
    fn title_and_determinism() {
        let report = Report {
            files: vec![
                check("b/Dockerfile", "FROM a\nENV PATH\n"),
                check("a/Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n"),
            ],
            ..Report::default()
        };
        let options = MarkdownOptions {
            title: "minicheck: linux/arm64".into(),
            ..MarkdownOptions::default()
        };
        let first = render(&report, &options);
        assert!(first.starts_with("## minicheck: linux/arm64\n"));
        assert_eq!(render(&report, &options), first);
    }

    /// The samples in `docs/output-formats.md` are what the views print.
    #[test]
    fn docs_samples_are_current() {
        let docs = include_str!("../../../../docs/output-formats.md");
        let report = Report {
            files: vec![
                check(
                    "app/Dockerfile",
                    "FROM reg.mini.dev/python:3.13.5\nCOPY --chmodd=644 app.py /app/\n",
                ),
                check("Dockerfile", "FROM alpine:3.22\n"),
            ],
            ..Report::default()
        };
        let human = super::super::human::render(&report);
        let github = super::super::github::render(&report, &Default::default());
        let options = MarkdownOptions {
            link_base: Some("https://github.com/o/r/blob/main".into()),
            ..MarkdownOptions::default()
        };
        let markdown = render(&report, &options);
        let sarif = super::super::sarif::render(&report, &Default::default());
        let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let result = &sarif["runs"][0]["results"][0];
        for sample in [
            format!("```text\n{human}```"),
            format!("```text\n{github}```"),
            format!("```markdown\n{markdown}```"),
            format!(
                "\"primaryLocationLineHash\": {}",
                result["partialFingerprints"]["primaryLocationLineHash"]
            ),
            format!(
                "\"snippet\": {{ \"text\": {} }}",
                result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
            ),
        ] {
            assert!(
                docs.contains(&sample),
                "not in docs/output-formats.md:\n{sample}"
            );
        }
    }
}
