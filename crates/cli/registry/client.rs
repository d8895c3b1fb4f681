//! One registry host: an `oci-client` client with its credentials, and the few requests
//! minicheck makes, each with a timeout, bounded retries on 429 and 5xx, and a size cap. Bodies
//! are verified against their digests here and read by the core by the caller.

use super::cache::{Cache, Kind};
use super::credentials;
use super::{MAX_RETRY_DELAY, RegistryError, RegistryOptions};
use minicheck_core::oci::{self, Descriptor};
use minicheck_core::redact::redact;
use oci_client::Reference;
use oci_client::client::{ClientConfig, ClientProtocol, LayerDescriptor};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

const USER_AGENT: &str = concat!("minicheck/", env!("CARGO_PKG_VERSION"));
/// Longest server message kept in an error.
const MAX_MESSAGE: usize = 300;

/// Why a request failed, before it is tied to an image.
#[derive(Debug, Clone)]
pub(crate) enum Fail {
    /// 401, or 403 / `DENIED` when `denied`.
    Unauthorized {
        denied: bool,
    },
    /// 404, with what was not found when it is more than the reference.
    NotFound(Option<String>),
    /// Another status: 429 and 5xx after every retry, or one that is not retried.
    Status {
        status: u16,
        attempts: u32,
        message: String,
    },
    Timeout(Duration),
    TooLarge {
        what: String,
        limit: u64,
    },
    Invalid(String),
    Transport(String),
}

impl From<oci::OciError> for Fail {
    fn from(e: oci::OciError) -> Self {
        match e {
            oci::OciError::TooLarge { size, limit } => Fail::TooLarge {
                what: format!("the manifest ({size} bytes)"),
                limit: limit as u64,
            },
            other => Fail::Invalid(other.to_string()),
        }
    }
}

impl Fail {
    /// The user's error: names the image and the registry, says what to do, and holds no
    /// secret (tokens in paths masked, the password scrubbed).
    pub(crate) fn into_error(
        self,
        image: &str,
        registry: &str,
        host: Option<&Host>,
    ) -> RegistryError {
        let image = image.to_string();
        let clean = |s: String| -> String {
            let s = match host {
                Some(h) => h.scrub(&s),
                None => s,
            };
            redact(&s).into_owned()
        };
        let credentials = host.and_then(|h| h.credentials.as_deref());
        let login = format!(
            "log in with `docker login {registry}` or set MINICHECK_REGISTRY_USER and \
             MINICHECK_REGISTRY_PASSWORD"
        );
        match self {
            Fail::Unauthorized { denied: false } => {
                let mut detail = match credentials {
                    None => {
                        format!("{registry} requires credentials to pull this image (401): {login}")
                    }
                    Some(source) => format!(
                        "{registry} refused the credentials from {source} (401): check them, or \
                         {login}"
                    ),
                };
                if let Some(note) = host.and_then(|h| h.note.as_deref()) {
                    detail.push_str(&format!(" ({note})"));
                }
                RegistryError::Unauthorized {
                    image,
                    detail: clean(detail),
                }
            }
            Fail::Unauthorized { denied: true } => {
                let who = match credentials {
                    None => "anonymous pulls".to_string(),
                    Some(source) => format!("the account from {source}"),
                };
                RegistryError::Unauthorized {
                    image,
                    detail: clean(format!(
                        "{registry} denied access to this repository (403) for {who}: check that \
                         the account may pull it, or {login}"
                    )),
                }
            }
            Fail::NotFound(what) => {
                let detail = match what {
                    Some(what) => format!("{what} (on {registry})"),
                    None => {
                        let mut d = format!(
                            "not found on {registry} (404): check the repository, tag and digest"
                        );
                        if credentials.is_none() {
                            d.push_str("; a private repository may also need credentials");
                        }
                        d
                    }
                };
                RegistryError::NotFound {
                    image,
                    detail: clean(detail),
                }
            }
            Fail::Status {
                status: 429,
                attempts,
                ..
            } => RegistryError::RateLimited {
                image,
                detail: clean(format!(
                    "{registry} is limiting requests (429) and still was after {attempts} \
                     attempt{}: wait a while and try again{}",
                    plural(attempts),
                    if credentials.is_none() {
                        "; logging in raises the limit on most registries"
                    } else {
                        ""
                    }
                )),
                attempts,
            },
            Fail::Status {
                status,
                attempts,
                message,
            } => {
                let what = if status >= 500 {
                    format!(
                        "{registry} failed with {status} after {attempts} attempt{}: the registry \
                         is having trouble; try again later",
                        plural(attempts)
                    )
                } else {
                    format!("{registry} answered {status}")
                };
                let detail = if message.trim().is_empty() {
                    what
                } else {
                    format!("{what} (it said: {})", shorten(message.trim()))
                };
                RegistryError::Server {
                    image,
                    detail: clean(detail),
                    status,
                    attempts,
                }
            }
            Fail::Timeout(limit) => RegistryError::Timeout {
                image,
                detail: clean(format!(
                    "{registry} did not answer within {} s: try again, or allow more time with \
                     --registry-timeout",
                    trim_float(limit.as_secs_f64())
                )),
                seconds: limit.as_secs_f64(),
            },
            Fail::TooLarge { what, limit } => RegistryError::TooLarge {
                image,
                detail: clean(format!(
                    "{what} from {registry} is larger than the {limit} bytes minicheck reads"
                )),
                limit,
            },
            Fail::Invalid(message) => RegistryError::Invalid {
                image,
                detail: clean(format!("{registry} sent an unusable answer: {message}")),
            },
            Fail::Transport(message) => {
                let mut detail = format!("cannot reach {registry}: {message}");
                if host.is_some_and(|h| !h.plain_http) && looks_like_tls(&message) {
                    detail.push_str(&format!(
                        "; if it serves plain HTTP, pass --insecure-registry {registry}"
                    ));
                }
                RegistryError::Transport {
                    image,
                    detail: clean(detail),
                }
            }
        }
    }

