//! Native tests of the mapping. Inputs are built from JSON with serde_json, which drives the same
//! `Deserialize` impls serde-wasm-bindgen drives with JS objects; outputs are compared with what
//! the core gives for the same arguments. The JS conversions themselves are tested from Node
//! (`tests/wasm.test.mjs`) against the built module.

use crate::api::{self, Format};
use crate::error::Error;
use crate::input::{
    BuildArgs, ChallengeInput, CheckInput, ConfigInput, FileComparisonInput, FileInput,
    PackageInput, RenderInput, SideInput,
};
use minicheck_core::check::{CheckOptions, check_dockerfile};
use minicheck_core::report::{self, Report};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const BAD: &str = include_str!("../../../examples/broken/dev-final-stage/Dockerfile");
/// Built on the dev image, shipped on the production image pinned by digest: no findings.
const GOOD: &str = "FROM cgr.dev/chainguard/python:latest-dev AS build
WORKDIR /app
RUN python -m venv /app/venv

FROM cgr.dev/chainguard/python:3.13@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
COPY --from=build /app/venv /app/venv
ENTRYPOINT [\"python\", \"main.py\"]
";

fn from<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("valid input")
}

fn from_err<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_value::<T>(value)
        .expect_err("invalid input")
        .to_string()
}

fn files(list: &[(&str, &str)]) -> Vec<FileInput> {
    from(Value::Array(
        list.iter()
            .map(|(path, text)| json!({"path": path, "text": text}))
            .collect(),
    ))
}

fn findings(report: &Report) -> Vec<(&str, u32, u32)> {
    report
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .map(|f| (f.code, f.span.start.line, f.span.start.column))
        .collect()
}

// --- check ------------------------------------------------------------------------------------

#[test]
fn bad_dockerfile_gives_mc001_at_the_from_of_the_final_stage() {
    let report = api::check(&files(&[("Dockerfile", BAD)]), &CheckInput::default()).unwrap();
    assert!(findings(&report).contains(&("MC001", 9, 6)));
}

#[test]
fn good_dockerfile_gives_nothing() {
    let report = api::check(&files(&[("Dockerfile", GOOD)]), &CheckInput::default()).unwrap();
    assert_eq!(findings(&report), vec![]);
}

#[test]
fn check_json_is_the_core_json_view() {
    let input = files(&[("a/Dockerfile", BAD), ("b/Dockerfile", GOOD)]);
    let text = api::check_json(&input, &CheckInput::default()).unwrap();
    let expected = Report {
        files: vec![
            check_dockerfile("a/Dockerfile", BAD, &CheckOptions::default()),
            check_dockerfile("b/Dockerfile", GOOD, &CheckOptions::default()),
        ],
        comparisons: vec![],
    };
    assert_eq!(text, report::json::render(&expected));
}

#[test]
fn options_map_to_build_options() {
    let input: CheckInput = from(json!({
        "target": "builder",
        "buildArgs": ["A=1", "B=x=y", "C="],
        "platform": "linux/arm64/v8",
    }));
    let options = api::check_options(&input).unwrap();
    assert_eq!(options.build.target.as_deref(), Some("builder"));
    assert_eq!(
        options.build.build_args,
        vec![
            ("A".to_string(), "1".to_string()),
            ("B".to_string(), "x=y".to_string()),
            ("C".to_string(), String::new()),
        ]
    );
    assert_eq!(options.build.platform.to_string(), "linux/arm64");
}

#[test]
fn build_args_as_an_object() {
    let input: CheckInput = from(json!({"buildArgs": {"Z": "1", "A": "2"}}));
    // serde_json's `Value` sorts keys (JS objects keep theirs); only the order of repeated names
    // matters to the core, and an object cannot repeat one.
    assert_eq!(
        input.build_args,
        Some(BuildArgs::Map(vec![
            ("A".into(), "2".into()),
            ("Z".into(), "1".into())
        ]))
    );
    let options = api::check_options(&input).unwrap();
    assert_eq!(options.build.build_args.len(), 2);
    assert!(
        api::check_options(&from(json!({"buildArgs": {"": "x"}})))
            .unwrap_err()
            .to_string()
            .contains("the name is empty")
    );
}

#[test]
fn null_options_are_defaults() {
    let input: CheckInput = from(json!({"buildArgs": null, "target": null, "comparisons": null}));
    let options = api::check_options(&input).unwrap();
    assert!(options.build.build_args.is_empty());
    assert_eq!(options.build.platform.to_string(), "linux/amd64");
}

