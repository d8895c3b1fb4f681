//! The on-disk cache. Everything in it is content-addressed, so it never goes stale:
//!
//! ```text
//! <cache_dir>/registry/v1/manifests/<alg>/<hex>   manifests and indexes, as fetched
//! <cache_dir>/registry/v1/blobs/<alg>/<hex>       attestation and SBOM blobs, as fetched
//! <cache_dir>/registry/v1/sboms/<alg>/<hex>.json  image manifest digest -> where its SBOM is
//! ```
//!
//! Entries are verified against their digest when read (a corrupt one is deleted and fetched
//! again) and written through a temporary file and a rename, so concurrent runs never see half
//! a file. Tags are never cached: they move. Failing to write is not an error: the run goes on
//! without the cache. The folder can be deleted at any time.

use minicheck_core::oci;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const LAYOUT: &str = "registry/v1";

#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Manifest,
    Blob,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Manifest => "manifests",
            Kind::Blob => "blobs",
        }
    }
}

/// Where an image's SBOM was found: the blob holding it, and the discovery path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SbomLink {
    /// The blob's digest (in [`Kind::Blob`]).
    pub blob: String,
    /// `referrers`, `cosign .att tag`, `BuildKit attestation`.
    pub source: String,
}

pub(crate) struct Cache {
    root: PathBuf,
}

/// `$XDG_CACHE_HOME/minicheck`, else `~/.cache/minicheck` (`%LOCALAPPDATA%\minicheck` on
/// Windows).
pub(crate) fn default_dir() -> Option<PathBuf> {
    let from = |var: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(xdg) = from("XDG_CACHE_HOME") {
        return Some(xdg.join("minicheck"));
    }
    if cfg!(windows)
        && let Some(local) = from("LOCALAPPDATA")
    {
        return Some(local.join("minicheck"));
    }
    super::credentials::home_dir().map(|home| home.join(".cache").join("minicheck"))
}

impl Cache {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Cache {
            root: dir.join(LAYOUT),
        }
    }

    fn path(&self, dir: &str, digest: &str, suffix: &str) -> Option<PathBuf> {
        let (algorithm, encoded) = oci::split_digest(digest).ok()?;
        // split_digest allows characters a file name must not have only outside the
        // registered algorithms; keep to those.
        if !matches!(algorithm, "sha256" | "sha384" | "sha512") {
            return None;
        }
        Some(
            self.root
                .join(dir)
                .join(algorithm)
                .join(format!("{encoded}{suffix}")),
        )
    }

    /// The content with this digest, verified; `None` when absent or corrupt.
    pub(crate) fn get(&self, kind: Kind, digest: &str) -> Option<Vec<u8>> {
        let path = self.path(kind.dir(), digest, "")?;
        let bytes = std::fs::read(&path).ok()?;
        if oci::verify_digest(&bytes, digest) {
            Some(bytes)
        } else {
            let _ = std::fs::remove_file(&path);
            None
        }
    }

    /// Stores verified content under its digest.
    pub(crate) fn put(&self, kind: Kind, digest: &str, bytes: &[u8]) {
        if !oci::verify_digest(bytes, digest) {
            return;
        }
        if let Some(path) = self.path(kind.dir(), digest, "") {
            write_atomic(&path, bytes);
        }
    }

    /// Where the SBOM of the image manifest `digest` was found, if recorded.
    pub(crate) fn sbom_link(&self, image_digest: &str) -> Option<SbomLink> {
        let path = self.path("sboms", image_digest, ".json")?;
        let bytes = std::fs::read(path).ok()?;
        let link: SbomLink = serde_json::from_slice(&bytes).ok()?;
        oci::validate_digest(&link.blob).ok()?;
        Some(link)
    }

    pub(crate) fn put_sbom_link(&self, image_digest: &str, link: &SbomLink) {
        if let (Some(path), Ok(json)) = (
            self.path("sboms", image_digest, ".json"),
            serde_json::to_vec(link),
        ) {
            write_atomic(&path, &json);
        }
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        // Manifests and SBOMs of private images: readable by their owner only.
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn write_atomic(path: &Path, bytes: &[u8]) {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let Some(dir) = path.parent() else { return };
    if create_private_dir(dir).is_err() {
        return;
    }
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let body = b"{\"schemaVersion\":2}";
        let digest = oci::sha256_digest(body);
        assert!(cache.get(Kind::Manifest, &digest).is_none());
        cache.put(Kind::Manifest, &digest, body);
        assert_eq!(cache.get(Kind::Manifest, &digest).unwrap(), body);
        // Stored under its digest, in the documented layout.
        let hex = digest.strip_prefix("sha256:").unwrap();
        let path = dir.path().join("registry/v1/manifests/sha256").join(hex);
        assert!(path.is_file());
        // Content that does not match its digest is never stored, and a corrupt entry is
        // dropped.
        cache.put(Kind::Blob, &digest, b"other");
        assert!(cache.get(Kind::Blob, &digest).is_none());
        std::fs::write(&path, b"corrupt").unwrap();
        assert!(cache.get(Kind::Manifest, &digest).is_none());
        assert!(!path.exists());
        // Digests that are not plain names are refused.
        assert!(cache.get(Kind::Blob, "sha256:../../etc").is_none());
        assert!(cache.get(Kind::Blob, "foo+b64:abc").is_none());
    }

    #[test]
    fn sbom_links() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let image = oci::sha256_digest(b"image");
        let link = SbomLink {
            blob: oci::sha256_digest(b"blob"),
            source: "referrers".into(),
        };
        assert!(cache.sbom_link(&image).is_none());
        cache.put_sbom_link(&image, &link);
        assert_eq!(cache.sbom_link(&image).unwrap(), link);
    }
}
