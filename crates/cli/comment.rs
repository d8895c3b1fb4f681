//! `minicheck comment`: checks exactly as `minicheck check` does, renders the findings as
//! Markdown behind a hidden marker (`<!-- minicheck:KEY -->`), and keeps them in ONE
//! pull-request comment, updated on every run (docs/github.md).
//!
//! 1. Resolve the repository, pull request, token and API URL (flags, else the GitHub Actions
//!    environment). Anything missing is a usage error (exit 2) naming what to set.
//! 2. Check the inputs (`check::check_inputs`).
//! 3. Build the body: marker line, the Markdown report, the comparison (with `--compare`),
//!    within GitHub's 65,536-character limit.
//! 4. Upsert the comment (`github::Client::upsert`).
//! 5. When it cannot be written (403/404: read-only token) warn, print the body on standard
//!    output (and add it to the job summary), and exit on the findings alone. Other API errors
//!    print the body too, then exit 2.

use crate::args::{BuildArgs, CommentArgs};
use crate::github::{self, Client, Outcome, PullRequest};
use anyhow::{Context, Result, anyhow, bail};
use minicheck_core::report::Report;
use minicheck_core::report::markdown::{self, MarkdownOptions};
use minicheck_core::report::sarif::repo_path;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The body stays within this many bytes: below GitHub's 65,536 characters whatever the text.
const MAX_BODY_BYTES: usize = 65_000;
const _: () = assert!(MAX_BODY_BYTES < github::MAX_BODY_CHARS);

const DEFAULT_API_URL: &str = "https://api.github.com";

/// Where the comment goes and with which token, resolved from flags and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub pr: PullRequest,
    pub api_url: String,
    pub token: String,
    /// `{server}/{owner}/{repo}/blob/{sha}` when the server URL and a commit are known.
    pub link_base: Option<String>,
}

pub fn run(args: &CommentArgs) -> Result<ExitCode> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let target = resolve(args, &env)?;
    if let Some(key) = &args.key {
        validate_key(key)?;
    }

    let (report, fails) = crate::check::check_inputs(&args.input, &args.build, &args.policy)?;
    let findings_code = if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    let root = std::env::current_dir()
        .ok()
        .map(|d| d.display().to_string());
    let key = match &args.key {
        Some(key) => key.clone(),
        None => derived_key(&report, root.as_deref(), &args.build, &env),
    };
    let marker = marker(&key);

    // --compare: the size and package deltas, rendered by `compare`.
    let compared: Option<Result<String>> = if args.comparison.compare {
        Some(crate::compare::for_report_markdown(
            &report,
            &args.build,
            &args.policy,
            &args.registry,
            args.comparison.base_ref.as_deref(),
        ))
    } else {
        None
    };
    let (comparison, compare_error) = match compared {
        Some(result) => match result {
            Ok(text) => (text, None),
            Err(e) => {
                let message = github::mask(&format!("{e:#}"), &target.token);
                let note = format!(
                    "_The size and package comparison is not available: {}_\n",
                    markdown_text(&message)
                );
                (note, Some(message))
            }
        },
        None => (String::new(), None),
    };

    let options = MarkdownOptions {
        title: match &args.key {
            Some(key) => format!("minicheck: {key}"),
            None => "minicheck".into(),
        },
        link_base: target.link_base.clone(),
        root,
        ..Default::default()
    };
    let body = body(&marker, &report, options, &comparison);

    let outcome = post(&target, &marker, &body);
    let done = match outcome {
        Ok(outcome) => {
            match &outcome {
                Outcome::Created { url, .. } => {
                    eprintln!("minicheck: created a comment on {}: {url}", target.pr)
                }
                Outcome::Updated { url, .. } => {
                    eprintln!("minicheck: updated the comment on {}: {url}", target.pr)
                }
                Outcome::Unchanged { url, .. } => eprintln!(
                    "minicheck: the comment on {} is already up to date: {url}",
                    target.pr
                ),
            }
            Ok(findings_code)
        }
        Err(Failure::Api(e)) if e.is_permission() => {
            print_body(&body)?;
            eprintln!(
                "minicheck: warning: the pull-request comment could not be written, so the \
                 report is on standard output: {e}"
            );
            add_to_job_summary(&body, &env);
            Ok(findings_code)
        }
        Err(failure) => {
            print_body(&body)?;
            add_to_job_summary(&body, &env);
            Err(anyhow!(github::mask(&failure.to_string(), &target.token)))
        }
    };
    match (done, compare_error) {
        (Err(e), _) => Err(e),
        (Ok(_), Some(message)) if message.starts_with("--compare") => Err(anyhow!(message)),
        (Ok(_), Some(message)) => Err(anyhow!("--compare: {message}")),
        (Ok(code), None) => Ok(code),
    }
}