#[test]
fn bad_options_are_errors_with_the_cli_wording() {
    let err = |v: Value| api::check_options(&from(v)).unwrap_err().to_string();
    assert_eq!(
        err(json!({"buildArgs": ["NOEQUALS"]})),
        r#"buildArgs "NOEQUALS": expected NAME=VALUE"#
    );
    assert_eq!(
        err(json!({"buildArgs": ["=x"]})),
        r#"buildArgs "=x": the name is empty"#
    );
    assert_eq!(
        err(json!({"platform": "linux"})),
        minicheck_core::platform::Platform::parse("linux").unwrap_err()
    );
    assert!(from_err::<CheckInput>(json!({"buildargs": []})).contains("unknown field `buildargs`"));
    assert!(from_err::<CheckInput>(json!({"buildArgs": 3})).contains("NAME=VALUE"));
    assert!(from_err::<Vec<FileInput>>(json!([{"path": "x"}])).contains("missing field `text`"));
}

#[test]
fn a_config_error_is_path_line_column_message() {
    let input: CheckInput = from(json!({
        "config": "ignored: [MC001]\nfailure-threshold: sometimes\n",
        "configPath": "ci/.minicheck.yaml",
    }));
    let e = api::check(&files(&[("Dockerfile", BAD)]), &input).unwrap_err();
    assert!(matches!(e, Error::Config(_)));
    let message = e.to_string();
    assert!(
        message.starts_with("ci/.minicheck.yaml:2:20: "),
        "got {message}"
    );
    let default_path = api::config("x: 1\n", None).unwrap_err().to_string();
    assert!(
        default_path.starts_with(".minicheck.yaml:1:1: "),
        "got {default_path}"
    );
}

#[test]
fn the_config_applies_and_a_file_may_bring_its_own() {
    let input: CheckInput = from(json!({"config": "ignored: [MC001]\n"}));
    let list: Vec<FileInput> = from(json!([
        {"path": "a", "text": BAD},
        {"path": "b", "text": BAD, "config": "override:\n  warning: [MC001]\n"},
    ]));
    let report = api::check(&list, &input).unwrap();
    assert!(report.files[0].findings.iter().all(|f| f.code != "MC001"));
    let mc001 = report.files[1].findings.iter().find(|f| f.code == "MC001");
    assert_eq!(mc001.map(|f| f.severity), Some(report::Severity::Warning));
}

#[test]
fn parse_config_maps_every_key() {
    let c = api::config_output(
        "failure-threshold: warning\nignored: [final-base-unpinned]\noverride:\n  error: [MC002]\n\
         trusted-registries: [ghcr.io/acme]\nmirrors:\n  - prefix: ghcr.io/acme/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n\
         shell-less: [ghcr.io/acme/runtime*]\nrequire-digest: true\n",
        None,
    )
    .unwrap();
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["failureThreshold"], "warning");
    assert_eq!(v["ignored"], json!(["MC004"]));
    assert_eq!(v["overrides"], json!({"MC002": "error"}));
    assert_eq!(v["trustedRegistries"], json!(["ghcr.io/acme"]));
    assert_eq!(v["mirrors"][0]["vendor"], "minimus");
    assert_eq!(v["shellLess"], json!(["ghcr.io/acme/runtime*"]));
    assert_eq!(v["requireDigest"], true);
    assert_eq!(v["disableInlineIgnores"], false);
}

// --- render -----------------------------------------------------------------------------------

#[test]
fn every_format_with_default_options_is_the_core_default_view() {
    let list = files(&[("Dockerfile", BAD)]);
    let report = api::check(&list, &CheckInput::default()).unwrap();
    let cases = [
        ("human", report::human::render(&report)),
        ("json", report::json::render(&report)),
        ("sarif", report::sarif::render(&report, &Default::default())),
        (
            "github",
            report::github::render(&report, &Default::default()),
        ),
        (
            "markdown",
            report::markdown::render(&report, &Default::default()),
        ),
    ];
    for (name, expected) in cases {
        let got = api::render(&list, &CheckInput::default(), name, &RenderInput::default());
        assert_eq!(got.unwrap(), expected, "{name}");
    }
}

