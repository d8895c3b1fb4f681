//! Inline ignores: `# minicheck ignore=MC004,MC002 # reason` above an instruction,
//! `# minicheck stage ignore=...` until the next `FROM`, `# minicheck global ignore=...` for the
//! whole file. Each code that suppresses nothing becomes an MC009 finding, so stale ignores
//! surface.

use crate::dockerfile::{Comment, Dockerfile};
use crate::report::Finding;
use crate::rules::{self, mc009_unused_ignore::UnusedIgnore};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Instruction,
    Stage,
    Global,
}

/// One code of one ignore comment.
#[derive(Debug)]
struct Ignore<'a> {
    comment: &'a Comment,
    /// As written in the comment.
    written: String,
    /// The rule's code, when the text names a rule.
    code: Option<&'static str>,
    /// Lines the ignore covers (inclusive).
    lines: (u32, u32),
    used: bool,
}

/// Parses `minicheck [global|stage] ignore=A,B[ # reason]` from a comment's text.
fn parse_pragma(text: &str) -> Option<(Scope, Vec<String>)> {
    let rest = text.strip_prefix("minicheck")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let (scope, rest) = if let Some(r) = rest.strip_prefix("global") {
        (Scope::Global, r.trim_start())
    } else if let Some(r) = rest.strip_prefix("stage") {
        (Scope::Stage, r.trim_start())
    } else {
        (Scope::Instruction, rest)
    };
    let list = rest.strip_prefix("ignore=")?;
    let list = list.split('#').next().unwrap_or("");
    let list = list.split_whitespace().next().unwrap_or("");
    let codes = list
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    Some((scope, codes))
}

/// Removes the findings the file's ignore comments cover, and adds an MC009 finding for each
/// code that covered nothing.
pub fn apply(dockerfile: &Dockerfile, findings: &mut Vec<Finding>) {
    let mut ignores = collect(dockerfile);
    if ignores.is_empty() {
        return;
    }
    findings.retain(|finding| {
        let line = finding.span.start.line;
        let mut suppressed = false;
        for ignore in ignores.iter_mut() {
            if ignore.code == Some(finding.code) && ignore.lines.0 <= line && line <= ignore.lines.1
            {
                ignore.used = true;
                suppressed = true;
            }
        }
        !suppressed
    });
    for ignore in ignores.iter().filter(|i| !i.used) {
        let message = match ignore.code {
            Some(code) => format!("this ignore of {code} suppresses nothing"),
            None => format!("{:?} in this ignore comment names no rule", ignore.written),
        };
        findings.push(
            UnusedIgnore::META
                .finding(message, ignore.comment.span)
                .with_help("remove the code from the comment (or the comment)"),
        );
    }
}

fn collect(dockerfile: &Dockerfile) -> Vec<Ignore<'_>> {
    let last_line = dockerfile
        .instructions
        .iter()
        .map(|i| i.span.end.line)
        .chain(dockerfile.comments.iter().map(|c| c.span.end.line))
        .max()
        .unwrap_or(1);
    let from_lines: Vec<u32> = dockerfile
        .instructions
        .iter()
        .filter(|i| i.is("from"))
        .map(|i| i.span.start.line)
        .collect();
    let mut out = Vec::new();
    for comment in &dockerfile.comments {
        let Some((scope, codes)) = parse_pragma(&comment.text) else {
            continue;
        };
        let line = comment.span.start.line;
        let next = dockerfile
            .instructions
            .iter()
            .find(|i| i.span.start.line > line);
        let lines = match scope {
            Scope::Global => (1, last_line),
            Scope::Instruction => match next {
                Some(i) => (i.span.start.line, i.span.end.line),
                None => (0, 0),
            },
            Scope::Stage => {
                // Above a FROM: that stage; inside a stage: from here to the next FROM.
                let start = match next {
                    Some(i) if i.is("from") => i.span.start.line,
                    _ => line,
                };
                let end = from_lines
                    .iter()
                    .find(|&&l| l > start)
                    .map_or(last_line, |l| l - 1);
                (start, end)
            }
        };
        for written in codes {
            out.push(Ignore {
                comment,
                code: rules::lookup(&written).map(|r| r.code),
                written,
                lines,
                used: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckOptions, check_dockerfile};
    use crate::config::Config;

    fn codes(text: &str, config: Config) -> Vec<(String, u32)> {
        let options = CheckOptions {
            config,
            ..CheckOptions::default()
        };
        check_dockerfile("Dockerfile", text, &options)
            .findings
            .iter()
            .map(|f| (f.code.to_string(), f.span.start.line))
            .collect()
    }

    const DEV_FINAL: &str = "FROM reg.mini.dev/python:latest-dev\n";

    #[test]
    fn pragma_grammar() {
        assert_eq!(
            parse_pragma("minicheck ignore=MC004,MC002 # reason"),
            Some((Scope::Instruction, vec!["MC004".into(), "MC002".into()]))
        );
        assert_eq!(
            parse_pragma("minicheck global ignore=final-base-unpinned"),
            Some((Scope::Global, vec!["final-base-unpinned".into()]))
        );
        assert_eq!(
            parse_pragma("minicheck stage ignore=MC005"),
            Some((Scope::Stage, vec!["MC005".into()]))
        );
        assert_eq!(parse_pragma("minichecker ignore=MC1"), None);
        assert_eq!(parse_pragma("hadolint ignore=DL3006"), None);
    }

    #[test]
    fn instruction_scope() {
        let text = format!("# minicheck ignore=MC001,MC007 # migrating\n{DEV_FINAL}");
        assert_eq!(codes(&text, Config::default()), []);
        // Only the next instruction.
        let text = "# minicheck ignore=MC007\nFROM reg.mini.dev/go:1-dev AS b\nFROM reg.mini.dev/static:1\n";
        assert_eq!(codes(text, Config::default()), [("MC007".into(), 3)]);
    }

    #[test]
    fn stage_and_global_scope() {
        let text = "\
FROM reg.mini.dev/python:3.13 AS one
# minicheck stage ignore=MC005
RUN a
RUN b
FROM reg.mini.dev/python:3.13
RUN c
";
        let found = codes(text, Config::default());
        let mc005: Vec<u32> = found
            .iter()
            .filter(|(c, _)| c == "MC005")
            .map(|(_, l)| *l)
            .collect();
        assert_eq!(mc005, [6]);
        let text = format!(
            "# minicheck global ignore=MC007\n# minicheck global ignore=MC001\n{DEV_FINAL}"
        );
        assert_eq!(codes(&text, Config::default()), []);
    }

    #[test]
    fn stale_and_unknown_ignores_are_reported() {
        let text = "# minicheck ignore=MC005,NOPE\nFROM cgr.dev/chainguard/python:3.13\n";
        let options = CheckOptions::default();
        let report = check_dockerfile("Dockerfile", text, &options);
        let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "\"NOPE\" in this ignore comment names no rule",
                "this ignore of MC005 suppresses nothing",
            ]
        );
        assert!(report.findings.iter().all(|f| f.code == "MC009"));
    }

    #[test]
    fn config_can_disable_inline_ignores() {
        let text = format!("# minicheck ignore=MC001,MC004,MC007\n{DEV_FINAL}");
        let config = Config {
            disable_inline_ignores: true,
            ..Config::default()
        };
        let found = codes(&text, config);
        assert!(found.iter().any(|(c, _)| c == "MC001"));
        assert!(!found.iter().any(|(c, _)| c == "MC009"));
    }
}
