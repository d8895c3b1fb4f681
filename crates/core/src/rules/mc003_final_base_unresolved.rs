use super::{Context, declare_rule, stage_label};
use crate::report::Finding;

declare_rule! {
    /// ## What it does
    /// Finds a final stage whose image cannot be determined because it depends on an `ARG`
    /// that has no value here: no default, and no `--build-arg`. It follows `FROM <stage>`
    /// chains, and says which ARG to pass.
    ///
    /// ## Why is this bad?
    /// minicheck never guesses: with the image unknown, none of the policy rules can be
    /// verified, and a build that forgets the argument may pull something unexpected.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG PYTHON_TAG
    /// FROM reg.mini.dev/python:${PYTHON_TAG}
    /// ```
    ///
    /// ## How to fix
    /// Pass the value your build passes (`minicheck check --build-arg PYTHON_TAG=3.13.5`, or
    /// the Action's `build-args` input), or give the ARG a default:
    /// ```dockerfile
    /// ARG PYTHON_TAG=3.13.5
    /// FROM reg.mini.dev/python:${PYTHON_TAG}
    /// ```
    pub struct FinalBaseUnresolved {
        code: "MC003",
        name: "final-base-unresolved",
        severity: Warning,
        summary: "The final image depends on an ARG without a value",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let graph = ctx.graph;
    let Some(last) = graph.final_stage() else {
        return;
    };
    let chain = graph.chain(last.index);
    let Some(stage) = chain
        .iter()
        .map(|&i| &graph.stages[i])
        .find(|s| !s.base.missing_args.is_empty())
    else {
        return;
    };
    let missing = &stage.base.missing_args;
    let reasons: Vec<String> = missing
        .iter()
        .map(|m| {
            if m.declared {
                format!("ARG {} has no default value", m.name)
            } else {
                format!("{} is not declared with ARG before the first FROM", m.name)
            }
        })
        .collect();
    let via = if stage.index == last.index {
        String::new()
    } else {
        format!(" (through stage {})", stage_label(stage))
    };
    let pass: Vec<String> = missing
        .iter()
        .map(|m| format!("--build-arg {}=<value>", m.name))
        .collect();
    let from = ctx.from_of(stage);
    let span = from.args.first().map_or(from.span, |a| a.span);
    out.push(
        FinalBaseUnresolved::META
            .finding(
                format!(
                    "the image of final stage {}{via} cannot be determined from {:?}: {}",
                    stage_label(last),
                    stage.base.raw,
                    reasons.join(", ")
                ),
                span,
            )
            .with_help(format!(
                "pass {} as your build does, or give the ARG a default",
                pass.join(" ")
            )),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, findings};

    #[test]
    fn bad() {
        let f = findings("MC003", "ARG TAG\nFROM reg.mini.dev/python:${TAG}\n");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "the image of final stage #1 cannot be determined from \"reg.mini.dev/python:${TAG}\": ARG TAG has no default value"
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("pass --build-arg TAG=<value> as your build does, or give the ARG a default")
        );
    }

    #[test]
    fn through_a_chain_and_undeclared() {
        let f = findings("MC003", "FROM $BASE AS base\nFROM base\n");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("(through stage \"base\")"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("BASE is not declared with ARG"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].span.start.line, 1);
    }

    #[test]
    fn good() {
        assert_clean("MC003", "ARG TAG=3\nFROM python:${TAG}\n");
        assert_clean("MC003", "ARG TAG\nFROM python:${TAG:-3}\n");
        // Only the final stage matters.
        assert_clean("MC003", "ARG T\nFROM golang:$T AS build\nFROM scratch\n");
    }
}