#[test]
fn render_options_reach_the_views() {
    let list = files(&[("/repo/app/Dockerfile", BAD)]);
    let o: RenderInput = from(json!({
        "root": "/repo", "title": "leg 1", "linkBase": "https://github.com/o/r/blob/abc",
        "color": true, "maxErrors": 0,
    }));
    let md = api::render(&list, &CheckInput::default(), "markdown", &o).unwrap();
    assert!(md.contains("leg 1"));
    assert!(md.contains("https://github.com/o/r/blob/abc/app/Dockerfile#L9"));
    let human = api::render(&list, &CheckInput::default(), "human", &o).unwrap();
    assert!(human.contains('\x1b'));
    let github = api::render(&list, &CheckInput::default(), "github", &o).unwrap();
    assert!(!github.contains("::error "));
    assert!(from_err::<RenderInput>(json!({"linkbase": "x"})).contains("unknown field"));
    assert_eq!(
        Format::parse("xml").unwrap_err().to_string(),
        r#"unknown format "xml": expected human, json, sarif, github or markdown"#
    );
}

// --- rules ------------------------------------------------------------------------------------

#[test]
fn rules_and_explain() {
    let rules = api::rules();
    assert_eq!(rules.len(), minicheck_core::rules::RULES.len());
    let mc001 = api::explain("mc001").unwrap();
    assert_eq!(mc001.name, "final-stage-dev-image");
    assert_eq!(api::explain("final-stage-dev-image").unwrap(), mc001);
    assert!(mc001.documentation.contains("## What it does"));
    assert!(
        api::explain("MC999")
            .unwrap_err()
            .to_string()
            .starts_with(r#"no rule "MC999"; the rules are MC000, MC001"#)
    );
}

// --- SBOMs and comparisons --------------------------------------------------------------------

const SPDX: &str = r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "x",
  "packages": [
    {"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1", "externalRefs": [
      {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:apk/minimos/a@1"}]},
    {"SPDXID": "SPDXRef-b", "name": "b", "versionInfo": "2"}
  ]}"#;

#[test]
fn read_sbom_maps_the_core_result() {
    let sbom = api::read_sbom(SPDX.as_bytes()).unwrap();
    let core = minicheck_core::sbom::read_sbom(SPDX.as_bytes()).unwrap();
    assert_eq!(sbom.packages, core.packages);
    let v = serde_json::to_value(&sbom).unwrap();
    assert_eq!(v["format"], "spdx2-json");
    assert_eq!(v["specVersion"], "2.3");
    assert_eq!(v["packages"][0]["kind"], "apk");
    assert_eq!(
        api::read_sbom(b"").unwrap_err().to_string(),
        minicheck_core::sbom::read_sbom(b"")
            .unwrap_err()
            .to_string()
    );
    assert_eq!(api::read_all_sboms(SPDX.as_bytes()).unwrap().len(), 1);
}

fn package(name: &str, version: &str) -> Value {
    json!({"name": name, "version": version, "purl": format!("pkg:apk/minimos/{name}@{version}"), "kind": "apk"})
}

#[test]
fn diff_and_compare_follow_the_core() {
    let a: Vec<PackageInput> = from(json!([package("a", "1"), package("b", "1")]));
    let b: Vec<PackageInput> = from(json!([package("b", "2"), package("c", "1")]));
    let diff = api::diff_packages(&a, &b);
    assert_eq!(
        (diff.added.len(), diff.removed.len(), diff.changed.len()),
        (1, 1, 1)
    );
    let from_side: SideInput = from(json!({
        "label": "reg.mini.dev/python:3.13.5-dev", "compressedSize": 218000000,
        "packages": [package("a", "1"), package("b", "1")],
    }));
    let to_side: SideInput = from(json!({
        "label": "reg.mini.dev/python:3.13.5", "digest": "sha256:00", "compressedSize": 22000000,
        "packages": null, "note": "no SBOM attestation found",
    }));
    let c = api::comparison(&from_side, &to_side);
    assert_eq!(c.size_delta(), Some(-196_000_000));
    assert_eq!(c.package_delta(), None);
    assert_eq!(
        api::compare_json(&from_side, &to_side),
        report::comparison::json(&c)
    );
    assert_eq!(
        api::render_comparison(&from_side, &to_side, "markdown").unwrap(),
        report::comparison::markdown(&c)
    );
    assert!(api::render_comparison(&from_side, &to_side, "sarif").is_err());
}

#[test]
fn file_comparisons_render_as_the_core_table() {
    let files: Vec<FileComparisonInput> = from(json!([
        {
            "path": "Dockerfile", "image": "reg.mini.dev/python:3.13.5",
            "twin": {
                "from": {"label": "reg.mini.dev/python:3.13.5-dev", "compressedSize": 218000000},
                "to": {"label": "reg.mini.dev/python:3.13.5", "compressedSize": 22000000},
            },
            "notes": ["a note"],
        },
        {"path": "other/Dockerfile"},
    ]));
    let md = api::render_file_comparisons(&files, "markdown").unwrap();
    let core: Vec<_> = files.iter().map(api::file_comparison).collect();
    assert_eq!(md, report::comparison::files_markdown(&core));
    assert!(md.contains("-196 MB"));
    // Carried into the report, they reach the JSON view too.
    let input: CheckInput = from(json!({"comparisons": [{"path": "Dockerfile"}]}));
    let text = api::check_json(&files_of_bad(), &input).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["comparisons"][0]["path"], "Dockerfile");
}

fn files_of_bad() -> Vec<FileInput> {
    files(&[("Dockerfile", BAD)])
}

// --- references and the catalog ---------------------------------------------------------------

#[test]
fn classify_a_dev_image_and_its_twin() {
    let c = api::classify_image("reg.mini.dev/python:3.13.5-dev", &ConfigInput::default())
        .unwrap()
        .unwrap();
    assert_eq!((c.vendor, c.variant, c.has_shell), ("minimus", "dev", true));
    assert_eq!(
        c.production_twins
            .iter()
            .map(|t| t.normalized.as_str())
            .collect::<Vec<_>>(),
        vec!["reg.mini.dev/python:3.13.5"]
    );
    let p = api::classify_image("reg.mini.dev/python:3.13.5", &ConfigInput::default())
        .unwrap()
        .unwrap();
    assert_eq!(p.variant, "production");
    assert_eq!(
        p.dev_twin.map(|t| t.normalized),
        Some("reg.mini.dev/python:3.13.5-dev".to_string())
    );
    assert_eq!(
        api::classify_image("python:3.13", &ConfigInput::default()).unwrap(),
        None
    );
}

#[test]
fn classify_through_a_configured_mirror() {
    let input: ConfigInput = from(json!({
        "config": "mirrors:\n  - prefix: ghcr.io/acme/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n"
    }));
    let c = api::classify_image("ghcr.io/acme/minimus/python:3.13.5-dev", &input)
        .unwrap()
        .unwrap();
    assert_eq!(c.mirror.as_deref(), Some("ghcr.io/acme/minimus"));
    assert_eq!(
        c.production_twins[0].normalized,
        "ghcr.io/acme/minimus/python:3.13.5"
    );
    assert!(api::classify_image("Not A Ref", &ConfigInput::default()).is_err());
}

#[test]
fn image_references() {
    let r = api::parse_image_ref("python").unwrap();
    assert_eq!(r.normalized, "docker.io/library/python:latest");
    assert_eq!(r.tag_or_default.as_deref(), Some("latest"));
    assert_eq!(r.familiar, "python:latest");
}

// --- registries -------------------------------------------------------------------------------

const DIGEST_A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const DIGEST_B: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn index_json() -> String {
    json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": DIGEST_A,
             "size": 100, "platform": {"os": "linux", "architecture": "amd64"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": DIGEST_B,
             "size": 100, "platform": {"os": "linux", "architecture": "arm64"}},
        ]
    })
    .to_string()
}

