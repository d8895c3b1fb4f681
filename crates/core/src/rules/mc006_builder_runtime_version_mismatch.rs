use super::{Context, declare_rule, show};
use crate::catalog::{Variant, version_of};
use crate::report::Finding;

declare_rule! {
    /// ## What it does
    /// Finds a final stage on the production image of one version of an image family that
    /// copies from a builder stage on the dev image of another version of the same family
    /// (`python:3.13-dev` builder, `python:3.12` runtime). Versions are compared on the parts
    /// both tags give (`3.13.5` and `3.13` agree); floating tags such as `latest` are not
    /// compared.
    ///
    /// ## Why is this bad?
    /// Virtual environments, native extension modules and JARs built for one runtime version
    /// break on another: the interpreter path, the ABI tag or the class-file version differs,
    /// and the failure shows only when the container runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13-dev AS build
    /// RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
    /// FROM reg.mini.dev/python:3.12
    /// COPY --from=build /venv /venv
    /// ```
    ///
    /// ## How to fix
    /// Use the same version on both sides, ideally through one ARG:
    /// ```dockerfile
    /// ARG PYTHON=3.13
    /// FROM reg.mini.dev/python:${PYTHON}-dev AS build
    /// FROM reg.mini.dev/python:${PYTHON}
    /// ```
    pub struct BuilderRuntimeVersionMismatch {
        code: "MC006",
        name: "builder-runtime-version-mismatch",
        severity: Warning,
        summary: "The final stage copies from a builder on another version of its image",
    }
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let graph = ctx.graph;
    let Some(last) = graph.final_stage() else {
        return;
    };
    let Some(runtime) = &last.base.image else {
        return;
    };
    let Some(runtime_class) = ctx.catalog.classify(runtime) else {
        return;
    };
    if runtime_class.variant != Variant::Production {
        return;
    }
    let rule = runtime_class.vendor.dev_tag;
    let Some(runtime_version) = runtime.tag.as_deref().and_then(|t| version_of(rule, t)) else {
        return;
    };
    for source in &last.sources {
        let Some(builder) = &source.source.image else {
            continue;
        };
        if source.source.stage.is_none() {
            continue;
        }
        let Some(builder_class) = ctx.catalog.classify(builder) else {
            continue;
        };
        let same_family = builder_class.vendor.id == runtime_class.vendor.id
            && (builder_class.name == runtime_class.name
                || ctx
                    .catalog
                    .production_twins(builder)
                    .iter()
                    .any(|t| t.path == runtime.path));
        if builder_class.variant != Variant::Dev || !same_family {
            continue;
        }
        let Some(builder_version) = builder.tag.as_deref().and_then(|t| version_of(rule, t)) else {
            continue;
        };
        let common = builder_version.len().min(runtime_version.len());
        if builder_version[..common] == runtime_version[..common] {
            continue;
        }
        let from = ctx.from_of(last);
        out.push(
            BuilderRuntimeVersionMismatch::META
                .finding(
                    format!(
                        "the final stage runs on {} but copies from a builder on {}: what was built for one version may break on the other",
                        show(runtime),
                        show(builder)
                    ),
                    source.source.span,
                )
                .with_related(
                    from.args.first().map_or(from.span, |a| a.span),
                    "the runtime image",
                )
                .with_help("build and run on the same version, ideally through one ARG used in both FROM lines"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, findings};

    #[test]
    fn bad() {
        let f = findings(
            "MC006",
            "FROM reg.mini.dev/python:3.13-dev AS build\nFROM reg.mini.dev/python:3.12\nCOPY --from=build /venv /venv\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "the final stage runs on reg.mini.dev/python:3.12 but copies from a builder on reg.mini.dev/python:3.13-dev: what was built for one version may break on the other"
        );
        assert_eq!((f[0].span.start.line, f[0].span.start.column), (3, 13));
        let f = findings(
            "MC006",
            "FROM reg.mini.dev/openjdk:21-dev AS build\nFROM reg.mini.dev/openjre:17\nCOPY --from=build /app.jar /\n",
        );
        assert_eq!(f.len(), 1, "paired names are one family");
    }

    #[test]
    fn good() {
        assert_clean(
            "MC006",
            "FROM reg.mini.dev/python:3.13.5-dev AS build\nFROM reg.mini.dev/python:3.13\nCOPY --from=build /venv /venv\n",
        );
        assert_clean(
            "MC006",
            "FROM reg.mini.dev/python:latest-dev AS build\nFROM reg.mini.dev/python:3.12\nCOPY --from=build /venv /venv\n",
        );
        assert_clean(
            "MC006",
            "FROM reg.mini.dev/node:22-dev AS build\nFROM reg.mini.dev/python:3.12\nCOPY --from=build /x /x\n",
        );
    }
}
