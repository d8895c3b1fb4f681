use super::{Context, declare_rule, show};
use crate::report::Finding;
use crate::stages::{ImageSource, SourceKind};

declare_rule! {
    /// ## What it does
    /// Finds images, in any stage and in `COPY --from=<image>` or `RUN --mount=from=<image>`,
    /// that come from a registry that has shut down. Minimus turned `reg.mini.dev` off on
    /// 2026-10-22.
    ///
    /// ## Why is this bad?
    /// A machine that did not pull the image before the shutdown cannot build the Dockerfile,
    /// and the images get no more security updates.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5
    /// ```
    ///
    /// ## How to fix
    /// Mirror the images you still use into your own registry and declare the mirror, so
    /// minicheck keeps judging them as the vendor's images:
    /// ```yaml
    /// # .minicheck.yaml
    /// mirrors:
    ///   - prefix: ghcr.io/acme/minimus
    ///     vendor: minimus
    ///     upstream: reg.mini.dev
    /// ```
    /// ```dockerfile
    /// FROM ghcr.io/acme/minimus/python:3.13.5
    /// ```
    /// Or move to another vendor's equivalent image.
    pub struct RetiredRegistry {
        code: "MC007",
        name: "retired-registry",
        severity: Warning,
        summary: "An image comes from a registry that has shut down",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for stage in &ctx.graph.stages {
        report(ctx, &stage.base, out);
        for source in &stage.sources {
            report(ctx, &source.source, out);
        }
    }
}

fn report(ctx: &Context<'_>, source: &ImageSource, out: &mut Vec<Finding>) {
    // A stage reference is judged where that stage names its image.
    if source.kind != SourceKind::Image {
        return;
    }
    let Some(image) = &source.image else {
        return;
    };
    let Some((vendor, retirement)) = ctx.catalog.retirement(image) else {
        return;
    };
    out.push(
        RetiredRegistry::META
            .finding(
                format!(
                    "{} comes from {}, which {} shut down on {}: {}",
                    show(image),
                    image.domain,
                    vendor.name,
                    retirement.date,
                    retirement.note
                ),
                source.span,
            )
            .with_help(format!(
                "mirror the image into your own registry and declare it in .minicheck.yaml \
                 (mirrors: - prefix: <your registry path>, vendor: {}, upstream: {}), or move to another vendor",
                vendor.id, image.domain
            )),
    );
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Mirror};
    use crate::rules::testing::{assert_clean, findings, findings_with};

    #[test]
    fn bad_everywhere_an_image_is_used() {
        let f = findings(
            "MC007",
            "FROM reg.mini.dev/go:1.23-dev AS build\nFROM reg.mini.dev/static\nCOPY --from=reg.mini.dev/busybox:latest /bin/busybox /bin/\nRUN --mount=from=reg.mini.dev/python:3.13,target=/p true\n",
        );
        let lines: Vec<u32> = f.iter().map(|f| f.span.start.line).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert!(
            f[0].message.starts_with(
                "reg.mini.dev/go:1.23-dev comes from reg.mini.dev, which Minimus shut down on 2026-10-22"
            ),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn good() {
        assert_clean("MC007", "FROM cgr.dev/chainguard/python:latest\n");
        // A stage reference is reported once, where the image is named.
        assert_eq!(
            findings(
                "MC007",
                "FROM reg.mini.dev/python:3 AS a\nFROM a\nCOPY --from=a / /\n"
            )
            .len(),
            1
        );
        let config = Config {
            mirrors: vec![Mirror {
                prefix: "ghcr.io/acme/minimus".into(),
                vendor: "minimus".into(),
                upstream: "reg.mini.dev".into(),
            }],
            ..Config::default()
        };
        assert!(findings_with("MC007", "FROM ghcr.io/acme/minimus/python:3\n", &config).is_empty());
    }
}
