use super::{Context, declare_rule, show, stage_label};
use crate::report::Finding;

declare_rule! {
    /// ## What it does
    /// Finds instructions that need `/bin/sh` in a stage whose image has none: a shell-form
    /// `RUN` (heredocs included), a shell-form `CMD` or `ENTRYPOINT`, or `HEALTHCHECK CMD` in
    /// shell form. Production images of hardened vendors are distroless; only their dev
    /// variants (and images such as `busybox`) have a shell. A stage that sets its own `SHELL`
    /// is left alone, and so are stages the build never reaches.
    ///
    /// ## Why is this bad?
    /// `RUN` fails the build; a shell-form `CMD`, `ENTRYPOINT` or health check fails when the
    /// container starts, which is worse: the image builds and ships broken.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5
    /// RUN pip install -r requirements.txt
    /// CMD python app.py
    /// ```
    ///
    /// ## How to fix
    /// Do the work in a builder stage on the dev image and copy the result; use the exec form
    /// for the command:
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5-dev AS build
    /// RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
    /// FROM reg.mini.dev/python:3.13.5
    /// COPY --from=build /venv /venv
    /// CMD ["/venv/bin/python", "app.py"]
    /// ```
    ///
    /// ## Configuration
    /// `shell-less` lists more images without a shell.
    pub struct ShellInShellLessStage {
        code: "MC005",
        name: "shell-in-shell-less-stage",
        severity: Error,
        summary: "An instruction needs /bin/sh in a stage whose image has no shell",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let reachable = ctx.graph.reachable();
    for stage in &ctx.graph.stages {
        if !reachable.get(stage.index).copied().unwrap_or(false) {
            continue;
        }
        let Some(image) = &stage.base.image else {
            continue;
        };
        if !ctx.catalog.is_shell_less(image) {
            continue;
        }
        for &index in &stage.instructions {
            let instruction = ctx.instruction(index);
            let needs_shell = match instruction.keyword.as_str() {
                // Another shell was configured: trust the author.
                "shell" => break,
                "run" | "cmd" | "entrypoint" => !instruction.json && !instruction.args.is_empty(),
                "healthcheck" => {
                    !instruction.json
                        && instruction.args.len() > 1
                        && instruction.args[0].value.eq_ignore_ascii_case("cmd")
                }
                _ => false,
            };
            if !needs_shell {
                continue;
            }
            let keyword = instruction.keyword.to_uppercase();
            let outcome = if keyword == "RUN" {
                "the build fails"
            } else {
                "the container fails when it starts"
            };
            let help = if keyword == "RUN" {
                match ctx.catalog.dev_twin(image) {
                    Some(dev) => format!(
                        "do this in a builder stage FROM {} and COPY --from it the result, or use the exec form RUN [\"...\"]",
                        show(&dev)
                    ),
                    None => "do this in a builder stage and COPY --from it the result, or use the exec form RUN [\"...\"]".to_string(),
                }
            } else {
                format!("use the exec form: {keyword} [\"executable\", \"arg\"]")
            };
            out.push(
                ShellInShellLessStage::META
                    .finding(
                        format!(
                            "{keyword} in shell form needs /bin/sh, but stage {} runs on {}, which has no shell: {outcome}",
                            stage_label(stage),
                            show(image)
                        ),
                        instruction.keyword_span.cover(instruction.args_span()),
                    )
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, findings};

    #[test]
    fn bad() {
        let f = findings(
            "MC005",
            "FROM reg.mini.dev/python:3.13.5\nRUN pip list\nCMD python app.py\nHEALTHCHECK CMD curl -f localhost\nRUN <<EOF\necho\nEOF\n",
        );
        let lines: Vec<u32> = f.iter().map(|f| f.span.start.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert_eq!(
            f[0].message,
            "RUN in shell form needs /bin/sh, but stage #1 runs on reg.mini.dev/python:3.13.5, which has no shell: the build fails"
        );
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("FROM reg.mini.dev/python:3.13.5-dev")
        );
        assert!(f[1].message.ends_with("the container fails when it starts"));
        assert_eq!((f[0].span.start.column, f[0].span.end.column), (1, 13));
    }

    #[test]
    fn inherited_through_a_stage() {
        let f = findings(
            "MC005",
            "FROM cgr.dev/chainguard/static AS base\nFROM base\nENTRYPOINT /app\n",
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("stage #2 runs on cgr.dev/chainguard/static:latest")
        );
    }

    #[test]
    fn good() {
        assert_clean(
            "MC005",
            "FROM reg.mini.dev/python:3.13.5\nRUN [\"/venv/bin/pip\", \"list\"]\nCMD [\"python\"]\nHEALTHCHECK CMD [\"curl\"]\nHEALTHCHECK NONE\n",
        );
        assert_clean(
            "MC005",
            "FROM reg.mini.dev/python:3.13.5-dev\nRUN pip list\n",
        );
        assert_clean("MC005", "FROM reg.mini.dev/busybox\nRUN echo hi\n");
        assert_clean("MC005", "FROM python:3.13\nRUN echo hi\n");
        assert_clean(
            "MC005",
            "FROM gcr.io/distroless/base\nSHELL [\"/busybox/sh\", \"-c\"]\nRUN echo hi\n",
        );
        // A stage the target never reaches is never built.
        assert_clean(
            "MC005",
            "FROM reg.mini.dev/python:3.13 AS unused\nRUN x\nFROM reg.mini.dev/python:3.13-dev\n",
        );
    }
}
