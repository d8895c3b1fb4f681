//! A stand-in for GitHub's REST API on 127.0.0.1: the few endpoints `minicheck comment` and the
//! GitHub Action use, answered as GitHub answers them, and every request recorded for the tests
//! to inspect.
//!
//! - `GET /user`; `GET` and `POST /repos/{owner}/{repo}/issues/{n}/comments` (also under
//!   `/repositories/{id}/…`, the form GitHub's `Link` headers use); `GET` and `PATCH
//!   /repos/{owner}/{repo}/issues/comments/{id}`. Any other method or path: `404 Not Found`.
//! - `GET /repos/{owner}/{repo}/pulls/{n}`: the pull request's number and its head and base
//!   commits (`set_pull_head`, `set_pull_base`; forty zeros when not set).
//! - Pull requests (also under `/repositories/{id}/…`): `GET …/pulls/{n}/files` (the files seeded
//!   with `add_pull_file`, `patch` left out when there is none); `GET …/pulls/{n}/comments` (review
//!   comments) and `GET …/pulls/{n}/reviews`, where a pending review and its comments are seen by
//!   their author only; `POST /repos/{owner}/{repo}/pulls/{n}/reviews`, answered `200`. An unknown
//!   pull request: `404 Not Found`.
//! - A review is written all or nothing. A body that is not JSON: `400 Problems parsing JSON`. A
//!   field of the wrong type or a comment without `path` or `body`: `422 Invalid request.` in
//!   GitHub's words. Every other refusal is `422 Unprocessable Entity` with one sentence in
//!   `errors`: an `event` other than `COMMENT`, `APPROVE` or `REQUEST_CHANGES` (absent: a pending
//!   review); `COMMENT` or `REQUEST_CHANGES` with neither body nor comments (`Body can't be
//!   blank`); a second pending review by the same account; a `commit_id` other than the head set
//!   with `set_pull_head` (any is taken otherwise); and, joined into one sentence with one part per
//!   failing comment, `Path could not be resolved` for a file the pull request does not change and
//!   `Line could not be resolved` for a `line` or `start_line` that is not in the file's diff on
//!   its `side` (`RIGHT`, the default: an added or context line, numbered from each hunk's `+c`;
//!   `LEFT`: a removed or context line, numbered from `-a`), or for a file without a patch. A
//!   range whose `start_line` does not come before `line`, or starts in another hunk, is refused in
//!   GitHub's words too. The deprecated `position` is honoured when `line` is absent.
//! - `GET /repos/{owner}/{repo}/contents/{path}?ref=REF` (`ref` defaults to `main`; `refs/heads/`
//!   and `refs/tags/` are stripped): the files seeded with `add_file`. With `Accept:
//!   application/vnd.github.raw+json` (or `.raw`, or the older `.v3.raw`) the text itself as
//!   `text/plain; charset=utf-8`; otherwise GitHub's content object (base64 in lines of 60, the
//!   git blob SHA-1); a directory lists its entries. A ref with no files: `404 No commit found for
//!   the ref REF`; an unknown path: `404 Not Found`.
//! - No `User-Agent`: `403` with GitHub's plain-text refusal. An `Accept` that is not JSON (raw
//!   media types aside, on `contents` only): `415`. No `Authorization`: `401 Requires
//!   authentication`; a scheme other than `Bearer` or `token`, or an unknown token: `401 Bad
//!   credentials`.
//! - Lists are paged as GitHub pages them (`per_page` default 30, at most 100; `page` from 1),
//!   with a real `Link` header (`next`, `last`, `first`, `prev`).
//! - Comment writes take a JSON object with a string `body` (`400 Problems parsing JSON`, `422`
//!   otherwise, and `422 Validation Failed` above 65,536 characters). Ids count up (issue
//!   comments from 1, review comments from 2,000,001, reviews from 3,000,001); each write moves
//!   `updated_at`.
//! - Tokens: a user's (`/user` answers its login), an installation token (`/user` answers
//!   `403 Resource not accessible by integration`; writes as `github-actions[bot]`), or a
//!   read-only installation token (also `403 Resource not accessible by integration` on every
//!   write, as for pull requests from forks and Dependabot; reads are allowed).
//! - Faults: every request answered `502`; or the next issue comment creation stored but answered
//!   `502`, as when GitHub's answer is lost.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A personal access token: `/user` answers, writes allowed.
    User,
    /// An installation token (Actions' `GITHUB_TOKEN`): `/user` is `403`; comments are
    /// written as `github-actions[bot]`.
    App,
    /// An installation token without write access (forks, Dependabot): `/user` and every write
    /// are `403`.
    ReadOnlyApp,
}

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The status it was answered with.
    pub status: u16,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header_count(&self, name: &str) -> usize {
        let name = name.to_ascii_lowercase();
        self.headers.iter().filter(|(n, _)| *n == name).count()
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `GET /user`, `PATCH /repos/o/r/issues/comments/3`, ...
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A stored issue comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub repo: String,
    pub issue: u64,
    pub body: String,
    pub login: String,
    /// `User` or `Bot`.
    pub user_type: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A stored review comment (a comment on a line of a pull request's diff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewComment {
    pub id: u64,
    pub repo: String,
    pub pull: u64,
    /// The review it belongs to (`pull_request_review_id`).
    pub review_id: u64,
    pub path: String,
    /// The last line of the range, in the file on `side`.
    pub line: u64,
    /// The first line of a multi-line range; `None` for a single line.
    pub start_line: Option<u64>,
    /// `RIGHT` or `LEFT`.
    pub side: String,
    /// `Some` only with `start_line`.
    pub start_side: Option<String>,
    /// GitHub's `position`: lines below the file's first `@@` header; `None` when `line` is not
    /// in the diff (a seeded comment only).
    pub position: Option<u64>,
    /// The hunk's header down to the commented line.
    pub diff_hunk: String,
    pub body: String,
    pub login: String,
    /// `User` or `Bot`.
    pub user_type: String,
    pub commit_id: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A stored pull-request review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: u64,
    pub repo: String,
    pub pull: u64,
    /// The `event` it was created with (`COMMENT`, `APPROVE`, `REQUEST_CHANGES`); `None` for a
    /// pending review.
    pub event: Option<String>,
    /// GitHub's `state`: `COMMENTED`, `APPROVED`, `CHANGES_REQUESTED` or `PENDING`.
    pub state: String,
    /// Empty when none was sent.
    pub body: String,
    pub login: String,
    /// `User` or `Bot`.
    pub user_type: String,
    pub commit_id: String,
    /// How many review comments it carries.
    pub comment_count: usize,
    /// `None` while pending.
    pub submitted_at: Option<String>,
}

/// A file a pull request changes, as `add_pull_file` seeded it.
#[derive(Debug, Clone)]
struct PullFile {
    repo: String,
    pull: u64,
    filename: String,
    status: String,
    patch: Option<String>,
}

#[derive(Debug, Clone)]
struct Account {
    login: String,
    id: u64,
    kind: &'static str,
}

#[derive(Debug, Clone)]
struct Token {
    account: Account,
    reads_user: bool,
    writes: bool,
}

#[derive(Debug, Clone)]
struct Repo {
    id: u64,
    full_name: String,
    pulls: Vec<u64>,
}

#[derive(Default)]
struct State {
    tokens: HashMap<String, Token>,
    repos: Vec<Repo>,
    comments: BTreeMap<u64, Comment>,
    next_comment_id: u64,
    pull_files: Vec<PullFile>,
    /// Set with `set_pull_head`; a pull request without one takes any `commit_id`.
    heads: HashMap<(String, u64), String>,
    /// The base commit of a pull request, when set (`GET /repos/o/r/pulls/n` answers it).
    bases: HashMap<(String, u64), String>,
    reviews: BTreeMap<u64, Review>,
    next_review_id: u64,
    review_comments: BTreeMap<u64, ReviewComment>,
    next_review_comment_id: u64,
    /// (repository, ref, path) to the file's text.
    files: BTreeMap<(String, String, String), String>,
    clock: u64,
    requests: Vec<Request>,
    fail_all: Option<u16>,
    lose_next_create_answer: bool,
}

impl State {
    fn tick(&mut self) -> String {
        self.clock += 1;
        timestamp(self.clock)
    }

    /// The repository, created (without pull requests) if new.
    fn repo_mut(&mut self, full_name: &str) -> &mut Repo {
        let index = match self.repos.iter().position(|r| r.full_name == full_name) {
            Some(index) => index,
            None => {
                let id = 500_000 + self.repos.len() as u64;
                self.repos.push(Repo {
                    id,
                    full_name: full_name.to_string(),
                    pulls: Vec::new(),
                });
                self.repos.len() - 1
            }
        };
        &mut self.repos[index]
    }

    fn ensure_pull(&mut self, repo: &str, number: u64) {
        let repo = self.repo_mut(repo);
        if !repo.pulls.contains(&number) {
            repo.pulls.push(number);
        }
    }

    /// The pull request's head commit: the one set with `set_pull_head`, or a made-up SHA.
    fn head(&self, repo: &str, pull: u64) -> String {
        self.heads
            .get(&(repo.to_string(), pull))
            .cloned()
            .unwrap_or_else(|| sha1_hex(format!("{repo}#{pull}").as_bytes()))
    }

    fn pull_file(&self, repo: &str, pull: u64, filename: &str) -> Option<&PullFile> {
        self.pull_files
            .iter()
            .find(|f| f.repo == repo && f.pull == pull && f.filename == filename)
    }
}

/// 2026-05-01T00:00:00Z plus `seconds` (less than a day's worth in any test).
fn timestamp(seconds: u64) -> String {
    format!(
        "2026-05-01T{:02}:{:02}:{:02}Z",
        (seconds / 3600) % 24,
        (seconds / 60) % 60,
        seconds % 60
    )
}

/// The running stand-in. Dropping it stops the server.
pub struct FakeGithub {
    port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl FakeGithub {
    pub fn start() -> FakeGithub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("address").port();
        let state = Arc::new(Mutex::new(State {
            next_comment_id: 1,
            next_review_comment_id: 2_000_001,
            next_review_id: 3_000_001,
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    thread::spawn(move || serve(stream, &state));
                }
            });
        }
        FakeGithub { port, state, stop }
    }

    /// `http://127.0.0.1:PORT`, for `--api-url` or `GITHUB_API_URL`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A token and whose it is. `login` is ignored for installation tokens
    /// (`github-actions[bot]`).
    pub fn add_token(&self, token: &str, login: &str, kind: TokenKind) {
        let account = match kind {
            TokenKind::User => Account {
                login: login.to_string(),
                id: 1000 + self.state().tokens.len() as u64,
                kind: "User",
            },
            TokenKind::App | TokenKind::ReadOnlyApp => Account {
                login: "github-actions[bot]".into(),
                id: 41_898_282,
                kind: "Bot",
            },
        };
        self.state().tokens.insert(
            token.to_string(),
            Token {
                account,
                reads_user: kind == TokenKind::User,
                writes: kind != TokenKind::ReadOnlyApp,
            },
        );
    }

    /// A pull request (and its repository, `owner/name`).
    pub fn add_pull(&self, repo: &str, number: u64) {
        let mut state = self.state();
        let next_id = 500_000 + state.repos.len() as u64;
        match state.repos.iter_mut().find(|r| r.full_name == repo) {
            Some(r) => r.pulls.push(number),
            None => state.repos.push(Repo {
                id: next_id,
                full_name: repo.to_string(),
                pulls: vec![number],
            }),
        }
    }

    /// A comment already on the pull request, by `login` (`User` or `Bot`). Returns its id.
    pub fn seed_comment(
        &self,
        repo: &str,
        issue: u64,
        login: &str,
        user_type: &str,
        body: &str,
    ) -> u64 {
        let mut state = self.state();
        let id = state.next_comment_id;
        state.next_comment_id += 1;
        let now = state.tick();
        state.comments.insert(
            id,
            Comment {
                id,
                repo: repo.to_string(),
                issue,
                body: body.to_string(),
                login: login.to_string(),
                user_type: user_type.to_string(),
                created_at: now.clone(),
                updated_at: now,
            },
        );
        id
    }

    /// The pull request's comments, oldest first.
    pub fn comments(&self, repo: &str, issue: u64) -> Vec<Comment> {
        self.state()
            .comments
            .values()
            .filter(|c| c.repo == repo && c.issue == issue)
            .cloned()
            .collect()
    }

    /// A file the pull request changes (registering the pull request as `add_pull` does):
    /// `status` as GitHub names it (`added`, `modified`, `removed`, `renamed`, ...) and its
    /// unified-diff `patch`, hunks only (`@@ -a,b +c,d @@`, then ` `, `+` and `-` lines), or `None`
    /// for a binary or too large file. Seeding the same file again replaces it.
    pub fn add_pull_file(
        &self,
        repo: &str,
        number: u64,
        filename: &str,
        status: &str,
        patch: Option<&str>,
    ) {
        if let Some(patch) = patch
            && let Err(problem) = Patch::parse(patch)
        {
            panic!("the patch of {filename} is not a unified diff: {problem}");
        }
        let mut state = self.state();
        state.ensure_pull(repo, number);
        state
            .pull_files
            .retain(|f| !(f.repo == repo && f.pull == number && f.filename == filename));
        state.pull_files.push(PullFile {
            repo: repo.to_string(),
            pull: number,
            filename: filename.to_string(),
            status: status.to_string(),
            patch: patch.map(str::to_string),
        });
    }

    /// The pull request's head commit: from now on a review's `commit_id` must be this SHA
    /// (`422 The commitOID is not part of the pull request` otherwise), and a review without one
    /// is on it.
    pub fn set_pull_head(&self, repo: &str, number: u64, sha: &str) {
        let mut state = self.state();
        state.ensure_pull(repo, number);
        state
            .heads
            .insert((repo.to_string(), number), sha.to_string());
    }

    /// A pull request's base commit, as `GET /repos/{owner}/{repo}/pulls/{n}` answers it.
    pub fn set_pull_base(&self, repo: &str, number: u64, sha: &str) {
        let mut state = self.state();
        state.ensure_pull(repo, number);
        state
            .bases
            .insert((repo.to_string(), number), sha.to_string());
    }

    /// A file's `text` at `git_ref` (a commit SHA or a branch name) in `repo`.
    pub fn add_file(&self, repo: &str, git_ref: &str, path: &str, text: &str) {
        let mut state = self.state();
        state.repo_mut(repo);
        state.files.insert(
            (
                repo.to_string(),
                git_ref.to_string(),
                path.trim_matches('/').to_string(),
            ),
            text.to_string(),
        );
    }

    /// A review comment already on the pull request (registering it), by `login` (a `Bot` when
    /// it ends in `[bot]`), on `line` of the new `path`, in a submitted review of its own (as
    /// GitHub files a lone comment). Returns its id.
    pub fn seed_review_comment(
        &self,
        repo: &str,
        number: u64,
        path: &str,
        line: u64,
        body: &str,
        login: &str,
    ) -> u64 {
        let mut state = self.state();
        state.ensure_pull(repo, number);
        let user_type = if login.ends_with("[bot]") {
            "Bot"
        } else {
            "User"
        };
        let at = state
            .pull_file(repo, number, path)
            .and_then(|f| f.patch.as_deref())
            .and_then(|p| Patch::parse(p).ok())
            .and_then(|p| {
                p.find(Side::Right, line)
                    .map(|l| (l.position, p.diff_hunk(l)))
            });
        let commit_id = state.head(repo, number);
        let now = state.tick();
        let review_id = state.next_review_id;
        state.next_review_id += 1;
        let id = state.next_review_comment_id;
        state.next_review_comment_id += 1;
        state.reviews.insert(
            review_id,
            Review {
                id: review_id,
                repo: repo.to_string(),
                pull: number,
                event: Some("COMMENT".into()),
                state: "COMMENTED".into(),
                body: String::new(),
                login: login.to_string(),
                user_type: user_type.into(),
                commit_id: commit_id.clone(),
                comment_count: 1,
                submitted_at: Some(now.clone()),
            },
        );
        state.review_comments.insert(
            id,
            ReviewComment {
                id,
                repo: repo.to_string(),
                pull: number,
                review_id,
                path: path.to_string(),
                line,
                start_line: None,
                side: "RIGHT".into(),
                start_side: None,
                position: at.as_ref().map(|(position, _)| *position),
                diff_hunk: at.map(|(_, hunk)| hunk).unwrap_or_default(),
                body: body.to_string(),
                login: login.to_string(),
                user_type: user_type.into(),
                commit_id,
                created_at: now.clone(),
                updated_at: now,
            },
        );
        id
    }

    /// The pull request's review comments, oldest first, pending ones included.
    pub fn review_comments(&self, repo: &str, number: u64) -> Vec<ReviewComment> {
        self.state()
            .review_comments
            .values()
            .filter(|c| c.repo == repo && c.pull == number)
            .cloned()
            .collect()
    }

    /// The pull request's reviews, oldest first, pending ones included.
    pub fn reviews(&self, repo: &str, number: u64) -> Vec<Review> {
        self.state()
            .reviews
            .values()
            .filter(|r| r.repo == repo && r.pull == number)
            .cloned()
            .collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Answer every request with `status` (a `5xx`).
    pub fn fail_all(&self, status: u16) {
        self.state().fail_all = Some(status);
    }

    /// Store the next created comment but answer `502`, as when the answer is lost.
    pub fn lose_next_create_answer(&self) {
        self.state().lose_next_create_answer = true;
    }
}

impl Drop for FakeGithub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// One connection: requests one after another (keep-alive) until the client closes it.
fn serve(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = write_half;
    while let Some(raw) = read_request(&mut reader) {
        let close = raw
            .headers
            .iter()
            .any(|(n, v)| n == "connection" && v.eq_ignore_ascii_case("close"));
        let response = {
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            let response = answer(&raw, &mut state);
            let mut recorded = raw;
            recorded.status = response.status;
            state.requests.push(recorded);
            response
        };
        if writer.write_all(&response.to_bytes()).is_err() || close {
            break;
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = find("content-length") {
        let length: usize = length.parse().ok()?;
        body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_string(), query),
        None => (target.clone(), ""),
    };
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect();
    Some(Request {
        method,
        path,
        query,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        status: 0,
    })
}

struct Response {
    status: u16,
    content_type: &'static str,
    /// `X-GitHub-Media-Type`.
    media_type: &'static str,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn json(status: u16, body: serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json; charset=utf-8",
            media_type: "github.v3; format=json",
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    /// A file's text, as `application/vnd.github.raw` asks.
    fn raw(text: &str) -> Response {
        Response {
            status: 200,
            content_type: "text/plain; charset=utf-8",
            media_type: "github.raw",
            headers: Vec::new(),
            body: text.to_string(),
        }
    }

    /// GitHub's `422 Unprocessable Entity`, its reasons joined into one sentence as GitHub
    /// joins them (`A`, `A and B`, `A, B, and C`).
    fn unprocessable(reasons: &[String], docs: &str) -> Response {
        let sentence = match reasons {
            [] => String::new(),
            [one] => one.clone(),
            [first, second] => format!("{first} and {second}"),
            [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        };
        Response::json(
            422,
            serde_json::json!({
                "message": "Unprocessable Entity",
                "errors": [sentence],
                "documentation_url": format!("https://docs.github.com/rest{docs}"),
                "status": "422",
            }),
        )
    }

    /// GitHub's error body: `message`, `documentation_url`, `status`.
    fn error(status: u16, message: &str, docs: &str) -> Response {
        Response::json(
            status,
            serde_json::json!({
                "message": message,
                "documentation_url": format!("https://docs.github.com/rest{docs}"),
                "status": status.to_string(),
            }),
        )
    }

    fn to_bytes(&self) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            201 => "Created",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            415 => "Unsupported Media Type",
            422 => "Unprocessable Entity",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            _ => "Unknown",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             X-GitHub-Media-Type: {}\r\nX-GitHub-Api-Version-Selected: \
             2022-11-28\r\nX-RateLimit-Limit: 5000\r\nX-RateLimit-Remaining: 4990\r\n\
             X-RateLimit-Resource: core\r\n",
            self.status,
            self.content_type,
            self.body.len(),
            self.media_type
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(self.body.as_bytes());
        bytes
    }
}

fn answer(request: &Request, state: &mut State) -> Response {
    if let Some(status) = state.fail_all {
        return Response::json(status, serde_json::json!({ "message": "Server Error" }));
    }
    if request.header("user-agent").is_none_or(str::is_empty) {
        return Response {
            status: 403,
            content_type: "text/plain; charset=utf-8",
            media_type: "github.v3; format=json",
            headers: Vec::new(),
            body: "Request forbidden by administrative rules. Please make sure your request has \
                   a User-Agent header (https://docs.github.com/en/rest/overview/\
                   resources-in-the-rest-api#user-agent-required). Check \
                   https://developer.github.com for other possible causes.\n"
                .into(),
        };
    }
    let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
    // GitHub takes the raw media types where there is a raw form to give: a file's contents.
    let raw_allowed = matches!(segments.as_slice(), ["repos", _, _, "contents", ..]);
    if let Some(accept) = request.header("accept")
        && !accept.contains("json")
        && !accept.contains("*/*")
        && !(raw_allowed && is_raw(accept))
    {
        return Response::error(
            415,
            &format!("Unsupported 'Accept' header: '{accept}'. Must accept 'application/json'."),
            "/overview/media-types",
        );
    }
    let Some(authorization) = request.header("authorization") else {
        return Response::error(401, "Requires authentication", "");
    };
    let token = match authorization.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") =>
        {
            state.tokens.get(token.trim()).cloned()
        }
        _ => None,
    };
    let Some(token) = token else {
        return Response::error(401, "Bad credentials", "");
    };
    let base = format!("http://{}", request.header("host").unwrap_or("127.0.0.1"));
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["user"]) => {
            if token.reads_user {
                Response::json(200, user_json(&token.account, &base))
            } else {
                Response::error(
                    403,
                    "Resource not accessible by integration",
                    "/users/users#get-the-authenticated-user",
                )
            }
        }
        (method, ["repos", owner, name, "issues", number, "comments"]) => {
            let repo = state
                .repos
                .iter()
                .find(|r| r.full_name == format!("{owner}/{name}"))
                .cloned();
            issue_comments(request, state, &token, method, repo, number, &base)
        }
        (method, ["repositories", id, "issues", number, "comments"]) => {
            let repo = state
                .repos
                .iter()
                .find(|r| r.id.to_string() == *id)
                .cloned();
            issue_comments(request, state, &token, method, repo, number, &base)
        }
        ("GET", ["repos", owner, name, "pulls", number]) => {
            let full_name = format!("{owner}/{name}");
            let number: Option<u64> = number.parse().ok();
            let known = state
                .repos
                .iter()
                .any(|r| r.full_name == full_name && number.is_some_and(|n| r.pulls.contains(&n)));
            let (true, Some(number)) = (known, number) else {
                return Response::error(404, "Not Found", "/pulls/pulls#get-a-pull-request");
            };
            let key = (full_name.clone(), number);
            let zeros = "0".repeat(40);
            Response::json(
                200,
                serde_json::json!({
                    "number": number,
                    "state": "open",
                    "url": format!("{base}/repos/{full_name}/pulls/{number}"),
                    "head": {"sha": state.heads.get(&key).unwrap_or(&zeros), "ref": "feature"},
                    "base": {"sha": state.bases.get(&key).unwrap_or(&zeros), "ref": "main"},
                }),
            )
        }
        (method, ["repos", owner, name, "pulls", number, what]) => {
            let repo = state
                .repos
                .iter()
                .find(|r| r.full_name == format!("{owner}/{name}"))
                .cloned();
            pulls(request, state, &token, method, repo, number, what, &base)
        }
        (method, ["repositories", id, "pulls", number, what]) => {
            let repo = state
                .repos
                .iter()
                .find(|r| r.id.to_string() == *id)
                .cloned();
            pulls(request, state, &token, method, repo, number, what, &base)
        }
        ("GET", ["repos", owner, name, "contents", path @ ..]) => {
            let repo = state
                .repos
                .iter()
                .find(|r| r.full_name == format!("{owner}/{name}"))
                .cloned();
            contents(request, state, repo, path, &base)
        }
        (method @ ("GET" | "PATCH"), ["repos", owner, name, "issues", "comments", id]) => {
            let full_name = format!("{owner}/{name}");
            let id: Option<u64> = id.parse().ok();
            let Some(existing) = id
                .and_then(|id| state.comments.get(&id))
                .filter(|c| c.repo == full_name)
                .cloned()
            else {
                return Response::error(
                    404,
                    "Not Found",
                    "/issues/comments#update-an-issue-comment",
                );
            };
            if method == "GET" {
                return Response::json(200, comment_json(&existing, &base));
            }
            if !token.writes {
                return Response::error(
                    403,
                    "Resource not accessible by integration",
                    "/issues/comments#update-an-issue-comment",
                );
            }
            let body = match write_body(request) {
                Ok(body) => body,
                Err(response) => return response,
            };
            let now = state.tick();
            let comment = state.comments.get_mut(&existing.id).expect("stored");
            comment.body = body;
            comment.updated_at = now;
            let comment = comment.clone();
            Response::json(200, comment_json(&comment, &base))
        }
        _ => Response::error(404, "Not Found", ""),
    }
}

