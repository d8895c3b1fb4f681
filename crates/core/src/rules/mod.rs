//! The rules. One file per rule holds its code, name, default severity, documentation (the doc
//! comment, which `minicheck explain`, SARIF and `docs/rules.md` all show) and its tests.
//! [`RULES`] is the one list everything iterates, sorted by code; codes are never reused.

use crate::catalog::Catalog;
use crate::config::Config;
use crate::dockerfile::{Dockerfile, Instruction, Span};
use crate::reference::ImageRef;
use crate::report::{Finding, Severity};
use crate::stages::{Stage, StageGraph};

pub mod mc000_syntax_error;
pub mod mc001_final_stage_dev_image;
pub mod mc002_final_stage_not_hardened;
pub mod mc003_final_base_unresolved;
pub mod mc004_final_base_unpinned;
pub mod mc005_shell_in_shell_less_stage;
pub mod mc006_builder_runtime_version_mismatch;
pub mod mc007_retired_registry;
pub mod mc008_copies_dev_filesystem;
pub mod mc009_unused_ignore;
pub mod mc010_token_in_image_reference;

#[cfg(test)]
mod testing;

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

/// What a rule sees: one parsed Dockerfile, its stage graph, and the policy.
pub struct Context<'a> {
    pub path: &'a str,
    pub dockerfile: &'a Dockerfile,
    pub graph: &'a StageGraph,
    pub config: &'a Config,
    pub catalog: Catalog<'a>,
}

impl Context<'_> {
    pub fn instruction(&self, index: usize) -> &Instruction {
        &self.dockerfile.instructions[index]
    }

    /// The `FROM` of a stage.
    pub fn from_of(&self, stage: &Stage) -> &Instruction {
        self.instruction(stage.from_instruction)
    }
}

/// A rule's check: reads the context, appends findings.
pub type Check = fn(&Context<'_>, &mut Vec<Finding>);

/// Every rule, sorted by code.
pub static RULES: &[&RuleMeta] = &[
    &mc000_syntax_error::SyntaxError::META,
    &mc001_final_stage_dev_image::FinalStageDevImage::META,
    &mc002_final_stage_not_hardened::FinalStageNotHardened::META,
    &mc003_final_base_unresolved::FinalBaseUnresolved::META,
    &mc004_final_base_unpinned::FinalBaseUnpinned::META,
    &mc005_shell_in_shell_less_stage::ShellInShellLessStage::META,
    &mc006_builder_runtime_version_mismatch::BuilderRuntimeVersionMismatch::META,
    &mc007_retired_registry::RetiredRegistry::META,
    &mc008_copies_dev_filesystem::CopiesDevFilesystem::META,
    &mc009_unused_ignore::UnusedIgnore::META,
    &mc010_token_in_image_reference::TokenInImageReference::META,
];

/// The checks, in the order of [`RULES`]. MC009 is not here: inline ignores produce it after
/// every other rule has run.
pub static CHECKS: &[(&RuleMeta, Check)] = &[
    (
        &mc000_syntax_error::SyntaxError::META,
        mc000_syntax_error::check,
    ),
    (
        &mc001_final_stage_dev_image::FinalStageDevImage::META,
        mc001_final_stage_dev_image::check,
    ),
    (
        &mc002_final_stage_not_hardened::FinalStageNotHardened::META,
        mc002_final_stage_not_hardened::check,
    ),
    (
        &mc003_final_base_unresolved::FinalBaseUnresolved::META,
        mc003_final_base_unresolved::check,
    ),
    (
        &mc004_final_base_unpinned::FinalBaseUnpinned::META,
        mc004_final_base_unpinned::check,
    ),
    (
        &mc005_shell_in_shell_less_stage::ShellInShellLessStage::META,
        mc005_shell_in_shell_less_stage::check,
    ),
    (
        &mc006_builder_runtime_version_mismatch::BuilderRuntimeVersionMismatch::META,
        mc006_builder_runtime_version_mismatch::check,
    ),
    (
        &mc007_retired_registry::RetiredRegistry::META,
        mc007_retired_registry::check,
    ),
    (
        &mc008_copies_dev_filesystem::CopiesDevFilesystem::META,
        mc008_copies_dev_filesystem::check,
    ),
    (
        &mc010_token_in_image_reference::TokenInImageReference::META,
        mc010_token_in_image_reference::check,
    ),
];

/// How messages name a stage: `"app"` when named, `#2` (1-based) when not.
pub fn stage_label(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("\"{name}\""),
        None => format!("#{}", stage.index + 1),
    }
}

