use super::{Context, declare_rule, show, stage_label};
use crate::report::Finding;

declare_rule! {
    /// ## What it does
    /// Finds a final stage whose image comes from no hardened-image vendor in the catalog
    /// (Minimus, Chainguard, Docker Hardened Images, Google distroless), no configured mirror
    /// and no trusted registry. `FROM scratch` is fine.
    ///
    /// ## Why is this bad?
    /// A general-purpose image (`python:3.13`, `node:24`) ships a full distribution: a shell,
    /// a package manager and hundreds of packages, most of them unused by the application.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.13
    /// COPY app.py /app/
    /// ```
    ///
    /// ## How to fix
    /// Run on a vendor's production image, or trust your own registry in `.minicheck.yaml`:
    /// ```dockerfile
    /// FROM cgr.dev/chainguard/python:latest
    /// COPY app.py /app/
    /// ```
    ///
    /// ## Configuration
    /// `trusted-registries` (`ghcr.io/acme`, `*.example.com`, `registry.acme.io/base*`) and
    /// `mirrors` make more images count as hardened.
    pub struct FinalStageNotHardened {
        code: "MC002",
        name: "final-stage-not-hardened",
        severity: Warning,
        summary: "The final image comes from no hardened-image vendor, mirror or trusted registry",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(last) = ctx.graph.final_stage() else {
        return;
    };
    let Some(image) = &last.base.image else {
        return;
    };
    if ctx.catalog.is_hardened_source(image) {
        return;
    }
    let from = ctx.from_of(last);
    let span = from.args.first().map_or(from.span, |a| a.span);
    out.push(
        FinalStageNotHardened::META
            .finding(
                format!(
                    "final stage {} runs on {}, which comes from no hardened-image vendor, configured mirror or trusted registry",
                    stage_label(last),
                    show(image)
                ),
                span,
            )
            .with_help(
                "run on a vendor's production image (Chainguard, Docker Hardened Images, distroless), \
                 or list your registry under trusted-registries in .minicheck.yaml",
            ),
    );
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, RegistryPattern};
    use crate::rules::testing::{assert_clean, findings, findings_with};

    #[test]
    fn bad() {
        let f = findings("MC002", "FROM golang:1.23 AS build\nFROM python:3.13\n");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "final stage #2 runs on python:3.13, which comes from no hardened-image vendor, configured mirror or trusted registry"
        );
        assert_eq!((f[0].span.start.line, f[0].span.start.column), (2, 6));
    }

    #[test]
    fn good() {
        assert_clean(
            "MC002",
            "FROM golang AS b\nFROM gcr.io/distroless/static-debian12:nonroot\n",
        );
        assert_clean("MC002", "FROM golang AS b\nFROM scratch\n");
        assert_clean("MC002", "FROM dhi.io/node:24\n");
        let config = Config {
            trusted_registries: vec![RegistryPattern("*.acme.io".into())],
            ..Config::default()
        };
        assert!(findings_with("MC002", "FROM registry.acme.io/base:1\n", &config).is_empty());
    }
}
