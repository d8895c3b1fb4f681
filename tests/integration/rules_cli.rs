use crate::common::{json, repo_root, run_in};

#[test]
fn rules_lists_every_rule() {
    let r = run_in(&repo_root(), &["rules"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines.len() >= 11, "{}", r.stdout);
    assert!(
        lines[1].starts_with("MC001  final-stage-dev-image"),
        "{}",
        lines[1]
    );
    let v = json(&run_in(&repo_root(), &["rules", "--format", "json"]).stdout);
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[..3], ["MC000", "MC001", "MC002"]);
    assert!(
        v[1]["documentation"]
            .as_str()
            .unwrap()
            .contains("## How to fix")
    );
}

#[test]
fn explain_by_code_or_name() {
    let by_code = run_in(&repo_root(), &["explain", "MC001"]);
    assert_eq!(by_code.code, 0);
    assert!(
        by_code
            .stdout
            .starts_with("# MC001 final-stage-dev-image\n")
    );
    assert!(by_code.stdout.contains("## Why is this bad?"));
    assert!(
        by_code
            .stdout
            .contains("```dockerfile\nFROM reg.mini.dev/python:3.13.5-dev AS build")
    );
    let by_name = run_in(&repo_root(), &["explain", "final-stage-dev-image"]);
    assert_eq!(by_name.stdout, by_code.stdout);
    let unknown = run_in(&repo_root(), &["explain", "MC999"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no rule \"MC999\""),
        "{}",
        unknown.stderr
    );
}

#[test]
fn the_bundled_examples_show_what_users_see() {
    let r = run_in(&repo_root(), &["check", "--format", "json", "examples"]);
    assert_eq!(r.code, 1, "the broken examples fail");
    let v = json(&r.stdout);
    let mut found = Vec::new();
    for file in v["files"].as_array().unwrap() {
        for f in file["findings"].as_array().unwrap() {
            found.push((
                file["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            ));
        }
    }
    let has = |path: &str, rule: &str, line: u64| {
        found
            .iter()
            .any(|(p, r, l)| p == path && r == rule && *l == line)
    };
    assert!(
        has("examples/broken/dev-final-stage/Dockerfile", "MC001", 9),
        "{found:?}"
    );
    assert!(
        has("examples/broken/run-in-distroless/Dockerfile", "MC005", 12),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(p, r, _)| p == "examples/app/Dockerfile"
            && ["MC001", "MC005", "MC008"].contains(&r.as_str())),
        "the good example has no errors: {found:?}"
    );
}