fn issue_comments(
    request: &Request,
    state: &mut State,
    token: &Token,
    method: &str,
    repo: Option<Repo>,
    number: &str,
    base: &str,
) -> Response {
    let number: Option<u64> = number.parse().ok();
    let (Some(repo), Some(number)) = (repo, number) else {
        return Response::error(404, "Not Found", "/issues/comments#list-issue-comments");
    };
    if !repo.pulls.contains(&number) {
        return Response::error(404, "Not Found", "/issues/comments#list-issue-comments");
    }
    match method {
        "GET" => {
            let all: Vec<serde_json::Value> = state
                .comments
                .values()
                .filter(|c| c.repo == repo.full_name && c.issue == number)
                .map(|c| comment_json(c, base))
                .collect();
            // GitHub's links name the repository by id.
            paged(
                request,
                all,
                &format!("{base}/repositories/{}/issues/{number}/comments", repo.id),
            )
        }
        "POST" => {
            if !token.writes {
                return Response::error(
                    403,
                    "Resource not accessible by integration",
                    "/issues/comments#create-an-issue-comment",
                );
            }
            let body = match write_body(request) {
                Ok(body) => body,
                Err(response) => return response,
            };
            let id = state.next_comment_id;
            state.next_comment_id += 1;
            let now = state.tick();
            let comment = Comment {
                id,
                repo: repo.full_name.clone(),
                issue: number,
                body,
                login: token.account.login.clone(),
                user_type: token.account.kind.to_string(),
                created_at: now.clone(),
                updated_at: now,
            };
            state.comments.insert(id, comment.clone());
            if std::mem::take(&mut state.lose_next_create_answer) {
                return Response::json(502, serde_json::json!({ "message": "Server Error" }));
            }
            let mut response = Response::json(201, comment_json(&comment, base));
            response.headers.push((
                "Location".into(),
                format!("{base}/repos/{}/issues/comments/{id}", comment.repo),
            ));
            response
        }
        _ => Response::error(404, "Not Found", ""),
    }
}

