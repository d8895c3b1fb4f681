use crate::common::{json, repo_root, run_in};

#[test]
fn schema_of_the_bundled_example() {
    let r = run_in(
        &repo_root(),
        &["check", "--format", "json", "examples/app/Dockerfile"],
    );
    let v = json(&r.stdout);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "minicheck");
    let file = &v["files"][0];
    assert_eq!(file["path"], "examples/app/Dockerfile");
    assert_eq!(file["final_stage"], 1);
    let stages = file["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 2);
    assert_eq!(stages[0]["index"], 0);
    assert_eq!(stages[0]["name"], "builder");
    assert_eq!(stages[0]["line"], 3);
    assert_eq!(stages[0]["platform"], "linux/amd64");
    assert_eq!(
        stages[0]["base"],
        serde_json::json!({
            "raw": "reg.mini.dev/python:latest-dev",
            "resolved": "reg.mini.dev/python:latest-dev",
            "kind": "image",
            "image": "reg.mini.dev/python:latest-dev",
            "stage": null,
            "missing_args": [],
        })
    );
    assert_eq!(stages[1]["name"], serde_json::Value::Null);
    assert_eq!(stages[1]["base"]["image"], "reg.mini.dev/python:latest");
    let summary = &v["summary"];
    assert_eq!(summary["files"], 1);
    assert!(summary["findings"].is_u64());
}

#[test]
fn findings_carry_full_ranges() {
    let dir = crate::common::tree(&[(
        "Dockerfile",
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --chmodd=644 a b\n",
    )]);
    let r = run_in(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    let finding = &json(&r.stdout)["files"][0]["findings"][0];
    assert_eq!(
        *finding,
        serde_json::json!({
            "rule": "MC000",
            "name": "syntax-error",
            "severity": "error",
            "message": "unknown flag: chmodd",
            "line": 2,
            "column": 6,
            "end_line": 2,
            "end_column": 18,
        })
    );
}
