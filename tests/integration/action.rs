//! The GitHub Action as the runner runs it: the committed `dist/index.js` started by Node 24
//! (the npm package `node@24`, the runtime `action.yml` declares), inputs in `INPUT_*`, a
//! pull-request event file, `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` files, the stand-in for
//! GitHub's API that checks every request, and a real registry on loopback for the deltas.
//!
//! `MINICHECK_NODE` names the node binary (scripts/setup-and-test sets it); without it the test
//! asks npx for Node 24 once.

use crate::common::{bin, json, repo_root, run, tree};
use crate::support::fake_github::{FakeGithub, TokenKind};
use crate::support::registry_server::{
    DEV_LAYERS, DEV_PACKAGES, PROD_AMD64_LAYERS, PROD_PACKAGES, RegistryServer, push_fixtures,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub(crate) const REPO: &str = "acme/shop";
pub(crate) const PR: u64 = 42;
pub(crate) const TOKEN: &str = "ghs_installationtoken0123456789abcdefABCDEF";
const BASE_SHA: &str = "1111111111111111111111111111111111111111";
const HEAD_SHA: &str = "2222222222222222222222222222222222222222";

const BAD: &str = "FROM cgr.dev/chainguard/python:latest-dev AS build\nRUN pip install flask\n\nFROM cgr.dev/chainguard/python:latest-dev AS final\nCOPY --from=build /app /app\n";
/// The pull request's diff of `BAD`: it changed the final FROM (line 4) only.
const FINAL_FROM_PATCH: &str = "@@ -3,2 +3,2 @@\n \n-FROM cgr.dev/chainguard/python:3.13 AS final\n+FROM cgr.dev/chainguard/python:latest-dev AS final\n COPY --from=build /app /app";
const GOOD: &str = "FROM cgr.dev/chainguard/python:latest-dev AS build\nRUN pip install flask\n\nFROM cgr.dev/chainguard/python:3.13@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nCOPY --from=build /app /app\n";

fn node() -> &'static Path {
    static NODE: OnceLock<PathBuf> = OnceLock::new();
    NODE.get_or_init(|| {
        if let Some(node) = std::env::var_os("MINICHECK_NODE").filter(|v| !v.is_empty()) {
            return PathBuf::from(node);
        }
        let out = Command::new("npx")
            .args([
                "-y",
                "node@24",
                "-e",
                "process.stdout.write(process.execPath)",
            ])
            .output()
            .expect("npx runs (Node 24 comes from the npm registry)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).expect("a path"))
    })
}

/// A git work tree with the files committed, as actions/checkout leaves it.
pub(crate) fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tree(files);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub(crate) struct Action<'a> {
    dir: &'a Path,
    env: Vec<(&'a str, String)>,
    inputs: Vec<(&'a str, String)>,
    github: Option<&'a FakeGithub>,
    pull_request: bool,
    /// An event payload instead of the pull request's or the push's.
    event: Option<serde_json::Value>,
}

pub(crate) struct ActionRun {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) summary: String,
    pub(crate) outputs: BTreeMap<String, String>,
}

impl ActionRun {
    pub(crate) fn annotations(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| {
                l.starts_with("::error file=")
                    || l.starts_with("::warning file=")
                    || l.starts_with("::notice")
            })
            .collect()
    }
    pub(crate) fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl<'a> Action<'a> {
    pub(crate) fn new(dir: &'a Path) -> Self {
        Action {
            dir,
            env: Vec::new(),
            inputs: Vec::new(),
            github: None,
            pull_request: false,
            event: None,
        }
    }
    pub(crate) fn input(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.inputs.push((name, value.into()));
        self
    }
    /// Only the review: no comparison, no comment, on the pull request.
    pub(crate) fn reviewing(dir: &'a Path, github: &'a FakeGithub) -> Self {
        Action::new(dir)
            .input("compare", "false")
            .input("comment", "false")
            .input("review", "true")
            .on_pull_request(github)
    }

    /// A comment on the pull request: the event names the issue only.
    pub(crate) fn on_issue_comment(mut self, github: &'a FakeGithub) -> Self {
        self.github = Some(github);
        self.event = Some(serde_json::json!({
            "action": "created",
            "issue": {"number": PR, "pull_request": {"url": "…"}},
            "comment": {"body": "/minicheck"},
            "repository": {"full_name": REPO}
        }));
        self
    }

    /// Sets (after the runner's defaults) an environment variable.
    pub(crate) fn env(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.env.push((name, value.into()));
        self
    }

    pub(crate) fn on_pull_request(mut self, github: &'a FakeGithub) -> Self {
        self.github = Some(github);
        self.pull_request = true;
        self
    }

    pub(crate) fn run(self) -> ActionRun {
        let runner = tempfile::tempdir().expect("tempdir");
        let summary = runner.path().join("summary.md");
        let output = runner.path().join("output");
        std::fs::write(&summary, "").unwrap();
        std::fs::write(&output, "").unwrap();
        let event = runner.path().join("event.json");
        let payload = if let Some(event) = self.event.clone() {
            event
        } else if self.pull_request {
            serde_json::json!({
                "action": "synchronize",
                "number": PR,
                "pull_request": {
                    "number": PR,
                    "head": {"sha": HEAD_SHA, "ref": "feature"},
                    "base": {"sha": BASE_SHA, "ref": "main"}
                },
                "repository": {"full_name": REPO}
            })
        } else {
            serde_json::json!({"ref": "refs/heads/main", "repository": {"full_name": REPO}})
        };
        std::fs::write(&event, payload.to_string()).unwrap();

        let mut cmd = Command::new(node());
        cmd.arg(repo_root().join("dist/index.js"))
            .current_dir(self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", runner.path())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", self.dir)
            .env("GITHUB_REPOSITORY", REPO)
            .env("GITHUB_WORKFLOW", "CI")
            .env("GITHUB_JOB", "minicheck")
            .env("GITHUB_SHA", HEAD_SHA)
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env(
                "GITHUB_EVENT_NAME",
                if self.pull_request {
                    "pull_request"
                } else {
                    "push"
                },
            )
            .env("GITHUB_EVENT_PATH", &event)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("RUNNER_TEMP", runner.path())
            .stdin(Stdio::null());
        if let Some(github) = self.github {
            cmd.env("GITHUB_API_URL", github.url());
        }
        // The runner's defaults from action.yml: github-token is `${{ github.token }}`.
        cmd.env("INPUT_GITHUB-TOKEN", TOKEN);
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        for (name, value) in &self.inputs {
            cmd.env(format!("INPUT_{}", name.to_uppercase()), value);
        }
        let out = cmd.output().expect("node runs");
        ActionRun {
            code: out.status.code().expect("an exit code"),
            stdout: String::from_utf8(out.stdout).expect("utf-8"),
            stderr: String::from_utf8(out.stderr).expect("utf-8"),
            summary: std::fs::read_to_string(&summary).unwrap(),
            outputs: parse_outputs(&std::fs::read_to_string(&output).unwrap()),
        }
    }
}

/// `GITHUB_OUTPUT`'s `name<<DELIMITER … DELIMITER` records.
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let (name, delimiter) = line.split_once("<<").expect("name<<delimiter");
        let mut value = Vec::new();
        for l in lines.by_ref() {
            if l == delimiter {
                break;
            }
            value.push(l);
        }
        out.insert(name.to_string(), value.join("\n"));
    }
    out
}

