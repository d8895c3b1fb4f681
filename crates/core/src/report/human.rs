//! The human output, for a terminal:
//!
//! ```text
//! Dockerfile:2:6: MC000 [error] unknown flag: chmodd
//! 2 | COPY --chmodd=1 a b
//!   |      ^^^^^^^^^^
//!   = help: did you mean --chmod?
//!   note: Dockerfile:1:1: the stage starts here
//!   = fix: use --chmod
//!
//! 1 file checked: 1 finding (1 error, 0 warnings, 0 info)
//! ```
//!
//! Each finding is its header line, the source line with a caret underline under the span, then
//! its help, related places and fix; a blank line ends it. The last line is the summary.
//!
//! Entry points: [`render_with`]`(&Report, &HumanOptions) -> String`, and [`render`]`(&Report)`,
//! which is `render_with` with [`HumanOptions::default()`] (no colour).

use super::{FileReport, Finding, Report, Severity};
use crate::dockerfile::{SourceMap, Span};
use std::fmt::Write;

/// How the human output looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours: errors red, warnings yellow, info blue, codes bold, line numbers dim. The
    /// host decides (a terminal, `NO_COLOR` unset); the view never looks.
    pub color: bool,
}

/// Tabs in source lines are expanded to the next multiple of this many columns, in the line and
/// in its underline alike, so the carets stay under the span.
pub const TAB_WIDTH: usize = 4;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";

/// The report without colour; see [`render_with`].
pub fn render(report: &Report) -> String {
    render_with(report, &HumanOptions::default())
}

/// The report as text for a terminal, ending with the summary line and a newline.
pub fn render_with(report: &Report, options: &HumanOptions) -> String {
    let mut out = String::new();
    for file in &report.files {
        // Spans count from after a byte-order mark, as the parser does.
        let map = SourceMap::new(file.source.strip_prefix('\u{FEFF}').unwrap_or(&file.source));
        for finding in &file.findings {
            render_finding(&mut out, file, &map, finding, options);
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
    out.push_str(&super::comparison::files_human(&report.comparisons));
    out
}

fn render_finding(
    out: &mut String,
    file: &FileReport,
    map: &SourceMap<'_>,
    f: &Finding,
    options: &HumanOptions,
) {
    let paint = Paint(options.color);
    let severity_color = match f.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Info => BLUE,
    };
    let _ = writeln!(
        out,
        "{}:{}:{}: {} {} {}",
        file.path,
        f.span.start.line,
        f.span.start.column,
        paint.apply(BOLD, f.code),
        paint.apply(severity_color, &format!("[{}]", f.severity.as_str())),
        f.message
    );
    let number = f.span.start.line.to_string();
    let width = number.len();
    if let Some((line, underline)) = map
        .line_text(f.span.start.line)
        .map(|text| snippet(text, f.span))
    {
        let blank = " ".repeat(width);
        let gutter = |n: &str| paint.apply(DIM, &format!("{n} |"));
        if line.is_empty() {
            let _ = writeln!(out, "{}", gutter(&number));
        } else {
            let _ = writeln!(out, "{} {line}", gutter(&number));
        }
        let _ = writeln!(
            out,
            "{} {}",
            gutter(&blank),
            paint.apply(severity_color, &underline)
        );
    }
    let pad = " ".repeat(width + 1);
    if let Some(help) = &f.help {
        let _ = writeln!(out, "{pad}= help: {help}");
    }
    for related in &f.related {
        let _ = writeln!(
            out,
            "{pad}note: {}:{}:{}: {}",
            file.path, related.span.start.line, related.span.start.column, related.message
        );
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "{pad}= fix: {}", fix.description);
    }
    out.push('\n');
}

