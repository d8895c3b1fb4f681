use super::{Context, declare_rule, show, stage_label};
use crate::report::Finding;

declare_rule! {
    /// ## What it does
    /// Finds a final image given as `latest` or with no tag at all; with `require-digest: true`
    /// in the configuration, also one not pinned by digest.
    ///
    /// ## Why is this bad?
    /// `latest` moves: the same Dockerfile builds a different image tomorrow, and a reviewer
    /// cannot tell from the diff what ships.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python
    /// ```
    ///
    /// ## How to fix
    /// Name a version, and for reproducible builds a digest:
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5@sha256:...
    /// ```
    ///
    /// ## Configuration
    /// `require-digest: true` also reports a version tag without a digest.
    pub struct FinalBaseUnpinned {
        code: "MC004",
        name: "final-base-unpinned",
        severity: Info,
        summary: "The final image is `latest`, untagged, or (when required) not pinned by digest",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(last) = ctx.graph.final_stage() else {
        return;
    };
    let Some(image) = &last.base.image else {
        return;
    };
    if image.digest.is_some() {
        return;
    }
    let reason = match image.tag.as_deref() {
        None => "has no tag, so it is latest, which moves",
        Some("latest") => "is latest, which moves",
        Some(_) if ctx.config.require_digest => "is not pinned by digest",
        Some(_) => return,
    };
    let from = ctx.from_of(last);
    let span = ctx
        .graph
        .chain(last.index)
        .last()
        .map(|&i| ctx.from_of(&ctx.graph.stages[i]))
        .unwrap_or(from)
        .args
        .first()
        .map_or(from.span, |a| a.span);
    out.push(
        FinalBaseUnpinned::META
            .finding(
                format!(
                    "the image of final stage {}, {}, {reason}",
                    stage_label(last),
                    show(image)
                ),
                span,
            )
            .with_help(
                "name a version tag, and pin it by digest (@sha256:...) for reproducible builds",
            ),
    );
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::testing::{assert_clean, findings, findings_with};

    #[test]
    fn bad() {
        let f = findings("MC004", "FROM reg.mini.dev/python\n");
        assert_eq!(
            f[0].message,
            "the image of final stage #1, reg.mini.dev/python:latest, has no tag, so it is latest, which moves"
        );
        assert_eq!(findings("MC004", "FROM python:latest AS app\n").len(), 1);
        let strict = Config {
            require_digest: true,
            ..Config::default()
        };
        let f = findings_with("MC004", "FROM python:3.13\n", &strict);
        assert!(f[0].message.ends_with("is not pinned by digest"));
    }

    #[test]
    fn good() {
        assert_clean("MC004", "FROM python:3.13\n");
        let digest = format!("sha256:{}", "0".repeat(64));
        assert_clean("MC004", &format!("FROM python@{digest}\n"));
        assert_clean("MC004", "FROM python AS build\nFROM scratch\n");
    }
}
