use super::{Context, declare_rule};
use crate::redact::find_secrets;
use crate::report::Finding;

declare_rule! {
    /// ## What it does
    /// Finds a registry or GitHub token written into an image reference, such as Minimus's
    /// `reg.mini.dev/mini_<token>/go`, in `FROM`, `COPY --from` or `RUN --mount=from=`.
    /// minicheck masks the token in everything it prints.
    ///
    /// ## Why is this bad?
    /// Anyone who can read the Dockerfile, the build logs or the image history can pull with
    /// your credentials.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/mini_AbC123xyz789/go:1.23-dev
    /// ```
    ///
    /// ## How to fix
    /// Log in instead (`docker login reg.mini.dev -u minimus -p "$TOKEN"` in CI, from a secret)
    /// and write the plain reference; then revoke the exposed token.
    /// ```dockerfile
    /// FROM reg.mini.dev/go:1.23-dev
    /// ```
    pub struct TokenInImageReference {
        code: "MC010",
        name: "token-in-image-reference",
        severity: Error,
        summary: "An image reference carries a registry token",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for stage in &ctx.graph.stages {
        let sources = std::iter::once(&stage.base).chain(stage.sources.iter().map(|s| &s.source));
        for source in sources {
            if seen.contains(&source.span) || find_secrets(&source.raw).is_empty() {
                continue;
            }
            seen.push(source.span);
            out.push(
                TokenInImageReference::META
                    .finding(
                        "this image reference carries a token in its path: anyone who reads the Dockerfile, the build log or the image history can use it",
                        source.span,
                    )
                    .with_help("log in to the registry from a CI secret instead, write the plain reference, and revoke this token"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, findings};

    #[test]
    fn bad() {
        let f = findings("MC010", "FROM reg.mini.dev/mini_AbC123xyz789/go:1.23-dev\n");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].span.start.column, f[0].span.end.column), (6, 48));
    }

    #[test]
    fn good() {
        assert_clean("MC010", "FROM reg.mini.dev/go:1.23-dev\n");
    }
}
