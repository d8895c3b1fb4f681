//! GitHub pull-request comments through octocrab: ONE comment per key, found among the pull
//! request's comments by a hidden marker and by its author, updated in place, else created.
//!
//! The request sequence (see docs/github.md):
//!
//! 1. `GET /user`: the token's own login. An installation token (Actions' `GITHUB_TOKEN`, a
//!    GitHub App's) gets `403`; then comments by any bot account (`user.type == "Bot"`) match.
//! 2. `GET /repos/{owner}/{repo}/issues/{pr}/comments?per_page=100`, then each `Link: rel="next"`
//!    page until the first comment with the marker by that author.
//! 3. `PATCH /repos/{owner}/{repo}/issues/comments/{id}` when found and different, else
//!    `POST /repos/{owner}/{repo}/issues/{pr}/comments`.
//!
//! Octocrab retries 5xx answers and transport errors three times, POST included, which could
//! create a comment twice when GitHub stored it but the answer was lost. So the POST goes through
//! a client without retries; when its outcome is unknown (5xx, transport error), the comments are
//! listed again before one more attempt.
//!
//! No error message ever contains the token: octocrab never formats it, and every message built
//! here goes through [`Client::mask`].

use minicheck_core::redact::redact;
use octocrab::Octocrab;
use octocrab::Page;
use octocrab::service::middleware::retry::RetryConfig;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// GitHub rejects comment bodies longer than this many characters.
pub const MAX_BODY_CHARS: usize = 65_536;

/// Comments per page: GitHub's maximum.
const PER_PAGE: &str = "100";

/// A pull request with more pages of comments than this is not searched further.
const MAX_PAGES: usize = 1_000;

/// The pull request whose comment is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub owner: String,
    pub repo: String,
    pub number: u64,
}

impl fmt::Display for PullRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}#{}", self.owner, self.repo, self.number)
    }
}

/// An issue comment, as much of it as is needed (GitHub sends many more fields).
#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub html_url: Option<String>,
}

/// A comment's author, or the token's own account.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub login: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// Whose comments may be updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// The token's own login, from `GET /user`.
    Login(String),
    /// `GET /user` is forbidden to installation tokens: any bot account's comment.
    AnyBot,
}

impl Author {
    fn wrote(&self, comment: &Comment) -> bool {
        let Some(user) = &comment.user else {
            return false;
        };
        match self {
            Author::Login(login) => user.login.eq_ignore_ascii_case(login),
            Author::AnyBot => user.kind == "Bot",
        }
    }
}

impl fmt::Display for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Author::Login(login) => write!(f, "{login}"),
            Author::AnyBot => write!(f, "a bot account (installation token)"),
        }
    }
}

/// What the upsert did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created {
        id: u64,
        url: String,
    },
    Updated {
        id: u64,
        url: String,
    },
    /// The comment already had exactly this body: nothing was sent.
    Unchanged {
        id: u64,
        url: String,
    },
}

/// The step a request belonged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Identify,
    List,
    Create,
    Update,
}

impl Step {
    fn describe(self) -> &'static str {
        match self {
            Step::Identify => "looking up the token's account (GET /user)",
            Step::List => "listing the pull request's comments",
            Step::Create => "creating the comment",
            Step::Update => "updating the comment",
        }
    }
}

/// A request that failed: GitHub's answer, or no answer at all.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub step: Step,
    /// The HTTP status, when GitHub answered.
    pub status: Option<u16>,
    /// Its reason phrase (`Forbidden`).
    pub reason: &'static str,
    /// GitHub's `message` (or the transport error), with any token masked.
    pub message: String,
    /// A 403 or 429 that is a rate limit rather than a permission.
    pub rate_limited: bool,
}

impl ApiError {
    /// The token may read but not write (pull requests from forks, Dependabot, a workflow
    /// without `pull-requests: write`), or cannot see the pull request: a write answered 403 or
    /// 404, or the listing answered 403.
    pub fn is_permission(&self) -> bool {
        if self.rate_limited {
            return false;
        }
        matches!(
            (self.step, self.status),
            (Step::Create | Step::Update, Some(403 | 404)) | (Step::List, Some(403))
        )
    }