enum Failure {
    Api(github::ApiError),
    Setup(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Api(e) => write!(f, "{e}"),
            Failure::Setup(e) => write!(f, "{e}"),
        }
    }
}

/// One small runtime for octocrab's requests.
fn post(target: &Target, marker: &str, body: &str) -> Result<Outcome, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Setup(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let client = Client::new(&target.api_url, &target.token).map_err(Failure::Setup)?;
        client
            .upsert(&target.pr, marker, body)
            .await
            .map_err(Failure::Api)
    })
}

fn print_body(body: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(body.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Adds the body to `$GITHUB_STEP_SUMMARY` when a run could not keep it in the comment.
fn add_to_job_summary(body: &str, env: &dyn Fn(&str) -> Option<String>) {
    let Some(path) = env("GITHUB_STEP_SUMMARY") else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(format!("{body}\n").as_bytes()));
    match written {
        Ok(()) => eprintln!("minicheck: the report was added to the job summary"),
        Err(e) => eprintln!("minicheck: warning: cannot write the job summary {path}: {e}"),
    }
}

/// The hidden first line of the comment.
pub fn marker(key: &str) -> String {
    format!("<!-- minicheck:{key} -->")
}

/// Keys end up inside an HTML comment: no `-->`, no spaces, nothing surprising.
fn validate_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/+=@,".contains(c))
        && !key.contains("--");
    if !ok {
        bail!("--key {key:?}: use 1 to 128 letters, digits and - _ . : / + = @ , (no \"--\")");
    }
    Ok(())
}