#[test]
fn documents_and_platforms() {
    let index = index_json();
    let d = api::select_platform(index.as_bytes(), "linux/aarch64", None).unwrap();
    assert_eq!(d.digest, DIGEST_B);
    let e = api::select_platform(index.as_bytes(), "linux/s390x", None).unwrap_err();
    assert!(e.to_string().starts_with("no image for linux/s390x"), "{e}");
    let doc = api::parse_document(index.as_bytes(), None, "image-or-index").unwrap();
    let v = serde_json::to_value(&doc).unwrap();
    assert_eq!(v["document"], "index");
    assert_eq!(v["manifests"][1]["platform"]["architecture"], "arm64");
    let e = api::parse_document(index.as_bytes(), None, "image").unwrap_err();
    assert!(
        e.to_string().starts_with("expected an image manifest"),
        "{e}"
    );
    assert!(api::expected("anything").is_err());
    assert_eq!(
        api::attestation_for(index.as_bytes(), DIGEST_A, None).unwrap(),
        None
    );
}

#[test]
fn sizes_and_sbom_candidates() {
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": DIGEST_A, "size": 10},
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": DIGEST_A, "size": 1000},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": DIGEST_B, "size": 234},
        ]
    })
    .to_string();
    assert_eq!(
        api::compressed_size(manifest.as_bytes(), None).unwrap(),
        1234
    );
    let att = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": DIGEST_A, "size": 10},
        "layers": [
            {"mediaType": "application/vnd.in-toto+json", "digest": DIGEST_B, "size": 50,
             "annotations": {"in-toto.io/predicate-type": "https://spdx.dev/Document"}},
        ]
    })
    .to_string();
    let found = api::sbom_candidates_from_manifest(att.as_bytes(), "buildkit", None, None).unwrap();
    assert_eq!(found.len(), 1);
    let v = serde_json::to_value(&found[0]).unwrap();
    assert_eq!(
        (&v["source"], &v["format"], &v["content"]),
        (
            &json!("buildkit"),
            &json!("spdx"),
            &json!("in-toto-statement")
        )
    );
    assert!(api::sbom_candidates_from_manifest(att.as_bytes(), "oci", None, None).is_err());
    let prefer = ["xml".to_string()];
    assert!(
        api::sbom_candidates_from_manifest(att.as_bytes(), "buildkit", None, Some(&prefer))
            .is_err()
    );
    for source in ["referrer", "cosign-tag", "buildkit"] {
        assert_eq!(
            serde_json::to_value(api::attestation_source(source).unwrap()).unwrap(),
            json!(source)
        );
    }
}