    /// The request may have been carried out although no good answer came back.
    fn outcome_unknown(&self) -> bool {
        self.status.is_none_or(|s| s >= 500)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(status) = self.status else {
            return write!(f, "{} while {}", self.message, self.step.describe());
        };
        write!(f, "GitHub answered {status}")?;
        if !self.reason.is_empty() {
            write!(f, " {}", self.reason)?;
        }
        if status >= 500 && self.step != Step::Create {
            write!(f, " (after 3 retries)")?;
        }
        write!(f, " when {}: {}", self.step.describe(), self.message)?;
        match status {
            401 => write!(
                f,
                " (the token is invalid or expired: check GITHUB_TOKEN or GH_TOKEN)"
            ),
            403 | 404 if self.is_permission() => write!(
                f,
                " (the token cannot write to this pull request: it needs `pull-requests: \
                 write`, and pull requests from forks and Dependabot only get a read-only token)"
            ),
            404 => write!(
                f,
                " (check the repository and pull request number, and that the token can see them)"
            ),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// The REST client for one API URL and token.
pub struct Client {
    /// Reads and PATCH (idempotent): octocrab's default retries.
    crab: Octocrab,
    /// POST: no retries (see the module documentation).
    crab_once: Octocrab,
    api_url: String,
    token: String,
}

impl Client {
    /// A client for `api_url` (`https://api.github.com`, or `https://HOST/api/v3` for GitHub
    /// Enterprise Server). Must be called inside a tokio runtime.
    pub fn new(api_url: &str, token: &str) -> Result<Client, String> {
        let api_url = api_url.trim_end_matches('/').to_string();
        let build = |retry: RetryConfig| -> Result<Octocrab, String> {
            Octocrab::builder()
                .base_uri(api_url.as_str())
                .map_err(|e| format!("invalid API URL {api_url:?}: {}", error_chain(&e)))?
                .personal_token(token.to_string())
                // `http` is not a dependency of ours: the header name is parsed into octocrab's
                // `http::HeaderName` by inference.
                .add_header(
                    "accept".parse().expect("a valid header name"),
                    "application/vnd.github+json".to_string(),
                )
                .add_retry_config(retry)
                .set_connect_timeout(Some(Duration::from_secs(15)))
                .set_read_timeout(Some(Duration::from_secs(60)))
                .set_write_timeout(Some(Duration::from_secs(60)))
                .build()
                .map_err(|e| format!("cannot set up the GitHub client: {}", error_chain(&e)))
        };
        let crab = build(RetryConfig::Simple(3))?;
        let crab_once = build(RetryConfig::None)?;
        Ok(Client {
            crab,
            crab_once,
            api_url,
            token: token.to_string(),
        })
    }

    /// Masks tokens in text: GitHub's token formats (by prefix) and this client's token.
    pub fn mask(&self, text: &str) -> String {
        mask(text, &self.token)
    }

    fn error(&self, step: Step, error: octocrab::Error) -> ApiError {
        match error {
            octocrab::Error::GitHub { source, .. } => {
                let status = source.status_code.as_u16();
                let remaining = source
                    .headers
                    .as_ref()
                    .and_then(|h| h.get("x-ratelimit-remaining"))
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let rate_limited = matches!(status, 403 | 429)
                    && (remaining.as_deref() == Some("0")
                        || source.message.to_ascii_lowercase().contains("rate limit"));
                let mut message = source.message.trim().to_string();
                if let Some(errors) = source.errors.as_ref().filter(|e| !e.is_empty()) {
                    let details: Vec<String> = errors
                        .iter()
                        .map(|e| {
                            e.get("message")
                                .and_then(|m| m.as_str())
                                .map(str::to_string)
                                .unwrap_or_else(|| e.to_string())
                        })
                        .collect();
                    message = format!("{message} ({})", details.join("; "));
                }
                ApiError {
                    step,
                    status: Some(status),
                    reason: source.status_code.canonical_reason().unwrap_or(""),
                    message: self.mask(&message),
                    rate_limited,
                }
            }
            other => ApiError {
                step,
                status: None,
                reason: "",
                message: self.mask(&format!(
                    "no answer from {} ({})",
                    self.api_url,
                    error_chain(&other)
                )),
                rate_limited: false,
            },
        }
    }

    /// The token's own account. `403` (installation tokens may not read `/user`) means any bot.
    pub async fn author(&self) -> Result<Author, ApiError> {
        match self.crab.get::<User, _, ()>("/user", None).await {
            Ok(user) => Ok(Author::Login(user.login)),
            Err(e) => {
                let e = self.error(Step::Identify, e);
                if e.status == Some(403) && !e.rate_limited {
                    Ok(Author::AnyBot)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// The oldest comment on `pr` that contains `marker` and was written by `author`, following
    /// the pages of 100 (`Link: rel="next"`) until it is found.
    pub async fn find(
        &self,
        pr: &PullRequest,
        marker: &str,
        author: &Author,
    ) -> Result<Option<Comment>, ApiError> {
        let route = format!(
            "/repos/{}/{}/issues/{}/comments",
            pr.owner, pr.repo, pr.number
        );
        let mut page: Page<Comment> = self
            .crab
            .get(route, Some(&[("per_page", PER_PAGE)]))
            .await
            .map_err(|e| self.error(Step::List, e))?;
        for _ in 0..MAX_PAGES {
            let found = page
                .items
                .iter()
                .find(|c| author.wrote(c) && c.body.as_deref().is_some_and(|b| b.contains(marker)));
            if let Some(found) = found {
                return Ok(Some(found.clone()));
            }
            match self
                .crab
                .get_page::<Comment>(&page.next)
                .await
                .map_err(|e| self.error(Step::List, e))?
            {
                Some(next) => page = next,
                None => return Ok(None),
            }
        }
        Err(ApiError {
            step: Step::List,
            status: None,
            reason: "",
            message: format!("the pull request has more than {MAX_PAGES} pages of comments"),
            rate_limited: false,
        })
    }

    /// `POST /repos/{owner}/{repo}/issues/{pr}/comments`, once.
    async fn create(&self, pr: &PullRequest, body: &str) -> Result<Comment, ApiError> {
        let route = format!(
            "/repos/{}/{}/issues/{}/comments",
            pr.owner, pr.repo, pr.number
        );
        self.crab_once
            .post(route, Some(&serde_json::json!({ "body": body })))
            .await
            .map_err(|e| self.error(Step::Create, e))
    }

    /// `PATCH /repos/{owner}/{repo}/issues/comments/{id}`. (Octocrab 0.54's
    /// `issues().update_comment` sends POST to this URL; GitHub documents PATCH.)
    async fn update(&self, pr: &PullRequest, id: u64, body: &str) -> Result<Comment, ApiError> {
        let route = format!("/repos/{}/{}/issues/comments/{id}", pr.owner, pr.repo);
        self.crab
            .patch(route, Some(&serde_json::json!({ "body": body })))
            .await
            .map_err(|e| self.error(Step::Update, e))
    }

    /// Updates the comment with `marker` by the token's account, else creates it. Never leaves
    /// two: a create whose outcome is unknown is checked by listing again before it is retried.
    pub async fn upsert(
        &self,
        pr: &PullRequest,
        marker: &str,
        body: &str,
    ) -> Result<Outcome, ApiError> {
        let author = self.author().await?;
        if let Some(existing) = self.find(pr, marker, &author).await? {
            return self.refresh(pr, existing, body).await;
        }
        match self.create(pr, body).await {
            Ok(created) => Ok(created_outcome(created)),
            Err(e) if e.outcome_unknown() => {
                // GitHub may have stored the comment before the answer was lost.
                if let Some(existing) = self.find(pr, marker, &author).await? {
                    return match self.refresh(pr, existing, body).await? {
                        Outcome::Unchanged { id, url } => Ok(Outcome::Created { id, url }),
                        other => Ok(other),
                    };
                }
                self.create(pr, body).await.map(created_outcome)
            }
            Err(e) => Err(e),
        }
    }

    async fn refresh(
        &self,
        pr: &PullRequest,
        existing: Comment,
        body: &str,
    ) -> Result<Outcome, ApiError> {
        let url = existing.html_url.clone().unwrap_or_default();
        if existing.body.as_deref() == Some(body) {
            return Ok(Outcome::Unchanged {
                id: existing.id,
                url,
            });
        }
        let updated = self.update(pr, existing.id, body).await?;
        Ok(Outcome::Updated {
            id: updated.id,
            url: updated.html_url.unwrap_or(url),
        })
    }
}

fn created_outcome(comment: Comment) -> Outcome {
    Outcome::Created {
        id: comment.id,
        url: comment.html_url.unwrap_or_default(),
    }
}

/// Masks GitHub and registry tokens (by their prefixes) and, whatever its form, `token` itself.
pub fn mask(text: &str, token: &str) -> String {
    let masked = redact(text).into_owned();
    let token = token.trim();
    if token.len() >= 4 {
        masked.replace(token, &"*".repeat(token.len()))
    } else {
        masked
    }
}

/// An error and its sources, `: `-separated, without repeats.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_any_token() {
        assert_eq!(mask("bad ghp_abcdef123456", "x"), "bad ghp_************");
        assert_eq!(
            mask("token=plain-secret-value here", "plain-secret-value"),
            "token=****************** here"
        );
    }

    #[test]
    fn permission_errors_are_writes_answered_403_or_404() {
        let e = |step, status, rate_limited| ApiError {
            step,
            status: Some(status),
            reason: "",
            message: String::new(),
            rate_limited,
        };
        assert!(e(Step::Create, 403, false).is_permission());
        assert!(e(Step::Update, 404, false).is_permission());
        assert!(e(Step::List, 403, false).is_permission());
        assert!(!e(Step::Create, 403, true).is_permission());
        assert!(!e(Step::Identify, 401, false).is_permission());
        assert!(!e(Step::List, 404, false).is_permission());
        assert!(!e(Step::Create, 500, false).is_permission());
    }

    #[test]
    fn authors() {
        let comment = |login: &str, kind: &str| Comment {
            id: 1,
            body: None,
            user: Some(User {
                login: login.into(),
                kind: kind.into(),
            }),
            html_url: None,
        };
        let me = Author::Login("octo".into());
        assert!(me.wrote(&comment("Octo", "User")));
        assert!(!me.wrote(&comment("someone", "User")));
        assert!(Author::AnyBot.wrote(&comment("github-actions[bot]", "Bot")));
        assert!(Author::AnyBot.wrote(&comment("my-app[bot]", "Bot")));
        assert!(!Author::AnyBot.wrote(&comment("github-actions", "User")));
    }
}