pub(crate) fn github() -> FakeGithub {
    let github = FakeGithub::start();
    github.add_token(TOKEN, "", TokenKind::App);
    github.add_pull(REPO, PR);
    github
}

// ---------------------------------------------------------------------------------------------

#[test]
fn examples_annotations_summary_outputs_and_exit_code_match_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("examples"), &dir.path().join("examples"));
    git(dir.path(), &["init", "-q"]);
    let r = Action::new(dir.path())
        .input("paths", "examples")
        .input("compare", "false")
        .run();
    assert_eq!(r.code, 1, "findings at error fail the step\n{}", r.all());

    // Annotations: the errors first, on the offending lines, paths relative to the workspace.
    let annotations = r.annotations();
    assert!(
        annotations[0]
            .starts_with("::error file=examples/broken/dev-final-stage/Dockerfile,line=9,"),
        "{annotations:#?}"
    );
    assert!(
        annotations[1]
            .starts_with("::error file=examples/broken/run-in-distroless/Dockerfile,line=12,"),
        "{annotations:#?}"
    );
    assert!(annotations[2].starts_with("::warning "), "{annotations:#?}");
    let kinds: Vec<&str> = annotations
        .iter()
        .map(|a| a.split(' ').next().unwrap())
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| {
        ["::error", "::warning", "::notice"]
            .iter()
            .position(|p| k.starts_with(p))
    });
    assert_eq!(kinds, sorted, "errors, then warnings, then notices");

    // The outputs, and the findings exactly as the native CLI's JSON for the same files.
    assert_eq!(r.outputs["errors"], "2");
    assert_eq!(r.outputs["warnings"], "5");
    let native = run(bin()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "examples"]));
    assert_eq!(native.code, 1, "{}", native.stderr);
    assert_eq!(json(&r.outputs["findings"]), json(&native.stdout));

    // The whole report in the job summary, as the CLI's Markdown view renders it.
    let markdown = run(bin()
        .current_dir(dir.path())
        .args(["check", "--format", "markdown", "examples"]));
    assert!(r.summary.starts_with("## minicheck"), "{}", r.summary);
    assert!(r.summary.contains("| ❌ error | [MC001]"), "{}", r.summary);
    let message = |s: &str| s.rsplit(" | ").next().unwrap().to_string();
    let native_row = markdown
        .stdout
        .lines()
        .find(|l| l.contains("[MC005]"))
        .unwrap();
    let row = r.summary.lines().find(|l| l.contains("[MC005]")).unwrap();
    assert_eq!(message(row), message(native_row));
    // Locations link to the lines at the commit.
    assert!(
        row.contains("(https://github.com/acme/shop/blob/2222222222222222222222222222222222222222/examples/broken/run-in-distroless/Dockerfile#L12)"),
        "{row}"
    );
    assert!(
        r.stderr.is_empty() || !r.stderr.contains("Error"),
        "{}",
        r.stderr
    );
}

