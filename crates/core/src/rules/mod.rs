//! The rules. One file per rule holds its code, name, default severity, documentation (the doc
//! comment, which `minicheck explain`, SARIF and `docs/rules.md` all show) and its tests.
//! [`RULES`] is the one list everything iterates, sorted by code; codes are never reused.

use crate::report::{Finding, Severity};
use crate::dockerfile::Span;

pub mod mc000_syntax_error;

/// Where the rule documentation lives; each rule's anchor is appended.
pub const DOCS_URL: &str = "https://github.com/minicheck/minicheck/blob/main/docs/rules.md";

/// What is known about a rule without running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line, for tables and SARIF's short description.
    pub summary: &'static str,
    /// The documentation in Markdown, from the rule's doc comment.
    pub docs: &'static str,
}

impl RuleMeta {
    /// A finding of this rule at its default severity.
    pub fn finding(&'static self, message: impl Into<String>, span: Span) -> Finding {
        Finding {
            code: self.code,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            span,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    /// The documentation with the one leading space of each `///` line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// `https://.../rules.md#mc001-final-stage-dev-image`
    pub fn url(&self) -> String {
        format!(
            "{DOCS_URL}#{}-{}",
            self.code.to_ascii_lowercase(),
            self.name
        )
    }
}

/// Declares a rule's unit struct and its [`RuleMeta`] from the doc comment above it, so no
/// string is written twice.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::report::Severity::$severity,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by code.
pub static RULES: &[&RuleMeta] = &[&mc000_syntax_error::SyntaxError::META];

/// A rule by code (`MC001`, any case) or name (`final-stage-dev-image`).
pub fn lookup(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name
    })
}
