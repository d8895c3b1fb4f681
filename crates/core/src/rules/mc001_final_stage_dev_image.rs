use super::{Context, declare_rule, show, stage_label};
use crate::catalog::Variant;
use crate::report::{Finding, Fix};
use crate::stages::SourceKind;

declare_rule! {
    /// ## What it does
    /// Finds a final stage that runs on a vendor's dev image: the image itself, or a stage
    /// chain (`FROM builder`) that ends on one. The final stage is the `--target` stage, or the
    /// last one.
    ///
    /// ## Why is this bad?
    /// Dev images carry a shell, a package manager and compilers. Shipping one ships all of
    /// that: Minimus's python 3.13.5 is 22 MB and 23 packages, its dev twin 218 MB and 73.
    /// Every extra package is attack surface and scanner noise.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5-dev AS build
    /// RUN pip install --prefix=/install -r requirements.txt
    /// FROM build AS app
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## How to fix
    /// Build on the dev image, then copy the result into a final stage on its production twin:
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5-dev AS build
    /// RUN pip install --prefix=/install -r requirements.txt
    /// FROM reg.mini.dev/python:3.13.5
    /// COPY --from=build /install /usr/local
    /// CMD ["python", "app.py"]
    /// ```
    /// When the final stage names the dev image directly, the finding carries the production
    /// twin as a one-click fix.
    pub struct FinalStageDevImage {
        code: "MC001",
        name: "final-stage-dev-image",
        severity: Error,
        summary: "The final stage runs on a dev image",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let graph = ctx.graph;
    let Some(last) = graph.final_stage() else {
        return;
    };
    let Some(image) = &last.base.image else {
        return;
    };
    let Some(class) = ctx.catalog.classify(image) else {
        return;
    };
    if class.variant != Variant::Dev {
        return;
    }
    let chain = graph.chain(last.index);
    let root = &graph.stages[*chain.last().unwrap_or(&last.index)];
    let mut message = format!("final stage {}", stage_label(last));
    for pair in chain.windows(2) {
        let next = &graph.stages[pair[1]];
        message.push_str(&format!(" is FROM {}, which", stage_label(next)));
    }
    message.push_str(&format!(" runs on the dev image {}", show(image)));
    if let Some(upstream) = &class.upstream {
        message.push_str(&format!(
            " (a mirror of {})",
            crate::redact::redact(upstream)
        ));
    }

    let twins = ctx.catalog.production_twins(image);
    let twin_list = twins.iter().map(show).collect::<Vec<_>>().join(" or ");
    let single_stage = graph.stages.len() == 1;
    let help = match (twins.first(), single_stage) {
        (None, _) => "build on the dev image in an earlier stage and run on its production variant"
            .to_string(),
        (Some(twin), true) => format!(
            "use the dev image only to build, and copy the result into a final stage on {twin_list}:\n\
             FROM {dev} AS build\n\
             RUN ...            # build here\n\
             FROM {prod}\n\
             COPY --from=build /app /app",
            dev = show(image),
            prod = show(twin),
        ),
        (Some(_), false) => format!("run the final stage on the production image {twin_list}"),
    };

    let from = ctx.from_of(last);
    let span = from.args.first().map_or(from.span, |a| a.span);
    let mut finding = FinalStageDevImage::META
        .finding(message, span)
        .with_help(help);
    for &index in &chain[1..] {
        let stage = &graph.stages[index];
        let from = ctx.from_of(stage);
        let span = from.args.first().map_or(from.span, |a| a.span);
        finding = finding.with_related(span, format!("stage {} starts here", stage_label(stage)));
    }
    // A mechanical fix only where the final FROM names the image as plain text.
    let written = root.base.raw.as_str();
    let plain = chain.len() == 1 && last.base.kind == SourceKind::Image && !written.contains('$');
    if let Some(twin) = twins.first().filter(|_| plain) {
        finding = finding.with_fix(Fix {
            span,
            replacement: show(twin),
            description: format!("use the production image {}", show(twin)),
        });
    }
    out.push(finding);
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Mirror};
    use crate::rules::testing::{assert_clean, findings, findings_with};

    #[test]
    fn dev_image_at_the_end_of_a_chain() {
        let f = findings(
            "MC001",
            "FROM reg.mini.dev/python:3.13.5-dev AS base\nFROM base AS app\nCMD [\"python\"]\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "final stage \"app\" is FROM \"base\", which runs on the dev image reg.mini.dev/python:3.13.5-dev"
        );
        assert_eq!(f[0].span.start.line, 2);
        assert_eq!(
            f[0].help.as_deref(),
            Some("run the final stage on the production image reg.mini.dev/python:3.13.5")
        );
        assert_eq!(f[0].related.len(), 1);
        assert_eq!(f[0].related[0].span.start.line, 1);
        assert!(
            f[0].fix.is_none(),
            "the fix is not a one-line replacement here"
        );
    }

    #[test]
    fn single_stage_build_shows_the_multi_stage_pattern() {
        let f = findings(
            "MC001",
            "FROM cgr.dev/chainguard/python:latest-dev\nRUN pip install x\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "final stage #1 runs on the dev image cgr.dev/chainguard/python:latest-dev"
        );
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.contains("FROM cgr.dev/chainguard/python:latest-dev AS build"),
            "{help}"
        );
        assert!(
            help.contains("FROM cgr.dev/chainguard/python:latest\n"),
            "{help}"
        );
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.replacement, "cgr.dev/chainguard/python:latest");
        assert_eq!((fix.span.start.column, fix.span.end.column), (6, 42));
    }

    #[test]
    fn through_args_and_mirrors() {
        let config = Config {
            mirrors: vec![Mirror {
                prefix: "ghcr.io/acme/minimus".into(),
                vendor: "minimus".into(),
                upstream: "reg.mini.dev".into(),
            }],
            ..Config::default()
        };
        let f = findings_with(
            "MC001",
            "ARG TAG=3.13.5-dev\nFROM ghcr.io/acme/minimus/python:${TAG}\n",
            &config,
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.ends_with(
                "ghcr.io/acme/minimus/python:3.13.5-dev (a mirror of reg.mini.dev/python:3.13.5-dev)"
            ),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix.is_none(),
            "an ARG in the reference: no mechanical fix"
        );
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("ghcr.io/acme/minimus/python:3.13.5")
        );
    }

    #[test]
    fn go_pairs_with_runtime_bases_and_distroless_debug() {
        let f = findings("MC001", "FROM reg.mini.dev/go:1.23-dev\n");
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("reg.mini.dev/static:latest or reg.mini.dev/glibc-dynamic:latest")
        );
        let f = findings("MC001", "FROM gcr.io/distroless/static-debian12:debug\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn target_selects_the_final_stage() {
        let text = "FROM reg.mini.dev/python:3.13-dev AS build\nFROM reg.mini.dev/python:3.13\n";
        assert_clean("MC001", text);
        let options = crate::check::CheckOptions {
            build: crate::stages::BuildOptions {
                target: Some("build".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let report = crate::check::check_dockerfile("Dockerfile", text, &options);
        assert!(report.findings.iter().any(|f| f.code == "MC001"));
    }

    #[test]
    fn good() {
        assert_clean(
            "MC001",
            "FROM reg.mini.dev/python:latest-dev AS builder\nRUN x\nFROM reg.mini.dev/python:latest\nCOPY --from=builder /app /app\n",
        );
        assert_clean("MC001", "FROM python:3.13-slim\n");
        assert_clean("MC001", "FROM scratch\n");
    }
}