/// An image as messages show it: the short form users write (`python:3.13`,
/// `reg.mini.dev/python:3.13.5-dev`), with any credential in the path masked.
pub fn show(image: &ImageRef) -> String {
    crate::redact::redact(&image.familiar()).into_owned()
}

/// A rule by code (`MC001`, any case) or name (`final-stage-dev-image`).
pub fn lookup(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// `docs/rules.md`: every rule's documentation, generated from [`RULES`].
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rules' doc comments by `UPDATE_DOCS=1 cargo test -p minicheck-core rules`; do not edit. -->\n\n| code | name | default severity | summary |\n|---|---|---|---|\n",
    );
    for rule in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}-{}) | `{}` | {} | {} |\n",
            rule.code,
            rule.code.to_ascii_lowercase(),
            rule.name,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    for rule in RULES {
        out.push_str(&format!(
            "\n## {} {}\n\nDefault severity: **{}**. {}.\n\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        ));
        // Demote the doc's headings one level under the rule's.
        for line in rule.documentation().lines() {
            if line.starts_with("## ") {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_sorted() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted, "sorted and unique");
        for code in codes {
            assert!(
                code.len() == 5
                    && code.starts_with("MC")
                    && code[2..].chars().all(|c| c.is_ascii_digit()),
                "{code}"
            );
        }
    }

    #[test]
    fn names_describe_the_bad_pattern_in_kebab_case() {
        let banned = ["avoid-", "no-", "use-", "prefer-", "do-not-", "missing-"];
        for rule in RULES {
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                rule.name
            );
            assert!(
                !banned.iter().any(|b| rule.name.starts_with(b)),
                "{}",
                rule.name
            );
            assert_eq!(lookup(rule.name).map(|r| r.code), Some(rule.code));
            assert_eq!(
                lookup(&rule.code.to_lowercase()).map(|r| r.code),
                Some(rule.code)
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in RULES {
            let docs = rule.documentation();
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                assert!(docs.contains(heading), "{} lacks {heading}", rule.code);
            }
            assert!(
                docs.contains("```dockerfile"),
                "{} has no example",
                rule.code
            );
            assert!(!rule.summary.ends_with('.'), "{}", rule.code);
        }
    }

    #[test]
    fn every_rule_but_unused_ignore_has_a_check() {
        let with_checks: Vec<&str> = CHECKS.iter().map(|(m, _)| m.code).collect();
        let expected: Vec<&str> = RULES
            .iter()
            .map(|r| r.code)
            .filter(|c| *c != "MC009")
            .collect();
        assert_eq!(with_checks, expected);
    }

    /// `docs/rules.md` is generated; run with UPDATE_DOCS=1 to rewrite it after a change.
    #[test]
    fn docs_rules_md_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
        let expected = rules_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &expected).expect("write docs/rules.md");
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p minicheck-core rules`"
        );
    }

    #[test]
    fn readme_rules_table_lists_every_rule() {
        let readme = include_str!("../../../../README.md");
        for rule in RULES {
            let row = format!(
                "| `{}` | `{}` | {} |",
                rule.code,
                rule.name,
                rule.severity.as_str()
            );
            assert!(
                readme.contains(&row),
                "README.md lacks the row starting {row}"
            );
        }
    }
}