/// One page of `all`, as `?per_page=&page=` ask, with GitHub's `Link` header; `link` is the
/// list's address without a query (GitHub's names the repository by id).
fn paged(request: &Request, all: Vec<serde_json::Value>, link: &str) -> Response {
    let per_page = request
        .query("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 100);
    let page = request
        .query("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let last = all.len().div_ceil(per_page).max(1);
    let items: Vec<serde_json::Value> = all
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    let mut response = Response::json(200, serde_json::Value::Array(items));
    let link =
        |page: usize, rel: &str| format!("<{link}?per_page={per_page}&page={page}>; rel=\"{rel}\"");
    let mut links = Vec::new();
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if page < last {
        links.push(link(page + 1, "next"));
        links.push(link(last, "last"));
    }
    if page > 1 {
        links.push(link(1, "first"));
    }
    if !links.is_empty() {
        response.headers.push(("Link".into(), links.join(", ")));
    }
    response
}

/// `…/pulls/{n}/files`, `…/pulls/{n}/comments` and `…/pulls/{n}/reviews`.
#[allow(clippy::too_many_arguments)]
fn pulls(
    request: &Request,
    state: &mut State,
    token: &Token,
    method: &str,
    repo: Option<Repo>,
    number: &str,
    what: &str,
    base: &str,
) -> Response {
    let docs = match what {
        "files" => "/pulls/pulls#list-pull-requests-files",
        "comments" => "/pulls/comments#list-review-comments-on-a-pull-request",
        "reviews" if method == "POST" => "/pulls/reviews#create-a-review-for-a-pull-request",
        "reviews" => "/pulls/reviews#list-reviews-for-a-pull-request",
        _ => return Response::error(404, "Not Found", ""),
    };
    let number: Option<u64> = number.parse().ok();
    let (Some(repo), Some(number)) = (repo, number) else {
        return Response::error(404, "Not Found", docs);
    };
    if !repo.pulls.contains(&number) {
        return Response::error(404, "Not Found", docs);
    }
    let link = format!("{base}/repositories/{}/pulls/{number}/{what}", repo.id);
    // A pending review, and its comments, are seen by their author only.
    let sees = |login: &str, pending: bool| !pending || login == token.account.login;
    match (method, what) {
        ("GET", "files") => {
            let all = state
                .pull_files
                .iter()
                .filter(|f| f.repo == repo.full_name && f.pull == number)
                .map(|f| pull_file_json(f, &state.head(&repo.full_name, number), base))
                .collect();
            paged(request, all, &link)
        }
        ("GET", "comments") => {
            let all = state
                .review_comments
                .values()
                .filter(|c| c.repo == repo.full_name && c.pull == number)
                .filter(|c| {
                    let pending = state
                        .reviews
                        .get(&c.review_id)
                        .is_some_and(|r| r.state == "PENDING");
                    sees(&c.login, pending)
                })
                .map(|c| review_comment_json(c, base))
                .collect();
            paged(request, all, &link)
        }
        ("GET", "reviews") => {
            let all = state
                .reviews
                .values()
                .filter(|r| r.repo == repo.full_name && r.pull == number)
                .filter(|r| sees(&r.login, r.state == "PENDING"))
                .map(|r| review_json(r, base))
                .collect();
            paged(request, all, &link)
        }
        ("POST", "reviews") => create_review(request, state, token, &repo, number, base),
        _ => Response::error(404, "Not Found", ""),
    }
}

/// `POST /repos/{owner}/{repo}/pulls/{n}/reviews`: every check first, then the review and its
/// comments stored together.
fn create_review(
    request: &Request,
    state: &mut State,
    token: &Token,
    repo: &Repo,
    number: u64,
    base: &str,
) -> Response {
    const DOCS: &str = "/pulls/reviews#create-a-review-for-a-pull-request";
    if !token.writes {
        return Response::error(403, "Resource not accessible by integration", DOCS);
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&request.body) else {
        return Response::error(400, "Problems parsing JSON", DOCS);
    };
    let input = match ReviewInput::from_json(&json) {
        Ok(input) => input,
        Err(message) => return Response::error(422, &message, DOCS),
    };
    let review_state = match input.event.as_deref() {
        None => "PENDING",
        Some("COMMENT") => "COMMENTED",
        Some("APPROVE") => "APPROVED",
        Some("REQUEST_CHANGES") => "CHANGES_REQUESTED",
        Some(_) => {
            return Response::unprocessable(
                &[
                    "Variable $event of type PullRequestReviewEvent was provided invalid value"
                        .into(),
                ],
                DOCS,
            );
        }
    };
    let head = state.head(&repo.full_name, number);
    let head_is_set = state.heads.contains_key(&(repo.full_name.clone(), number));
    if let Some(commit_id) = &input.commit_id
        && head_is_set
        && *commit_id != head
    {
        return Response::unprocessable(
            &["The commitOID is not part of the pull request".into()],
            DOCS,
        );
    }
    let body = input.body.clone().unwrap_or_default();
    if matches!(review_state, "COMMENTED" | "CHANGES_REQUESTED")
        && body.is_empty()
        && input.comments.is_empty()
    {
        return Response::unprocessable(&["Body can't be blank".into()], DOCS);
    }
    let login = token.account.login.clone();
    if review_state == "PENDING"
        && state.reviews.values().any(|r| {
            r.repo == repo.full_name && r.pull == number && r.login == login && r.state == "PENDING"
        })
    {
        return Response::unprocessable(
            &["User can only have one pending review per pull request".into()],
            DOCS,
        );
    }
    let mut threads = Vec::new();
    let mut problems = Vec::new();
    for comment in &input.comments {
        match resolve(state, &repo.full_name, number, comment) {
            Ok(thread) => threads.push(thread),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Response::unprocessable(&problems, DOCS);
    }
    let commit_id = input.commit_id.unwrap_or(head);
    let now = state.tick();
    let review_id = state.next_review_id;
    state.next_review_id += 1;
    let review = Review {
        id: review_id,
        repo: repo.full_name.clone(),
        pull: number,
        event: input.event,
        state: review_state.into(),
        body,
        login: login.clone(),
        user_type: token.account.kind.into(),
        commit_id: commit_id.clone(),
        comment_count: threads.len(),
        submitted_at: (review_state != "PENDING").then(|| now.clone()),
    };
    state.reviews.insert(review_id, review.clone());
    for thread in threads {
        let id = state.next_review_comment_id;
        state.next_review_comment_id += 1;
        state.review_comments.insert(
            id,
            ReviewComment {
                id,
                repo: repo.full_name.clone(),
                pull: number,
                review_id,
                path: thread.path,
                line: thread.line,
                start_line: thread.start_line,
                side: thread.side.name().into(),
                start_side: thread.start_side.map(|s| s.name().into()),
                position: Some(thread.position),
                diff_hunk: thread.diff_hunk,
                body: thread.body,
                login: login.clone(),
                user_type: token.account.kind.into(),
                commit_id: commit_id.clone(),
                created_at: now.clone(),
                updated_at: now.clone(),
            },
        );
    }
    Response::json(200, review_json(&review, base))
}

/// A review as sent, its types checked as GitHub's schema checks them.
#[derive(Debug)]
struct ReviewInput {
    commit_id: Option<String>,
    body: Option<String>,
    event: Option<String>,
    comments: Vec<CommentInput>,
}

#[derive(Debug)]
struct CommentInput {
    path: String,
    body: String,
    line: Option<i64>,
    position: Option<i64>,
    side: Option<Side>,
    start_line: Option<i64>,
    start_side: Option<Side>,
}

/// GitHub's words for a request its schema refuses.
fn invalid(detail: &str) -> String {
    format!("Invalid request.\n\n{detail}")
}

fn string_field(
    object: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<String>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(&format!(
            "For 'properties/{key}', {} is not a string.",
            inspect(other)
        ))),
    }
}

fn integer_field(
    object: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<i64>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => match value.as_i64() {
            Some(n) => Ok(Some(n)),
            None => Err(invalid(&format!(
                "For 'properties/{key}', {} is not an integer.",
                inspect(value)
            ))),
        },
    }
}

