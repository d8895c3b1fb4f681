use super::*;
use crate::dockerfile::parse;

fn graph(text: &str, options: &BuildOptions) -> StageGraph {
    let dockerfile = parse(text);
    assert!(dockerfile.errors.is_empty(), "{:?}", dockerfile.errors);
    resolve(&dockerfile, options)
}

fn final_image(text: &str, options: &BuildOptions) -> Option<String> {
    let g = graph(text, options);
    g.final_stage()?.base.image.as_ref().map(|i| i.normalized())
}

fn with_args(args: &[(&str, &str)]) -> BuildOptions {
    BuildOptions {
        build_args: args
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        ..BuildOptions::default()
    }
}

#[test]
fn follows_stage_chains_to_the_real_image() {
    let text = "FROM reg.mini.dev/python:3.13.5-dev AS base\nFROM base AS app\nRUN x\n";
    let g = graph(text, &BuildOptions::default());
    assert_eq!(g.final_stage, Some(1));
    let app = &g.stages[1];
    assert_eq!(app.base.kind, SourceKind::Stage);
    assert_eq!(app.base.stage, Some(0));
    assert_eq!(
        app.base.image.as_ref().map(|i| i.normalized()),
        Some("reg.mini.dev/python:3.13.5-dev".into())
    );
    assert_eq!(g.chain(1), [1, 0]);
}

#[test]
fn stage_names_are_case_insensitive() {
    let text = "FROM golang AS Build\nFROM BUILD\n";
    let g = graph(text, &BuildOptions::default());
    assert_eq!(g.stages[0].name.as_deref(), Some("build"));
    assert_eq!(g.stages[1].base.kind, SourceKind::Stage);
}

#[test]
fn global_args_defaults_and_build_args() {
    let text = "ARG REG=reg.mini.dev\nARG TAG=3.13\nFROM ${REG}/python:${TAG}-dev\n";
    assert_eq!(
        final_image(text, &BuildOptions::default()).as_deref(),
        Some("reg.mini.dev/python:3.13-dev")
    );
    assert_eq!(
        final_image(text, &with_args(&[("TAG", "3.12")])).as_deref(),
        Some("reg.mini.dev/python:3.12-dev")
    );
}

#[test]
fn args_refer_to_earlier_args() {
    let text = "ARG V=3.13\nARG IMAGE=python:${V}\nFROM $IMAGE\n";
    assert_eq!(
        final_image(text, &BuildOptions::default()).as_deref(),
        Some("docker.io/library/python:3.13")
    );
}

#[test]
fn fallback_forms_resolve_without_the_arg() {
    let text = "ARG V\nFROM python:${V:-3.12}${SUFFIX:+-$SUFFIX}\n";
    assert_eq!(
        final_image(text, &BuildOptions::default()).as_deref(),
        Some("docker.io/library/python:3.12")
    );
    assert_eq!(
        final_image(text, &with_args(&[("V", "3.11"), ("SUFFIX", "slim")])).as_deref(),
        Some("docker.io/library/python:3.11")
    );
}

#[test]
fn build_args_only_reach_declared_meta_args() {
    // SUFFIX is not declared before FROM, so --build-arg cannot set it.
    let text = "ARG V=1\nFROM python:${V}${SUFFIX:+-x}\n";
    assert_eq!(
        final_image(text, &with_args(&[("SUFFIX", "y")])).as_deref(),
        Some("docker.io/library/python:1")
    );
}

#[test]
fn an_arg_without_value_is_unresolved_not_guessed() {
    let text = "ARG VERSION\nFROM python:${VERSION}\n";
    let g = graph(text, &BuildOptions::default());
    let base = &g.final_stage().unwrap().base;
    assert_eq!(base.kind, SourceKind::Unresolved);
    assert_eq!(base.resolved, None);
    assert_eq!(base.image, None);
    assert_eq!(
        base.missing_args,
        [MissingArg {
            name: "VERSION".into(),
            declared: true
        }]
    );
    let undeclared = graph("FROM $BASE_IMAGE\n", &BuildOptions::default());
    assert!(!undeclared.stages[0].base.missing_args[0].declared);
}