/// The key when `--key` is not given: 16 hex digits of a 64-bit FNV-1a hash (stable across
/// versions and platforms) over, one per line, `GITHUB_WORKFLOW`, `GITHUB_JOB`, `--target`,
/// `--platform` and the sorted repository-relative paths of the checked Dockerfiles.
pub fn derived_key(
    report: &Report,
    root: Option<&str>,
    build: &BuildArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut paths: Vec<String> = report
        .files
        .iter()
        .map(|f| repo_path(&f.path, root))
        .collect();
    paths.sort();
    paths.dedup();
    let mut input = String::from("minicheck-comment-key-v1\n");
    input.push_str(&format!(
        "workflow={}\n",
        env("GITHUB_WORKFLOW").unwrap_or_default()
    ));
    input.push_str(&format!("job={}\n", env("GITHUB_JOB").unwrap_or_default()));
    input.push_str(&format!(
        "target={}\n",
        build.target.as_deref().unwrap_or_default()
    ));
    input.push_str(&format!("platform={}\n", build.platform));
    for path in &paths {
        input.push_str(&format!("file={path}\n"));
    }
    format!("{:016x}", fnv1a64(input.as_bytes()))
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Marker, report and comparison, within [`MAX_BODY_BYTES`]. The report keeps whole rows (its
/// own `max_bytes`); the comparison gets at most half the room; the marker always stays.
fn body(marker: &str, report: &Report, mut options: MarkdownOptions, comparison: &str) -> String {
    let head = format!("{marker}\n");
    let room = MAX_BODY_BYTES - head.len();
    let comparison = fit(comparison, room / 2);
    let separator = if comparison.is_empty() { "" } else { "\n" };
    options.max_bytes = room - comparison.len() - separator.len();
    let mut body = head;
    body.push_str(&markdown::render(report, &options));
    if !comparison.is_empty() {
        if !body.ends_with('\n') {
            body.push('\n');
        }
        body.push_str(separator);
        body.push_str(&comparison);
    }
    fit(&body, MAX_BODY_BYTES)
}

/// `text` within `max` bytes, cut after a whole line with a closing note when it is longer.
fn fit(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let note = "\n_The rest is cut: GitHub limits a comment to 65,536 characters._\n";
    let limit = max.saturating_sub(note.len());
    let cut = text.as_bytes()[..limit]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    format!("{}{note}", &text[..cut])
}

/// Text for an italic Markdown line: no emphasis, links, mentions or line breaks from it.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '@' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Repository, pull request, token and API URL: flags first, then the environment.
pub fn resolve(args: &CommentArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Target> {
    let mut missing = Vec::new();

    let repo = args
        .repo
        .clone()
        .map(|r| ("--repo", r))
        .or_else(|| env("GITHUB_REPOSITORY").map(|r| ("GITHUB_REPOSITORY", r)));
    let repo = match repo {
        Some((from, repo)) => match parse_repo(&repo) {
            Some(parsed) => Some(parsed),
            None => bail!("{from} {repo:?}: expected OWNER/NAME"),
        },
        None => {
            missing.push("the repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY");
            None
        }
    };

    // The event file gives the pull request number and head commit. With --pr it is only
    // needed for links, so an unreadable one is then ignored.
    let event = match env("GITHUB_EVENT_PATH").map(|path| read_event(Path::new(&path))) {
        Some(Ok(event)) => Some(event),
        Some(Err(_)) if args.pr.is_some() => None,
        Some(Err(e)) => return Err(e),
        None => None,
    };
    let number = args
        .pr
        .or_else(|| event.as_ref().and_then(event_pr_number))
        .or_else(|| env("GITHUB_REF").and_then(|r| ref_pr_number(&r)));
    match number {
        Some(0) => bail!("--pr 0: pull request numbers start at 1"),
        Some(_) => {}
        None => missing.push(
            "the pull request number: pass --pr NUMBER, or run on a pull_request event \
             (GITHUB_EVENT_PATH), or set GITHUB_REF=refs/pull/NUMBER/merge",
        ),
    }

    let token = env("GITHUB_TOKEN")
        .map(|t| ("GITHUB_TOKEN", t))
        .or_else(|| env("GH_TOKEN").map(|t| ("GH_TOKEN", t)));
    let token = match token {
        Some((from, token)) => {
            let token = token.trim().to_string();
            // Never show the value: only say what is wrong with it.
            if !token.bytes().all(|b| b.is_ascii_graphic()) {
                bail!("{from} has characters a token cannot have (spaces or control characters)");
            }
            Some(token)
        }
        None => {
            missing.push(
                "a token: set GITHUB_TOKEN (in a workflow: `GITHUB_TOKEN: ${{ \
                 secrets.GITHUB_TOKEN }}`) or GH_TOKEN",
            );
            None
        }
    };

    if !missing.is_empty() {
        bail!("minicheck comment needs {}", missing.join("; and "));
    }
    let (owner, repo_name) = repo.expect("checked");
    let api_url = args
        .api_url
        .clone()
        .map(|u| ("--api-url", u))
        .or_else(|| env("GITHUB_API_URL").map(|u| ("GITHUB_API_URL", u)))
        .map(|(from, url)| check_url(from, &url))
        .transpose()?
        .unwrap_or_else(|| DEFAULT_API_URL.to_string());

    let sha = event
        .as_ref()
        .and_then(|e| e.pointer("/pull_request/head/sha"))
        .and_then(|s| s.as_str())
        .map(str::to_string)
        .or_else(|| env("GITHUB_SHA"));
    let link_base = match (env("GITHUB_SERVER_URL"), sha) {
        (Some(server), Some(sha)) => Some(format!(
            "{}/{owner}/{repo_name}/blob/{sha}",
            server.trim_end_matches('/')
        )),
        _ => None,
    };

    Ok(Target {
        pr: PullRequest {
            owner,
            repo: repo_name,
            number: number.expect("checked"),
        },
        api_url,
        token: token.expect("checked"),
        link_base,
    })
}

fn parse_repo(repo: &str) -> Option<(String, String)> {
    let valid = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    match repo.trim().split_once('/') {
        Some((owner, name)) if valid(owner) && valid(name) => {
            Some((owner.to_string(), name.to_string()))
        }
        _ => None,
    }
}

fn check_url(from: &str, url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match host {
        Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
            Ok(url.to_string())
        }
        _ => bail!("{from} {url:?}: expected an http:// or https:// URL"),
    }
}

fn read_event(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the event file GITHUB_EVENT_PATH={}",
            path.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "the event file GITHUB_EVENT_PATH={} is not JSON",
            path.display()
        )
    })
}

/// `pull_request.number`, `number` (pull_request and pull_request_target events), or
/// `issue.number` when the issue is a pull request (issue_comment events).
fn event_pr_number(event: &serde_json::Value) -> Option<u64> {
    event
        .pointer("/pull_request/number")
        .and_then(|n| n.as_u64())
        .or_else(|| event.get("number").and_then(|n| n.as_u64()))
        .or_else(|| {
            event
                .pointer("/issue/pull_request")
                .and(event.pointer("/issue/number"))
                .and_then(|n| n.as_u64())
        })
}