fn side_field(
    object: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<Side>, String> {
    match string_field(object, key)? {
        None => Ok(None),
        Some(name) => match Side::parse(&name) {
            Some(side) => Ok(Some(side)),
            None => Err(invalid(&format!(
                "{name} is not a member of [\"LEFT\", \"RIGHT\"]."
            ))),
        },
    }
}

impl ReviewInput {
    fn from_json(json: &serde_json::Value) -> Result<ReviewInput, String> {
        let Some(object) = json.as_object() else {
            return Err(invalid(&format!(
                "For 'links/0/schema', {} is not an object.",
                inspect(json)
            )));
        };
        let commit_id = string_field(object, "commit_id")?;
        let body = string_field(object, "body")?;
        let event = string_field(object, "event")?;
        let comments = match object.get("comments") {
            None => Vec::new(),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(CommentInput::from_json)
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(invalid(&format!(
                    "For 'properties/comments', {} is not an array.",
                    inspect(other)
                )));
            }
        };
        Ok(ReviewInput {
            commit_id,
            body,
            event,
            comments,
        })
    }
}

impl CommentInput {
    fn from_json(json: &serde_json::Value) -> Result<CommentInput, String> {
        let Some(object) = json.as_object() else {
            return Err(invalid(&format!(
                "For 'items', {} is not an object.",
                inspect(json)
            )));
        };
        let required = |key: &str| {
            string_field(object, key)?
                .ok_or_else(|| invalid(&format!("\"{key}\" wasn't supplied.")))
        };
        Ok(CommentInput {
            path: required("path")?,
            body: required("body")?,
            line: integer_field(object, "line")?,
            position: integer_field(object, "position")?,
            side: side_field(object, "side")?,
            start_line: integer_field(object, "start_line")?,
            start_side: side_field(object, "start_side")?,
        })
    }
}

/// A review comment placed in the diff.
struct Thread {
    path: String,
    body: String,
    line: u64,
    side: Side,
    start_line: Option<u64>,
    start_side: Option<Side>,
    position: u64,
    diff_hunk: String,
}

/// Where `comment` falls in the pull request's diff, or GitHub's reason it cannot.
fn resolve(state: &State, repo: &str, pull: u64, comment: &CommentInput) -> Result<Thread, String> {
    let line_unresolved = || "Line could not be resolved".to_string();
    let Some(file) = state.pull_file(repo, pull, &comment.path) else {
        return Err("Path could not be resolved".into());
    };
    let Some(patch) = file.patch.as_deref().and_then(|p| Patch::parse(p).ok()) else {
        return Err(line_unresolved());
    };
    let wanted = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok());
    let (end, side) = match (wanted(comment.line), comment.line, comment.position) {
        (Some(line), _, _) => {
            let side = comment.side.unwrap_or(Side::Right);
            (patch.find(side, line).ok_or_else(line_unresolved)?, side)
        }
        (None, None, Some(position)) => {
            let at = u64::try_from(position)
                .ok()
                .and_then(|p| patch.at(p))
                .ok_or_else(line_unresolved)?;
            let side = if at.new.is_some() {
                Side::Right
            } else {
                Side::Left
            };
            (at, side)
        }
        _ => return Err(line_unresolved()),
    };
    let line = match side {
        Side::Right => end.new,
        Side::Left => end.old,
    }
    .expect("found on its side");
    let mut start_line = None;
    let mut start_side = None;
    if let Some(requested) = comment.start_line {
        let first_side = comment.start_side.unwrap_or(side);
        let precede =
            || "Pull request review thread start line must precede the end line.".to_string();
        let first = u64::try_from(requested).ok();
        if first_side == side && first.is_some_and(|first| first >= line) {
            return Err(precede());
        }
        let start = first
            .and_then(|first| patch.find(first_side, first))
            .ok_or_else(line_unresolved)?;
        if start.hunk != end.hunk {
            return Err(
                "Pull request review thread start line must be part of the same hunk as the line."
                    .into(),
            );
        }
        if start.index >= end.index {
            return Err(precede());
        }
        start_line = first;
        start_side = Some(first_side);
    }
    Ok(Thread {
        path: comment.path.clone(),
        body: comment.body.clone(),
        line,
        side,
        start_line,
        start_side,
        position: end.position,
        diff_hunk: patch.diff_hunk(end),
    })
}