#[test]
fn automatic_platform_args() {
    let text = "FROM --platform=$BUILDPLATFORM golang AS build\nFROM alpine:${TARGETARCH}\n";
    let options = BuildOptions {
        platform: Platform::parse("linux/arm64").unwrap(),
        ..BuildOptions::default()
    };
    let g = graph(text, &options);
    assert_eq!(g.stages[0].platform, "linux/amd64");
    assert_eq!(g.stages[1].platform, "linux/arm64");
    assert_eq!(
        g.stages[1].base.image.as_ref().unwrap().normalized(),
        "docker.io/library/alpine:arm64"
    );
}

#[test]
fn target_picks_the_final_stage() {
    let text = "FROM a AS one\nFROM b AS two\nFROM c\n";
    let options = BuildOptions {
        target: Some("TWO".into()),
        ..BuildOptions::default()
    };
    let g = graph(text, &options);
    assert_eq!(g.final_stage, Some(1));
    let missing = BuildOptions {
        target: Some("nope".into()),
        ..BuildOptions::default()
    };
    let g = graph(text, &missing);
    assert_eq!(g.final_stage, None);
    assert_eq!(
        g.errors[0].message,
        "target stage \"nope\" could not be found"
    );
}

#[test]
fn scratch_and_image_with_digest() {
    let digest = "sha256:".to_string() + &"a".repeat(64);
    let text = format!("FROM scratch\nFROM python:3.13@{digest}\n");
    let g = graph(&text, &BuildOptions::default());
    assert_eq!(g.stages[0].base.kind, SourceKind::Scratch);
    let image = g.stages[1].base.image.as_ref().unwrap();
    assert_eq!(image.tag.as_deref(), Some("3.13"));
    assert_eq!(image.digest.as_deref(), Some(digest.as_str()));
}

#[test]
fn copy_from_and_mount_edges() {
    let text = "\
FROM golang AS build
FROM alpine AS tools
FROM scratch
ARG SRC=build
COPY --from=0 /a /a
COPY --from=$SRC /b /b
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
RUN --mount=type=bind,from=tools,target=/t --mount=type=cache,target=/c true
";
    let g = graph(text, &BuildOptions::default());
    let sources = &g.stages[2].sources;
    assert_eq!(sources.len(), 4);
    assert_eq!(sources[0].source.stage, Some(0));
    assert_eq!(sources[1].source.stage, Some(0), "ARG expanded in --from");
    assert_eq!(sources[2].source.kind, SourceKind::Image);
    assert_eq!(
        sources[2].source.image.as_ref().unwrap().normalized(),
        "docker.io/library/nginx:1.27"
    );
    assert_eq!(sources[3].via, SourceVia::MountFrom);
    assert_eq!(sources[3].source.stage, Some(1));
    assert_eq!(g.reachable(), [true, true, true]);
}

#[test]
fn instruction_level_errors() {
    let cases = [
        ("FROM a b\n", "FROM requires either one or three arguments"),
        (
            "FROM a AS 1x\n",
            "invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
        ),
        (
            "FROM a\nRUNN x\n",
            "unknown instruction: RUNN (did you mean RUN?)",
        ),
        ("FROM a\nCOPY --form=b x y\n", "unknown flag: form"),
        ("RUN x\nFROM a\n", "no build stage in current context"),
        (
            "FROM a\nCOPY --from=1 x y\n",
            "invalid from flag value 1 refers to current or future build stage",
        ),
        (
            "FROM python:3~1\n",
            "\"python:3~1\" is not a valid image reference: invalid reference format: tag \"3~1\" contains invalid character '~' (letters, digits, '_', '.' and '-' only)",
        ),
    ];
    for (text, message) in cases {
        let g = resolve(&parse(text), &BuildOptions::default());
        let messages: Vec<_> = g.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, [message], "{text}");
    }
}

#[test]
fn escape_directive_applies_to_expansion() {
    let text = "# escape=`\nARG T=1\nFROM python:${T}\n";
    assert_eq!(
        final_image(text, &BuildOptions::default()).as_deref(),
        Some("docker.io/library/python:1")
    );
}