    /// Text for an SBOM that could not be fetched (the image itself is fine).
    pub(crate) fn describe(self, registry: &str, host: &Host) -> String {
        self.into_error("", registry, Some(host))
            .detail()
            .to_string()
    }
}

/// Whether a transport error looks like HTTPS spoken to a plain-HTTP server (or a certificate
/// problem), where `--insecure-registry` may be the answer.
fn looks_like_tls(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "tls",
        "ssl",
        "certificate",
        "corrupt message",
        "handshake",
        "invalidcontenttype",
    ]
    .iter()
    .any(|k| m.contains(k))
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// What `oci-client` reported, as a [`Fail`] (attempts still 1).
fn classify(e: OciDistributionError) -> Fail {
    let status = |status: u16, message: String| Fail::Status {
        status,
        attempts: 1,
        message,
    };
    match e {
        OciDistributionError::UnauthorizedError { .. } => Fail::Unauthorized { denied: false },
        // The token endpoint refused the credentials.
        OciDistributionError::AuthenticationFailure(_) => Fail::Unauthorized { denied: false },
        OciDistributionError::RegistryError { envelope, .. } => {
            let first = envelope.errors.first();
            let message = first.map(|e| e.message.clone()).unwrap_or_default();
            match first.map(|e| &e.code) {
                Some(
                    OciErrorCode::ManifestUnknown
                    | OciErrorCode::NameUnknown
                    | OciErrorCode::BlobUnknown
                    | OciErrorCode::NotFound,
                ) => Fail::NotFound(None),
                Some(OciErrorCode::Unauthorized) => Fail::Unauthorized { denied: false },
                Some(OciErrorCode::Denied) => Fail::Unauthorized { denied: true },
                Some(OciErrorCode::Toomanyrequests) => status(429, message),
                Some(code) => Fail::Invalid(format!("{code:?}: {}", shorten(&message))),
                None => Fail::Invalid("an error without details".to_string()),
            }
        }
        OciDistributionError::ServerError { code, message, .. } => match code {
            401 => Fail::Unauthorized { denied: false },
            403 => Fail::Unauthorized { denied: true },
            404 => Fail::NotFound(None),
            _ => status(code, message),
        },
        OciDistributionError::RequestError(e) => {
            if e.is_timeout() {
                Fail::Timeout(Duration::ZERO)
            } else if e.is_body() || e.is_decode() {
                Fail::Invalid(format!(
                    "the answer was cut short or could not be read ({})",
                    chain(&e)
                ))
            } else {
                // Connection refused, DNS, TLS.
                Fail::Transport(chain(&e))
            }
        }
        OciDistributionError::IoError(e) => {
            if let Some(cap) = e.get_ref().and_then(|r| r.downcast_ref::<CapExceeded>()) {
                Fail::TooLarge {
                    what: "a blob".to_string(),
                    limit: cap.0,
                }
            } else {
                Fail::Transport(e.to_string())
            }
        }
        OciDistributionError::DigestError(e) => {
            Fail::Invalid(format!("the content does not match its digest ({e})"))
        }
        e @ (OciDistributionError::SpecViolationError(_)
        | OciDistributionError::ManifestParsingError(_)
        | OciDistributionError::VersionedParsingError(_)
        | OciDistributionError::UnsupportedMediaTypeError(_)
        | OciDistributionError::UnsupportedSchemaVersionError(_)
        | OciDistributionError::ManifestEncodingError(_)
        | OciDistributionError::JsonError(_)
        | OciDistributionError::RegistryTokenDecodeError(_)
        | OciDistributionError::HeaderValueError(_)) => Fail::Invalid(e.to_string()),
        other => Fail::Transport(other.to_string()),
    }
}