/// The line as shown (tabs expanded, control characters replaced) and the underline for the
/// part of `span` on it: carets from the start column to the end column (exclusive), one caret
/// for an empty span or a column past the end, and `^... ...` to the end of the line when the
/// span goes on to later lines.
fn snippet(text: &str, span: Span) -> (String, String) {
    let mut shown = String::new();
    // Display column where each character starts; one more entry for the end of the line.
    let mut starts = Vec::new();
    let mut width = 0;
    for c in text.chars() {
        starts.push(width);
        if c == '\t' {
            let n = TAB_WIDTH - width % TAB_WIDTH;
            shown.extend(std::iter::repeat_n(' ', n));
            width += n;
        } else {
            shown.push(if c.is_control() { '\u{FFFD}' } else { c });
            width += 1;
        }
    }
    starts.push(width);
    let column_at = |column: u32| {
        let index = (column.max(1) - 1) as usize;
        starts.get(index).copied().unwrap_or(width)
    };
    let start = column_at(span.start.column);
    // A span that ends at the very start of the next line ends with this one.
    let ends_here = span.end.line == span.start.line + 1 && span.end.column <= 1;
    let multi_line = span.end.line > span.start.line && !ends_here;
    let end = if multi_line || ends_here {
        width
    } else {
        column_at(span.end.column)
    };
    let mut underline = " ".repeat(start);
    underline.push_str(&"^".repeat(end.saturating_sub(start).max(1)));
    if multi_line {
        underline.push_str(" ...");
    }
    (shown.trim_end().to_string(), underline)
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn apply(self, style: &str, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::*;

    use crate::report::Fix;
    use crate::rules::lookup;

    fn report_with(text: &str, findings: Vec<Finding>) -> Report {
        let mut file = check("Dockerfile", "");
        file.source = text.to_string();
        file.findings = findings;
        Report {
            files: vec![file],
            ..Report::default()
        }
    }

    #[test]
    fn real_findings_with_snippets() {
        let report = Report {
            files: vec![
                check("a/Dockerfile", "FROM a\nENV PATH\n"),
                check("b/Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n"),
            ],
            ..Report::default()
        };
        assert_eq!(
            render(&report),
            "a/Dockerfile:2:1: MC000 [error] ENV must have two arguments\n\
             2 | ENV PATH\n  \
             | ^^^^^^^^\n\
             \n\
             b/Dockerfile:2:6: MC000 [error] unknown flag: chmodd\n\
             2 | COPY --chmodd=1 a b\n  \
             |      ^^^^^^^^^^\n\
             \n\
             2 files checked: 2 findings (2 errors, 0 warnings, 0 info)\n"
        );
    }

    #[test]
    fn no_findings_summary() {
        let report = Report {
            files: vec![check("Dockerfile", "FROM a\n")],
            ..Report::default()
        };
        assert_eq!(render(&report), "1 file checked: no findings\n");
        assert_eq!(render(&Report::default()), "0 files checked: no findings\n");
    }

    #[test]
    fn help_related_and_fix() {
        let text = "FROM python:3 AS build\nRUN make\nFROM build\n";
        let meta = lookup("MC000").unwrap();
        let finding = meta
            .finding(
                "the final stage runs on a development image",
                span(3, 6, 3, 11),
            )
            .with_help("start the final stage from a production image")
            .with_related(span(1, 1, 1, 23), "the stage `build` starts here")
            .with_fix(Fix {
                span: span(3, 6, 3, 11),
                replacement: "python:3-slim".into(),
                description: "use python:3-slim".into(),
            });
        let mut info = meta.finding("a note", span(2, 5, 2, 9));
        info.severity = Severity::Info;
        let report = report_with(text, vec![finding, info]);
        assert_eq!(
            render(&report),
            "Dockerfile:3:6: MC000 [error] the final stage runs on a development image\n\
             3 | FROM build\n  \
             |      ^^^^^\n  \
             = help: start the final stage from a production image\n  \
             note: Dockerfile:1:1: the stage `build` starts here\n  \
             = fix: use python:3-slim\n\
             \n\
             Dockerfile:2:5: MC000 [info] a note\n\
             2 | RUN make\n  \
             |     ^^^^\n\
             \n\
             1 file checked: 2 findings (1 error, 0 warnings, 1 info)\n"
        );
    }

    #[test]
    fn colour() {
        let text = "FROM a\nCOPY --chmodd=1 a b\n";
        let meta = lookup("MC000").unwrap();
        let mut warning = meta.finding("w", span(1, 6, 1, 7)).with_help("h");
        warning.severity = Severity::Warning;
        let mut report = Report {
            files: vec![check("Dockerfile", text)],
            ..Report::default()
        };
        report.files[0].findings.push(warning);
        let out = render_with(&report, &HumanOptions { color: true });
        assert_eq!(
            out,
            "Dockerfile:2:6: \x1b[1mMC000\x1b[0m \x1b[31m[error]\x1b[0m unknown flag: chmodd\n\
             \x1b[2m2 |\x1b[0m COPY --chmodd=1 a b\n\
             \x1b[2m  |\x1b[0m \x1b[31m     ^^^^^^^^^^\x1b[0m\n\
             \n\
             Dockerfile:1:6: \x1b[1mMC000\x1b[0m \x1b[33m[warning]\x1b[0m w\n\
             \x1b[2m1 |\x1b[0m FROM a\n\
             \x1b[2m  |\x1b[0m \x1b[33m     ^\x1b[0m\n  \
             = help: h\n\
             \n\
             1 file checked: 2 findings (1 error, 1 warning, 0 info)\n"
        );
        let mut info = report.clone();
        info.files[0].findings[1].severity = Severity::Info;
        assert!(
            render_with(&info, &HumanOptions { color: true }).contains("\x1b[34m[info]\x1b[0m")
        );
        assert!(!render(&report).contains('\x1b'));
    }

    #[test]
    fn tabs_keep_the_caret_aligned() {
        // Column 7 is the `-` after "\tCOPY " (the tab is one character).
        let report = Report {
            files: vec![check("Dockerfile", "FROM a\n\tCOPY --chmodd=1 a b\n")],
            ..Report::default()
        };
        assert_eq!(report.files[0].findings[0].span.start.column, 7);
        let out = render(&report);
        assert!(
            out.contains("2 |     COPY --chmodd=1 a b\n  |          ^^^^^^^^^^\n"),
            "{out}"
        );
        // A tab inside the span widens the underline with it.
        let text = "FROM a\nRUN a\tb\n";
        let f = lookup("MC000").unwrap().finding("m", span(2, 5, 2, 8));
        let out = render(&report_with(text, vec![f]));
        assert!(out.contains("2 | RUN a   b\n  |     ^^^^^\n"), "{out}");
        // A tab that is not at the start expands to the next tab stop.
        let text = "FROM a\nab\tc\n";
        let f = lookup("MC000").unwrap().finding("m", span(2, 4, 2, 5));
        let out = render(&report_with(text, vec![f]));
        assert!(out.contains("2 | ab  c\n  |     ^\n"), "{out}");
    }

    #[test]
    fn multi_line_span_underlines_to_the_end_of_the_first_line() {
        let text = "FROM a\nRUN <<EOF\necho hi\nEOF\n";
        let f = lookup("MC000").unwrap().finding("m", span(2, 5, 4, 4));
        let out = render(&report_with(text, vec![f]));
        assert!(out.contains("2 | RUN <<EOF\n  |     ^^^^^ ...\n"), "{out}");
        // Ending at the start of the next line is ending with this one.
        let f = lookup("MC000").unwrap().finding("m", span(2, 1, 3, 1));
        let out = render(&report_with(text, vec![f]));
        assert!(out.contains("2 | RUN <<EOF\n  | ^^^^^^^^^\n"), "{out}");
    }

    #[test]
    fn spans_past_the_end_never_panic() {
        let text = "FROM a\nENV\n";
        let meta = lookup("MC000").unwrap();
        let findings = vec![
            // Past the end of the line: one caret just after it.
            meta.finding("end of line", span(2, 9, 2, 12)),
            // An empty span: one caret.
            meta.finding("empty", span(2, 2, 2, 2)),
            // End before start.
            meta.finding("backwards", span(2, 3, 2, 1)),
            // Past the end of the file: no snippet.
            meta.finding("past the end", span(40, 1, 40, 3))
                .with_help("h"),
            // Line 0 and column 0 (a default span).
            meta.finding("default", Span::default()),
        ];
        let out = render(&report_with(text, findings));
        assert!(out.contains("end of line\n2 | ENV\n  |    ^\n"), "{out}");
        assert!(out.contains("empty\n2 | ENV\n  |  ^\n"), "{out}");
        assert!(out.contains("backwards\n2 | ENV\n  |   ^\n"), "{out}");
        assert!(
            out.contains("Dockerfile:40:1: MC000 [error] past the end\n   = help: h\n\n"),
            "{out}"
        );
        assert!(
            out.contains("Dockerfile:0:0: MC000 [error] default\n\n"),
            "{out}"
        );
        // No source at all.
        let mut report = report_with(text, vec![meta.finding("m", span(1, 1, 1, 2))]);
        report.files[0].source = String::new();
        assert!(render(&report).starts_with("Dockerfile:1:1: MC000 [error] m\n1 |\n  | ^\n"));
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        let mut report = Report {
            files: vec![check("Dockerfile", "FROM a\r\nCOPY --chmodd=1 a b\r\n")],
            ..Report::default()
        };
        // Spans count from after a byte-order mark.
        report.files[0].source.insert(0, '\u{FEFF}');
        let out = render(&report);
        assert!(
            out.contains("2 | COPY --chmodd=1 a b\n  |      ^^^^^^^^^^\n"),
            "{out}"
        );
        let text = "\u{FEFF}FROM a\n";
        let f = lookup("MC000").unwrap().finding("m", span(1, 6, 1, 7));
        assert!(render(&report_with(text, vec![f])).contains("1 | FROM a\n  |      ^\n"));
    }

    #[test]
    fn wide_line_numbers_align_the_gutter() {
        let text = "FROM a\n".repeat(12);
        let f = lookup("MC000")
            .unwrap()
            .finding("m", span(12, 1, 12, 5))
            .with_help("h");
        let out = render(&report_with(&text, vec![f]));
        assert!(
            out.contains("m\n12 | FROM a\n   | ^^^^\n   = help: h\n"),
            "{out}"
        );
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let text = "FROM a\nRUN \x1b[2J x\n";
        let f = lookup("MC000").unwrap().finding("m", span(2, 10, 2, 11));
        let out = render(&report_with(text, vec![f]));
        assert!(
            out.contains("2 | RUN \u{FFFD}[2J x\n  |          ^\n"),
            "{out}"
        );
    }
}
