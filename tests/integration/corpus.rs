use crate::common::{corpus, json, run};

/// All 476 real Dockerfiles (official images and multi-stage projects) parse and resolve with
/// no syntax error, and every stage's base is classified.
#[test]
fn every_corpus_dockerfile_checks_clean() {
    let r = run(crate::common::bin()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(corpus().join("official"))
        .arg(corpus().join("multistage")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let files = v["files"].as_array().unwrap();
    assert!(files.len() >= 476, "{} files", files.len());
    let mut problems = Vec::new();
    for file in files {
        for finding in file["findings"].as_array().unwrap() {
            if finding["rule"] == "MC000" {
                problems.push(format!("{}: {}", file["path"], finding["message"]));
            }
        }
        for stage in file["stages"].as_array().unwrap() {
            let kind = stage["base"]["kind"].as_str().unwrap();
            assert!(["image", "stage", "scratch", "unresolved"].contains(&kind));
        }
        assert!(file["final_stage"].is_u64(), "{}", file["path"]);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