#[test]
fn fail_on_decides_the_result_and_configuration_thresholds_apply_without_it() {
    let dir = workspace(&[(
        "Dockerfile",
        "FROM reg.mini.dev/python:3.13.5-dev AS b\nFROM reg.mini.dev/python:3.13.5\n",
    )]);
    // A retired registry: warnings only.
    let base = || Action::new(dir.path()).input("compare", "false");
    let r = base().run();
    assert_eq!(r.code, 0, "{}", r.all());
    assert_ne!(r.outputs["warnings"], "0");
    assert_eq!(base().input("fail-on", "warning").run().code, 1);
    assert_eq!(base().input("fail-on", "never").run().code, 0);
    std::fs::write(
        dir.path().join(".minicheck.yaml"),
        "failure-threshold: warning\n",
    )
    .unwrap();
    assert_eq!(base().run().code, 1, "the configuration's threshold");
    assert_eq!(
        base().input("fail-on", "error").run().code,
        0,
        "fail-on wins"
    );
}

#[test]
fn input_and_configuration_errors_fail_the_step_with_a_clear_message() {
    let dir = workspace(&[("Dockerfile", GOOD)]);
    let r = Action::new(dir.path()).input("fail-on", "fatal").run();
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("::error::minicheck: input fail-on: \"fatal\": expected one of error, warning, info, never"), "{}", r.all());

    let r = Action::new(dir.path()).input("build-args", "VERSION").run();
    assert_eq!(r.code, 2);
    assert!(
        r.stdout
            .contains("input build-args: \"VERSION\": expected NAME=VALUE"),
        "{}",
        r.all()
    );

    let r = Action::new(dir.path()).input("platform", "linux").run();
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stdout
            .contains("::error::minicheck: invalid platform \"linux\""),
        "{}",
        r.all()
    );
    assert_eq!(
        r.stdout.lines().filter(|l| l.starts_with("::")).count(),
        2,
        "add-mask and one error:\n{}",
        r.all()
    );

    std::fs::write(dir.path().join(".minicheck.yaml"), "ignored: [MC999]\n").unwrap();
    let r = Action::new(dir.path()).run();
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stdout.contains("::error::minicheck: .minicheck.yaml:1:"),
        "{}",
        r.all()
    );
    assert!(r.stdout.contains("MC999"), "{}", r.all());
    assert!(
        !r.stdout.contains("::warning"),
        "one error, said once:\n{}",
        r.all()
    );
    assert!(
        r.outputs.is_empty(),
        "no outputs from a failed configuration"
    );

    let r = Action::new(dir.path()).input("paths", "nowhere").run();
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("cannot read nowhere"), "{}", r.all());
}