#[test]
fn www_authenticate_to_token_url_and_back() {
    let header = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#;
    let challenges = api::parse_www_authenticate(header);
    assert_eq!(challenges[0].scheme, "bearer");
    // What JS gets back, it can hand in again.
    let back: Vec<ChallengeInput> = from(serde_json::to_value(&challenges).unwrap());
    let bearer = api::bearer_challenge(&back).unwrap();
    assert_eq!(bearer, challenges[0]);
    let challenge: ChallengeInput = from(serde_json::to_value(&bearer).unwrap());
    let url = api::token_url(&challenge, &["repository:library/python:pull".to_string()]).unwrap();
    assert_eq!(
        url,
        "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fpython%3Apull"
    );
    let basic: ChallengeInput = from(json!({"scheme": "basic", "params": {"realm": "x"}}));
    assert!(api::token_url(&basic, &[]).is_err());
    let token =
        api::parse_token_response(br#"{"access_token": "abc", "expires_in": 300}"#).unwrap();
    assert_eq!((token.token.as_str(), token.lifetime_secs), ("abc", 300));
    assert!(api::parse_token_response(b"{}").is_err());
}

#[test]
fn digests_tags_and_paths() {
    let digest = minicheck_core::oci::sha256_digest(b"hello");
    assert!(minicheck_core::oci::verify_digest(b"hello", &digest));
    assert!(api::validate_digest("sha256:short").is_err());
    assert_eq!(
        api::cosign_attestation_tag(DIGEST_A).unwrap(),
        format!("sha256-{}.att", &DIGEST_A[7..])
    );
    assert_eq!(
        api::referrers_tag(DIGEST_A).unwrap(),
        format!("sha256-{}", &DIGEST_A[7..])
    );
    assert_eq!(
        api::manifest_path("library/python", "3.13").unwrap(),
        "/v2/library/python/manifests/3.13"
    );
    assert!(api::blob_path("library/python", "latest").is_err());
}

// ---------------------------------------------------------------------------------------------
// analyze, planComparisons, completeComparisons

#[test]
fn analyze_decides_failure_per_file_threshold_and_renders_every_view_of_one_check() {
    use crate::input::AnalyzeInput;
    let mut inputs = files(&[
        ("bad/Dockerfile", BAD),
        ("good/Dockerfile", GOOD),
        (
            "direct/Dockerfile",
            "FROM cgr.dev/chainguard/python:latest-dev\n",
        ),
    ]);
    // The good file's own configuration fails on warnings; it has none, so it still passes.
    inputs[1].config = Some("failure-threshold: warning\n".into());
    let analysis: AnalyzeInput = from(json!({
        "formats": ["json", "github", "markdown"],
        "renderOptions": {"root": "."},
        "review": true
    }));
    let out = api::analyze(&inputs, &CheckInput::default(), &analysis).unwrap();
    assert!(out.failed);
    assert_eq!(out.failed_files, ["bad/Dockerfile", "direct/Dockerfile"]);
    assert_eq!(out.views["json"], out.json);
    assert!(out.views["github"].starts_with("::error file=bad/Dockerfile"));
    assert!(out.views["markdown"].contains("MC001"));
    assert_eq!(out.summary.findings, out.review.len());
    assert!(out.review.iter().any(|c| c.body.contains("```suggestion")));
    assert!(!out.views.contains_key("summary"));
    let with_summary: AnalyzeInput = from(
        json!({"formats": ["markdown"], "renderOptions": {"maxBytes": 300}, "summaryMaxBytes": 1000000}),
    );
    let out = api::analyze(&inputs, &CheckInput::default(), &with_summary).unwrap();
    assert!(
        out.views["markdown"].len() <= 300,
        "{}",
        out.views["markdown"]
    );
    assert!(out.views["summary"].len() > 300);
    assert!(out.views["summary"].contains("MC001"));

    // failOn wins over the file's configuration; never never fails.
    let never: AnalyzeInput = from(json!({"failOn": "never"}));
    let out = api::analyze(&inputs, &CheckInput::default(), &never).unwrap();
    assert!(!out.failed && out.views.is_empty() && out.review.is_empty());
    let bad: AnalyzeInput = from(json!({"failOn": "fatal"}));
    let e = api::analyze(&inputs, &CheckInput::default(), &bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("expected error, warning, info or never"),
        "{e}"
    );
    let bad: AnalyzeInput = from(json!({"formats": ["xml"]}));
    assert!(api::analyze(&inputs, &CheckInput::default(), &bad).is_err());
}

#[test]
fn plans_name_each_image_once_and_completion_turns_failures_into_notes() {
    use crate::input::{BaseInput, FetchedInput, PlanInput};
    let inputs = files(&[("Dockerfile", "FROM reg.mini.dev/python:3.13.5\n")]);
    let base: BaseInput = from(json!({
        "baseRef": "main",
        "texts": ["FROM reg.mini.dev/python:3.13.5-dev\n"]
    }));
    let plans = api::plan_comparisons(&inputs, &CheckInput::default(), &base).unwrap();
    assert_eq!(
        plans.images,
        [
            "reg.mini.dev/python:3.13.5-dev",
            "reg.mini.dev/python:3.13.5"
        ]
    );
    let plan = &plans.plans[0];
    assert_eq!(plan.base.as_deref(), Some("reg.mini.dev/python:3.13.5-dev"));

    // What the host hands back: the plan as JSON, one side and one failure.
    let plan_input: PlanInput = from(serde_json::to_value(plan).unwrap());
    let fetched: Vec<FetchedInput> = from(json!([
        {"image": "reg.mini.dev/python:3.13.5", "side": {"label": "reg.mini.dev/python:3.13.5", "compressedSize": 22}},
        {"image": "reg.mini.dev/python:3.13.5-dev", "error": "reg.mini.dev: 503 Service Unavailable"}
    ]));
    let done = api::complete_comparisons(&[plan_input], &fetched).unwrap();
    assert_eq!(done[0].twin, None);
    assert_eq!(done[0].notes, ["reg.mini.dev: 503 Service Unavailable"]);

    // A file new since the base, and one the host could not read.
    let two = files(&[
        ("a/Dockerfile", "FROM debian:12\n"),
        ("b/Dockerfile", "FROM debian:12\n"),
    ]);
    let base: BaseInput =
        from(json!({"baseRef": "main", "texts": [null, {"error": "git does not have main"}]}));
    let plans = api::plan_comparisons(&two, &CheckInput::default(), &base).unwrap();
    assert_eq!(plans.plans[0].notes[1], "new since main: no base image");
    assert_eq!(
        plans.plans[1].notes[1],
        "the Dockerfile at main could not be read: git does not have main"
    );

    // The text count must match the files.
    let short: BaseInput = from(json!({"baseRef": "main", "texts": []}));
    assert!(api::plan_comparisons(&inputs, &CheckInput::default(), &short).is_err());
}
