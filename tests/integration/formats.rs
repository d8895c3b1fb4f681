use crate::common::{bin, json, repo_root, run, run_in};

const BROKEN: &str = "examples/broken/run-in-distroless/Dockerfile";

#[test]
fn human_output_has_carets_and_no_colour_unless_asked() {
    let r = run_in(&repo_root(), &["check", BROKEN]);
    assert_eq!(r.code, 1);
    assert!(
        !r.stdout.contains('\u{1b}'),
        "no ANSI codes when not a terminal"
    );
    assert!(
        r.stdout.contains("12 | RUN pip list\n   | ^^^^^^^^^^^^\n"),
        "{}",
        r.stdout
    );
    let coloured = run_in(&repo_root(), &["check", "--color", "always", BROKEN]);
    assert!(
        coloured.stdout.contains("\u{1b}[31m"),
        "{}",
        coloured.stdout
    );
    // NO_COLOR wins over auto even when forced to look like a terminal is impossible here;
    // at least it must never add colour.
    let no_color = run(bin()
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .args(["check", BROKEN]));
    assert!(!no_color.stdout.contains('\u{1b}'));
}

#[test]
fn sarif_for_code_scanning() {
    let r = run_in(&repo_root(), &["check", "--format", "sarif", BROKEN]);
    assert_eq!(r.code, 1);
    let v = json(&r.stdout);
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), minicheck_rule_count());
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "MC005")
        .expect("MC005 result");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "MC005"
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], BROKEN);
    assert_eq!(location["region"]["startLine"], 12);
    assert_eq!(location["region"]["startColumn"], 1);
    assert_eq!(location["region"]["endColumn"], 13);
    assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
}

fn minicheck_rule_count() -> usize {
    let r = run_in(&repo_root(), &["rules", "--format", "json"]);
    json(&r.stdout).as_array().unwrap().len()
}

#[test]
fn github_annotations_errors_first() {
    let r = run_in(&repo_root(), &["check", "--format", "github", "examples"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("::error file=examples/broken/"),
        "{}",
        lines[0]
    );
    let first_warning = lines
        .iter()
        .position(|l| l.starts_with("::warning"))
        .unwrap();
    assert!(
        lines[..first_warning]
            .iter()
            .all(|l| l.starts_with("::error"))
    );
    assert!(r.stdout.contains(
        "::error file=examples/broken/run-in-distroless/Dockerfile,line=12,endLine=12,col=1,endColumn=13,title=MC005 shell-in-shell-less-stage::"
    ));
}

#[test]
fn markdown_summary_table() {
    let r = run_in(&repo_root(), &["check", "--format", "markdown", "examples"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("| Severity | Rule | Location | Message |"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("examples/broken/dev-final-stage/Dockerfile:9")
    );
    assert!(r.stdout.contains(
        "| examples/broken/dev-final-stage/Dockerfile | `reg.mini.dev/python:latest-dev` |"
    ));
}

#[test]
fn secrets_never_reach_any_output() {
    let dir = crate::common::tree(&[(
        "Dockerfile",
        "FROM reg.mini.dev/mini_S3cr3tT0ken42/go:1.23-dev AS build\nFROM reg.mini.dev/mini_S3cr3tT0ken42/static:1\nCOPY --from=build /app /app\n",
    )]);
    for format in ["human", "json", "sarif", "github", "markdown"] {
        let r = run_in(dir.path(), &["check", "--format", format, "Dockerfile"]);
        assert_eq!(r.code, 1, "{format}: MC010 is an error");
        assert!(r.stdout.contains("MC010"), "{format}");
        assert!(
            !r.stdout.contains("S3cr3tT0ken42"),
            "{format} leaked the token:\n{}",
            r.stdout
        );
        assert!(
            !r.stderr.contains("S3cr3tT0ken42"),
            "{format} leaked the token on stderr"
        );
    }
}
