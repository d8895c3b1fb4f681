use crate::common::{Run, bin, run, tree};
use crate::support::fake_github::{FakeGithub, TokenKind};
use std::path::Path;
use std::process::Command;

const TOKEN: &str = "ghp_minicheckTestToken0123456789";
const REPO: &str = "octo/app";

const BAD: &str = "FROM cgr.dev/chainguard/python:3.13\nENV A\n";
const CLEAN: &str = "FROM cgr.dev/chainguard/python:3.13\nCOPY app.py /app/\n";

/// Every variable `minicheck comment` reads, so none leaks in from the developer's or CI's
/// environment.
const GITHUB_VARS: [&str; 13] = [
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_REPOSITORY",
    "GITHUB_EVENT_PATH",
    "GITHUB_REF",
    "GITHUB_API_URL",
    "GITHUB_SERVER_URL",
    "GITHUB_SHA",
    "GITHUB_WORKFLOW",
    "GITHUB_JOB",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_ACTIONS",
    "CI",
];

/// `minicheck comment` in `dir`, with a clean GitHub environment.
fn comment(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(dir);
    for var in GITHUB_VARS {
        cmd.env_remove(var);
    }
    cmd.arg("comment");
    cmd
}

/// `comment --repo octo/app --pr 1 --api-url <fake>` with `TOKEN` in GITHUB_TOKEN.
fn comment_on_pr(dir: &Path, gh: &FakeGithub, extra: &[&str]) -> Run {
    run(comment(dir)
        .env("GITHUB_TOKEN", TOKEN)
        .args(["--repo", REPO, "--pr", "1", "--api-url", &gh.url()])
        .args(extra))
}

fn fake() -> FakeGithub {
    let gh = FakeGithub::start();
    gh.add_pull(REPO, 1);
    gh.add_token(TOKEN, "octocat", TokenKind::User);
    gh
}

fn lines(gh: &FakeGithub) -> Vec<String> {
    gh.requests().iter().map(|r| r.line()).collect()
}

#[test]
fn first_run_creates_one_comment_and_later_runs_update_it() {
    let gh = fake();
    let dir = tree(&[("Dockerfile", BAD)]);

    let first = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(
        first.code, 1,
        "an error finding fails the run: {}",
        first.stderr
    );
    assert!(
        first.stderr.contains("created a comment on octo/app#1"),
        "{}",
        first.stderr
    );
    assert_eq!(
        first.stdout, "",
        "nothing on stdout when the comment was written"
    );
    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 1);
    let created = &comments[0];
    assert_eq!(created.login, "octocat");
    let marker = created.body.lines().next().unwrap().to_string();
    assert!(
        marker.starts_with("<!-- minicheck:") && marker.ends_with(" -->"),
        "{marker}"
    );
    assert!(
        created
            .body
            .contains("| Severity | Rule | Location | Message |")
    );
    assert!(
        created.body.contains("ENV must have two arguments"),
        "{}",
        created.body
    );
    assert!(
        created.body.contains("❌ 1 error in 1 file"),
        "{}",
        created.body
    );

    // What went over the wire, as GitHub expects it.
    let requests = gh.requests();
    assert_eq!(
        lines(&gh),
        [
            "GET /user",
            "GET /repos/octo/app/issues/1/comments",
            "POST /repos/octo/app/issues/1/comments",
        ]
    );
    assert_eq!(requests[1].query("per_page"), Some("100"));
    for r in &requests {
        assert_eq!(r.status / 100, 2, "{} answered {}", r.line(), r.status);
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(r.header("accept"), Some("application/vnd.github+json"));
        assert_eq!(r.header("x-github-api-version"), Some("2022-11-28"));
        assert_eq!(r.header_count("user-agent"), 1);
    }
    assert_eq!(requests[2].header("content-type"), Some("application/json"));
    assert_eq!(requests[2].json()["body"], created.body.as_str());

    // A changed Dockerfile: the same comment is edited in place.
    std::fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    gh.clear_requests();
    let second = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("updated the comment"),
        "{}",
        second.stderr
    );
    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 1, "never a second comment");
    let updated = &comments[0];
    assert_eq!(updated.id, created.id);
    assert!(updated.body.starts_with(&format!("{marker}\n")));
    assert!(
        updated.body.contains("✅ No findings in 1 file"),
        "{}",
        updated.body
    );
    assert_ne!(updated.updated_at, created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(
        lines(&gh),
        [
            "GET /user".to_string(),
            "GET /repos/octo/app/issues/1/comments".to_string(),
            format!("PATCH /repos/octo/app/issues/comments/{}", created.id),
        ]
    );

    // Nothing changed: nothing is sent.
    gh.clear_requests();
    let third = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(third.code, 0);
    assert!(
        third.stderr.contains("is already up to date"),
        "{}",
        third.stderr
    );
    assert!(
        !lines(&gh)
            .iter()
            .any(|l| l.starts_with("PATCH") || l.starts_with("POST"))
    );

    // Another key is another comment, and the first one stays as it was.
    let keyed = comment_on_pr(dir.path(), &gh, &["--key", "web:linux/arm64"]);
    assert_eq!(keyed.code, 0, "{}", keyed.stderr);
    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0], *updated);
    assert!(
        comments[1]
            .body
            .starts_with("<!-- minicheck:web:linux/arm64 -->\n## minicheck: web:linux/arm64\n"),
        "{}",
        comments[1].body
    );
    // ... which later runs with that key update.
    std::fs::write(dir.path().join("Dockerfile"), BAD).unwrap();
    let keyed_again = comment_on_pr(dir.path(), &gh, &["--key", "web:linux/arm64"]);
    assert_eq!(keyed_again.code, 1);
    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 2);
    assert!(comments[1].body.contains("ENV must have two arguments"));
    assert_eq!(comments[0], *updated);
}

