use crate::common::{json, repo_root, run_in, tree};

const DEV_FINAL: &str = "FROM ghcr.io/acme/minimus/python:3.13.5-dev\n";

#[test]
fn found_by_walking_up_from_each_dockerfile() {
    let dir = tree(&[
        (
            ".minicheck.yaml",
            "mirrors:\n  - prefix: ghcr.io/acme/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n",
        ),
        ("svc/api/Dockerfile", DEV_FINAL),
        // A nested configuration wins for its subtree: here it silences MC001.
        (
            "legacy/.minicheck.yml",
            "ignored: [MC001, final-stage-not-hardened]\n",
        ),
        ("legacy/Dockerfile", DEV_FINAL),
    ]);
    let r = run_in(dir.path(), &["check", "--format", "json", "."]);
    let v = json(&r.stdout);
    let rules = |path: &str| -> Vec<String> {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        rules("svc/api/Dockerfile"),
        ["MC001"],
        "judged as Minimus through the mirror"
    );
    assert_eq!(rules("legacy/Dockerfile"), Vec::<String>::new());
    assert_eq!(r.code, 1);
}

#[test]
fn explicit_config_threshold_and_overrides() {
    let dir = tree(&[
        ("Dockerfile", "FROM python:3.13\n"),
        ("strict.yaml", "failure-threshold: warning\n"),
        ("lenient.yaml", "override:\n  info: [MC002]\n"),
    ]);
    let r = run_in(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(r.code, 0, "MC002 is a warning: below the default threshold");
    let r = run_in(
        dir.path(),
        &["check", "--config", "strict.yaml", "Dockerfile"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--config",
            "strict.yaml",
            "--fail-on",
            "error",
            "Dockerfile",
        ],
    );
    assert_eq!(r.code, 0, "--fail-on wins over the file");
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--config",
            "lenient.yaml",
            "--format",
            "json",
            "Dockerfile",
        ],
    );
    assert_eq!(
        json(&r.stdout)["files"][0]["findings"][0]["severity"],
        "info"
    );
}

#[test]
fn bad_configuration_is_a_located_error() {
    let cases = [
        ("failure_threshold: warning\n", "1:1", "failure-threshold"),
        ("ignored: [MC999]\n", "1:", "MC999"),
        (
            "mirrors:\n  - prefix: ghcr.io/x\n    vendor: nope\n    upstream: reg.mini.dev\n",
            "3:",
            "nope",
        ),
        ("ignored: [MC001]\nignored: [MC002]\n", "2:", "duplicate"),
        ("ignored: MC001\n", "1:", ""),
        ("trusted-registries: [\"https://ghcr.io\"]\n", "1:", "https"),
    ];
    for (text, position, mentions) in cases {
        let dir = tree(&[("Dockerfile", "FROM scratch\n"), (".minicheck.yaml", text)]);
        let r = run_in(dir.path(), &["check", "Dockerfile"]);
        assert_eq!(r.code, 2, "{text}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(".minicheck.yaml:{position}")),
            "{text}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(mentions), "{text}: {}", r.stderr);
        assert_eq!(r.stdout, "", "no partial report");
    }
}

#[test]
fn the_migrated_example_is_clean() {
    let r = run_in(&repo_root(), &["check", "examples/migrated"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "1 file checked: no findings\n");
}
