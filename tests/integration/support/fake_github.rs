//! A stand-in for GitHub's REST API on 127.0.0.1: the few endpoints `minicheck comment` uses,
//! answered as GitHub answers them, and every request recorded for the tests to inspect.
//!
//! - `GET /user`; `GET` and `POST /repos/{owner}/{repo}/issues/{n}/comments` (also under
//!   `/repositories/{id}/…`, the form GitHub's `Link` headers use); `GET` and `PATCH
//!   /repos/{owner}/{repo}/issues/comments/{id}`. Any other method or path: `404 Not Found`.
//! - No `User-Agent`: `403` with GitHub's plain-text refusal. An `Accept` that is not JSON:
//!   `415`. No `Authorization`: `401 Requires authentication`; a scheme other than `Bearer` or
//!   `token`, or an unknown token: `401 Bad credentials`.
//! - Lists are paged as GitHub pages them (`per_page` default 30, at most 100; `page` from 1),
//!   with a real `Link` header (`next`, `last`, `first`, `prev`).
//! - Writes take a JSON object with a string `body` (`400 Problems parsing JSON`, `422`
//!   otherwise, and `422 Validation Failed` above 65,536 characters). Ids count up; each write
//!   moves `updated_at`.
//! - Tokens: a user's (`/user` answers its login), an installation token (`/user` answers
//!   `403 Resource not accessible by integration`; writes as `github-actions[bot]`), or a
//!   read-only installation token (also `403 Resource not accessible by integration` on every
//!   write, as for pull requests from forks and Dependabot).
//! - Faults: every request answered `502`; or the next comment creation stored but answered
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
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn json(status: u16, body: serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: body.to_string(),
        }
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
             X-GitHub-Media-Type: github.v3; format=json\r\nX-GitHub-Api-Version-Selected: \
             2022-11-28\r\nX-RateLimit-Limit: 5000\r\nX-RateLimit-Remaining: 4990\r\n\
             X-RateLimit-Resource: core\r\n",
            self.status,
            self.content_type,
            self.body.len()
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
            headers: Vec::new(),
            body: "Request forbidden by administrative rules. Please make sure your request has \
                   a User-Agent header (https://docs.github.com/en/rest/overview/\
                   resources-in-the-rest-api#user-agent-required). Check \
                   https://developer.github.com for other possible causes.\n"
                .into(),
        };
    }
    if let Some(accept) = request.header("accept")
        && !accept.contains("json")
        && !accept.contains("*/*")
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
    let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
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
            let all: Vec<Comment> = state
                .comments
                .values()
                .filter(|c| c.repo == repo.full_name && c.issue == number)
                .cloned()
                .collect();
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
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|c| comment_json(c, base))
                .collect();
            let mut response = Response::json(200, serde_json::Value::Array(items));
            // GitHub's links name the repository by id.
            let link = |page: usize, rel: &str| {
                format!(
                    "<{base}/repositories/{}/issues/{number}/comments?per_page={per_page}&page={page}>; rel=\"{rel}\"",
                    repo.id
                )
            };
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

fn comment_json(comment: &Comment, base: &str) -> serde_json::Value {
    let account = Account {
        login: comment.login.clone(),
        id: if comment.user_type == "Bot" {
            41_898_282
        } else {
            2000 + comment.login.len() as u64
        },
        kind: if comment.user_type == "Bot" {
            "Bot"
        } else {
            "User"
        },
    };
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
        "reactions": {
            "url": format!("{base}/repos/{repo}/issues/comments/{}/reactions", comment.id),
            "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
            "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
        },
        "performed_via_github_app": null,
    })
}