#[test]
fn the_comment_is_found_on_a_later_page() {
    let gh = fake();
    for i in 0..150 {
        gh.seed_comment(REPO, 1, "reviewer", "User", &format!("looks good {i}"));
    }
    let dir = tree(&[("Dockerfile", BAD)]);
    assert_eq!(comment_on_pr(dir.path(), &gh, &[]).code, 1);
    let ours = gh.comments(REPO, 1).pop().unwrap();
    assert_eq!(ours.login, "octocat");

    std::fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    gh.clear_requests();
    let again = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let requests = gh.requests();
    assert_eq!(
        lines(&gh),
        [
            "GET /user".to_string(),
            "GET /repos/octo/app/issues/1/comments".to_string(),
            // The `Link: rel="next"` URL, as GitHub writes it (by repository id).
            "GET /repositories/500000/issues/1/comments".to_string(),
            format!("PATCH /repos/octo/app/issues/comments/{}", ours.id),
        ]
    );
    assert_eq!(requests[2].query("page"), Some("2"));
    assert_eq!(requests[2].query("per_page"), Some("100"));
    assert!(requests[2].header("authorization").is_some());
    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 151);
    assert!(comments[150].body.contains("No findings"));
}

#[test]
fn comments_by_others_with_the_same_marker_are_left_alone() {
    let gh = fake();
    let impostor = "<!-- minicheck:web -->\nplease merge";
    let theirs = gh.seed_comment(REPO, 1, "mallory", "User", impostor);
    let dir = tree(&[("Dockerfile", BAD)]);

    for _ in 0..2 {
        let r = comment_on_pr(dir.path(), &gh, &["--key", "web"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 2, "one of ours, one of theirs");
    assert_eq!(comments[0].id, theirs);
    assert_eq!(comments[0].body, impostor);
    assert_eq!(comments[0].created_at, comments[0].updated_at);
    assert_eq!(comments[1].login, "octocat");
    assert!(
        !gh.requests()
            .iter()
            .any(|r| r.path.ends_with(&format!("/comments/{theirs}"))),
        "their comment is never written to"
    );
}

#[test]
fn installation_tokens_keep_the_bot_comment() {
    // Actions' GITHUB_TOKEN: `/user` is forbidden, comments are by github-actions[bot].
    let gh = FakeGithub::start();
    gh.add_pull(REPO, 1);
    gh.add_token(TOKEN, "", TokenKind::App);
    let person = gh.seed_comment(REPO, 1, "alice", "User", "<!-- minicheck:web -->\nquoted");
    let dir = tree(&[("Dockerfile", BAD)]);

    let first = comment_on_pr(dir.path(), &gh, &["--key", "web"]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert_eq!(gh.requests()[0].line(), "GET /user");
    assert_eq!(gh.requests()[0].status, 403);
    std::fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    let second = comment_on_pr(dir.path(), &gh, &["--key", "web"]);
    assert_eq!(second.code, 0, "{}", second.stderr);

    let comments = gh.comments(REPO, 1);
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].id, person);
    assert_eq!(comments[0].body, "<!-- minicheck:web -->\nquoted");
    assert_eq!(comments[1].login, "github-actions[bot]");
    assert!(comments[1].body.contains("No findings"));
    assert_eq!(
        gh.requests().iter().filter(|r| r.method == "POST").count(),
        1
    );
}

#[test]
fn runs_from_the_actions_environment() {
    let gh = FakeGithub::start();
    gh.add_pull(REPO, 7);
    gh.add_pull(REPO, 8);
    gh.add_token(TOKEN, "octocat", TokenKind::User);
    let dir = tree(&[
        ("Dockerfile", BAD),
        (
            "event.json",
            r#"{"action": "synchronize", "number": 7,
                "pull_request": {"number": 7, "head": {"sha": "0123abc"}}}"#,
        ),
    ]);
    let actions = |cmd: &mut Command| {
        cmd.env("GITHUB_REPOSITORY", REPO)
            .env("GITHUB_API_URL", gh.url())
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_SHA", "fedcba9")
            .env("GITHUB_WORKFLOW", "CI")
            .env("GITHUB_JOB", "lint")
            .arg("Dockerfile");
    };

    let mut cmd = comment(dir.path());
    actions(&mut cmd);
    let r = run(cmd
        .env("GITHUB_EVENT_PATH", dir.path().join("event.json"))
        .env("GITHUB_TOKEN", TOKEN));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let comments = gh.comments(REPO, 7);
    assert_eq!(comments.len(), 1);
    assert!(
        comments[0]
            .body
            .contains("[Dockerfile:2](https://github.com/octo/app/blob/0123abc/Dockerfile#L2)"),
        "links point at the pull request's head commit: {}",
        comments[0].body
    );

    // Another job of the same workflow keeps its own comment.
    let mut cmd = comment(dir.path());
    actions(&mut cmd);
    let r = run(cmd
        .env("GITHUB_EVENT_PATH", dir.path().join("event.json"))
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_JOB", "lint-arm"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let comments = gh.comments(REPO, 7);
    assert_eq!(comments.len(), 2);
    assert_ne!(
        comments[0].body.lines().next(),
        comments[1].body.lines().next()
    );

    // GITHUB_REF and GH_TOKEN when there is no event file and no GITHUB_TOKEN.
    let mut cmd = comment(dir.path());
    actions(&mut cmd);
    let r = run(cmd
        .env("GITHUB_REF", "refs/pull/8/merge")
        .env("GH_TOKEN", TOKEN));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let comments = gh.comments(REPO, 8);
    assert_eq!(comments.len(), 1);
    assert!(
        comments[0]
            .body
            .contains("https://github.com/octo/app/blob/fedcba9/Dockerfile#L2"),
        "{}",
        comments[0].body
    );
}

#[test]
fn read_only_tokens_warn_and_print_the_report() {
    let gh = FakeGithub::start();
    gh.add_pull(REPO, 1);
    gh.add_token(TOKEN, "", TokenKind::ReadOnlyApp);
    let dir = tree(&[("Dockerfile", BAD)]);
    let summary = dir.path().join("summary.md");

    let r = run(comment(dir.path())
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "--repo",
            REPO,
            "--pr",
            "1",
            "--api-url",
            &gh.url(),
            "Dockerfile",
        ]));
    assert_eq!(r.code, 1, "the findings decide, never 2: {}", r.stderr);
    assert!(r.stderr.contains("warning"), "{}", r.stderr);
    assert!(r.stderr.contains("could not be written"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Resource not accessible by integration"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.starts_with("<!-- minicheck:"), "{}", r.stdout);
    assert!(r.stdout.contains("ENV must have two arguments"));
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        format!("{}\n", r.stdout)
    );
    assert!(gh.comments(REPO, 1).is_empty());
    let statuses: Vec<(String, u16)> = gh.requests().iter().map(|r| (r.line(), r.status)).collect();
    assert_eq!(
        statuses,
        [
            ("GET /user".to_string(), 403),
            ("GET /repos/octo/app/issues/1/comments".to_string(), 200),
            ("POST /repos/octo/app/issues/1/comments".to_string(), 403),
        ]
    );

    std::fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    let clean = comment_on_pr(dir.path(), &gh, &["Dockerfile"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(clean.stderr.contains("could not be written"));
    assert!(clean.stdout.contains("No findings"));
}

#[test]
fn a_bad_token_is_an_error_that_never_shows_the_token() {
    let gh = fake();
    let dir = tree(&[("Dockerfile", CLEAN)]);
    for token in [
        "ghp_thisTokenIsNotKnown0123456789",
        "plain-unknown-secret-value",
    ] {
        let r = run(comment(dir.path()).env("GITHUB_TOKEN", token).args([
            "--repo",
            REPO,
            "--pr",
            "1",
            "--api-url",
            &gh.url(),
        ]));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("401"), "{}", r.stderr);
        assert!(r.stderr.contains("Bad credentials"), "{}", r.stderr);
        assert!(
            r.stderr.contains("GITHUB_TOKEN"),
            "says what to check: {}",
            r.stderr
        );
        assert!(
            r.stdout.starts_with("<!-- minicheck:"),
            "the report is kept: {}",
            r.stdout
        );
        let secret = &token[4..];
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret));
    }
    assert!(gh.comments(REPO, 1).is_empty());
}

