//! The registry URLs a host requests, built from validated parts so no repository name or
//! reference can reach outside its path segment.

use super::OciError;
use super::digest::{is_valid_tag, validate_digest};

/// Longest repository name, in characters.
const REPOSITORY_MAX_LEN: usize = 255;

/// The host serving a registry's API: Docker Hub's `docker.io` (and its historic
/// `index.docker.io`) is served at `registry-1.docker.io`; every other registry at its own name.
pub fn registry_api_host(domain: &str) -> &str {
    match domain {
        "docker.io" | "index.docker.io" => "registry-1.docker.io",
        other => other,
    }
}

/// Checks a repository name: components of lowercase letters and digits, separated inside by
/// `.`, `_`, `__` or runs of `-`, joined by `/`; at most 255 characters (the grammar of
/// distribution/reference, a superset of the distribution specification's).
pub fn validate_repository(repository: &str) -> Result<(), OciError> {
    let bad = |problem: &str| OciError::InvalidName {
        what: "repository",
        value: repository.to_string(),
        problem: problem.to_string(),
    };
    if repository.is_empty() {
        return Err(bad("empty"));
    }
    if repository.len() > REPOSITORY_MAX_LEN {
        return Err(bad("longer than 255 characters"));
    }
    for component in repository.split('/') {
        if !is_path_component(component) {
            return Err(bad(
                "each /-separated part must be lowercase letters and digits, separated by ., _, \
                 __ or dashes",
            ));
        }
    }
    Ok(())
}

fn is_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.first().is_none_or(|&x| !alnum(x)) || b.last().is_none_or(|&x| !alnum(x)) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator: ".", "_", "__" or "-"+, between alphanumerics.
        let start = i;
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if b.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            b'-' => {
                while b.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i == start || !b.get(i).is_some_and(|&x| alnum(x)) {
            return false;
        }
    }
    true
}

/// `/v2/<repository>/manifests/<reference>`, the reference a tag or a digest.
pub fn manifest_path(repository: &str, reference: &str) -> Result<String, OciError> {
    validate_repository(repository)?;
    if !is_valid_tag(reference) && validate_digest(reference).is_err() {
        return Err(OciError::InvalidName {
            what: "reference",
            value: reference.to_string(),
            problem: "neither a tag nor a digest".to_string(),
        });
    }
    Ok(format!("/v2/{repository}/manifests/{reference}"))
}

/// `/v2/<repository>/blobs/<digest>`.
pub fn blob_path(repository: &str, digest: &str) -> Result<String, OciError> {
    validate_repository(repository)?;
    validate_digest(digest)?;
    Ok(format!("/v2/{repository}/blobs/{digest}"))
}

/// `/v2/<repository>/referrers/<digest>`, the OCI 1.1 referrers API. A registry without it
/// answers 404; the host then fetches the tag [`super::referrers_tag`] instead, and a 404 there
/// too means no referrers.
pub fn referrers_path(repository: &str, digest: &str) -> Result<String, OciError> {
    validate_repository(repository)?;
    validate_digest(digest)?;
    Ok(format!("/v2/{repository}/referrers/{digest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";

    #[test]
    fn hosts() {
        assert_eq!(registry_api_host("docker.io"), "registry-1.docker.io");
        assert_eq!(registry_api_host("index.docker.io"), "registry-1.docker.io");
        assert_eq!(registry_api_host("reg.mini.dev"), "reg.mini.dev");
    }

    #[test]
    fn repositories() {
        for ok in [
            "library/python",
            "a",
            "a/b/c",
            "a.b_c__d---e/f0",
            "minimus/python-3.12",
        ] {
            assert!(validate_repository(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "A", "a//b", "/a", "a/", "a..b", "a___b", "-a", "a-", "a/../b", "a?b", "a b",
            "a%2fb", "ü",
        ] {
            assert!(validate_repository(bad).is_err(), "{bad}");
        }
        assert!(validate_repository(&"a".repeat(256)).is_err());
    }

    #[test]
    fn paths() {
        assert_eq!(
            manifest_path("library/python", "3.12-slim").unwrap(),
            "/v2/library/python/manifests/3.12-slim"
        );
        assert_eq!(
            manifest_path("library/python", D).unwrap(),
            format!("/v2/library/python/manifests/{D}")
        );
        assert!(manifest_path("library/python", "../x").is_err());
        assert!(manifest_path("library/python", "").is_err());
        assert!(manifest_path("Library", "latest").is_err());
        assert_eq!(blob_path("a/b", D).unwrap(), format!("/v2/a/b/blobs/{D}"));
        assert!(blob_path("a/b", "latest").is_err());
        assert_eq!(
            referrers_path("a/b", D).unwrap(),
            format!("/v2/a/b/referrers/{D}")
        );
        assert!(referrers_path("a b", D).is_err());
    }
}
