//! The one result type every output renders: a [`Report`] of [`FileReport`]s holding
//! [`Finding`]s. The views (`json`, `human`, ...) only format it; none recomputes anything.

pub mod comparison;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod review;
pub mod sarif;
#[cfg(test)]
mod test_support;

use crate::dockerfile::{Dockerfile, Span};
use crate::stages::StageGraph;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One problem, located in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule code, `MC000`.
    pub code: &'static str,
    /// The rule's kebab-case name, `syntax-error`.
    pub name: &'static str,
    /// After configuration overrides.
    pub severity: Severity,
    pub message: String,
    /// Where the problem is (the image reference in a `FROM`, a flag's value, ...).
    pub span: Span,
    /// One or two sentences on what to do instead.
    pub help: Option<String>,
    /// Other places that explain the finding (the `FROM` that named a stage, ...).
    pub related: Vec<Related>,
    /// A mechanical fix: replace the text at `span` with `replacement`.
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
    /// What the fix does, e.g. "use the production image reg.mini.dev/python:3.13.5".
    pub description: String,
}

impl Finding {
    pub fn syntax_error(message: &str, span: Span) -> Finding {
        crate::rules::mc000_syntax_error::SyntaxError::META.finding(message, span)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }
}

/// The result of checking one Dockerfile.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub source: String,
    pub dockerfile: Dockerfile,
    pub graph: StageGraph,
    pub findings: Vec<Finding>,
}

impl FileReport {
    /// Whether any finding is at or above `threshold` (`None`: never fails); see
    /// [`crate::check::threshold`].
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| self.findings.iter().any(|f| f.severity >= t))
    }
}

/// The result of one run over many files, in a deterministic order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    /// Size and package deltas per file, when comparisons were asked for.
    pub comparisons: Vec<crate::comparison::FileComparison>,
}

/// Counts over a whole report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for finding in self.files.iter().flat_map(|f| &f.findings) {
            s.findings += 1;
            match finding.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }

    /// Whether any finding is at or above `threshold` (`None`: never fail).
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| {
            self.files
                .iter()
                .flat_map(|f| &f.findings)
                .any(|f| f.severity >= t)
        })
    }
}