#[test]
fn annotations_stay_within_the_runner_limit_with_a_notice() {
    let files: Vec<(String, &str)> = (0..13)
        .map(|i| (format!("s{i:02}/Dockerfile"), BAD))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = workspace(&refs);
    let r = Action::new(dir.path()).input("compare", "false").run();
    assert_eq!(r.code, 1);
    // Nine findings and the action's own closing error: the runner's ten.
    let findings = r
        .annotations()
        .iter()
        .filter(|a| a.starts_with("::error file="))
        .count();
    assert_eq!(findings, 9, "{}", r.stdout);
    let all_errors = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .count();
    assert_eq!(all_errors, 10, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("more findings are not annotated; see the job summary"),
        "{}",
        r.stdout
    );
    assert_eq!(r.outputs["errors"], "13");
    assert_eq!(
        r.summary.matches("[MC001]").count(),
        13,
        "the summary has them all"
    );
}

#[test]
fn sarif_file_is_written_and_named_in_the_outputs() {
    let dir = workspace(&[("app/Dockerfile", BAD)]);
    let r = Action::new(dir.path())
        .input("compare", "false")
        .input("sarif-file", "reports/minicheck.sarif")
        .run();
    assert_eq!(r.code, 1);
    assert_eq!(r.outputs["sarif-file"], "reports/minicheck.sarif");
    let sarif = json(&std::fs::read_to_string(dir.path().join("reports/minicheck.sarif")).unwrap());
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "MC001");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/Dockerfile"
    );
}

#[test]
fn one_comment_per_job_created_then_updated_never_duplicated() {
    let github = github();
    let dir = workspace(&[("Dockerfile", BAD)]);
    let r = Action::new(dir.path())
        .input("compare", "false")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("created the comment on pull request #42"),
        "{}",
        r.all()
    );
    let comments = github.comments(REPO, PR);
    assert_eq!(comments.len(), 1);
    let first = comments[0].body.clone();
    assert!(first.starts_with("<!-- minicheck:"), "{first}");
    assert!(first.contains("[MC001]"), "{first}");
    assert_eq!(comments[0].login, "github-actions[bot]");

    // Same findings: nothing written.
    github.clear_requests();
    let r = Action::new(dir.path())
        .input("compare", "false")
        .on_pull_request(&github)
        .run();
    assert!(
        r.stdout
            .contains("the comment on pull request #42 is already up to date"),
        "{}",
        r.all()
    );
    assert!(
        github.requests().iter().all(|q| q.method == "GET"),
        "{:?}",
        github
            .requests()
            .iter()
            .map(|q| q.line())
            .collect::<Vec<_>>()
    );

    // Fixed: the same comment is updated in place.
    std::fs::write(dir.path().join("Dockerfile"), GOOD).unwrap();
    let r = Action::new(dir.path())
        .input("compare", "false")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("updated the comment"), "{}", r.all());
    let comments = github.comments(REPO, PR);
    assert_eq!(comments.len(), 1, "never a second comment");
    assert_ne!(comments[0].body, first);
    assert!(!comments[0].body.contains("[MC001]"));

    // Another job of the workflow keeps its own comment; a key names one explicitly.
    let r = Action::new(dir.path())
        .input("compare", "false")
        .input("key", "arm64")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    let comments = github.comments(REPO, PR);
    assert_eq!(comments.len(), 2);
    assert!(
        comments[1]
            .body
            .starts_with("<!-- minicheck:arm64 -->\n## minicheck: arm64"),
        "{}",
        comments[1].body
    );

    // Every request was well formed: authenticated, with a user agent, JSON.
    for q in github.requests() {
        assert_eq!(
            q.header("authorization"),
            Some(format!("token {TOKEN}").as_str()),
            "{}",
            q.line()
        );
        assert!(
            q.header("user-agent")
                .unwrap_or("")
                .starts_with("minicheck-action/"),
            "{}",
            q.line()
        );
        // An installation token cannot read /user (403): that says "the bot writes".
        if q.line() != "GET /user" {
            assert!(q.status < 400, "{} answered {}", q.line(), q.status);
        }
    }
    assert_eq!(shown(&r, TOKEN), 0, "the token never shows");
}