/// A side of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The old file: removed and context lines.
    Left,
    /// The new file: added and context lines.
    Right,
}

impl Side {
    fn parse(name: &str) -> Option<Side> {
        match name {
            "LEFT" => Some(Side::Left),
            "RIGHT" => Some(Side::Right),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Side::Left => "LEFT",
            Side::Right => "RIGHT",
        }
    }
}

/// A line of a patch below a hunk header.
#[derive(Debug, Clone, Copy)]
struct DiffLine {
    /// Which hunk, from 0.
    hunk: usize,
    /// Index among the patch's lines of this line and of its hunk's header.
    index: usize,
    header: usize,
    /// GitHub's `position`: lines below the first `@@` header, later headers counted.
    position: u64,
    /// Its number in the old file (removed and context lines) and the new (added and context).
    old: Option<u64>,
    new: Option<u64>,
}

/// A file's `patch` as GitHub gives it: hunks only.
struct Patch {
    lines: Vec<String>,
    entries: Vec<DiffLine>,
}

impl Patch {
    fn parse(text: &str) -> Result<Patch, String> {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        if lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        let mut entries = Vec::new();
        // (hunk, header index, next old line, next new line)
        let mut hunk: Option<(usize, usize, u64, u64)> = None;
        let mut position = 0;
        for (index, line) in lines.iter().enumerate() {
            if line.starts_with("@@") {
                let (old, new) =
                    hunk_header(line).ok_or_else(|| format!("a bad hunk header: {line:?}"))?;
                hunk = Some(match hunk {
                    None => (0, index, old, new),
                    Some((number, ..)) => {
                        position += 1;
                        (number + 1, index, old, new)
                    }
                });
                continue;
            }
            let Some((number, header, old, new)) = hunk.as_mut() else {
                return Err(format!("{line:?} comes before the first hunk header"));
            };
            position += 1;
            let (old_no, new_no) = match line.chars().next() {
                // An empty line is a context line whose space was trimmed.
                Some(' ') | None => (Some(*old), Some(*new)),
                Some('+') => (None, Some(*new)),
                Some('-') => (Some(*old), None),
                // `\ No newline at end of file`: a place in the diff, no line of either file.
                Some('\\') => continue,
                Some(_) => return Err(format!("{line:?} is not a diff line")),
            };
            if old_no.is_some() {
                *old += 1;
            }
            if new_no.is_some() {
                *new += 1;
            }
            entries.push(DiffLine {
                hunk: *number,
                index,
                header: *header,
                position,
                old: old_no,
                new: new_no,
            });
        }
        Ok(Patch { lines, entries })
    }

    /// Line `line` of the file on `side`, if the diff shows it.
    fn find(&self, side: Side, line: u64) -> Option<DiffLine> {
        self.entries.iter().copied().find(|e| match side {
            Side::Right => e.new == Some(line),
            Side::Left => e.old == Some(line),
        })
    }

    fn at(&self, position: u64) -> Option<DiffLine> {
        self.entries
            .iter()
            .copied()
            .find(|e| e.position == position)
    }

    /// The hunk's header down to `line`, as GitHub's `diff_hunk`.
    fn diff_hunk(&self, line: DiffLine) -> String {
        self.lines[line.header..=line.index].join("\n")
    }

    fn additions(&self) -> usize {
        self.entries.iter().filter(|e| e.old.is_none()).count()
    }

    fn deletions(&self) -> usize {
        self.entries.iter().filter(|e| e.new.is_none()).count()
    }
}

/// The starts of `@@ -a,b +c,d @@` (counts optional).
fn hunk_header(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let start = |range: &str| range.split(',').next()?.parse::<u64>().ok();
    Some((start(old)?, start(new)?))
}

/// `GET /repos/{owner}/{repo}/contents/{path}?ref=`.
fn contents(
    request: &Request,
    state: &State,
    repo: Option<Repo>,
    path: &[&str],
    base: &str,
) -> Response {
    const DOCS: &str = "/repos/contents#get-repository-content";
    let Some(repo) = repo else {
        return Response::error(404, "Not Found", DOCS);
    };
    let path = percent_decode(&path.join("/"), false);
    let requested = request
        .query("ref")
        .map(|r| percent_decode(r, true))
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "main".into());
    let git_ref = requested
        .strip_prefix("refs/heads/")
        .or_else(|| requested.strip_prefix("refs/tags/"))
        .unwrap_or(&requested)
        .to_string();
    let at_ref: Vec<(&String, &String)> = state
        .files
        .iter()
        .filter(|((r, g, _), _)| *r == repo.full_name && *g == git_ref)
        .map(|((_, _, p), text)| (p, text))
        .collect();
    if at_ref.is_empty() {
        return Response::error(
            404,
            &format!("No commit found for the ref {requested}"),
            DOCS,
        );
    }
    let entry = Entry {
        repo: &repo.full_name,
        git_ref: &requested,
        base,
    };
    if let Some((_, text)) = at_ref.iter().find(|(p, _)| **p == path) {
        if request.header("accept").is_some_and(is_raw) {
            return Response::raw(text);
        }
        let mut json = entry.file(&path, text);
        json["encoding"] = "base64".into();
        json["content"] = base64_lines(text.as_bytes()).into();
        return Response::json(200, json);
    }
    // A directory: what is right below it.
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    };
    let mut below: BTreeMap<String, Option<&String>> = BTreeMap::new();
    for (p, text) in &at_ref {
        if let Some(rest) = p.strip_prefix(&prefix) {
            match rest.split_once('/') {
                Some((dir, _)) => {
                    below.entry(dir.to_string()).or_insert(None);
                }
                None => {
                    below.insert(rest.to_string(), Some(*text));
                }
            }
        }
    }
    if below.is_empty() {
        return Response::error(404, "Not Found", DOCS);
    }
    let listing = below
        .into_iter()
        .map(|(name, text)| {
            let full = format!("{prefix}{name}");
            match text {
                Some(text) => entry.file(&full, text),
                None => entry.dir(&full),
            }
        })
        .collect();
    Response::json(200, serde_json::Value::Array(listing))
}

/// What every content object of one repository and ref shares.
struct Entry<'a> {
    repo: &'a str,
    git_ref: &'a str,
    base: &'a str,
}

impl Entry<'_> {
    fn object(&self, kind: &str, path: &str, sha: &str, size: usize) -> serde_json::Value {
        let Entry {
            repo,
            git_ref,
            base,
        } = self;
        let url = format!("{base}/repos/{repo}/contents/{path}?ref={git_ref}");
        let git = format!(
            "{base}/repos/{repo}/git/{}/{sha}",
            if kind == "dir" { "trees" } else { "blobs" }
        );
        let html = format!(
            "https://github.com/{repo}/{}/{git_ref}/{path}",
            if kind == "dir" { "tree" } else { "blob" }
        );
        serde_json::json!({
            "type": kind,
            "name": path.rsplit('/').next().unwrap_or(path),
            "path": path,
            "sha": sha,
            "size": size,
            "url": url,
            "html_url": html,
            "git_url": git,
            "download_url": if kind == "dir" {
                serde_json::Value::Null
            } else {
                format!("https://raw.githubusercontent.com/{repo}/{git_ref}/{path}").into()
            },
            "_links": { "self": url, "git": git, "html": html },
        })
    }

    fn file(&self, path: &str, text: &str) -> serde_json::Value {
        self.object("file", path, &blob_sha(text), text.len())
    }

    fn dir(&self, path: &str) -> serde_json::Value {
        self.object("dir", path, &sha1_hex(format!("tree {path}").as_bytes()), 0)
    }
}

/// `application/vnd.github.raw` (`+json` or not) and the older `application/vnd.github.v3.raw`.
fn is_raw(accept: &str) -> bool {
    accept.contains("vnd.github.raw") || accept.contains("vnd.github.v3.raw")
}

/// `%XX` decoded (and `+` as a space, in a query).
fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Base64 as GitHub's `content` carries it: a line break after every 60 characters and at the
/// end (Ruby's `Base64.encode64`).
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                encoded.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    let mut lines = String::new();
    for line in encoded.as_bytes().chunks(60) {
        lines.push_str(std::str::from_utf8(line).expect("ASCII"));
        lines.push('\n');
    }
    lines
}

/// Git's blob id for `text`.
fn blob_sha(text: &str) -> String {
    sha1_hex(format!("blob {}\0{text}", text.len()).as_bytes())
}

