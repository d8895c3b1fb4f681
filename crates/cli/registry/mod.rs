//! The native registry client: fetches an image's facts (platform manifest digest, compressed
//! size, SBOM) from a container registry.
//!
//! Hosts move bytes; the core decides. Transport and authentication (the Bearer token flow,
//! Basic auth) are `oci-client`'s; every manifest, index and attestation body it hands back is
//! verified with [`oci::verify_digest`] and read by [`oci::parse_document`], platforms are chosen
//! by [`oci::Index::select_platform`], SBOM candidates come from the core's discovery functions
//! and SBOMs are read by [`minicheck_core::sbom::read_sbom`]. `docs/registry.md` is the user's
//! view: credentials, insecure registries, the cache, timeouts, retries, limits.
//!
//! # API
//!
//! ```ignore
//! let options = RegistryOptions::from_args(&args.registry, platform);
//! let registry = Registry::new(options)?;
//! let results = registry.fetch_images(&images).await; // concurrent, in input order
//! let one = fetch_image(&registry, &image).await?;
//! ```
//!
//! - [`RegistryOptions`]: platform, insecure registries, timeout, body cap, cache folder,
//!   progress, retries, and where credentials come from ([`AuthConfig`]).
//! - [`Registry`]: one per run; cheap to clone (shared state behind an `Arc`). Keeps one
//!   `oci-client` client per registry host (so tokens are reused) and the credentials found.
//! - [`ImageFacts`]: what was learnt of one image; [`SbomOutcome`]: whether its SBOM was found.
//!   A missing SBOM never fails the image.
//! - [`RegistryError`]: why an image could not be read. Messages name the image (tokens in
//!   the path masked) and say what to do; they never hold a password or a token.

mod cache;
mod client;
mod credentials;
mod progress;
mod sbom;

pub use credentials::AuthConfig;

use minicheck_core::oci::{self, Document, Expected};
use minicheck_core::platform::Platform;
use minicheck_core::redact::redact;
use minicheck_core::reference::ImageRef;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client::{Fail, Host};

/// The largest blob (an attestation or SBOM) read by default: 64 MiB.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;
/// Retries after the first attempt, on 429 and 5xx answers.
pub const DEFAULT_RETRIES: u32 = 3;
/// The first retry's delay; each next one doubles, up to [`MAX_RETRY_DELAY`].
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_millis(500);
/// The longest wait between two attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(10);
/// How many images are fetched at once.
const CONCURRENCY: usize = 8;

/// How the registry is reached.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// The platform to pick from multi-platform images.
    pub platform: Platform,
    /// Registries (`host[:port]`) that may be reached over plain HTTP. Loopback registries
    /// (`localhost`, `127.0.0.0/8`, `[::1]`) always are.
    pub insecure: Vec<String>,
    /// Each request's limit (connecting, the token round trip and the whole body).
    pub timeout: Duration,
    /// The largest blob read. Manifests and indexes are capped at the core's
    /// [`oci::MAX_DOCUMENT_SIZE`] whatever this says.
    pub max_body: u64,
    /// The on-disk cache; `None` reads and writes nothing.
    pub cache_dir: Option<PathBuf>,
    /// Show a progress line on stderr for fetches slower than a second (only when stderr is a
    /// terminal, whatever this says).
    pub progress: bool,
    /// Retries after the first attempt on 429 and 5xx answers.
    pub retries: u32,
    /// The first retry's delay (doubled each time, at most [`MAX_RETRY_DELAY`]).
    pub retry_delay: Duration,
    /// Where credentials come from.
    pub auth: AuthConfig,
}

impl Default for RegistryOptions {
    /// linux/amd64, no cache, no progress, no credentials: for tests and tools.
    fn default() -> Self {
        RegistryOptions {
            platform: Platform::linux_amd64(),
            insecure: Vec::new(),
            timeout: Duration::from_secs(30),
            max_body: DEFAULT_MAX_BODY,
            cache_dir: None,
            progress: false,
            retries: DEFAULT_RETRIES,
            retry_delay: DEFAULT_RETRY_DELAY,
            auth: AuthConfig::default(),
        }
    }
}

impl RegistryOptions {
    /// The options a command line asks for: `--insecure-registry`, `--registry-timeout`,
    /// `--no-cache`; credentials from the environment and the Docker configuration; the cache in
    /// `$XDG_CACHE_HOME/minicheck` (else `~/.cache/minicheck`).
    pub fn from_args(args: &super::args::RegistryArgs, platform: Platform) -> Self {
        RegistryOptions {
            platform,
            insecure: args.insecure_registries.clone(),
            timeout: Duration::from_secs(args.registry_timeout.max(1)),
            cache_dir: if args.no_cache {
                None
            } else {
                cache::default_dir()
            },
            progress: std::io::stderr().is_terminal(),
            auth: AuthConfig::from_env(),
            ..RegistryOptions::default()
        }
    }
}

