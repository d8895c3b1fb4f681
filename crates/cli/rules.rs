//! `minicheck rules` and `minicheck explain`: the rule registry, printed.

use crate::args::{ExplainArgs, RulesArgs, RulesFormat};
use anyhow::{Result, bail};
use minicheck_core::rules::{self, RULES};
use std::fmt::Write;
use std::process::ExitCode;

pub fn list(args: &RulesArgs) -> Result<ExitCode> {
    let text = match args.format {
        RulesFormat::Human => {
            let mut out = String::new();
            for rule in RULES {
                let _ = writeln!(
                    out,
                    "{}  {:<34} {:<8} {}",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.summary
                );
            }
            out
        }
        RulesFormat::Json => {
            let rules: Vec<_> = RULES.iter().map(|r| rule_json(r)).collect();
            serde_json::to_string_pretty(&rules)? + "\n"
        }
        RulesFormat::Markdown => rules::rules_markdown(),
    };
    crate::output::write(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

fn rule_json(rule: &rules::RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.as_str(),
        "summary": rule.summary,
        "url": rule.url(),
        "documentation": rule.documentation(),
    })
}

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let Some(rule) = rules::lookup(&args.rule) else {
        let known: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        bail!(
            "no rule {:?}; the rules are {} (see `minicheck rules`)",
            args.rule,
            known.join(", ")
        );
    };
    let text = match args.format {
        RulesFormat::Json => serde_json::to_string_pretty(&rule_json(rule))? + "\n",
        RulesFormat::Human | RulesFormat::Markdown => format!(
            "# {} {}\n\nDefault severity: {}. {}.\n\n{}\n{}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary,
            rule.documentation(),
            rule.url()
        ),
    };
    crate::output::write(&text, None)?;
    Ok(ExitCode::SUCCESS)
}