/// An error with its causes, as one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// The marker inside the I/O error [`CappedWriter`] returns.
#[derive(Debug)]
struct CapExceeded(u64);

impl std::fmt::Display for CapExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the body is larger than {} bytes", self.0)
    }
}

impl std::error::Error for CapExceeded {}

/// Collects a streamed body and fails as soon as it would pass `cap`, so no body larger than
/// the cap is ever held.
struct CappedWriter {
    bytes: Vec<u8>,
    cap: u64,
}

impl tokio::io::AsyncWrite for CappedWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.bytes.len() as u64 + buf.len() as u64 > this.cap {
            return Poll::Ready(Err(std::io::Error::other(CapExceeded(this.cap))));
        }
        this.bytes.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Whether `host` (`name[:port]`) is a loopback address: `localhost`, `127.0.0.0/8`, `[::1]`.
pub(crate) fn is_loopback(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, _)) => inside,
            None => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        }
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `--insecure-registry` values as written (`HOST[:PORT]`, tolerating a scheme and a trailing
/// slash), in the form references name registries.
pub(crate) fn normalize_host(value: &str) -> String {
    let v = value.trim();
    let v = v
        .strip_prefix("http://")
        .or_else(|| v.strip_prefix("https://"))
        .unwrap_or(v);
    v.trim_end_matches('/').to_ascii_lowercase()
}

/// The delay before retry number `retry` (1 for the first).
pub(crate) fn backoff(first: Duration, retry: u32) -> Duration {
    let factor = 1u32 << retry.saturating_sub(1).min(16);
    first.saturating_mul(factor).min(MAX_RETRY_DELAY)
}

/// One registry host's client.
pub(crate) struct Host {
    /// The registry as references name it (`reg.example.com`, `127.0.0.1:5000`, `docker.io`).
    name: String,
    client: oci_client::Client,
    auth: RegistryAuth,
    /// Where the credentials came from, for messages; `None` for anonymous pulls.
    credentials: Option<String>,
    /// Why credentials that were configured could not be used.
    note: Option<String>,
    /// Secrets to scrub from any message.
    secrets: Vec<String>,
    plain_http: bool,
}

/// The media types a manifest request accepts: the core's list.
fn accept() -> Vec<&'static str> {
    oci::ACCEPT_MANIFEST.split(", ").collect()
}