/// What one image is, as the registry says.
#[derive(Debug, Clone)]
pub struct ImageFacts {
    /// The reference as asked.
    pub reference: ImageRef,
    /// The digest of the platform's image manifest.
    pub digest: String,
    /// The digest of the multi-platform index the manifest was chosen from, if any.
    #[allow(dead_code)] // API: compare.rs does not show it (yet)
    pub index_digest: Option<String>,
    /// The platform: the index entry's, or the one asked for when the image is a single
    /// manifest (whose platform is not checked, as `docker pull` does not either).
    pub platform: Platform,
    /// The sum of the layers' sizes, as stored and downloaded.
    pub compressed_size: u64,
    pub sbom: SbomOutcome,
}

/// Whether an SBOM was found. Never an error for the image: the size is known either way.
#[derive(Debug, Clone)]
pub enum SbomOutcome {
    Found {
        sbom: minicheck_core::sbom::Sbom,
        /// Where it was found: `"referrers"`, `"cosign .att tag"` or `"BuildKit attestation"`.
        #[allow(dead_code)] // API: compare.rs does not show it (yet)
        source: String,
    },
    /// No attestation carries an SBOM (every place answered 404 or held none).
    NotFound,
    /// Something was found but could not be read, or the registry failed on the way; the
    /// message says what (secrets masked).
    Failed(String),
}

/// Why an image could not be read. Each message names the image (tokens masked) and says
/// what to do.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RegistryError {
    /// 401 or 403.
    #[error("{image}: {detail}")]
    Unauthorized { image: String, detail: String },
    /// 404: no such repository, tag, digest, or no image for the platform.
    #[error("{image}: {detail}")]
    NotFound { image: String, detail: String },
    /// 429, still after every retry.
    #[error("{image}: {detail}")]
    RateLimited {
        image: String,
        detail: String,
        attempts: u32,
    },
    /// A 5xx (or another unexpected status), still after every retry for a 5xx.
    #[error("{image}: {detail}")]
    Server {
        image: String,
        detail: String,
        status: u16,
        attempts: u32,
    },
    /// No answer within the timeout.
    #[error("{image}: {detail}")]
    Timeout {
        image: String,
        detail: String,
        seconds: f64,
    },
    /// A body past its cap.
    #[error("{image}: {detail}")]
    TooLarge {
        image: String,
        detail: String,
        limit: u64,
    },
    /// An answer that cannot be used: wrong media type, a digest that does not match, a body
    /// cut short, a document the core rejects.
    #[error("{image}: {detail}")]
    Invalid { image: String, detail: String },
    /// The registry could not be reached (DNS, connection, TLS).
    #[error("{image}: {detail}")]
    Transport { image: String, detail: String },
}

impl RegistryError {
    /// The masked image name the message starts with.
    #[allow(dead_code)] // API: compare.rs prints the whole message
    pub fn image(&self) -> &str {
        match self {
            RegistryError::Unauthorized { image, .. }
            | RegistryError::NotFound { image, .. }
            | RegistryError::RateLimited { image, .. }
            | RegistryError::Server { image, .. }
            | RegistryError::Timeout { image, .. }
            | RegistryError::TooLarge { image, .. }
            | RegistryError::Invalid { image, .. }
            | RegistryError::Transport { image, .. } => image,
        }
    }

    /// The message without the image name: what happened and what to do.
    pub fn detail(&self) -> &str {
        match self {
            RegistryError::Unauthorized { detail, .. }
            | RegistryError::NotFound { detail, .. }
            | RegistryError::RateLimited { detail, .. }
            | RegistryError::Server { detail, .. }
            | RegistryError::Timeout { detail, .. }
            | RegistryError::TooLarge { detail, .. }
            | RegistryError::Invalid { detail, .. }
            | RegistryError::Transport { detail, .. } => detail,
        }
    }
}

/// The registry client of one run. Cloning shares it.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