#[test]
fn a_read_only_token_gets_the_summary_and_a_warning_and_the_findings_decide() {
    let github = FakeGithub::start();
    github.add_token(TOKEN, "", TokenKind::ReadOnlyApp);
    github.add_pull(REPO, PR);
    let dir = workspace(&[("Dockerfile", BAD)]);
    let r = Action::new(dir.path())
        .input("compare", "false")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 1, "the findings decide\n{}", r.all());
    assert!(r.summary.contains("[MC001]"), "the summary has the report");
    assert!(
        r.stdout.contains("::warning::minicheck: the pull-request comment could not be written (the token may not write"),
        "{}",
        r.all()
    );
    assert!(github.comments(REPO, PR).is_empty());
    assert_eq!(shown(&r, TOKEN), 0);

    std::fs::write(dir.path().join("Dockerfile"), GOOD).unwrap();
    let r = Action::new(dir.path())
        .input("compare", "false")
        .on_pull_request(&github)
        .run();
    assert_eq!(
        r.code,
        0,
        "a clean run stays green on a read-only token\n{}",
        r.all()
    );
}

#[test]
fn review_comments_on_changed_lines_with_a_one_click_fix_and_no_repeats() {
    let github = github();
    let dir = workspace(&[("app/Dockerfile", BAD)]);
    // The pull request changed the final FROM (line 4) only.
    github.add_pull_file(
        REPO,
        PR,
        "app/Dockerfile",
        "modified",
        Some("@@ -2,4 +2,4 @@ FROM cgr.dev/chainguard/python:latest-dev AS build\n RUN pip install flask\n \n-FROM cgr.dev/chainguard/python:3.13 AS final\n+FROM cgr.dev/chainguard/python:latest-dev AS final\n COPY --from=build /app /app"),
    );
    let review = || Action::reviewing(dir.path(), &github).run();
    let r = review();
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("review: 1 comment posted"), "{}", r.all());
    let reviews = github.reviews(REPO, PR);
    assert_eq!(reviews.len(), 1);
    let comments = github.review_comments(REPO, PR);
    assert_eq!(comments.len(), 1, "only the finding on a changed line");
    let c = &comments[0];
    assert_eq!((c.path.as_str(), c.line), ("app/Dockerfile", 4));
    assert!(
        c.body.starts_with("<!-- minicheck-review:MC001 -->"),
        "{}",
        c.body
    );
    assert!(
        c.body
            .contains("```suggestion\nFROM cgr.dev/chainguard/python:latest AS final\n```"),
        "{}",
        c.body
    );

    // A re-run does not repeat it.
    let r = review();
    assert!(
        r.stdout
            .contains("review: 0 comments posted, 1 already there"),
        "{}",
        r.all()
    );
    assert_eq!(github.reviews(REPO, PR).len(), 1);
    assert_eq!(github.review_comments(REPO, PR).len(), 1);
}

