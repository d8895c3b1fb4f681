use crate::common::{bin, json, run, run_in, tree};
use std::io::Write;
use std::process::Stdio;

const GOOD: &str = "FROM golang:1.23 AS build\nRUN go build\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n";
const BROKEN: &str = "FROM gcr.io/distroless/static-debian12:nonroot\nENV PATH\n";

#[test]
fn clean_file_exits_zero_and_says_so() {
    let dir = tree(&[("Dockerfile", GOOD)]);
    let r = run_in(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "1 file checked: no findings\n");
}

#[test]
fn syntax_error_exits_one_with_location() {
    let dir = tree(&[("Dockerfile", BROKEN)]);
    let r = run_in(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .starts_with("Dockerfile:2:1: MC000 [error] ENV must have two arguments\n"),
        "{}",
        r.stdout
    );
    let r = run_in(dir.path(), &["check", "--fail-on", "never", "Dockerfile"]);
    assert_eq!(r.code, 0);
}

#[test]
fn usage_and_io_errors_exit_two() {
    let dir = tree(&[("Dockerfile", GOOD)]);
    for args in [
        vec!["check", "missing/Dockerfile"],
        vec!["check", "--build-arg", "NOVALUE", "Dockerfile"],
        vec!["check", "--platform", "linux", "Dockerfile"],
        vec!["check", "--format", "xml", "Dockerfile"],
        vec!["check", "--no-such-flag"],
        vec!["frobnicate"],
    ] {
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?} says why");
    }
    let r = run_in(dir.path(), &["check", "missing/Dockerfile"]);
    assert!(
        r.stderr.contains("cannot read missing/Dockerfile"),
        "{}",
        r.stderr
    );
}

#[test]
fn directories_are_searched_honouring_gitignore() {
    let dir = tree(&[
        ("Dockerfile", GOOD),
        ("svc/api.Dockerfile", GOOD),
        ("svc/Containerfile.dev", GOOD),
        ("svc/docker/Dockerfile.prod", GOOD),
        (".devcontainer/Dockerfile", GOOD),
        ("vendor/Dockerfile", BROKEN),
        ("notes/Dockerfile.md.txt", GOOD),
        ("README.md", "# not a Dockerfile"),
        (".gitignore", "vendor/\n"),
    ]);
    let r = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v = json(&r.stdout);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            ".devcontainer/Dockerfile",
            "Dockerfile",
            "notes/Dockerfile.md.txt",
            "svc/Containerfile.dev",
            "svc/api.Dockerfile",
            "svc/docker/Dockerfile.prod",
        ]
    );
}

#[test]
fn explicit_files_are_checked_whatever_their_name() {
    let dir = tree(&[("build/prod.txt", BROKEN)]);
    let r = run_in(dir.path(), &["check", "build/prod.txt"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("build/prod.txt:2:1: MC000"),
        "{}",
        r.stdout
    );
}

#[test]
fn standard_input_with_a_name() {
    let mut child = bin()
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "web/Dockerfile",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(GOOD.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(v["files"][0]["path"], "web/Dockerfile");
    assert_eq!(v["files"][0]["final_stage"], 1);
}

#[test]
fn output_file_and_build_options() {
    let dir = tree(&[(
        "Dockerfile",
        "ARG TAG\nFROM python:${TAG}-dev AS build\nFROM --platform=$BUILDPLATFORM python:${TAG} AS run\nFROM build AS debug\n",
    )]);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            "out.json",
            "--build-arg",
            "TAG=3.13",
            "--target",
            "RUN",
            "--platform",
            "linux/arm64",
            "Dockerfile",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "", "the report went to the file");
    let v = json(&std::fs::read_to_string(dir.path().join("out.json")).unwrap());
    let file = &v["files"][0];
    assert_eq!(file["final_stage"], 1);
    assert_eq!(
        file["stages"][1]["base"]["image"],
        "docker.io/library/python:3.13"
    );
    assert_eq!(file["stages"][1]["platform"], "linux/amd64");
    assert_eq!(file["stages"][0]["platform"], "linux/arm64");
    assert_eq!(file["stages"][2]["base"]["kind"], "stage");
    assert_eq!(
        file["stages"][2]["base"]["image"],
        "docker.io/library/python:3.13-dev"
    );
}

#[test]
fn unresolved_base_is_reported_not_guessed() {
    let dir = tree(&[("Dockerfile", "ARG TAG\nFROM python:${TAG}\n")]);
    let r = run_in(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    let base = &json(&r.stdout)["files"][0]["stages"][0]["base"];
    assert_eq!(base["kind"], "unresolved");
    assert_eq!(base["resolved"], serde_json::Value::Null);
    assert_eq!(base["image"], serde_json::Value::Null);
    assert_eq!(base["missing_args"][0], "TAG");
}

#[test]
fn parallel_output_order_is_deterministic() {
    let files: Vec<(String, &str)> = (0..60)
        .map(|i| {
            (
                format!("d{i:02}/Dockerfile"),
                if i % 7 == 0 { BROKEN } else { GOOD },
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = tree(&refs);
    let first = run_in(dir.path(), &["check", "--format", "json", "."]).stdout;
    for _ in 0..3 {
        assert_eq!(
            run_in(dir.path(), &["check", "--format", "json", "."]).stdout,
            first
        );
    }
    let v = json(&first);
    assert_eq!(v["summary"]["files"], 60);
    assert_eq!(v["summary"]["errors"], 9);
}

#[test]
fn empty_directory_warns() {
    let dir = tree(&[("README.md", "nothing here")]);
    let r = run(bin().current_dir(dir.path()).args(["check"]));
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("no Dockerfiles found"), "{}", r.stderr);
}