struct Inner {
    options: RegistryOptions,
    cache: Option<cache::Cache>,
    /// One client per registry host, created on first use.
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Registry {
    /// A client with these options. Installs rustls' ring provider (once per process).
    pub fn new(options: RegistryOptions) -> Result<Self, RegistryError> {
        // Another part of the program may have installed it already: that is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let cache = options.cache_dir.clone().map(cache::Cache::new);
        Ok(Registry {
            inner: Arc::new(Inner {
                options,
                cache,
                hosts: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// Fetches every image concurrently (a few at a time); the results are in input order. An
    /// image named twice is fetched once.
    pub async fn fetch_images(
        &self,
        images: &[ImageRef],
    ) -> Vec<Result<ImageFacts, RegistryError>> {
        let mut unique: Vec<&ImageRef> = Vec::new();
        let slot: Vec<usize> = images
            .iter()
            .map(|image| match unique.iter().position(|u| *u == image) {
                Some(i) => i,
                None => {
                    unique.push(image);
                    unique.len() - 1
                }
            })
            .collect();
        let progress = progress::Progress::start(self.inner.options.progress, unique.len());
        let mut results: Vec<Option<Result<ImageFacts, RegistryError>>> = vec![None; unique.len()];
        let mut set = tokio::task::JoinSet::new();
        let mut next = 0;
        while next < unique.len() || !set.is_empty() {
            while next < unique.len() && set.len() < CONCURRENCY {
                let registry = self.clone();
                let image = unique[next].clone();
                let i = next;
                set.spawn(async move { (i, fetch_image(&registry, &image).await) });
                next += 1;
            }
            match set.join_next().await {
                Some(Ok((i, result))) => {
                    results[i] = Some(result);
                    progress.one_done();
                }
                Some(Err(e)) => {
                    // A panicking task: resume the panic here rather than lose the image.
                    if e.is_panic() {
                        std::panic::resume_unwind(e.into_panic());
                    }
                }
                None => break,
            }
        }
        progress.finish();
        slot.into_iter()
            .map(|i| {
                results[i].clone().unwrap_or_else(|| {
                    Err(RegistryError::Transport {
                        image: display_name(unique[i]),
                        detail: "the fetch was cancelled".to_string(),
                    })
                })
            })
            .collect()
    }

    /// The client for `image`'s registry, created (and its credentials looked up) on first use.
    fn host(&self, image: &ImageRef) -> Result<Arc<Host>, Fail> {
        let key = image.domain.to_ascii_lowercase();
        if key.is_empty() {
            return Err(Fail::Invalid(
                "the reference names no registry host".to_string(),
            ));
        }
        // Created under the lock, so that concurrent fetches from one registry look its
        // credentials up (and run its credential helper) once.
        let mut hosts = self.lock_hosts();
        if let Some(host) = hosts.get(&key) {
            return Ok(host.clone());
        }
        let host = Arc::new(Host::new(&key, &self.inner.options)?);
        hosts.insert(key, host.clone());
        Ok(host)
    }

    fn lock_hosts(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Host>>> {
        self.inner
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The image as messages name it: familiar form, tokens masked.
fn display_name(image: &ImageRef) -> String {
    redact(&image.familiar()).into_owned()
}

/// Fetches one image's facts: its manifest (through the index for the options' platform), size
/// and SBOM.
pub async fn fetch_image(client: &Registry, image: &ImageRef) -> Result<ImageFacts, RegistryError> {
    let name = display_name(image);
    let host = client
        .host(image)
        .map_err(|f| f.into_error(&name, &image.domain, None))?;
    fetch(client, &host, image)
        .await
        .map_err(|f| f.into_error(&name, host.name(), Some(&host)))
}

async fn fetch(client: &Registry, host: &Host, image: &ImageRef) -> Result<ImageFacts, Fail> {
    let options = &client.inner.options;
    let cache = client.inner.cache.as_ref();
    let repo = image.path.as_str();
    oci::validate_repository(repo).map_err(|e| Fail::Invalid(e.to_string()))?;

    // The document the reference names, verified against its digest.
    let (top, top_digest) = match (&image.digest, image.tag_or_default()) {
        (Some(digest), _) => {
            let bytes = host
                .manifest_by_digest(cache, repo, digest, None, options)
                .await?;
            (bytes, digest.clone())
        }
        (None, Some(tag)) => host.manifest_by_tag(cache, repo, tag, options).await?,
        (None, None) => unreachable!("a reference without a digest has a tag or the default"),
    };
    let document = oci::parse_document(&top, None, Expected::ImageOrIndex).map_err(Fail::from)?;

    let (manifest, digest, index, platform) = match document {
        Document::Manifest(manifest) => (manifest, top_digest, None, options.platform.clone()),
        Document::Index(index) => {
            let entry = index
                .select_platform(&options.platform)
                .map_err(|e| match e {
                    oci::OciError::NoMatchingPlatform { .. } => Fail::NotFound(Some(e.to_string())),
                    other => Fail::from(other),
                })?
                .clone();
            let bytes = host
                .manifest_by_digest(cache, repo, &entry.digest, Some(&entry), options)
                .await?;
            let manifest =
                match oci::parse_document(&bytes, Some(&entry.media_type), Expected::Image)
                    .map_err(Fail::from)?
                {
                    Document::Manifest(m) => m,
                    Document::Index(_) => unreachable!("Expected::Image accepts manifests only"),
                };
            let platform = entry
                .platform
                .clone()
                .unwrap_or_else(|| options.platform.clone());
            (manifest, entry.digest, Some((index, top_digest)), platform)
        }
    };

    let sbom = sbom::discover(
        host,
        cache,
        options,
        repo,
        &digest,
        index.as_ref().map(|(i, d)| (i, d.as_str())),
    )
    .await;

    Ok(ImageFacts {
        reference: image.clone(),
        digest,
        index_digest: index.map(|(_, d)| d),
        platform,
        compressed_size: manifest.compressed_size(),
        sbom,
    })
}