#[test]
fn size_and_package_deltas_from_a_real_registry_and_the_base_revision() {
    let (server, _storage) = RegistryServer::open();
    push_fixtures(&server.addr);
    let addr = server.addr.clone();
    let config = format!(
        "mirrors:\n  - prefix: {addr}/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n"
    );
    // The base revision shipped the dev image; the pull request moves to the production twin.
    let dir = workspace(&[
        (".minicheck.yaml", config.as_str()),
        (
            "Dockerfile",
            &format!("FROM {addr}/minimus/python:3.13.5-dev\n"),
        ),
    ]);
    let base = git(dir.path(), &["rev-parse", "HEAD"]);
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!(
            "FROM {addr}/minimus/python:3.13.5-dev AS build\nFROM {addr}/minimus/python:3.13.5\n"
        ),
    )
    .unwrap();
    let github = github();
    let r = Action::new(dir.path())
        .input("base-ref", base.as_str())
        .input("fail-on", "never")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    let comment = &github.comments(REPO, PR)[0].body;
    let sum = |s: &[usize]| s.iter().sum::<usize>() as i64;
    let native = run(bin()
        .current_dir(dir.path())
        .env("XDG_CACHE_HOME", dir.path().join(".cache"))
        .args([
            "check",
            "--compare",
            "--base-ref",
            &base,
            "--format",
            "json",
            "Dockerfile",
        ]));
    let v = json(&native.stdout);
    let twin = &v["comparisons"][0]["twin"];
    assert_eq!(
        twin["delta"]["packages"],
        PROD_PACKAGES as i64 - DEV_PACKAGES as i64
    );
    assert_eq!(
        twin["delta"]["compressed_size"],
        sum(&PROD_AMD64_LAYERS) - sum(&DEV_LAYERS)
    );
    // The action's report carries the same comparison as the CLI's.
    let findings = json(&r.outputs["findings"]);
    assert_eq!(
        findings["comparisons"], v["comparisons"],
        "WASM + fetch == native"
    );
    // The comment and the summary show the table: the final image beside its dev twin and
    // beside the base revision's image (the dev image too), with the deltas.
    let delta = format!(
        "{}, {} packages",
        signed(sum(&PROD_AMD64_LAYERS) - sum(&DEV_LAYERS)),
        PROD_PACKAGES as i64 - DEV_PACKAGES as i64
    );
    for text in [comment.as_str(), r.summary.as_str()] {
        let row = text
            .lines()
            .rev() // the size table comes after the final stages' one
            .find(|l| l.starts_with("| Dockerfile | `"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(row.contains(&format!("| {PROD_PACKAGES} |")), "{row}");
        assert!(row.contains("dev twin "), "{row}");
        assert!(
            row.contains(&format!("{DEV_PACKAGES} packages ({delta})")),
            "{row}\n{delta}"
        );
        assert_eq!(row.matches(&delta).count(), 2, "twin and base: {row}");
    }
}

#[test]
fn the_base_revision_comes_from_github_when_the_checkout_is_shallow() {
    let github = github();
    // A registry port nothing listens on: no network needed, and the fetch fails fast.
    let dir = workspace(&[("Dockerfile", "FROM 127.0.0.1:9/acme/python:2\n")]);
    github.add_file(
        REPO,
        BASE_SHA,
        "Dockerfile",
        "FROM 127.0.0.1:9/acme/python:1\n",
    );
    let r = Action::new(dir.path())
        .input("comment", "false")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    let contents: Vec<_> = github
        .requests()
        .into_iter()
        .filter(|q| q.path.contains("/contents/"))
        .collect();
    assert_eq!(
        contents.len(),
        1,
        "{:?}",
        github
            .requests()
            .iter()
            .map(|q| q.line())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        contents[0].path,
        format!("/repos/{REPO}/contents/Dockerfile")
    );
    assert_eq!(contents[0].query("ref"), Some(BASE_SHA));
    // The registry does not answer: the comparison says so, the step does not fail on it.
    let findings = json(&r.outputs["findings"]);
    let notes = findings["comparisons"][0]["notes"].to_string();
    assert!(notes.contains("127.0.0.1:9"), "{notes}");
    // The base image is the one the contents API answered with.
    assert!(notes.contains("127.0.0.1:9/acme/python:1"), "{notes}");
    assert!(findings["comparisons"][0]["base"].is_null(), "{notes}");
}

#[test]
fn registry_passwords_are_masked() {
    let dir = workspace(&[("Dockerfile", GOOD)]);
    let secret = "s3cr3t-registry-password";
    let r = Action::new(dir.path())
        .input("compare", "false")
        .input("registry-username", "robot")
        .input("registry-password", secret)
        .input("registry-host", "registry.example.com")
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(&format!("::add-mask::{secret}")),
        "the runner is told to mask it"
    );
    assert_eq!(
        r.all().matches(secret).count(),
        1,
        "and it appears nowhere else"
    );
    assert!(r.stdout.contains(&format!("::add-mask::{TOKEN}")));
}

/// A size delta as the tables print it (decimal units, signed; these are kB-sized fixtures).
fn signed(bytes: i64) -> String {
    let kb = bytes.unsigned_abs() as f64 / 1000.0;
    let sign = if bytes < 0 { "-" } else { "+" };
    if kb < 10.0 {
        format!("{sign}{kb:.1} kB")
    } else {
        format!("{sign}{kb:.0} kB")
    }
}

/// How often `secret` appears in the output outside the `::add-mask::` command that tells the
/// runner to mask it.
pub(crate) fn shown(r: &ActionRun, secret: &str) -> usize {
    r.all()
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .map(|l| l.matches(secret).count())
        .sum()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_lost_answer_to_the_creation_does_not_make_a_second_comment() {
    let github = github();
    github.lose_next_create_answer();
    let dir = workspace(&[("Dockerfile", BAD)]);
    let r = Action::new(dir.path())
        .input("compare", "false")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 1, "{}", r.all());
    assert_eq!(github.comments(REPO, PR).len(), 1, "{}", r.all());
    let creates = github
        .requests()
        .iter()
        .filter(|q| q.method == "POST")
        .count();
    assert_eq!(creates, 1, "it looked again instead of writing twice");
}

