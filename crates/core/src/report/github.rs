//! GitHub Actions workflow commands, one annotation per finding:
//!
//! ```text
//! ::error file=app/Dockerfile,line=2,endLine=2,col=6,endColumn=16,title=MC000 syntax-error::unknown flag: chmodd
//! ```
//!
//! Entry point: [`render`]`(&Report, &GithubOptions) -> String`.
//!
//! Severities map to `error`, `warning` and `notice`. All errors come first, then warnings, then
//! notices, each in report order. A runner shows at most 10 of each kind per step, so at most
//! that many of each are written; when any are left out, one last
//! `::notice::minicheck: N more findings are not annotated; see the job summary` says so (and
//! the notices make room for it). `col` and `endColumn` are given only when the finding starts
//! and ends on one line. Values are escaped exactly as `@actions/core` escapes them.

use super::sarif::repo_path;
use super::{Finding, Report, Severity};

/// The runner's limit per kind of annotation and step.
pub const RUNNER_LIMIT: usize = 10;

/// Paths and limits for the annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GithubOptions {
    /// The repository root as the paths in the report spell it; removed from the front of each
    /// path, so that `file=` is relative to the repository (`GITHUB_WORKSPACE`).
    pub root: Option<String>,
    /// At most this many `::error` lines (default 10).
    pub max_errors: usize,
    /// At most this many `::warning` lines (default 10).
    pub max_warnings: usize,
    /// At most this many `::notice` lines (default 10), the overflow notice included.
    pub max_notices: usize,
}

impl Default for GithubOptions {
    fn default() -> Self {
        GithubOptions {
            root: None,
            max_errors: RUNNER_LIMIT,
            max_warnings: RUNNER_LIMIT,
            max_notices: RUNNER_LIMIT,
        }
    }
}

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The annotations, one line each (empty when there are no findings).
pub fn render(report: &Report, options: &GithubOptions) -> String {
    let by_kind = |severity: Severity| {
        report.files.iter().flat_map(move |file| {
            file.findings
                .iter()
                .filter(move |f| f.severity == severity)
                .map(move |f| (file.path.as_str(), f))
        })
    };
    let count = |severity: Severity| by_kind(severity).count();
    let (errors, warnings, notices) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let left_out = |max_notices: usize| {
        errors.saturating_sub(options.max_errors)
            + warnings.saturating_sub(options.max_warnings)
            + notices.saturating_sub(max_notices)
    };
    // The overflow notice is a notice too: keep a place for it among them.
    let mut max_notices = options.max_notices;
    if left_out(max_notices) > 0 {
        max_notices = max_notices.saturating_sub(1);
    }
    let omitted = left_out(max_notices);
    let mut out = String::new();
    for (severity, max) in [
        (Severity::Error, options.max_errors),
        (Severity::Warning, options.max_warnings),
        (Severity::Info, max_notices),
    ] {
        for (path, finding) in by_kind(severity).take(max) {
            out.push_str(&annotation(
                &repo_path(path, options.root.as_deref()),
                finding,
            ));
        }
    }
    if omitted > 0 {
        let what = if omitted == 1 {
            "finding is"
        } else {
            "findings are"
        };
        let message =
            format!("minicheck: {omitted} more {what} not annotated; see the job summary");
        out.push_str("::notice::");
        out.push_str(&escape_data(&message));
        out.push('\n');
    }
    out
}

fn annotation(path: &str, f: &Finding) -> String {
    let start = f.span.start;
    let end = f.span.end;
    let line = start.line.max(1);
    let end_line = end.line.max(line);
    let mut properties = vec![
        ("file", path.to_string()),
        ("line", line.to_string()),
        ("endLine", end_line.to_string()),
    ];
    if line == end_line {
        let col = start.column.max(1);
        properties.push(("col", col.to_string()));
        properties.push(("endColumn", end.column.max(col).to_string()));
    }
    properties.push(("title", format!("{} {}", f.code, f.name)));
    let properties = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect::<Vec<_>>()
        .join(",");
    let message = match &f.help {
        Some(help) => format!("{}\n{help}", f.message),
        None => f.message.clone(),
    };
    format!(
        "::{} {properties}::{}\n",
        command(f.severity),
        escape_data(&message)
    )
}