/// SHA-1 (FIPS 180-4), in hex.
fn sha1_hex(data: &[u8]) -> String {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 80];
        for (word, bytes) in w.iter_mut().zip(block.chunks(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (state, part) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(part);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// A JSON value as GitHub's schema errors show it (Ruby's `inspect`, nesting elided).
fn inspect(value: &serde_json::Value) -> String {
    fn shallow(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::Object(_) => "{...}".into(),
            serde_json::Value::Array(_) => "[...]".into(),
            other => inspect(other),
        }
    }
    match value {
        serde_json::Value::Null => "nil".into(),
        serde_json::Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{} => {}", serde_json::Value::from(k.as_str()), shallow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        serde_json::Value::Array(items) => format!(
            "[{}]",
            items.iter().map(shallow).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// The `body` of a create or update request, or GitHub's refusal.
fn write_body(request: &Request) -> Result<String, Response> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&request.body) else {
        return Err(Response::error(
            400,
            "Problems parsing JSON",
            "/issues/comments",
        ));
    };
    let Some(body) = json.get("body").and_then(|b| b.as_str()) else {
        return Err(Response::error(
            422,
            "Invalid request.\n\n\"body\" wasn't supplied.",
            "/issues/comments",
        ));
    };
    if body.chars().count() > 65_536 {
        return Err(Response::json(
            422,
            serde_json::json!({
                "message": "Validation Failed",
                "errors": [{
                    "resource": "IssueComment",
                    "code": "custom",
                    "field": "body",
                    "message": "body is too long (maximum is 65536 characters)",
                }],
                "documentation_url": "https://docs.github.com/rest/issues/comments",
                "status": "422",
            }),
        ));
    }
    Ok(body.to_string())
}

fn user_json(account: &Account, base: &str) -> serde_json::Value {
    let login = &account.login;
    let api = format!("{base}/users/{login}");
    let html = if account.kind == "Bot" {
        format!(
            "https://github.com/apps/{}",
            login.trim_end_matches("[bot]")
        )
    } else {
        format!("https://github.com/{login}")
    };
    serde_json::json!({
        "login": login,
        "id": account.id,
        "node_id": format!("MDQ6VXNlcj{}", account.id),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", account.id),
        "gravatar_id": "",
        "url": api,
        "html_url": html,
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": account.kind,
        "user_view_type": "public",
        "site_admin": false,
    })
}

/// The account behind a stored comment or review, as its JSON shows it.
fn account_of(login: &str, user_type: &str) -> Account {
    Account {
        login: login.to_string(),
        id: if user_type == "Bot" {
            41_898_282
        } else {
            2000 + login.len() as u64
        },
        kind: if user_type == "Bot" { "Bot" } else { "User" },
    }
}

fn reactions_json(url: String) -> serde_json::Value {
    serde_json::json!({
        "url": url,
        "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
        "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
    })
}

fn comment_json(comment: &Comment, base: &str) -> serde_json::Value {
    let account = account_of(&comment.login, &comment.user_type);
    let repo = &comment.repo;
    serde_json::json!({
        "url": format!("{base}/repos/{repo}/issues/comments/{}", comment.id),
        "html_url": format!(
            "https://github.com/{repo}/pull/{}#issuecomment-{}",
            comment.issue, comment.id
        ),
        "issue_url": format!("{base}/repos/{repo}/issues/{}", comment.issue),
        "id": comment.id,
        "node_id": format!("IC_kwDOAAAB{}", comment.id),
        "user": user_json(&account, base),
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
        "author_association": if comment.user_type == "Bot" { "NONE" } else { "CONTRIBUTOR" },
        "body": comment.body,
        "reactions": reactions_json(
            format!("{base}/repos/{repo}/issues/comments/{}/reactions", comment.id),
        ),
        "performed_via_github_app": null,
    })
}

fn pull_file_json(file: &PullFile, head: &str, base: &str) -> serde_json::Value {
    let patch = file
        .patch
        .as_deref()
        .map(|p| Patch::parse(p).expect("checked when seeded"));
    let additions = patch.as_ref().map_or(0, Patch::additions);
    let deletions = patch.as_ref().map_or(0, Patch::deletions);
    let repo = &file.repo;
    let name = &file.filename;
    let mut json = serde_json::json!({
        "sha": blob_sha(&format!("{repo}:{name}:{}", file.patch.as_deref().unwrap_or(""))),
        "filename": name,
        "status": file.status,
        "additions": additions,
        "deletions": deletions,
        "changes": additions + deletions,
        "blob_url": format!("https://github.com/{repo}/blob/{head}/{name}"),
        "raw_url": format!("https://github.com/{repo}/raw/{head}/{name}"),
        "contents_url": format!("{base}/repos/{repo}/contents/{name}?ref={head}"),
    });
    if let Some(patch) = &file.patch {
        json["patch"] = patch.as_str().into();
    }
    json
}

fn review_comment_json(comment: &ReviewComment, base: &str) -> serde_json::Value {
    let account = account_of(&comment.login, &comment.user_type);
    let repo = &comment.repo;
    let url = format!("{base}/repos/{repo}/pulls/comments/{}", comment.id);
    let html = format!(
        "https://github.com/{repo}/pull/{}#discussion_r{}",
        comment.pull, comment.id
    );
    let pull_url = format!("{base}/repos/{repo}/pulls/{}", comment.pull);
    serde_json::json!({
        "url": url,
        "pull_request_review_id": comment.review_id,
        "id": comment.id,
        "node_id": format!("PRRC_kwDOAAAB{}", comment.id),
        "diff_hunk": comment.diff_hunk,
        "path": comment.path,
        "commit_id": comment.commit_id,
        "original_commit_id": comment.commit_id,
        "user": user_json(&account, base),
        "body": comment.body,
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
        "html_url": html,
        "pull_request_url": pull_url,
        "author_association": if comment.user_type == "Bot" { "NONE" } else { "CONTRIBUTOR" },
        "_links": {
            "self": { "href": url },
            "html": { "href": html },
            "pull_request": { "href": pull_url },
        },
        "reactions": reactions_json(format!("{url}/reactions")),
        "start_line": comment.start_line,
        "original_start_line": comment.start_line,
        "start_side": comment.start_side,
        "line": comment.line,
        "original_line": comment.line,
        "side": comment.side,
        "position": comment.position,
        "original_position": comment.position,
        "subject_type": "line",
    })
}

fn review_json(review: &Review, base: &str) -> serde_json::Value {
    let account = account_of(&review.login, &review.user_type);
    let repo = &review.repo;
    let html = format!(
        "https://github.com/{repo}/pull/{}#pullrequestreview-{}",
        review.pull, review.id
    );
    let pull_url = format!("{base}/repos/{repo}/pulls/{}", review.pull);
    let mut json = serde_json::json!({
        "id": review.id,
        "node_id": format!("PRR_kwDOAAAB{}", review.id),
        "user": user_json(&account, base),
        "body": review.body,
        "state": review.state,
        "html_url": html,
        "pull_request_url": pull_url,
        "author_association": if review.user_type == "Bot" { "NONE" } else { "CONTRIBUTOR" },
        "_links": {
            "html": { "href": html },
            "pull_request": { "href": pull_url },
        },
        "commit_id": review.commit_id,
    });
    // A pending review has not been submitted: GitHub leaves the field out.
    if let Some(submitted_at) = &review.submitted_at {
        json["submitted_at"] = submitted_at.as_str().into();
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const REPO: &str = "octo/app";
    const WRITER: &str = "ghs_writer";
    const READER: &str = "ghs_reader";
    /// New lines 10-12 (context, added, context), then 20-22 in a second hunk; old line 11 removed.
    const PATCH: &str = "@@ -10,3 +10,3 @@ FROM base AS build\n RUN a\n-RUN b\n+RUN c\n RUN d\n\
                         @@ -20,2 +20,3 @@\n COPY x /x\n+COPY y /y\n USER 65532";

    struct Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    }

    impl Answer {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }

        fn json(&self) -> Value {
            serde_json::from_str(&self.body).expect("a JSON answer")
        }

        /// The `errors` sentence of a `422 Unprocessable Entity`.
        fn refusal(&self) -> String {
            let json = self.json();
            assert_eq!(json["message"], "Unprocessable Entity", "{}", self.body);
            json["errors"][0].as_str().expect("errors").to_string()
        }
    }

    /// One HTTP/1.1 exchange on a fresh connection.
    fn send(
        gh: &FakeGithub,
        method: &str,
        target: &str,
        token: &str,
        accept: &str,
        body: &str,
    ) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", gh.port)).expect("connect");
        let request = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: fake-github-tests\r\n\
             Accept: {accept}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            gh.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
        let mut head = head.split("\r\n");
        let status = head
            .next()
            .expect("status line")
            .split(' ')
            .nth(1)
            .expect("status");
        Answer {
            status: status.parse().expect("a status"),
            headers: head
                .filter_map(|h| h.split_once(": "))
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_string(),
        }
    }

    fn get(gh: &FakeGithub, target: &str, token: &str) -> Answer {
        send(gh, "GET", target, token, "application/vnd.github+json", "")
    }

    fn post_review(gh: &FakeGithub, token: &str, review: &Value) -> Answer {
        send(
            gh,
            "POST",
            "/repos/octo/app/pulls/1/reviews",
            token,
            "application/vnd.github+json",
            &review.to_string(),
        )
    }

    fn fake() -> FakeGithub {
        let gh = FakeGithub::start();
        gh.add_token(WRITER, "", TokenKind::App);
        gh.add_token(READER, "", TokenKind::ReadOnlyApp);
        gh.add_pull_file(REPO, 1, "Dockerfile", "modified", Some(PATCH));
        gh.add_pull_file(REPO, 1, "logo.png", "added", None);
        gh
    }

    #[test]
    fn pull_files_are_paged_with_links_by_repository_id() {
        let gh = FakeGithub::start();
        gh.add_token(READER, "", TokenKind::ReadOnlyApp);
        for i in 0..35 {
            gh.add_pull_file(
                REPO,
                1,
                &format!("f{i:02}"),
                "modified",
                Some("@@ -1 +1 @@\n-a\n+b"),
            );
        }
        gh.add_pull_file(REPO, 1, "logo.png", "added", None);

        let first = get(&gh, "/repos/octo/app/pulls/1/files", READER);
        assert_eq!(first.status, 200, "{}", first.body);
        let items = first.json();
        assert_eq!(items.as_array().expect("a list").len(), 30);
        assert_eq!(
            items[0],
            json!({
                "sha": items[0]["sha"],
                "filename": "f00",
                "status": "modified",
                "additions": 1,
                "deletions": 1,
                "changes": 2,
                "blob_url": items[0]["blob_url"],
                "raw_url": items[0]["raw_url"],
                "contents_url": items[0]["contents_url"],
                "patch": "@@ -1 +1 @@\n-a\n+b",
            })
        );
        assert_eq!(items[0]["sha"].as_str().expect("sha").len(), 40);
        let link = first.header("Link").expect("a Link header");
        let base = gh.url();
        let id = gh.state().repos[0].id;
        assert_eq!(
            link,
            format!(
                "<{base}/repositories/{id}/pulls/1/files?per_page=30&page=2>; rel=\"next\", \
                 <{base}/repositories/{id}/pulls/1/files?per_page=30&page=2>; rel=\"last\""
            )
        );

        // Following the link, as clients do.
        let next = link.split(['<', '>']).nth(1).expect("next");
        let second = get(&gh, next.strip_prefix(&base).expect("ours"), READER);
        assert_eq!(second.status, 200, "{}", second.body);
        let items = second.json();
        let names: Vec<&str> = items
            .as_array()
            .expect("a list")
            .iter()
            .map(|f| f["filename"].as_str().expect("filename"))
            .collect();
        assert_eq!(names, ["f30", "f31", "f32", "f33", "f34", "logo.png"]);
        assert!(items[5].get("patch").is_none(), "no patch, no field");
        assert_eq!(items[5]["changes"], 0);
        assert!(
            second
                .header("Link")
                .expect("links")
                .contains("rel=\"prev\"")
        );

        let page = get(&gh, "/repos/octo/app/pulls/1/files?per_page=100", READER);
        assert_eq!(page.json().as_array().expect("a list").len(), 36);
        assert!(page.header("Link").is_none());

        let unknown = get(&gh, "/repos/octo/app/pulls/2/files", READER);
        assert_eq!(unknown.status, 404);
        assert_eq!(unknown.json()["message"], "Not Found");
    }

    #[test]
    fn a_valid_review_is_stored_with_its_comments_and_listed() {
        let gh = fake();
        let answer = post_review(
            &gh,
            WRITER,
            &json!({
                "commit_id": "0123456789abcdef0123456789abcdef01234567",
                "event": "COMMENT",
                "body": "minicheck found 2 problems",
                "comments": [
                    { "path": "Dockerfile", "line": 11, "side": "RIGHT", "body": "added line" },
                    { "path": "Dockerfile", "start_line": 20, "start_side": "RIGHT",
                      "line": 22, "body": "a range" },
                    { "path": "Dockerfile", "line": 11, "side": "LEFT", "body": "removed line" },
                ],
            }),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        let review = answer.json();
        assert_eq!(review["state"], "COMMENTED");
        assert_eq!(review["body"], "minicheck found 2 problems");
        assert_eq!(review["user"]["login"], "github-actions[bot]");
        assert_eq!(
            review["commit_id"],
            "0123456789abcdef0123456789abcdef01234567"
        );
        for field in [
            "id",
            "node_id",
            "html_url",
            "pull_request_url",
            "submitted_at",
        ] {
            assert!(!review[field].is_null(), "{field} in {review}");
        }

        let reviews = gh.reviews(REPO, 1);
        assert_eq!(reviews.len(), 1);
        let stored = &reviews[0];
        assert_eq!(review["id"], stored.id);
        assert_eq!(
            (
                stored.event.as_deref(),
                stored.state.as_str(),
                stored.comment_count
            ),
            (Some("COMMENT"), "COMMENTED", 3)
        );
        assert_eq!(stored.login, "github-actions[bot]");
        assert_eq!(stored.body, "minicheck found 2 problems");

        let comments = gh.review_comments(REPO, 1);
        let summary: Vec<_> = comments
            .iter()
            .map(|c| {
                (
                    c.path.as_str(),
                    c.start_line,
                    c.line,
                    c.side.as_str(),
                    c.body.as_str(),
                    c.login.as_str(),
                    c.review_id,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "Dockerfile",
                    None,
                    11,
                    "RIGHT",
                    "added line",
                    "github-actions[bot]",
                    stored.id
                ),
                (
                    "Dockerfile",
                    Some(20),
                    22,
                    "RIGHT",
                    "a range",
                    "github-actions[bot]",
                    stored.id
                ),
                (
                    "Dockerfile",
                    None,
                    11,
                    "LEFT",
                    "removed line",
                    "github-actions[bot]",
                    stored.id
                ),
            ]
        );

        let listed = get(&gh, "/repos/octo/app/pulls/1/comments", READER).json();
        assert_eq!(listed.as_array().expect("a list").len(), 3);
        let single = &listed[0];
        assert_eq!(single["line"], 11);
        assert_eq!(single["side"], "RIGHT");
        assert!(single["start_line"].is_null() && single["start_side"].is_null());
        assert_eq!(single["position"], 3);
        assert_eq!(
            single["diff_hunk"],
            "@@ -10,3 +10,3 @@ FROM base AS build\n RUN a\n-RUN b\n+RUN c"
        );
        assert_eq!(single["pull_request_review_id"], stored.id);
        assert_eq!(single["user"]["type"], "Bot");
        assert!(
            single["html_url"]
                .as_str()
                .expect("html_url")
                .contains("#discussion_r")
        );
        assert!(
            single["url"]
                .as_str()
                .expect("url")
                .ends_with(&format!("/pulls/comments/{}", comments[0].id))
        );
        let range = &listed[1];
        assert_eq!(
            (range["start_line"].clone(), range["start_side"].clone()),
            (json!(20), json!("RIGHT"))
        );
        assert_eq!(
            range["position"], 8,
            "below the first header, the second header counted"
        );

        let listed = get(&gh, "/repos/octo/app/pulls/1/reviews", READER).json();
        assert_eq!(listed[0]["id"], stored.id);
    }

    #[test]
    fn a_comment_off_the_diff_refuses_the_whole_review() {
        let gh = fake();
        let off = |line: u64, extra: Value| {
            let mut comment = json!({ "path": "Dockerfile", "line": line, "body": "x" });
            comment
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            post_review(
                &gh,
                WRITER,
                &json!({ "event": "COMMENT", "body": "b", "comments": [
                    { "path": "Dockerfile", "line": 12, "body": "fine on its own" },
                    comment,
                ]}),
            )
        };
        for (line, extra) in [
            (13, json!({})),                  // between the hunks
            (9, json!({})),                   // above the first
            (24, json!({})),                  // below the last
            (11, json!({ "start_line": 5 })), // a range starting outside
            (13, json!({ "side": "LEFT" })),  // old line 13 is not in the diff
        ] {
            let answer = off(line, extra.clone());
            assert_eq!(answer.status, 422, "{line} {extra}: {}", answer.body);
            assert_eq!(
                answer.refusal(),
                "Line could not be resolved",
                "{line} {extra}"
            );
            assert!(
                answer.json()["documentation_url"]
                    .as_str()
                    .unwrap()
                    .contains("create-a-review")
            );
        }
        let answer = post_review(
            &gh,
            WRITER,
            &json!({ "event": "COMMENT", "comments": [
                { "path": "Dockerfile", "line": 13, "body": "x" },
                { "path": "Makefile", "line": 1, "body": "x" },
                { "path": "logo.png", "line": 1, "body": "x" },
            ]}),
        );
        assert_eq!(answer.status, 422);
        assert_eq!(
            answer.refusal(),
            "Line could not be resolved, Path could not be resolved, and Line could not be resolved"
        );
        for (extra, reason) in [
            (
                json!({ "start_line": 11 }),
                "Pull request review thread start line must precede the end line.",
            ),
            (
                json!({ "start_line": 12 }),
                "Pull request review thread start line must precede the end line.",
            ),
            (
                json!({ "start_line": 10, "line": 21 }),
                "Pull request review thread start line must be part of the same hunk as the line.",
            ),
        ] {
            let mut comment = json!({ "path": "Dockerfile", "line": 11, "body": "x" });
            comment
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            let answer = post_review(
                &gh,
                WRITER,
                &json!({ "event": "COMMENT", "comments": [comment] }),
            );
            assert_eq!(answer.status, 422, "{extra}");
            assert_eq!(answer.refusal(), reason, "{extra}");
        }
        assert!(gh.reviews(REPO, 1).is_empty());
        assert!(gh.review_comments(REPO, 1).is_empty());
    }

    #[test]
    fn malformed_reviews_are_refused_in_githubs_words() {
        let gh = fake();
        gh.set_pull_head(REPO, 1, "feedfacefeedfacefeedfacefeedfacefeedface");
        let raw = send(
            &gh,
            "POST",
            "/repos/octo/app/pulls/1/reviews",
            WRITER,
            "application/json",
            "{not json",
        );
        assert_eq!(
            (raw.status, raw.json()["message"].clone()),
            (400, json!("Problems parsing JSON"))
        );
        for (review, message) in [
            (
                json!({ "body": 1 }),
                "Invalid request.\n\nFor 'properties/body', 1 is not a string.",
            ),
            (
                json!({ "comments": { "0": {} } }),
                "Invalid request.\n\nFor 'properties/comments', {\"0\" => {...}} is not an array.",
            ),
            (
                json!({ "event": "COMMENT", "comments": [{ "line": 11, "body": "x" }] }),
                "Invalid request.\n\n\"path\" wasn't supplied.",
            ),
            (
                json!({ "event": "COMMENT", "comments": [{ "path": "Dockerfile", "line": "11", "body": "x" }] }),
                "Invalid request.\n\nFor 'properties/line', \"11\" is not an integer.",
            ),
            (
                json!({ "event": "COMMENT", "comments": [{ "path": "Dockerfile", "line": 11, "start_line": null, "body": "x" }] }),
                "Invalid request.\n\nFor 'properties/start_line', nil is not an integer.",
            ),
            (
                json!({ "event": "COMMENT", "comments": [{ "path": "Dockerfile", "line": 11, "side": "R", "body": "x" }] }),
                "Invalid request.\n\nR is not a member of [\"LEFT\", \"RIGHT\"].",
            ),
        ] {
            let answer = post_review(&gh, WRITER, &review);
            assert_eq!(answer.status, 422, "{review}");
            assert_eq!(answer.json()["message"], message, "{review}");
        }
        for (review, reason) in [
            (
                json!({ "event": "LGTM", "body": "b" }),
                "Variable $event of type PullRequestReviewEvent was provided invalid value",
            ),
            (json!({ "event": "COMMENT" }), "Body can't be blank"),
            (
                json!({ "event": "REQUEST_CHANGES", "body": "" }),
                "Body can't be blank",
            ),
            (
                json!({ "event": "APPROVE", "commit_id": "0000000000000000000000000000000000000000" }),
                "The commitOID is not part of the pull request",
            ),
        ] {
            let answer = post_review(&gh, WRITER, &review);
            assert_eq!(answer.status, 422, "{review}");
            assert_eq!(answer.refusal(), reason, "{review}");
        }
        assert!(gh.reviews(REPO, 1).is_empty());

        // An approval needs no body; a review without an event is pending, one at a time, and on
        // the head commit.
        let approved = post_review(&gh, WRITER, &json!({ "event": "APPROVE" }));
        assert_eq!(
            (approved.status, approved.json()["state"].clone()),
            (200, json!("APPROVED"))
        );
        let pending = post_review(
            &gh,
            WRITER,
            &json!({ "comments": [{ "path": "Dockerfile", "position": 3, "body": "p" }] }),
        );
        assert_eq!(pending.status, 200, "{}", pending.body);
        let pending = pending.json();
        assert_eq!(pending["state"], "PENDING");
        assert!(pending.get("submitted_at").is_none());
        assert_eq!(
            pending["commit_id"],
            "feedfacefeedfacefeedfacefeedfacefeedface"
        );
        let comment = &gh.review_comments(REPO, 1)[0];
        assert_eq!(
            (comment.line, comment.side.as_str(), comment.position),
            (11, "RIGHT", Some(3))
        );
        let again = post_review(&gh, WRITER, &json!({}));
        assert_eq!(
            again.refusal(),
            "User can only have one pending review per pull request"
        );
        let reviews = gh.reviews(REPO, 1);
        assert_eq!(
            reviews
                .iter()
                .map(|r| (r.state.as_str(), r.submitted_at.is_some()))
                .collect::<Vec<_>>(),
            [("APPROVED", true), ("PENDING", false)]
        );
        assert_eq!(
            reviews[1].commit_id,
            "feedfacefeedfacefeedfacefeedfacefeedface"
        );
        // Nobody else sees a pending review or its comments.
        gh.add_token("ghp_other", "octocat", TokenKind::User);
        assert_eq!(
            get(&gh, "/repos/octo/app/pulls/1/comments", "ghp_other").json(),
            json!([])
        );
        assert_eq!(
            get(&gh, "/repos/octo/app/pulls/1/reviews", "ghp_other")
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_read_only_token_reads_but_writes_no_review() {
        let gh = fake();
        let seeded = gh.seed_review_comment(REPO, 1, "Dockerfile", 11, "earlier", "octocat");
        let answer = post_review(
            &gh,
            READER,
            &json!({ "event": "COMMENT", "comments": [{ "path": "Dockerfile", "line": 11, "body": "x" }] }),
        );
        assert_eq!(answer.status, 403);
        assert_eq!(
            answer.json()["message"],
            "Resource not accessible by integration"
        );
        assert_eq!(
            gh.reviews(REPO, 1).len(),
            1,
            "the seeded comment's own review only"
        );
        let comments = gh.review_comments(REPO, 1);
        assert_eq!(comments.len(), 1);
        assert_eq!(
            (comments[0].id, comments[0].login.as_str()),
            (seeded, "octocat")
        );

        let listed = get(&gh, "/repos/octo/app/pulls/1/comments", READER);
        assert_eq!(listed.status, 200);
        let listed = listed.json();
        assert_eq!(listed[0]["id"], seeded);
        assert_eq!(listed[0]["body"], "earlier");
        assert_eq!(listed[0]["user"]["login"], "octocat");
        assert_eq!(listed[0]["user"]["type"], "User");
        assert_eq!(listed[0]["pull_request_review_id"], comments[0].review_id);
        assert_eq!(
            get(&gh, "/repos/octo/app/pulls/1/files", READER).status,
            200
        );
        assert_eq!(
            gh.requests()
                .iter()
                .map(|r| (r.line(), r.status))
                .collect::<Vec<_>>(),
            [
                ("POST /repos/octo/app/pulls/1/reviews".to_string(), 403),
                ("GET /repos/octo/app/pulls/1/comments".to_string(), 200),
                ("GET /repos/octo/app/pulls/1/files".to_string(), 200),
            ]
        );
    }

    #[test]
    fn contents_raw_as_json_and_not_found() {
        let gh = FakeGithub::start();
        gh.add_token(READER, "", TokenKind::ReadOnlyApp);
        let base_sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
        let text = "FROM cgr.dev/chainguard/python:latest-dev\nRUN pip install flask\nUSER 65532\n";
        gh.add_file(REPO, base_sha, "app/Dockerfile", text);
        gh.add_file(REPO, "main", "Dockerfile", "FROM scratch\n");

        for accept in [
            "application/vnd.github.raw+json",
            "application/vnd.github.raw",
        ] {
            let raw = send(
                &gh,
                "GET",
                &format!("/repos/octo/app/contents/app/Dockerfile?ref={base_sha}"),
                READER,
                accept,
                "",
            );
            assert_eq!(raw.status, 200, "{accept}: {}", raw.body);
            assert_eq!(raw.body, text);
            assert_eq!(
                raw.header("Content-Type"),
                Some("text/plain; charset=utf-8")
            );
        }

        let object = get(
            &gh,
            &format!("/repos/octo/app/contents/app/Dockerfile?ref={base_sha}"),
            READER,
        );
        assert_eq!(object.status, 200);
        let object = object.json();
        let content = object["content"].as_str().expect("content");
        assert_eq!(
            content,
            "RlJPTSBjZ3IuZGV2L2NoYWluZ3VhcmQvcHl0aG9uOmxhdGVzdC1kZXYKUlVO\n\
             IHBpcCBpbnN0YWxsIGZsYXNrClVTRVIgNjU1MzIK\n"
        );
        assert_eq!(
            (
                object["type"].clone(),
                object["encoding"].clone(),
                object["name"].clone(),
                object["path"].clone(),
                object["size"].clone()
            ),
            (
                json!("file"),
                json!("base64"),
                json!("Dockerfile"),
                json!("app/Dockerfile"),
                json!(text.len())
            )
        );
        assert_eq!(object["sha"], blob_sha(text));

        // The default branch, a branch ref, an encoded path, a directory.
        let default = send(
            &gh,
            "GET",
            "/repos/octo/app/contents/Dockerfile",
            READER,
            "application/vnd.github.raw",
            "",
        );
        assert_eq!(default.body, "FROM scratch\n");
        let by_ref = send(
            &gh,
            "GET",
            "/repos/octo/app/contents/Dockerfile?ref=refs%2Fheads%2Fmain",
            READER,
            "application/vnd.github.raw",
            "",
        );
        assert_eq!(by_ref.body, "FROM scratch\n");
        let encoded = send(
            &gh,
            "GET",
            &format!("/repos/octo/app/contents/app%2FDockerfile?ref={base_sha}"),
            READER,
            "application/vnd.github.raw",
            "",
        );
        assert_eq!(encoded.body, text);
        let dir = get(
            &gh,
            &format!("/repos/octo/app/contents/app?ref={base_sha}"),
            READER,
        )
        .json();
        assert_eq!(dir[0]["path"], "app/Dockerfile");

        let missing = get(
            &gh,
            &format!("/repos/octo/app/contents/Makefile?ref={base_sha}"),
            READER,
        );
        assert_eq!(
            (missing.status, missing.json()["message"].clone()),
            (404, json!("Not Found"))
        );
        let no_ref = send(
            &gh,
            "GET",
            "/repos/octo/app/contents/Dockerfile?ref=nope",
            READER,
            "application/vnd.github.raw",
            "",
        );
        assert_eq!(
            (no_ref.status, no_ref.json()["message"].clone()),
            (404, json!("No commit found for the ref nope"))
        );
        let no_repo = get(&gh, "/repos/octo/other/contents/Dockerfile", READER);
        assert_eq!(no_repo.status, 404);

        // The raw media type is for contents only.
        let user = send(
            &gh,
            "GET",
            "/user",
            READER,
            "application/vnd.github.raw",
            "",
        );
        assert_eq!(user.status, 415);
    }

    #[test]
    fn sha1_and_base64_match_known_values() {
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            sha1_hex(&[b'a'; 1000]),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
        assert_eq!(
            blob_sha("hello world\n"),
            "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"
        );
        assert_eq!(base64_lines(b""), "");
        assert_eq!(base64_lines(b"f"), "Zg==\n");
        assert_eq!(base64_lines(b"fo"), "Zm8=\n");
        assert_eq!(base64_lines(b"foo"), "Zm9v\n");
        assert_eq!(base64_lines(&[0u8; 45]), format!("{}\n", "A".repeat(60)));
    }
}