#[test]
fn github_down_is_a_warning_and_the_findings_still_decide() {
    let github = github();
    github.fail_all(502);
    let dir = workspace(&[("Dockerfile", GOOD)]);
    let r = Action::new(dir.path())
        .input("compare", "false")
        .input("review", "true")
        .on_pull_request(&github)
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout
            .contains("::warning::minicheck: the pull-request comment could not be written; the report is in the job summary"),
        "{}",
        r.all()
    );
    assert!(
        r.stdout
            .contains("::warning::minicheck: the review could not be posted"),
        "{}",
        r.all()
    );
    assert!(r.summary.contains("No findings"), "{}", r.summary);
    assert_eq!(shown(&r, TOKEN), 0);
}

#[test]
fn review_comments_skip_files_that_differ_at_the_head_from_the_checkout() {
    let github = github();
    // The checkout is the merge commit; the head's Dockerfile has another line above the FROM.
    let dir = workspace(&[("app/Dockerfile", BAD)]);
    github.add_pull_file(
        REPO,
        PR,
        "app/Dockerfile",
        "modified",
        Some(FINAL_FROM_PATCH),
    );
    github.add_file(
        REPO,
        HEAD_SHA,
        "app/Dockerfile",
        &format!("# moved down\n{BAD}"),
    );
    let r = Action::reviewing(dir.path(), &github)
        .env("GITHUB_SHA", "3333333333333333333333333333333333333333")
        .run();
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("none on app/Dockerfile, checked out other than at the pull request's head"),
        "{}",
        r.all()
    );
    assert!(github.review_comments(REPO, PR).is_empty());

    // The same text at the head: the comment is posted.
    github.add_file(REPO, HEAD_SHA, "app/Dockerfile", BAD);
    let r = Action::reviewing(dir.path(), &github)
        .env("GITHUB_SHA", "3333333333333333333333333333333333333333")
        .run();
    assert!(r.stdout.contains("review: 1 comment posted"), "{}", r.all());
}

#[test]
fn credentials_without_the_registry_they_are_for_are_an_input_error() {
    let dir = workspace(&[("Dockerfile", GOOD)]);
    let r = Action::new(dir.path())
        .input("registry-username", "robot")
        .input("registry-password", "s3cr3t-pw")
        .run();
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stdout.contains("input registry-host: name the registry"),
        "{}",
        r.all()
    );
    assert_eq!(shown(&r, "s3cr3t-pw"), 0);
}

#[test]
fn on_a_comment_the_pull_request_is_read_from_github_for_the_review_and_the_base() {
    let github = github();
    github.set_pull_head(REPO, PR, HEAD_SHA);
    github.set_pull_base(REPO, PR, BASE_SHA);
    let dir = workspace(&[("app/Dockerfile", BAD)]);
    github.add_pull_file(
        REPO,
        PR,
        "app/Dockerfile",
        "modified",
        Some(FINAL_FROM_PATCH),
    );
    github.add_file(REPO, HEAD_SHA, "app/Dockerfile", BAD);
    github.add_file(
        REPO,
        BASE_SHA,
        "app/Dockerfile",
        "FROM 127.0.0.1:9/acme/python:1\n",
    );
    // The checkout is the default branch, as for every issue_comment event.
    let r = Action::new(dir.path())
        .input("review", "true")
        .input("fail-on", "never")
        .env("GITHUB_SHA", "4444444444444444444444444444444444444444")
        .on_issue_comment(&github)
        .run();
    assert_eq!(r.code, 0, "{}", r.all());
    let lines: Vec<String> = github.requests().iter().map(|q| q.line()).collect();
    assert!(
        lines.contains(&format!("GET /repos/{REPO}/pulls/{PR}")),
        "{lines:?}"
    );
    assert!(r.stdout.contains("review: 1 comment posted"), "{}", r.all());
    let review = &github.reviews(REPO, PR)[0];
    assert_eq!(review.commit_id, HEAD_SHA);
    assert_eq!(github.comments(REPO, PR).len(), 1, "the comment too");
    // The base revision came from the pull request's base commit.
    let notes = json(&r.outputs["findings"])["comparisons"][0]["notes"].to_string();
    assert!(!notes.contains("new since"), "{notes}");
    assert!(
        github
            .requests()
            .iter()
            .any(|q| q.path.ends_with("/contents/app/Dockerfile")
                && q.query("ref") == Some(BASE_SHA)),
        "{lines:?}"
    );
}