#[test]
fn server_errors_exit_2_after_octocrabs_retries() {
    let gh = fake();
    gh.fail_all(502);
    let dir = tree(&[("Dockerfile", BAD)]);
    let r = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("502"), "{}", r.stderr);
    assert!(r.stdout.contains("ENV must have two arguments"));
    assert!(!r.stderr.contains(&TOKEN[4..]));
    // One request and octocrab's three retries.
    assert_eq!(lines(&gh), ["GET /user"; 4]);
}

#[test]
fn a_lost_answer_to_the_create_never_makes_a_second_comment() {
    let gh = fake();
    gh.lose_next_create_answer();
    let dir = tree(&[("Dockerfile", BAD)]);
    let r = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(gh.comments(REPO, 1).len(), 1);
    assert_eq!(
        lines(&gh),
        [
            "GET /user",
            "GET /repos/octo/app/issues/1/comments",
            "POST /repos/octo/app/issues/1/comments",
            // The answer was lost: look again before trying again.
            "GET /repos/octo/app/issues/1/comments",
        ]
    );
}

#[test]
fn long_reports_are_cut_below_githubs_limit() {
    let gh = fake();
    let mut text = String::from("FROM cgr.dev/chainguard/python:3.13\n");
    for i in 0..3000 {
        text.push_str(&format!("ENV A{i}\n"));
    }
    let dir = tree(&[("Dockerfile", &text)]);
    let r = comment_on_pr(dir.path(), &gh, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let body = &gh.comments(REPO, 1)[0].body;
    assert!(body.chars().count() <= 65_536);
    assert!(body.starts_with("<!-- minicheck:"));
    assert!(
        body.contains("more findings not shown"),
        "{}",
        &body[body.len() - 300..]
    );
}

#[test]
fn missing_inputs_say_what_to_set() {
    let dir = tree(&[("Dockerfile", CLEAN)]);
    let r = run(&mut comment(dir.path()));
    assert_eq!(r.code, 2);
    for name in [
        "GITHUB_REPOSITORY",
        "--pr",
        "GITHUB_EVENT_PATH",
        "GITHUB_TOKEN",
    ] {
        assert!(r.stderr.contains(name), "{name}: {}", r.stderr);
    }
    assert_eq!(r.stdout, "");

    let r = run(comment(dir.path())
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_REPOSITORY", REPO));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("pull request number"), "{}", r.stderr);
    assert!(!r.stderr.contains("GITHUB_REPOSITORY") && !r.stderr.contains("GITHUB_TOKEN"));

    let r = run(comment(dir.path())
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_REF", "refs/pull/3/merge"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("GITHUB_TOKEN") && r.stderr.contains("GH_TOKEN"),
        "{}",
        r.stderr
    );

    let r = run(comment(dir.path())
        .env("GITHUB_TOKEN", TOKEN)
        .args(["--pr", "3"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--repo") && r.stderr.contains("GITHUB_REPOSITORY"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(&TOKEN[4..]));
}
