//! One Dockerfile in, one [`FileReport`] out: parse, resolve the stage graph, collect findings.

use crate::dockerfile::{self, Dockerfile};
use crate::report::{FileReport, Finding, Severity};
use crate::stages::{self, BuildOptions};

/// Everything a check needs besides the text.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub build: BuildOptions,
}

/// Checks one Dockerfile. `path` is only carried into the report.
pub fn check_dockerfile(path: &str, text: &str, options: &CheckOptions) -> FileReport {
    let dockerfile = dockerfile::parse(text);
    let graph = stages::resolve(&dockerfile, &options.build);
    let mut findings = syntax_findings(&dockerfile);
    findings.extend(
        graph
            .errors
            .iter()
            .map(|e| Finding::syntax_error(&e.message, e.span)),
    );
    findings.sort_by(|a, b| {
        (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message))
    });
    FileReport {
        path: path.to_string(),
        source: text.to_string(),
        dockerfile,
        graph,
        findings,
    }
}

fn syntax_findings(dockerfile: &Dockerfile) -> Vec<Finding> {
    dockerfile
        .errors
        .iter()
        .map(|e| Finding::syntax_error(&e.message, e.span))
        .collect()
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}
