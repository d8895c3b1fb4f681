use super::{Context, declare_rule, show, stage_label};
use crate::catalog::Variant;
use crate::report::Finding;
use crate::stages::SourceVia;

declare_rule! {
    /// ## What it does
    /// Finds a `COPY --from` in the final stage that copies the whole file system (`/`) or a
    /// system directory (`/bin`, `/sbin`, `/usr`, `/usr/bin`, `/usr/sbin`, `/lib`, `/lib64`,
    /// `/etc`) from a stage on a dev image, or from a dev image directly.
    ///
    /// ## Why is this bad?
    /// It brings the dev image's shell, package manager and compilers back into the image that
    /// ships, undoing the multi-stage build while the `FROM` line still looks right.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5-dev AS build
    /// FROM reg.mini.dev/python:3.13.5
    /// COPY --from=build /usr /usr
    /// ```
    ///
    /// ## How to fix
    /// Copy only what the build produced:
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5-dev AS build
    /// RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
    /// FROM reg.mini.dev/python:3.13.5
    /// COPY --from=build /venv /venv
    /// ```
    pub struct CopiesDevFilesystem {
        code: "MC008",
        name: "copies-dev-filesystem",
        severity: Error,
        summary: "The final stage copies the root or a system directory from a dev image",
    }
}

const SYSTEM_DIRS: [&str; 9] = [
    "/",
    "/bin",
    "/sbin",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/lib",
    "/lib64",
    "/etc",
];

/// `/usr/`, `/usr/.`, `//usr` → `/usr`.
fn normalise(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(last) = ctx.graph.final_stage() else {
        return;
    };
    for source in last.sources.iter().filter(|s| s.via == SourceVia::CopyFrom) {
        let Some(image) = &source.source.image else {
            continue;
        };
        if !ctx
            .catalog
            .classify(image)
            .is_some_and(|c| c.variant == Variant::Dev)
        {
            continue;
        }
        let copy = ctx.instruction(source.instruction);
        let Some((_dest, sources)) = copy.args.split_last() else {
            continue;
        };
        let from = match source.source.stage {
            Some(stage) => format!(
                "stage {}, which runs on",
                stage_label(&ctx.graph.stages[stage])
            ),
            None => "the dev image".to_string(),
        };
        for arg in sources {
            let path = normalise(&arg.value);
            if !SYSTEM_DIRS.contains(&path.as_str()) {
                continue;
            }
            let what = if path == "/" {
                "the whole file system".to_string()
            } else {
                path.clone()
            };
            out.push(
                CopiesDevFilesystem::META
                    .finding(
                        format!(
                            "the final stage copies {what} from {from} {}: the dev tools ship again",
                            show(image)
                        ),
                        arg.span,
                    )
                    .with_help("copy only what the build produced (a virtual environment, a binary, a directory of your own)"),
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
            "MC008",
            "FROM reg.mini.dev/python:3.13-dev AS build\nFROM reg.mini.dev/python:3.13\nCOPY --from=build /usr/ /bin /app /dst/\nCOPY --from=reg.mini.dev/go:1.23-dev / /\n",
        );
        assert_eq!(f.len(), 3);
        assert_eq!(
            f[0].message,
            "the final stage copies /usr from stage \"build\", which runs on reg.mini.dev/python:3.13-dev: the dev tools ship again"
        );
        assert_eq!((f[0].span.start.line, f[0].span.start.column), (3, 19));
        assert_eq!(
            f[1].message.split(" from ").next(),
            Some("the final stage copies /bin")
        );
        assert!(
            f[2].message
                .starts_with("the final stage copies the whole file system from the dev image")
        );
    }

    #[test]
    fn good() {
        assert_clean(
            "MC008",
            "FROM reg.mini.dev/python:3.13-dev AS build\nFROM reg.mini.dev/python:3.13\nCOPY --from=build /venv /venv\nCOPY --from=build /usr/local/bin/app /usr/bin/app\n",
        );
        // Copying /usr from a production stage brings no dev tools.
        assert_clean(
            "MC008",
            "FROM reg.mini.dev/python:3.13 AS base\nFROM scratch\nCOPY --from=base / /\n",
        );
    }
}