impl Host {
    pub(crate) fn new(name: &str, options: &RegistryOptions) -> Result<Host, Fail> {
        let plain_http =
            is_loopback(name) || options.insecure.iter().any(|h| normalize_host(h) == name);
        let found = credentials::lookup(&options.auth, name);
        let config = ClientConfig {
            protocol: if plain_http {
                // oci-client compares with the registry as it resolves it; only docker.io
                // resolves to another name, and it is never plain HTTP.
                ClientProtocol::HttpsExcept(vec![name.to_string()])
            } else {
                ClientProtocol::Https
            },
            read_timeout: Some(options.timeout),
            connect_timeout: Some(options.timeout.min(Duration::from_secs(10))),
            user_agent: USER_AGENT,
            ..ClientConfig::default()
        };
        let client = oci_client::Client::try_from(config)
            .map_err(|e| Fail::Transport(format!("cannot set up the HTTP client: {e}")))?;
        let (auth, secrets) = match &found.credentials {
            Some(c) => (
                RegistryAuth::Basic(c.username.clone(), c.password.clone()),
                vec![c.password.clone()],
            ),
            None => (RegistryAuth::Anonymous, Vec::new()),
        };
        Ok(Host {
            name: name.to_string(),
            client,
            auth,
            credentials: found.credentials.map(|c| c.source),
            note: found.note,
            secrets,
            plain_http,
        })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// `text` with every secret of this host replaced.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in self.secrets.iter().filter(|s| s.len() >= 3) {
            text = text.replace(secret.as_str(), "****");
        }
        text
    }

    fn reference_tag(&self, repo: &str, tag: &str) -> Reference {
        Reference::with_tag(self.name.clone(), repo.to_string(), tag.to_string())
    }

    fn reference_digest(&self, repo: &str, digest: &str) -> Reference {
        Reference::with_digest(self.name.clone(), repo.to_string(), digest.to_string())
    }

    /// Runs `op` with the options' timeout, retrying 429 and 5xx answers a bounded number of
    /// times with a doubling delay.
    async fn run<T, F, Fut>(
        &self,
        options: &RegistryOptions,
        reference: &Reference,
        mut op: F,
    ) -> Result<T, Fail>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, OciDistributionError>>,
    {
        // Requests that do not go through a manifest pull (blobs, referrers) need the
        // credentials stored first.
        self.client
            .store_auth_if_needed(reference.resolve_registry(), &self.auth)
            .await;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let fail = match tokio::time::timeout(options.timeout, op()).await {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(e)) => classify(e),
                Err(_) => Fail::Timeout(options.timeout),
            };
            match fail {
                Fail::Status {
                    status, message, ..
                } if status == 429 || status >= 500 => {
                    if attempts > options.retries {
                        return Err(Fail::Status {
                            status,
                            attempts,
                            message,
                        });
                    }
                    // oci-client does not hand back the answer's headers, so Retry-After
                    // cannot be read: the delay doubles from retry_delay, capped.
                    tokio::time::sleep(backoff(options.retry_delay, attempts)).await;
                }
                Fail::Timeout(_) => return Err(Fail::Timeout(options.timeout)),
                other => return Err(other),
            }
        }
    }

    /// The manifest or index a tag names, and its digest. With a cache, the tag is resolved
    /// with a `HEAD` (tags move: never cached) and the document read by digest, from the cache
    /// when it is there; without, one `GET`.
    pub(crate) async fn manifest_by_tag(
        &self,
        cache: Option<&Cache>,
        repo: &str,
        tag: &str,
        options: &RegistryOptions,
    ) -> Result<(Vec<u8>, String), Fail> {
        let reference = self.reference_tag(repo, tag);
        if cache.is_some() {
            let digest = self
                .run(options, &reference, || {
                    self.client.fetch_manifest_digest(&reference, &self.auth)
                })
                .await?;
            oci::validate_digest(&digest).map_err(Fail::from)?;
            let bytes = self
                .manifest_by_digest(cache, repo, &digest, None, options)
                .await?;
            return Ok((bytes, digest));
        }
        match self.manifest_at_tag(repo, tag, options).await? {
            Some(found) => Ok(found),
            None => Err(Fail::NotFound(None)),
        }
    }

    /// `GET` a manifest by tag, uncached; `None` on 404. The body is checked against
    /// `Docker-Content-Digest` when the registry sends it (by oci-client, and again here).
    pub(crate) async fn manifest_at_tag(
        &self,
        repo: &str,
        tag: &str,
        options: &RegistryOptions,
    ) -> Result<Option<(Vec<u8>, String)>, Fail> {
        let reference = self.reference_tag(repo, tag);
        let accept = accept();
        let result = self
            .run(options, &reference, || {
                self.client
                    .pull_manifest_raw(&reference, &self.auth, &accept)
            })
            .await;
        let (bytes, digest) = match result {
            Ok(found) => found,
            Err(Fail::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        check_document_size(bytes.len())?;
        if !oci::verify_digest(&bytes, &digest) {
            return Err(Fail::Invalid(format!(
                "the manifest for tag {tag} does not match its digest {digest}"
            )));
        }
        Ok(Some((bytes.to_vec(), digest)))
    }

    /// A manifest or index by digest, verified; from the cache when it is there, and stored in
    /// it when fetched. `descriptor`, when the document was found through one, gives the size
    /// and media type it must have.
    pub(crate) async fn manifest_by_digest(
        &self,
        cache: Option<&Cache>,
        repo: &str,
        digest: &str,
        descriptor: Option<&Descriptor>,
        options: &RegistryOptions,
    ) -> Result<Vec<u8>, Fail> {
        oci::validate_digest(digest).map_err(Fail::from)?;
        if let Some(d) = descriptor {
            check_document_size(usize::try_from(d.size).unwrap_or(usize::MAX))?;
        }
        if let Some(bytes) = cache.and_then(|c| c.get(Kind::Manifest, digest)) {
            return Ok(bytes);
        }
        let reference = self.reference_digest(repo, digest);
        let accept = accept();
        let (bytes, _) = self
            .run(options, &reference, || {
                self.client
                    .pull_manifest_raw(&reference, &self.auth, &accept)
            })
            .await?;
        check_document_size(bytes.len())?;
        if !oci::verify_digest(&bytes, digest) {
            return Err(Fail::Invalid(format!(
                "the manifest does not match its digest {digest}"
            )));
        }
        if let Some(d) = descriptor
            && bytes.len() as u64 != d.size
        {
            return Err(Fail::Invalid(format!(
                "the manifest {digest} is {} bytes, its descriptor says {}",
                bytes.len(),
                d.size
            )));
        }
        if let Some(cache) = cache {
            cache.put(Kind::Manifest, digest, &bytes);
        }
        Ok(bytes.to_vec())
    }

    /// A blob (an attestation or SBOM), streamed through a writer that stops past the cap,
    /// verified against its digest and size; cached.
    pub(crate) async fn blob(
        &self,
        cache: Option<&Cache>,
        repo: &str,
        descriptor: &Descriptor,
        options: &RegistryOptions,
    ) -> Result<Vec<u8>, Fail> {
        let digest = descriptor.digest.as_str();
        oci::validate_digest(digest).map_err(Fail::from)?;
        if descriptor.size > options.max_body {
            return Err(Fail::TooLarge {
                what: format!("the blob {digest} ({} bytes)", descriptor.size),
                limit: options.max_body,
            });
        }
        if let Some(bytes) = cache.and_then(|c| c.get(Kind::Blob, digest)) {
            return Ok(bytes);
        }
        let reference = self.reference_digest(repo, digest);
        let no_urls = None;
        let bytes = self
            .run(options, &reference, || async {
                let mut out = CappedWriter {
                    bytes: Vec::new(),
                    cap: options.max_body,
                };
                let layer = LayerDescriptor {
                    digest,
                    urls: &no_urls,
                };
                self.client
                    .pull_blob(&reference, &layer, &mut out)
                    .await
                    .map(|()| out.bytes)
            })
            .await
            .map_err(|f| match f {
                Fail::TooLarge { limit, .. } => Fail::TooLarge {
                    what: format!("the blob {digest}"),
                    limit,
                },
                other => other,
            })?;
        if !oci::verify_digest(&bytes, digest) {
            return Err(Fail::Invalid(format!(
                "the blob does not match its digest {digest}"
            )));
        }
        if bytes.len() as u64 != descriptor.size {
            return Err(Fail::Invalid(format!(
                "the blob {digest} is {} bytes, its descriptor says {}",
                bytes.len(),
                descriptor.size
            )));
        }
        if let Some(cache) = cache {
            cache.put(Kind::Blob, digest, &bytes);
        }
        Ok(bytes)
    }

    /// The referrers of `digest`: the OCI 1.1 referrers API, falling back to the referrers tag
    /// schema (`sha256-<hex>`) on 404 (oci-client does that) or on 400/405 (done here); `None`
    /// when there are none.
    ///
    /// oci-client parses the referrers index itself; it is written back to JSON and read by the
    /// core, which checks every descriptor. (The referrers API's answer is generated by the
    /// registry and has no digest to verify; every manifest it lists is verified when fetched.)
    pub(crate) async fn referrers(
        &self,
        repo: &str,
        digest: &str,
        options: &RegistryOptions,
    ) -> Result<Option<Vec<u8>>, Fail> {
        let reference = self.reference_digest(repo, digest);
        let result = self
            .run(options, &reference, || {
                self.client.pull_referrers(&reference, None)
            })
            .await;
        // An empty list is an answer too (nothing refers to the digest): only a registry
        // without the API sends the search on to the referrers tag.
        match result {
            Ok(index) => serde_json::to_vec(&index)
                .map(Some)
                .map_err(|e| Fail::Invalid(format!("the referrers index: {e}"))),
            // No referrers API (registries answer 404, 400 or 405): the search then asks for
            // the referrers tag.
            Err(
                Fail::NotFound(_)
                | Fail::Status {
                    status: 400 | 405, ..
                },
            ) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn check_document_size(len: usize) -> Result<(), Fail> {
    if len > oci::MAX_DOCUMENT_SIZE {
        return Err(Fail::TooLarge {
            what: format!("the manifest ({len} bytes)"),
            limit: oci::MAX_DOCUMENT_SIZE as u64,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "localhost:5000",
            "LOCALHOST:5000",
            "127.0.0.1",
            "127.0.0.1:5000",
            "127.1.2.3:80",
            "[::1]:5000",
            "[::1]",
            "registry.localhost:5000",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "reg.example.com",
            "10.0.0.1:5000",
            "[::2]:5000",
            "localhost.example.com",
            "127.0.0.1.nip.io",
            "[::1",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn insecure_values_are_normalised() {
        assert_eq!(
            normalize_host("http://Reg.Example.com:5000/"),
            "reg.example.com:5000"
        );
        assert_eq!(normalize_host(" reg:5000 "), "reg:5000");
    }

    #[test]
    fn the_insecure_hint_is_for_tls_failures_only() {
        assert!(looks_like_tls(
            "error sending request: received corrupt message of type InvalidContentType"
        ));
        assert!(looks_like_tls("invalid peer certificate: UnknownIssuer"));
        assert!(!looks_like_tls(
            "dns error: failed to lookup address information"
        ));
        assert!(!looks_like_tls("Connection refused (os error 111)"));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = Duration::from_millis(500);
        assert_eq!(backoff(first, 1), Duration::from_millis(500));
        assert_eq!(backoff(first, 2), Duration::from_secs(1));
        assert_eq!(backoff(first, 3), Duration::from_secs(2));
        assert_eq!(backoff(first, 30), MAX_RETRY_DELAY);
    }

    #[test]
    fn long_server_messages_are_shortened_to_one_line() {
        let s = shorten(&format!("a\n\n b {}", "x".repeat(1000)));
        assert!(s.starts_with("a b x"));
        assert!(s.chars().count() <= MAX_MESSAGE + 1);
    }
}