/// `refs/pull/N/merge` or `refs/pull/N/head`.
fn ref_pr_number(git_ref: &str) -> Option<u64> {
    let rest = git_ref.strip_prefix("refs/pull/")?;
    let (number, tail) = rest.split_once('/')?;
    if tail != "merge" && tail != "head" {
        return None;
    }
    number.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// `minicheck comment` with no options, as clap parses it.
    fn args() -> CommentArgs {
        use clap::Parser;
        match crate::args::Cli::try_parse_from(["minicheck", "comment"])
            .unwrap()
            .command
        {
            crate::args::Command::Comment(args) => args,
            _ => unreachable!("the comment subcommand"),
        }
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn pull_request_numbers() {
        assert_eq!(ref_pr_number("refs/pull/42/merge"), Some(42));
        assert_eq!(ref_pr_number("refs/pull/7/head"), Some(7));
        assert_eq!(ref_pr_number("refs/heads/main"), None);
        let pr_event = serde_json::json!({"number": 3, "pull_request": {"number": 3}});
        assert_eq!(event_pr_number(&pr_event), Some(3));
        let comment_event =
            serde_json::json!({"issue": {"number": 9, "pull_request": {"url": "x"}}});
        assert_eq!(event_pr_number(&comment_event), Some(9));
        let issue_event = serde_json::json!({"issue": {"number": 9}});
        assert_eq!(event_pr_number(&issue_event), None);
        assert_eq!(event_pr_number(&serde_json::json!({"ref": "x"})), None);
    }

    #[test]
    fn flags_win_over_the_environment() {
        let mut a = args();
        a.repo = Some("o/r".into());
        a.pr = Some(5);
        a.api_url = Some("http://127.0.0.1:9/".into());
        let t = resolve(
            &a,
            &env(&[
                ("GITHUB_REPOSITORY", "x/y"),
                ("GITHUB_REF", "refs/pull/1/merge"),
                ("GH_TOKEN", "gh-token"),
                ("GITHUB_API_URL", "https://api.github.com"),
                ("GITHUB_SERVER_URL", "https://github.com"),
                ("GITHUB_SHA", "abc"),
            ]),
        )
        .unwrap();
        assert_eq!(t.pr.to_string(), "o/r#5");
        assert_eq!(t.api_url, "http://127.0.0.1:9");
        assert_eq!(t.token, "gh-token");
        assert_eq!(
            t.link_base.as_deref(),
            Some("https://github.com/o/r/blob/abc")
        );
    }

    #[test]
    fn everything_missing_is_named() {
        let e = resolve(&args(), &env(&[])).unwrap_err().to_string();
        for name in [
            "GITHUB_REPOSITORY",
            "--pr",
            "GITHUB_EVENT_PATH",
            "GITHUB_TOKEN",
        ] {
            assert!(e.contains(name), "{e}");
        }
        let e = resolve(
            &args(),
            &env(&[("GITHUB_REPOSITORY", "o/r"), ("GITHUB_TOKEN", "t")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            !e.contains("GITHUB_REPOSITORY") && !e.contains("GITHUB_TOKEN"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_are_rejected_without_showing_the_token() {
        let e = resolve(
            &args(),
            &env(&[
                ("GITHUB_REPOSITORY", "o/r"),
                ("GITHUB_REF", "refs/pull/1/merge"),
                ("GITHUB_TOKEN", "ghp_secret value"),
            ]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("GITHUB_TOKEN") && !e.contains("secret"), "{e}");
        assert!(parse_repo("o/r/x").is_none());
        assert!(parse_repo("o").is_none());
        assert!(check_url("--api-url", "ftp://x").is_err());
        assert!(validate_key("a-->b").is_err());
        assert!(validate_key("web linux/amd64").is_err());
        assert!(validate_key("web:linux/amd64").is_ok());
    }

    #[test]
    fn derived_keys_follow_files_workflow_and_job() {
        let report = |paths: &[&str]| {
            let mut r = Report::default();
            for p in paths {
                r.files.push(minicheck_core::check::check_dockerfile(
                    p,
                    "FROM scratch\n",
                    &Default::default(),
                ));
            }
            r
        };
        let build = args().build;
        let none = env(&[]);
        let a = derived_key(
            &report(&["b/Dockerfile", "a/Dockerfile"]),
            None,
            &build,
            &none,
        );
        let b = derived_key(
            &report(&["./a/Dockerfile", "b/Dockerfile"]),
            None,
            &build,
            &none,
        );
        assert_eq!(a, b, "order and ./ do not matter");
        assert_eq!(a.len(), 16);
        let job = derived_key(
            &report(&["a/Dockerfile", "b/Dockerfile"]),
            None,
            &build,
            &env(&[("GITHUB_JOB", "lint")]),
        );
        assert_ne!(a, job);
        let other = derived_key(&report(&["a/Dockerfile"]), None, &build, &none);
        assert_ne!(a, other);
    }

    #[test]
    fn bodies_fit_and_keep_the_marker() {
        let text: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let fitted = fit(&text, 1000);
        assert!(fitted.len() <= 1000);
        assert!(fitted.starts_with("line 0\n"));
        assert!(fitted.ends_with("65,536 characters._\n"));
        let body = body(
            "<!-- minicheck:k -->",
            &Report::default(),
            MarkdownOptions::default(),
            &text,
        );
        assert!(body.starts_with("<!-- minicheck:k -->\n## minicheck\n"));
        assert!(body.len() <= MAX_BODY_BYTES);
    }
}