/// `escapeData` of `@actions/core`: `%`, `\r` and `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `escapeProperty` of `@actions/core`: as [`escape_data`], and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::*;

    use crate::rules::lookup;

    fn finding(severity: Severity, message: &str) -> Finding {
        let mut f = lookup("MC000").unwrap().finding(message, span(1, 1, 1, 5));
        f.severity = severity;
        f
    }

    fn report(findings: Vec<Finding>) -> Report {
        let mut file = check("Dockerfile", "FROM a\n");
        file.findings = findings;
        Report {
            files: vec![file],
            ..Report::default()
        }
    }

    #[test]
    fn real_findings() {
        let report = Report {
            files: vec![
                check("./app\\Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n"),
                check("Dockerfile", "FROM a\nENV PATH\n"),
            ],
            ..Report::default()
        };
        assert_eq!(
            render(&report, &GithubOptions::default()),
            "::error file=app/Dockerfile,line=2,endLine=2,col=6,endColumn=16,\
             title=MC000 syntax-error::unknown flag: chmodd\n\
             ::error file=Dockerfile,line=2,endLine=2,col=1,endColumn=9,\
             title=MC000 syntax-error::ENV must have two arguments\n"
        );
        assert_eq!(render(&Report::default(), &GithubOptions::default()), "");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b,c\r\nd"),
            "100%25 a%3Ab%2Cc%0D%0Ad"
        );
        // `%` first: an existing `%3A` is not taken for an escape.
        assert_eq!(escape_property("%3A:"), "%253A%3A");
        let mut file = check("dir,with:odd/Dockerfile", "FROM a\n");
        file.findings = vec![
            lookup("MC000")
                .unwrap()
                .finding("50% of it: a, b\nnext", span(1, 6, 1, 7))
                .with_help("try: x, y"),
        ];
        assert_eq!(
            render(
                &Report {
                    files: vec![file],
                    ..Report::default()
                },
                &GithubOptions::default()
            ),
            "::error file=dir%2Cwith%3Aodd/Dockerfile,line=1,endLine=1,col=6,endColumn=7,\
             title=MC000 syntax-error::50%25 of it: a, b%0Anext%0Atry: x, y\n"
        );
    }

    #[test]
    fn columns_only_on_one_line() {
        let mut f = finding(Severity::Warning, "m");
        f.span = span(2, 5, 4, 4);
        assert_eq!(
            render(&report(vec![f]), &GithubOptions::default()),
            "::warning file=Dockerfile,line=2,endLine=4,title=MC000 syntax-error::m\n"
        );
    }

    #[test]
    fn severities_and_order() {
        let report = report(vec![
            finding(Severity::Info, "i1"),
            finding(Severity::Warning, "w1"),
            finding(Severity::Error, "e1"),
            finding(Severity::Info, "i2"),
            finding(Severity::Error, "e2"),
        ]);
        let kinds: Vec<String> = render(&report, &GithubOptions::default())
            .lines()
            .map(|l| {
                let (kind, rest) = l.split_once(' ').unwrap();
                format!("{kind} {}", rest.rsplit("::").next().unwrap())
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "::error e1",
                "::error e2",
                "::warning w1",
                "::notice i1",
                "::notice i2"
            ]
        );
    }

    #[test]
    fn ten_of_each_kind_then_one_notice() {
        let mut findings = Vec::new();
        for i in 0..12 {
            findings.push(finding(Severity::Error, &format!("e{i}")));
        }
        for i in 0..3 {
            findings.push(finding(Severity::Warning, &format!("w{i}")));
        }
        for i in 0..10 {
            findings.push(finding(Severity::Info, &format!("i{i}")));
        }
        let out = render(&report(findings), &GithubOptions::default());
        let lines: Vec<&str> = out.lines().collect();
        let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
        assert_eq!(count("::error "), 10);
        assert_eq!(count("::warning "), 3);
        // Nine notices and the overflow notice: ten.
        assert_eq!(count("::notice"), 10);
        assert!(lines[9].ends_with("::e9"), "{out}");
        assert!(lines[21].ends_with("::i8"), "{out}");
        assert_eq!(
            lines.last().unwrap(),
            &"::notice::minicheck: 3 more findings are not annotated; see the job summary"
        );
    }

    #[test]
    fn no_overflow_notice_when_everything_fits() {
        let findings = (0..10)
            .map(|i| finding(Severity::Info, &format!("i{i}")))
            .chain((0..10).map(|i| finding(Severity::Error, &format!("e{i}"))))
            .collect();
        let out = render(&report(findings), &GithubOptions::default());
        assert_eq!(out.lines().count(), 20);
        assert!(!out.contains("more finding"));
    }

    #[test]
    fn limits_are_options() {
        let findings = vec![
            finding(Severity::Error, "e1"),
            finding(Severity::Error, "e2"),
            finding(Severity::Warning, "w1"),
        ];
        let options = GithubOptions {
            max_errors: 1,
            max_warnings: 0,
            ..GithubOptions::default()
        };
        let out = render(&report(findings), &options);
        assert_eq!(
            out,
            "::error file=Dockerfile,line=1,endLine=1,col=1,endColumn=5,\
             title=MC000 syntax-error::e1\n\
             ::notice::minicheck: 2 more findings are not annotated; see the job summary\n"
        );
        let one = render(
            &report(vec![
                finding(Severity::Error, "a"),
                finding(Severity::Error, "b"),
            ]),
            &GithubOptions {
                max_errors: 1,
                ..GithubOptions::default()
            },
        );
        assert!(one.ends_with(
            "::notice::minicheck: 1 more finding is not annotated; see the job summary\n"
        ));
    }

    #[test]
    fn root_is_removed_from_paths() {
        let report = Report {
            files: vec![check(
                "/home/runner/work/r/r/svc/Dockerfile",
                "FROM a\nENV PATH\n",
            )],
            ..Report::default()
        };
        let options = GithubOptions {
            root: Some("/home/runner/work/r/r".into()),
            ..GithubOptions::default()
        };
        assert!(render(&report, &options).starts_with("::error file=svc/Dockerfile,line=2,"));
    }
}
