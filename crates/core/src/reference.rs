//! Container image references: `[registry/]path[:tag][@digest]`.
//!
//! This is a std-only port of the parsing and normalisation rules of the Go module
//! `github.com/distribution/reference` (the parser used by Docker, BuildKit and containerd),
//! together with the digest checks that module delegates to `github.com/opencontainers/go-digest`
//! v1.0.0 with the `sha256`, `sha384` and `sha512` algorithms registered. There are no regular
//! expressions: every production of the grammar below is matched by hand, byte by byte, and no
//! input can make the parser panic.
//!
//! ```text
//! reference         = name [ ":" tag ] [ "@" digest ]
//! name              = [ domain "/" ] path
//! domain            = host [ ":" port ]
//! host              = domain-name | "[" 1*( HEXDIG | ":" ) "]"
//! domain-name       = label *( "." label )
//! label             = alnum | alnum *( alnum | "-" ) alnum        ; letters of either case
//! port              = 1*DIGIT
//! path              = component *( "/" component )                ; at most 255 characters
//! component         = 1*lower-alnum *( separator 1*lower-alnum )
//! separator         = "." | "_" | "__" | 1*"-"
//! tag               = word 0*127( word | "." | "-" )              ; word = [A-Za-z0-9_]
//! digest            = algorithm ":" 32*HEXDIG
//! algorithm         = algo-part *( ( "-" | "_" | "+" | "." ) algo-part )
//! algo-part         = ALPHA *( ALPHA | DIGIT )
//! ```
//!
//! When a name has a `/`, its first component is the registry only if it is a valid `domain` and
//! the rest is a valid `path`; otherwise the whole name is the path. [`ImageRef::parse`] then
//! applies Docker's normalisation: a first component counts as a registry only if it is
//! `localhost`, contains `.` or `:`, or has an uppercase letter; everything else lives on Docker
//! Hub (`docker.io`, with `index.docker.io` folded into it), where single-component paths get the
//! `library/` namespace of official images.

use std::fmt;
use std::str::FromStr;

/// Maximum length of the path (the name without its registry), in characters.
pub const REPOSITORY_NAME_TOTAL_LENGTH_MAX: usize = 255;
/// Registry of references that name none: Docker Hub.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The historic name of Docker Hub's registry, normalised to [`DEFAULT_DOMAIN`].
pub const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// Namespace of Docker Hub's official images (`python` is `docker.io/library/python`).
pub const OFFICIAL_REPO_PREFIX: &str = "library/";
/// Tag assumed when a reference has neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";

const LOCALHOST: &str = "localhost";
const TAG_MAX_LEN: usize = 128;
const DIGEST_HEX_MIN_LEN: usize = 32;
/// Digest algorithms that are accepted, with the length of their hex encoding.
const SUPPORTED_DIGESTS: [(&str, usize); 3] = [("sha256", 64), ("sha384", 96), ("sha512", 128)];

/// A parsed container image reference.
///
/// Built by [`ImageRef::parse`], the fields hold the normalised registry and path, and the tag and
/// digest exactly as written (both are kept when both are given).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ImageRef {
    /// Registry host with optional port: `docker.io`, `reg.mini.dev`, `localhost:5000`,
    /// `[::1]:5000`. Empty only in the rare case where the first component looked like a
    /// registry (it has a `.`) but is not a valid host, e.g. `foo_bar.com/app`: like the Go
    /// library, the whole name is then the path.
    pub domain: String,
    /// Repository path inside the registry: `library/python`, `acme/minimus/python`.
    pub path: String,
    /// The tag as written; `None` when absent.
    pub tag: Option<String>,
    /// The digest (`sha256:...`) as written; `None` when absent.
    pub digest: Option<String>,
}

/// Why a string is not a valid image reference.
///
/// Each message is the one the Go library gives; [`ReferenceError::InvalidFormat`] adds a detail
/// naming the offending part after the Go message, and
/// [`ReferenceError::distribution_message`] returns the Go message alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// The string does not follow the reference grammar.
    #[error("invalid reference format: {detail}")]
    InvalidFormat {
        /// Which part is wrong, and how.
        detail: String,
    },
    /// [`ImageRef::parse_unnormalized`] was given an empty string.
    #[error("repository name must have at least one component")]
    NameEmpty,
    /// The path has an uppercase letter (raised by [`ImageRef::parse_unnormalized`]).
    #[error("repository name must be lowercase")]
    NameContainsUppercase,
    /// The repository path has an uppercase letter (raised by [`ImageRef::parse`]).
    #[error("invalid reference format: repository name ({name}) must be lowercase")]
    UppercaseRepository {
        /// The offending repository path, as normalised (`library/Python`).
        name: String,
    },
    /// The whole reference is 64 lowercase hex digits, which Docker reads as an image ID.
    #[error("invalid repository name ({input}), cannot specify 64-byte hexadecimal strings")]
    HexIdentifier {
        /// The rejected input.
        input: String,
    },
    /// The path is longer than [`REPOSITORY_NAME_TOTAL_LENGTH_MAX`].
    #[error("repository name must not be more than 255 characters")]
    NameTooLong {
        /// Length of the rejected path.
        length: usize,
    },
    /// [`ImageRef::parse_canonical`] was given a reference that is not in canonical form.
    #[error("repository name must be canonical")]
    NameNotCanonical,
    /// [`ImageRef::with_tag`] was given an invalid tag.
    #[error("invalid tag format")]
    TagInvalidFormat,
    /// [`ImageRef::with_digest`] was given a string that is not a digest.
    #[error("invalid digest format")]
    DigestInvalidFormat,
    /// A digest of a known algorithm has characters other than lowercase hex, or an algorithm
    /// name with uppercase letters.
    #[error("invalid checksum digest format")]
    ChecksumDigestFormat,
    /// A digest of a known algorithm has the wrong number of hex digits (64 for `sha256`, 96 for
    /// `sha384`, 128 for `sha512`).
    #[error("invalid checksum digest length")]
    ChecksumDigestLength,
    /// The digest algorithm is none of `sha256`, `sha384` and `sha512`.
    #[error("unsupported digest algorithm")]
    UnsupportedDigestAlgorithm,
}

impl ReferenceError {
    /// The error message exactly as the Go library words it, without the detail that
    /// [`ReferenceError::InvalidFormat`] adds.
    pub fn distribution_message(&self) -> String {
        match self {
            ReferenceError::InvalidFormat { .. } => "invalid reference format".to_owned(),
            other => other.to_string(),
        }
    }
}

impl ImageRef {
    /// Parses a reference the way Docker does (Go's `ParseNormalizedNamed`): the registry and
    /// the `library/` namespace are filled in, but no default tag is added.
    ///
    /// `python` gives domain `docker.io`, path `library/python`, no tag and no digest.
    pub fn parse(s: &str) -> Result<ImageRef, ReferenceError> {
        parse_normalized(s).map_err(|err| clarify(s, err))
    }

    /// Parses a reference without any normalisation (Go's `Parse`): `python` has an empty
    /// domain and path `python`, and `a/b` has domain `a`.
    pub fn parse_unnormalized(s: &str) -> Result<ImageRef, ReferenceError> {
        parse_exact(s)
    }

    /// Parses a reference that must already be fully qualified (Go's `ParseNamed`): it must equal
    /// its own [`ImageRef::reference_string`], so `docker.io/library/python` is accepted but
    /// `python` and `docker.io/python` are not.
    pub fn parse_canonical(s: &str) -> Result<ImageRef, ReferenceError> {
        let parsed = ImageRef::parse(s)?;
        if parsed.reference_string() != s {
            return Err(ReferenceError::NameNotCanonical);
        }
        Ok(parsed)
    }

    /// The registry and path: `docker.io/library/python`.
    pub fn name(&self) -> String {
        join_name(&self.domain, &self.path)
    }

    /// The name as Docker shows it (Go's `FamiliarName`): `python`, `user/app`,
    /// `reg.mini.dev/python`.
    pub fn familiar_name(&self) -> String {
        let (domain, path) = self.familiar_parts();
        join_name(domain, path)
    }

    /// The tag, or `"latest"` when neither tag nor digest is given (Go's `TagNameOnly`); `None`
    /// for a reference with a digest and no tag.
    pub fn tag_or_default(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some(DEFAULT_TAG),
            (None, Some(_)) => None,
        }
    }

    /// Whether the reference has neither tag nor digest (Go's `IsNameOnly`).
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// The reference as parsed, without a default tag (Go's `String`):
    /// `docker.io/library/python`, `docker.io/library/python:3.12`.
    pub fn reference_string(&self) -> String {
        render(&self.name(), self.tag.as_deref(), self.digest.as_deref())
    }

    /// Fully qualified string with the default tag applied when there is neither tag nor digest:
    /// `docker.io/library/python:latest`, `reg.mini.dev/python:3.13.5-dev`,
    /// `x/y:t@sha256:...` (tag and digest both kept).
    pub fn normalized(&self) -> String {
        render(&self.name(), self.tag_or_default(), self.digest.as_deref())
    }

    /// The familiar form of [`ImageRef::normalized`] (Go's `FamiliarString` of `TagNameOnly`):
    /// `python:latest`, `user/app:1`, `reg.mini.dev/python:3.13.5-dev`.
    pub fn familiar(&self) -> String {
        render(
            &self.familiar_name(),
            self.tag_or_default(),
            self.digest.as_deref(),
        )
    }

    /// The reference as Go's `ParseDockerRef` returns it: like [`ImageRef::normalized`], except
    /// that a reference with both tag and digest drops the tag (`x/y@sha256:...`).
    pub fn docker_ref(&self) -> String {
        match (&self.tag, &self.digest) {
            (Some(_), Some(digest)) => render(&self.name(), None, Some(digest)),
            _ => self.normalized(),
        }
    }

    /// The last component of the path: `python` for `docker.io/library/python`.
    pub fn short_name(&self) -> &str {
        match self.path.rfind('/') {
            Some(slash) => &self.path[slash + 1..],
            None => &self.path,
        }
    }

    /// The same reference with `tag` as its tag (Go's `WithTag`); any digest is kept.
    pub fn with_tag(&self, tag: &str) -> Result<ImageRef, ReferenceError> {
        if tag_problem(tag).is_some() {
            return Err(ReferenceError::TagInvalidFormat);
        }
        Ok(ImageRef {
            tag: Some(tag.to_owned()),
            ..self.clone()
        })
    }

    /// The same reference with `digest` as its digest (Go's `WithDigest`); any tag is kept.
    ///
    /// Like the Go function, this checks the digest grammar only (an algorithm, `:`, at least 32
    /// hex digits), not the length that the algorithm implies.
    pub fn with_digest(&self, digest: &str) -> Result<ImageRef, ReferenceError> {
        if digest_problem(digest).is_some() {
            return Err(ReferenceError::DigestInvalidFormat);
        }
        Ok(ImageRef {
            digest: Some(digest.to_owned()),
            ..self.clone()
        })
    }

    /// Registry and path with Docker Hub's domain and `library/` namespace left out.
    fn familiar_parts(&self) -> (&str, &str) {
        if self.domain != DEFAULT_DOMAIN {
            return (&self.domain, &self.path);
        }
        let path = match self.path.strip_prefix(OFFICIAL_REPO_PREFIX) {
            Some(rest) if !rest.contains('/') => rest,
            _ => &self.path,
        };
        ("", path)
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized())
    }
}

impl FromStr for ImageRef {
    type Err = ReferenceError;

    fn from_str(s: &str) -> Result<ImageRef, ReferenceError> {
        ImageRef::parse(s)
    }
}

fn join_name(domain: &str, path: &str) -> String {
    if domain.is_empty() {
        path.to_owned()
    } else {
        format!("{domain}/{path}")
    }
}

fn render(name: &str, tag: Option<&str>, digest: Option<&str>) -> String {
    let mut out = name.to_owned();
    if let Some(tag) = tag {
        out.push(':');
        out.push_str(tag);
    }
    if let Some(digest) = digest {
        out.push('@');
        out.push_str(digest);
    }
    out
}

/// Go's `ParseNormalizedNamed`.
fn parse_normalized(s: &str) -> Result<ImageRef, ReferenceError> {
    if is_identifier(s) {
        return Err(ReferenceError::HexIdentifier {
            input: s.to_owned(),
        });
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote = remainder
        .split_once(':')
        .map_or(remainder.as_str(), |(remote, _)| remote);
    if go_to_lower(remote) != remote {
        return Err(ReferenceError::UppercaseRepository {
            name: remote.to_owned(),
        });
    }
    parse_exact(&format!("{domain}/{remainder}"))
}

/// Replaces the detail of an invalid-format error with a plainer one where the normalised
/// string the detail was computed on would only confuse.
fn clarify(input: &str, err: ReferenceError) -> ReferenceError {
    let detail = match &err {
        ReferenceError::InvalidFormat { .. } if input.is_empty() => "empty reference",
        ReferenceError::InvalidFormat { .. } if input.starts_with(':') => "missing name before ':'",
        ReferenceError::InvalidFormat { .. } if input.starts_with('@') => "missing name before '@'",
        _ => return err,
    };
    ReferenceError::InvalidFormat {
        detail: detail.to_owned(),
    }
}

/// Go's `splitDockerDomain`: decides whether the first component is a registry, and fills in
/// Docker Hub and its `library/` namespace.
fn split_docker_domain(name: &str) -> (String, String) {
    let Some((maybe_domain, rest)) = name.split_once('/') else {
        return (
            DEFAULT_DOMAIN.to_owned(),
            format!("{OFFICIAL_REPO_PREFIX}{name}"),
        );
    };
    let (domain, remote) = if maybe_domain == LOCALHOST {
        (maybe_domain, rest)
    } else if maybe_domain == LEGACY_DEFAULT_DOMAIN {
        (DEFAULT_DOMAIN, rest)
    } else if maybe_domain.contains(['.', ':']) || go_to_lower(maybe_domain) != maybe_domain {
        (maybe_domain, rest)
    } else {
        (DEFAULT_DOMAIN, name)
    };
    let remote = if domain == DEFAULT_DOMAIN && !remote.contains('/') {
        format!("{OFFICIAL_REPO_PREFIX}{remote}")
    } else {
        remote.to_owned()
    };
    (domain.to_owned(), remote)
}

/// Go's `Parse`: the grammar, the uppercase retry, the path length and the digest checks.
fn parse_exact(s: &str) -> Result<ImageRef, ReferenceError> {
    if s.is_empty() {
        return Err(ReferenceError::NameEmpty);
    }
    let parts = match match_reference(s) {
        Ok(parts) => parts,
        Err(detail) => {
            let lower = go_to_lower(s);
            if lower != s && match_reference(&lower).is_ok() {
                return Err(ReferenceError::NameContainsUppercase);
            }
            return Err(ReferenceError::InvalidFormat { detail });
        }
    };
    if parts.path.len() > REPOSITORY_NAME_TOTAL_LENGTH_MAX {
        return Err(ReferenceError::NameTooLong {
            length: parts.path.len(),
        });
    }
    if let Some(digest) = parts.digest {
        validate_digest(digest)?;
    }
    Ok(ImageRef {
        domain: parts.domain.to_owned(),
        path: parts.path.to_owned(),
        tag: parts.tag.map(str::to_owned),
        digest: parts.digest.map(str::to_owned),
    })
}

/// The pieces of a string that matches the reference grammar.
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    domain: &'a str,
    path: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

/// Matches the whole reference grammar; on failure, says which part is wrong.
///
/// Neither name nor tag may contain `@`, so the digest is whatever follows the first `@`. A tag
/// contains neither `:` nor `/` and a path contains no `:`, so a tag is present exactly when the
/// last `:` has no `/` after it.
fn match_reference(s: &str) -> Result<Parts<'_>, String> {
    let (rest, digest) = match s.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (s, None),
    };
    let (name, tag) = match rest.rfind(':') {
        Some(colon) if !rest[colon + 1..].contains('/') => {
            (&rest[..colon], Some(&rest[colon + 1..]))
        }
        _ => (rest, None),
    };
    let (domain, path) = match_name(name)?;
    if let Some(problem) = tag.and_then(tag_problem) {
        return Err(problem);
    }
    if let Some(problem) = digest.and_then(digest_problem) {
        return Err(problem);
    }
    Ok(Parts {
        domain,
        path,
        tag,
        digest,
    })
}

/// Splits a name into registry (possibly empty) and path, preferring a registry when the first
/// component can be one.
fn match_name(name: &str) -> Result<(&str, &str), String> {
    if name.is_empty() {
        return Err("missing repository name".to_owned());
    }
    let split = name.split_once('/');
    if let Some((first, rest)) = split
        && domain_problem(first).is_none()
        && path_problem(rest).is_none()
    {
        return Ok((first, rest));
    }
    let Some(problem) = path_problem(name) else {
        return Ok(("", name));
    };
    // Report the most plausible reading: a valid registry means the problem is in the rest, and
    // a first component that can only be a registry, or has a dot and cannot be a path
    // component, is judged as a registry.
    if let Some((first, rest)) = split {
        if domain_problem(first).is_none() {
            return Err(path_problem(rest).unwrap_or(problem));
        }
        let registry_like = first.contains([':', '[', ']'])
            || (first.contains('.') && path_component_problem(first).is_some());
        if registry_like {
            return Err(domain_problem(first).unwrap_or(problem));
        }
    }
    Err(problem)
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Checks a registry `host[:port]`; `None` when valid.
fn domain_problem(domain: &str) -> Option<String> {
    let port = if let Some(bracketed) = domain.strip_prefix('[') {
        let Some((address, after)) = bracketed.split_once(']') else {
            return Some(format!("registry {domain:?} has '[' without ']'"));
        };
        if address.is_empty() || !address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return Some(format!(
                "registry {domain:?}: an IPv6 address in brackets may only contain hex digits and ':'"
            ));
        }
        if after.is_empty() {
            return None;
        }
        match after.strip_prefix(':') {
            Some(port) => port,
            None => return Some(format!("registry {domain:?} has text after ']'")),
        }
    } else {
        let (host, port) = match domain.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (domain, None),
        };
        if let Some(problem) = host_name_problem(host, domain) {
            return Some(problem);
        }
        // A registry without a port is complete.
        port?
    };
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "registry {domain:?} has an invalid port {port:?} (digits only)"
        ));
    }
    None
}

/// Checks a dot-separated host name; `domain` is the whole registry, for the message.
fn host_name_problem(host: &str, domain: &str) -> Option<String> {
    for label in host.split('.') {
        if label.is_empty() {
            return Some(format!("registry {domain:?} has an empty host name label"));
        }
        if let Some(ch) = label
            .chars()
            .find(|&ch| !(ch.is_ascii_alphanumeric() || ch == '-'))
        {
            return Some(format!(
                "registry {domain:?} contains invalid character {ch:?}"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!(
                "registry {domain:?}: host name label {label:?} starts or ends with '-'"
            ));
        }
    }
    None
}

/// Checks a repository path; `None` when valid.
fn path_problem(path: &str) -> Option<String> {
    path.split('/').find_map(path_component_problem)
}

/// Checks one `/`-separated component of a repository path; `None` when valid.
fn path_component_problem(component: &str) -> Option<String> {
    if component.is_empty() {
        return Some(
            "repository path has an empty component (a leading, trailing or doubled '/')"
                .to_owned(),
        );
    }
    if let Some(ch) = component.chars().find(|&ch| {
        !(ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-'))
    }) {
        return Some(if ch.is_uppercase() {
            format!(
                "path component {component:?} contains uppercase {ch:?}; repository names must be lowercase"
            )
        } else {
            format!("path component {component:?} contains invalid character {ch:?}")
        });
    }
    // Only ASCII from here on, so byte offsets are character boundaries.
    let bytes = component.as_bytes();
    let starts_and_ends_alnum = bytes.first().is_some_and(|&b| is_lower_alnum(b))
        && bytes.last().is_some_and(|&b| is_lower_alnum(b));
    if !starts_and_ends_alnum {
        return Some(format!(
            "path component {component:?} must start and end with a lowercase letter or digit"
        ));
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_lower_alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_lower_alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let allowed = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !allowed {
            return Some(format!(
                "path component {component:?} has separator {separator:?}; only '.', '_', '__' or dashes may join letters and digits"
            ));
        }
    }
    None
}

/// Checks a tag; `None` when valid.
fn tag_problem(tag: &str) -> Option<String> {
    let Some(&first) = tag.as_bytes().first() else {
        return Some("empty tag after ':'".to_owned());
    };
    if !is_word(first) {
        return Some(format!(
            "tag {tag:?} must start with a letter, digit or '_'"
        ));
    }
    if let Some(ch) = tag
        .chars()
        .find(|&ch| !(ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-')))
    {
        return Some(format!(
            "tag {tag:?} contains invalid character {ch:?} (letters, digits, '_', '.' and '-' only)"
        ));
    }
    if tag.len() > TAG_MAX_LEN {
        return Some(format!(
            "tag is {} characters long; the limit is {TAG_MAX_LEN}",
            tag.len()
        ));
    }
    None
}

/// Checks the digest grammar (`algorithm:hex`, at least 32 hex digits); `None` when valid.
fn digest_problem(digest: &str) -> Option<String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Some(format!(
            "digest {digest:?} must have the form algorithm:hex"
        ));
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        let mut bytes = part.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric())
    });
    if !algorithm_ok {
        return Some(format!(
            "digest algorithm {algorithm:?} must be letters and digits, starting with a letter, optionally joined by '-', '_', '+' or '.'"
        ));
    }
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!(
            "digest {digest:?} must have only hexadecimal digits after ':'"
        ));
    }
    if hex.len() < DIGEST_HEX_MIN_LEN {
        return Some(format!(
            "digest {digest:?} must have at least {DIGEST_HEX_MIN_LEN} hexadecimal digits"
        ));
    }
    None
}

/// go-digest's `Digest.Validate`, for a digest that already matches the reference grammar.
fn validate_digest(digest: &str) -> Result<(), ReferenceError> {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return Err(ReferenceError::ChecksumDigestFormat);
    };
    let Some(&(_, hex_len)) = SUPPORTED_DIGESTS
        .iter()
        .find(|(name, _)| *name == algorithm)
    else {
        // go-digest only knows lowercase algorithm names: others are malformed, not unsupported.
        if algorithm.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ReferenceError::ChecksumDigestFormat);
        }
        return Err(ReferenceError::UnsupportedDigestAlgorithm);
    };
    if encoded.len() != hex_len {
        return Err(ReferenceError::ChecksumDigestLength);
    }
    if !encoded
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(ReferenceError::ChecksumDigestFormat);
    }
    Ok(())
}

/// Whether `s` is 64 lowercase hex digits, the form of an image ID.
fn is_identifier(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Lowercases like Go's `strings.ToLower`: one character for one, by simple case mapping.
fn go_to_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch == '\u{130}' {
            // The one character whose full lowercase mapping is longer than its simple one.
            out.push('i');
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::discriminant;

    const FF64: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    fn invalid() -> ReferenceError {
        ReferenceError::InvalidFormat {
            detail: String::new(),
        }
    }

    fn assert_same_kind(input: &str, got: &ReferenceError, want: &ReferenceError) {
        assert_eq!(
            discriminant(got),
            discriminant(want),
            "{input:?}: got {got:?}, want {want:?}"
        );
    }

    fn parse_ok(input: &str) -> ImageRef {
        ImageRef::parse(input).unwrap_or_else(|err| panic!("{input:?} should parse: {err}"))
    }

    fn parse_err(input: &str) -> ReferenceError {
        match ImageRef::parse(input) {
            Ok(parsed) => panic!("{input:?} should not parse, got {parsed:?}"),
            Err(err) => err,
        }
    }

    fn raw_ok(input: &str) -> ImageRef {
        ImageRef::parse_unnormalized(input).unwrap_or_else(|err| panic!("{input:?}: {err}"))
    }

    // ---- The cases the rest of minicheck relies on. ----

    /// One expectation for [`ImageRef::parse`]; empty strings stand for `None`.
    struct Case<'a> {
        input: String,
        domain: &'a str,
        path: &'a str,
        tag: &'a str,
        digest: &'a str,
        normalized: String,
        familiar: String,
    }

    fn case<'a>(
        input: &str,
        [domain, path, tag, digest]: [&'a str; 4],
        normalized: &str,
        familiar: &str,
    ) -> Case<'a> {
        Case {
            input: input.to_owned(),
            domain,
            path,
            tag,
            digest,
            normalized: normalized.to_owned(),
            familiar: familiar.to_owned(),
        }
    }

    #[test]
    fn minicheck_cases() {
        let d = format!("sha256:{FF64}");
        #[rustfmt::skip]
        let cases = [
            case("python", ["docker.io", "library/python", "", ""], "docker.io/library/python:latest", "python:latest"),
            case("user/app", ["docker.io", "user/app", "", ""], "docker.io/user/app:latest", "user/app:latest"),
            case("user/app:1", ["docker.io", "user/app", "1", ""], "docker.io/user/app:1", "user/app:1"),
            case("index.docker.io/x", ["docker.io", "library/x", "", ""], "docker.io/library/x:latest", "x:latest"),
            case("index.docker.io/u/x:1", ["docker.io", "u/x", "1", ""], "docker.io/u/x:1", "u/x:1"),
            case("docker.io/library/python:3.12", ["docker.io", "library/python", "3.12", ""], "docker.io/library/python:3.12", "python:3.12"),
            case("docker.io/user/app", ["docker.io", "user/app", "", ""], "docker.io/user/app:latest", "user/app:latest"),
            case("localhost:5000/app", ["localhost:5000", "app", "", ""], "localhost:5000/app:latest", "localhost:5000/app:latest"),
            case("localhost/app", ["localhost", "app", "", ""], "localhost/app:latest", "localhost/app:latest"),
            case("localhost", ["docker.io", "library/localhost", "", ""], "docker.io/library/localhost:latest", "localhost:latest"),
            case("reg.mini.dev/python:3.13.5-dev", ["reg.mini.dev", "python", "3.13.5-dev", ""], "reg.mini.dev/python:3.13.5-dev", "reg.mini.dev/python:3.13.5-dev"),
            case("ghcr.io/acme/minimus/python:3.13.5-dev", ["ghcr.io", "acme/minimus/python", "3.13.5-dev", ""], "ghcr.io/acme/minimus/python:3.13.5-dev", "ghcr.io/acme/minimus/python:3.13.5-dev"),
            case("[::1]:5000/app:tag", ["[::1]:5000", "app", "tag", ""], "[::1]:5000/app:tag", "[::1]:5000/app:tag"),
            case("[::1]/app", ["[::1]", "app", "", ""], "[::1]/app:latest", "[::1]/app:latest"),
            case("myhost:5000/app", ["myhost:5000", "app", "", ""], "myhost:5000/app:latest", "myhost:5000/app:latest"),
            case("Registry/app", ["Registry", "app", "", ""], "Registry/app:latest", "Registry/app:latest"),
            case("foo_bar.com/app", ["", "foo_bar.com/app", "", ""], "foo_bar.com/app:latest", "foo_bar.com/app:latest"),
            case(&format!("name@{d}"), ["docker.io", "library/name", "", &d], &format!("docker.io/library/name@{d}"), &format!("name@{d}")),
            case(&format!("name:tag@{d}"), ["docker.io", "library/name", "tag", &d], &format!("docker.io/library/name:tag@{d}"), &format!("name:tag@{d}")),
            case(&format!("x/y:t@{d}"), ["docker.io", "x/y", "t", &d], &format!("docker.io/x/y:t@{d}"), &format!("x/y:t@{d}")),
        ];
        for c in cases {
            let input = c.input.as_str();
            let parsed = parse_ok(input);
            assert_eq!(parsed.domain, c.domain, "{input:?}");
            assert_eq!(parsed.path, c.path, "{input:?}");
            assert_eq!(parsed.tag.as_deref().unwrap_or(""), c.tag, "{input:?}");
            assert_eq!(
                parsed.digest.as_deref().unwrap_or(""),
                c.digest,
                "{input:?}"
            );
            assert_eq!(parsed.normalized(), c.normalized, "{input:?}");
            assert_eq!(parsed.to_string(), c.normalized, "{input:?}");
            assert_eq!(parsed.familiar(), c.familiar, "{input:?}");
            assert_eq!(input.parse::<ImageRef>().as_ref(), Ok(&parsed));
        }
    }

    #[test]
    fn accessors() {
        let python = parse_ok("python");
        assert_eq!(python.name(), "docker.io/library/python");
        assert_eq!(python.familiar_name(), "python");
        assert_eq!(python.short_name(), "python");
        assert_eq!(python.tag_or_default(), Some("latest"));
        assert!(python.is_name_only());
        assert_eq!(python.reference_string(), "docker.io/library/python");

        let nested = parse_ok("ghcr.io/acme/minimus/python:3.13.5-dev");
        assert_eq!(nested.name(), "ghcr.io/acme/minimus/python");
        assert_eq!(nested.familiar_name(), "ghcr.io/acme/minimus/python");
        assert_eq!(nested.short_name(), "python");
        assert_eq!(nested.tag_or_default(), Some("3.13.5-dev"));
        assert!(!nested.is_name_only());

        let digest_only = parse_ok(&format!("python@sha256:{FF64}"));
        assert_eq!(digest_only.tag_or_default(), None);
        assert_eq!(
            digest_only.normalized(),
            format!("docker.io/library/python@sha256:{FF64}")
        );

        let both = parse_ok(&format!("python:3@sha256:{FF64}"));
        assert_eq!(both.tag_or_default(), Some("3"));
        assert_eq!(
            both.docker_ref(),
            format!("docker.io/library/python@sha256:{FF64}")
        );
        assert_eq!(
            both.normalized(),
            format!("docker.io/library/python:3@sha256:{FF64}")
        );

        // Only a single-level path under library/ loses its namespace.
        assert_eq!(
            parse_ok("library/foo/bar").familiar(),
            "library/foo/bar:latest"
        );
    }

    #[test]
    fn serializes_fields() {
        // serde_json is a dependency of minicheck-core already; the module itself needs only serde.
        let parsed = parse_ok("reg.mini.dev/python:3.13.5-dev");
        let json = serde_json::to_string(&parsed).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            json,
            r#"{"domain":"reg.mini.dev","path":"python","tag":"3.13.5-dev","digest":null}"#
        );
    }

    #[test]
    fn error_messages() {
        let err = parse_err("library/Python");
        assert_eq!(
            err,
            ReferenceError::UppercaseRepository {
                name: "library/Python".to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid reference format: repository name (library/Python) must be lowercase"
        );
        assert_eq!(err.distribution_message(), err.to_string());
        assert_eq!(
            parse_err("Python").to_string(),
            "invalid reference format: repository name (library/Python) must be lowercase"
        );

        let empty = parse_err("");
        assert_eq!(
            empty.to_string(),
            "invalid reference format: empty reference"
        );
        assert_eq!(empty.distribution_message(), "invalid reference format");
        assert_eq!(
            ImageRef::parse_unnormalized("").map_err(|err| err.to_string()),
            Err("repository name must have at least one component".to_owned())
        );

        let long = format!("example.com/{}", "a".repeat(256));
        assert_eq!(
            parse_err(&long),
            ReferenceError::NameTooLong { length: 256 }
        );
        assert_eq!(
            parse_err(&long).to_string(),
            "repository name must not be more than 255 characters"
        );

        let id = "e".repeat(64);
        #[rustfmt::skip]
        let cases = [
            (format!("python@sha256:{}", "f".repeat(63)), "invalid checksum digest length".to_owned()),
            (format!("python@sha256:{}", "F".repeat(64)), "invalid checksum digest format".to_owned()),
            (format!("python@SHA256:{FF64}"), "invalid reference format: repository name (library/python@SHA256) must be lowercase".to_owned()),
            (format!("python:3@SHA256:{FF64}"), "invalid checksum digest format".to_owned()),
            (format!("python@md5:{}", "f".repeat(32)), "unsupported digest algorithm".to_owned()),
            (format!("python@sha512:{FF64}"), "invalid checksum digest length".to_owned()),
            (format!("python@sha384:{}", "a".repeat(96)), String::new()),
            (id.clone(), format!("invalid repository name ({id}), cannot specify 64-byte hexadecimal strings")),
        ];
        for (input, message) in cases {
            let got = ImageRef::parse(&input).err().map(|err| err.to_string());
            assert_eq!(got.unwrap_or_default(), message, "{input:?}");
        }

        assert_eq!(
            ReferenceError::TagInvalidFormat.to_string(),
            "invalid tag format"
        );
        assert_eq!(
            ReferenceError::DigestInvalidFormat.to_string(),
            "invalid digest format"
        );
        assert_eq!(
            ImageRef::parse_canonical("python"),
            Err(ReferenceError::NameNotCanonical)
        );
        assert_eq!(
            ReferenceError::NameNotCanonical.to_string(),
            "repository name must be canonical"
        );
        assert_eq!(
            ImageRef::parse_unnormalized("Uppercase:tag").map_err(|err| err.to_string()),
            Err("repository name must be lowercase".to_owned())
        );
    }

    #[test]
    fn invalid_format_details_name_the_problem() {
        let long_tag = format!("python:{}", "t".repeat(129));
        #[rustfmt::skip]
        let cases = [
            ("python:", "empty tag after ':'"),
            ("python:-x", "tag \"-x\" must start with a letter, digit or '_'"),
            ("python:a~b", "tag \"a~b\" contains invalid character '~'"),
            (&long_tag, "tag is 129 characters long; the limit is 128"),
            (":tag", "missing name before ':'"),
            ("@sha256:abc", "missing name before '@'"),
            ("python@sha256", "digest \"sha256\" must have the form algorithm:hex"),
            ("python@sha256:abc", "must have at least 32 hexadecimal digits"),
            ("python@sha256:xyz", "must have only hexadecimal digits"),
            ("python@1sha:abc", "digest algorithm \"1sha\""),
            ("a//b", "empty component"),
            ("-docker/docker", "path component \"-docker\" must start and end"),
            ("docker/dock..er", "separator \"..\""),
            ("dock..er/docker", "registry \"dock..er\" has an empty host name label"),
            ("docker/py thon", "invalid character ' '"),
            ("foo_bar.com:8080/app", "registry \"foo_bar.com:8080\" contains invalid character '_'"),
            ("[fe80::1%eth0]:5000/repo", "registry \"[fe80::1%eth0]:5000\": an IPv6 address"),
            ("localhost:http/x", "registry \"localhost:http\" has an invalid port \"http\""),
            ("[::1]x/app", "registry \"[::1]x\" has text after ']'"),
            ("[::1/app", "registry \"[::1\" has '[' without ']'"),
            ("a-.com/app", "host name label \"a-\" starts or ends with '-'"),
        ];
        for (input, fragment) in cases {
            let err = parse_err(input);
            assert_same_kind(input, &err, &invalid());
            let message = err.to_string();
            assert!(
                message.starts_with("invalid reference format: ") && message.contains(fragment),
                "{input:?}: {message:?} lacks {fragment:?}"
            );
        }
    }

    // ---- Ported from reference_test.go. ----

    enum Want<'a> {
        /// Domain, name, tag and digest, empty when absent.
        Ok([&'a str; 4]),
        Err(ReferenceError),
    }

    /// `TestReferenceParse`: Go's `Parse`, without normalisation.
    #[test]
    fn reference_parse() {
        use Want::{Err as E, Ok as N};
        let d256 = format!("sha256:{FF64}");
        let d512 = format!("sha512:{FF64}{FF64}");
        let a127 = format!("{}a", "a/".repeat(127));
        let a128 = format!("{}a", "a/".repeat(128));
        let a255 = format!("example.com/{}", "a".repeat(255));
        #[rustfmt::skip]
        let cases: Vec<(String, Want)> = vec![
            ("test_com".into(), N(["", "test_com", "", ""])),
            ("test.com:tag".into(), N(["", "test.com", "tag", ""])),
            ("test.com:5000".into(), N(["", "test.com", "5000", ""])),
            ("test.com/repo:tag".into(), N(["test.com", "test.com/repo", "tag", ""])),
            ("test:5000/repo".into(), N(["test:5000", "test:5000/repo", "", ""])),
            ("test:5000/repo:tag".into(), N(["test:5000", "test:5000/repo", "tag", ""])),
            (format!("test:5000/repo@{d256}"), N(["test:5000", "test:5000/repo", "", &d256])),
            (format!("test:5000/repo:tag@{d256}"), N(["test:5000", "test:5000/repo", "tag", &d256])),
            ("".into(), E(ReferenceError::NameEmpty)),
            (":justtag".into(), E(invalid())),
            (format!("@{d256}"), E(invalid())),
            (format!("repo@sha256:{}", "f".repeat(34)), E(ReferenceError::ChecksumDigestLength)),
            (format!("validname@invaliddigest:{FF64}"), E(ReferenceError::UnsupportedDigestAlgorithm)),
            ("Uppercase:tag".into(), E(ReferenceError::NameContainsUppercase)),
            // Go notes that "Uppercase/lowercase:tag" passes, the first component being a domain.
            ("Uppercase/lowercase:tag".into(), N(["Uppercase", "Uppercase/lowercase", "tag", ""])),
            ("test:5000/Uppercase/lowercase:tag".into(), E(ReferenceError::NameContainsUppercase)),
            ("lowercase:Uppercase".into(), N(["", "lowercase", "Uppercase", ""])),
            (format!("domain/{}:tag", "a".repeat(256)), E(ReferenceError::NameTooLong { length: 256 })),
            (format!("{a127}:tag-puts-this-over-max"), N(["a", &a127, "tag-puts-this-over-max", ""])),
            // An older version of the Go test expected this to be too long; only the path counts now.
            (format!("{a128}:tag"), N(["a", &a128, "tag", ""])),
            ("aa/asdf$$^/aa".into(), E(invalid())),
            ("sub-dom1.foo.com/bar/baz/quux".into(), N(["sub-dom1.foo.com", "sub-dom1.foo.com/bar/baz/quux", "", ""])),
            ("sub-dom1.foo.com/bar/baz/quux:some-long-tag".into(), N(["sub-dom1.foo.com", "sub-dom1.foo.com/bar/baz/quux", "some-long-tag", ""])),
            ("b.gcr.io/test.example.com/my-app:test.example.com".into(), N(["b.gcr.io", "b.gcr.io/test.example.com/my-app", "test.example.com", ""])),
            ("xn--n3h.com/myimage:xn--n3h.com".into(), N(["xn--n3h.com", "xn--n3h.com/myimage", "xn--n3h.com", ""])),
            (format!("xn--7o8h.com/myimage:xn--7o8h.com@{d512}"), N(["xn--7o8h.com", "xn--7o8h.com/myimage", "xn--7o8h.com", &d512])),
            ("foo_bar.com:8080".into(), N(["", "foo_bar.com", "8080", ""])),
            ("foo/foo_bar.com:8080".into(), N(["foo", "foo/foo_bar.com", "8080", ""])),
            ("192.168.1.1".into(), N(["", "192.168.1.1", "", ""])),
            ("192.168.1.1:tag".into(), N(["", "192.168.1.1", "tag", ""])),
            ("192.168.1.1:5000".into(), N(["", "192.168.1.1", "5000", ""])),
            ("192.168.1.1/repo".into(), N(["192.168.1.1", "192.168.1.1/repo", "", ""])),
            ("192.168.1.1:5000/repo".into(), N(["192.168.1.1:5000", "192.168.1.1:5000/repo", "", ""])),
            ("192.168.1.1:5000/repo:5050".into(), N(["192.168.1.1:5000", "192.168.1.1:5000/repo", "5050", ""])),
            ("[2001:db8::1]".into(), E(invalid())),
            ("[2001:db8::1]:5000".into(), E(invalid())),
            ("[2001:db8::1]:tag".into(), E(invalid())),
            ("[2001:db8::1]/repo".into(), N(["[2001:db8::1]", "[2001:db8::1]/repo", "", ""])),
            ("[2001:db8:1:2:3:4:5:6]/repo:tag".into(), N(["[2001:db8:1:2:3:4:5:6]", "[2001:db8:1:2:3:4:5:6]/repo", "tag", ""])),
            ("[2001:db8::1]:5000/repo".into(), N(["[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", "", ""])),
            ("[2001:db8::1]:5000/repo:tag".into(), N(["[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", "tag", ""])),
            (format!("[2001:db8::1]:5000/repo@{d256}"), N(["[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", "", &d256])),
            (format!("[2001:db8::1]:5000/repo:tag@{d256}"), N(["[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", "tag", &d256])),
            ("[2001:db8::]:5000/repo".into(), N(["[2001:db8::]:5000", "[2001:db8::]:5000/repo", "", ""])),
            ("[::1]:5000/repo".into(), N(["[::1]:5000", "[::1]:5000/repo", "", ""])),
            ("[fe80::1%eth0]:5000/repo".into(), E(invalid())),
            ("[fe80::1%@invalidzone]:5000/repo".into(), E(invalid())),
            (format!("{a255}:tag"), N(["example.com", &a255, "tag", ""])),
        ];
        for (input, want) in cases {
            match (ImageRef::parse_unnormalized(&input), want) {
                (Err(err), Want::Err(want)) => assert_same_kind(&input, &err, &want),
                (Ok(parsed), Want::Ok([domain, name, tag, digest])) => {
                    assert_eq!(parsed.reference_string(), input);
                    assert_eq!(parsed.name(), name, "{input:?}");
                    assert_eq!(parsed.domain, domain, "{input:?}");
                    assert_eq!(parsed.tag.as_deref().unwrap_or(""), tag, "{input:?}");
                    assert_eq!(parsed.digest.as_deref().unwrap_or(""), digest, "{input:?}");
                }
                (Ok(parsed), Want::Err(want)) => panic!("{input:?}: got {parsed:?}, want {want:?}"),
                (Err(err), Want::Ok(_)) => panic!("{input:?}: unexpected error {err}"),
            }
        }
    }

    /// `TestDomainAndPath` (names given to `WithName`, which `Parse` splits the same way).
    #[test]
    fn domain_and_path() {
        let cases = [
            ("test.com/foo", "test.com", "foo"),
            ("test_com/foo", "", "test_com/foo"),
            ("test:8080/foo", "test:8080", "foo"),
            ("test.com:8080/foo", "test.com:8080", "foo"),
            ("test-com:8080/foo", "test-com:8080", "foo"),
            ("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
        ];
        for (input, domain, path) in cases {
            let parsed = raw_ok(input);
            assert_eq!(
                (parsed.domain.as_str(), parsed.path.as_str()),
                (domain, path)
            );
        }
    }

    /// The inputs of `TestSerialization` (the JSON wrapper itself has no Rust counterpart).
    #[test]
    fn serialization_inputs() {
        let digest = "sha256:1234567890098765432112345667890098765432112345667890098765432112";
        assert_eq!(
            ImageRef::parse_unnormalized(""),
            Err(ReferenceError::NameEmpty)
        );
        let with_digest = format!("other.com/named@{digest}");
        #[rustfmt::skip]
        let cases = [
            ("example.com:8000/named", "example.com:8000/named", None, None),
            ("example.com:8000/named:tagged", "example.com:8000/named", Some("tagged"), None),
            (&with_digest, "other.com/named", None, Some(digest)),
        ];
        for (input, name, tag, want_digest) in cases {
            let parsed = raw_ok(input);
            assert_eq!(parsed.name(), name);
            assert_eq!(parsed.tag.as_deref(), tag);
            assert_eq!(parsed.digest.as_deref(), want_digest);
            assert_eq!(parsed.reference_string(), input);
        }
    }

    /// `TestWithTag`.
    #[test]
    fn with_tag() {
        let d = "sha256:1234567890098765432112345667890098765";
        #[rustfmt::skip]
        let cases = [
            ("test.com/foo", "", "tag", "test.com/foo:tag".to_owned()),
            ("foo", "", "tag2", "foo:tag2".to_owned()),
            ("test.com:8000/foo", "", "tag4", "test.com:8000/foo:tag4".to_owned()),
            ("test.com:8000/foo", "", "TAG5", "test.com:8000/foo:TAG5".to_owned()),
            ("test.com:8000/foo", d, "TAG5", format!("test.com:8000/foo:TAG5@{d}")),
        ];
        for (name, digest, tag, combined) in cases {
            let mut reference = raw_ok(name);
            if !digest.is_empty() {
                reference = reference
                    .with_digest(digest)
                    .unwrap_or_else(|err| panic!("{digest:?}: {err}"));
            }
            let tagged = reference
                .with_tag(tag)
                .unwrap_or_else(|err| panic!("{tag:?}: {err}"));
            assert_eq!(tagged.reference_string(), combined);
        }
    }

    /// `TestWithDigest`.
    #[test]
    fn with_digest() {
        let d = "sha256:1234567890098765432112345667890098765";
        #[rustfmt::skip]
        let cases = [
            ("test.com/foo", "", format!("test.com/foo@{d}")),
            ("foo", "", format!("foo@{d}")),
            ("test.com:8000/foo", "", format!("test.com:8000/foo@{d}")),
            ("test.com:8000/foo", "latest", format!("test.com:8000/foo:latest@{d}")),
        ];
        for (name, tag, combined) in cases {
            let mut reference = raw_ok(name);
            if !tag.is_empty() {
                reference = reference
                    .with_tag(tag)
                    .unwrap_or_else(|err| panic!("{tag:?}: {err}"));
            }
            let digested = reference
                .with_digest(d)
                .unwrap_or_else(|err| panic!("{d:?}: {err}"));
            assert_eq!(digested.reference_string(), combined);
        }
    }

    /// `TestParseNamed`.
    #[test]
    fn parse_canonical() {
        let not_canonical = Err(ReferenceError::NameNotCanonical);
        #[rustfmt::skip]
        let cases = [
            ("test.com/foo", Ok(("test.com", "foo"))),
            ("test:8080/foo", Ok(("test:8080", "foo"))),
            ("test_com/foo", not_canonical.clone()),
            ("test.com", not_canonical.clone()),
            ("foo", not_canonical.clone()),
            ("library/foo", not_canonical.clone()),
            ("docker.io/library/foo", Ok(("docker.io", "library/foo"))),
            ("docker.io/foo", not_canonical.clone()),
        ];
        for (input, want) in cases {
            let got = ImageRef::parse_canonical(input).map(|parsed| (parsed.domain, parsed.path));
            let want = want.map(|(domain, path)| (domain.to_owned(), path.to_owned()));
            assert_eq!(got, want, "{input:?}");
        }
    }

    // ---- Ported from normalize_test.go. ----

    /// `TestValidateReferenceName`.
    #[test]
    fn validate_reference_name() {
        let valid = [
            "docker/docker",
            "library/debian",
            "debian",
            "docker.io/docker/docker",
            "docker.io/library/debian",
            "docker.io/debian",
            "index.docker.io/docker/docker",
            "index.docker.io/library/debian",
            "index.docker.io/debian",
            "127.0.0.1:5000/docker/docker",
            "127.0.0.1:5000/library/debian",
            "127.0.0.1:5000/debian",
            "192.168.0.1",
            "192.168.0.1:80",
            "192.168.0.1:8/debian",
            "192.168.0.2:25000/debian",
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "[fc00::1]:5000/docker",
            "[fc00::1]:5000/docker/docker",
            "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
            "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "Docker/docker",
            "DOCKER/docker",
        ];
        for input in valid {
            parse_ok(input);
        }
        let invalid = [
            "https://github.com/docker/docker",
            "docker/Docker",
            "-docker",
            "-docker/docker",
            "-docker.io/docker/docker",
            "docker///docker",
            "docker.io/docker/Docker",
            "docker.io/docker///docker",
            "[fc00::1]",
            "[fc00::1]:5000",
            "fc00::1:5000/debian",
            "[fe80::1%eth0]:5000/debian",
            "[2001:db8:3:4::192.0.2.33]:5000/debian",
            "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
        ];
        for input in invalid {
            parse_err(input);
        }
    }

    /// `TestValidateRemoteName`.
    #[test]
    fn validate_remote_name() {
        let valid = [
            "docker/docker",
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "docker-rules/docker",
            "docker---rules/docker",
            "doc/docker",
            "d/docker",
            "jess/t",
            "dock__er/docker",
        ];
        for input in valid {
            parse_ok(input);
        }
        let too_long =
            "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4);
        let too_long = format!("{}/docker", too_long.trim_end_matches('_'));
        let invalid = [
            "docker/Docker",
            "docker///docker",
            "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "-docker/docker",
            "docker-/docker",
            "-docker-/docker",
            "____/____",
            "_docker/_docker",
            "dock..er/docker",
            "dock_.er/docker",
            "dock-.er/docker",
            "docker/",
            &too_long,
        ];
        for input in invalid {
            parse_err(input);
        }
        assert!(matches!(
            parse_err(&too_long),
            ReferenceError::NameTooLong { .. }
        ));
    }

    /// `TestParseRepositoryInfo`.
    #[test]
    fn parse_repository_info() {
        // (remote name, familiar name, full name, ambiguous name, domain)
        #[rustfmt::skip]
        let cases = [
            ("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"),
            ("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"),
            ("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io"),
            ("other/library", "other/library", "docker.io/other/library", "", "docker.io"),
            ("private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", "", "127.0.0.1:8000"),
            ("privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", "", "127.0.0.1:8000"),
            ("private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", "", "example.com"),
            ("privatebase", "example.com/privatebase", "example.com/privatebase", "", "example.com"),
            ("private/moonbase", "example.com:8000/private/moonbase", "example.com:8000/private/moonbase", "", "example.com:8000"),
            ("privatebasee", "example.com:8000/privatebasee", "example.com:8000/privatebasee", "", "example.com:8000"),
            ("library/ubuntu-12.04-base", "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base", "docker.io"),
            ("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"),
            ("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", "", "docker.io"),
            ("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", "", "docker.io"),
            ("bar", "Foo/bar", "Foo/bar", "", "Foo"),
            ("bar", "FOO/bar", "FOO/bar", "", "FOO"),
        ];
        for (remote, familiar, full, ambiguous, domain) in cases {
            let inputs = [familiar, full, ambiguous];
            for input in inputs.into_iter().filter(|input| !input.is_empty()) {
                let parsed = parse_ok(input);
                assert_eq!(parsed.familiar_name(), familiar, "{input:?}");
                assert_eq!(parsed.reference_string(), full, "{input:?}");
                assert_eq!(parsed.domain, domain, "{input:?}");
                assert_eq!(parsed.path, remote, "{input:?}");
            }
        }
    }

    /// `TestParseReferenceWithTagAndDigest`.
    #[test]
    fn tag_and_digest() {
        let short = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
        let parsed = parse_ok(short);
        assert_eq!(
            parsed.reference_string(),
            format!("docker.io/library/{short}")
        );
        assert_eq!(parsed.tag.as_deref(), Some("latest"));
        assert!(parsed.digest.is_some());
        assert_eq!(parsed.familiar(), short);
    }

    /// `TestInvalidReferenceComponents`.
    #[test]
    fn invalid_reference_components() {
        assert_same_kind("-foo", &parse_err("-foo"), &invalid());
        let busybox = parse_ok("busybox");
        assert_eq!(
            busybox.with_tag("-foo"),
            Err(ReferenceError::TagInvalidFormat)
        );
        assert_eq!(
            busybox.with_digest("foo"),
            Err(ReferenceError::DigestInvalidFormat)
        );
    }

    /// `TestParseAnyReference`, for the inputs that name a repository.
    #[test]
    fn parse_any_reference() {
        let id = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
        let d = format!("sha256:{id}");
        #[rustfmt::skip]
        let cases = [
            ("redis".to_owned(), "docker.io/library/redis".to_owned()),
            ("redis:latest".to_owned(), "docker.io/library/redis:latest".to_owned()),
            ("docker.io/library/redis:latest".to_owned(), "docker.io/library/redis:latest".to_owned()),
            (format!("redis@{d}"), format!("docker.io/library/redis@{d}")),
            (format!("docker.io/library/redis@{d}"), format!("docker.io/library/redis@{d}")),
            ("dmcgowan/myapp".to_owned(), "docker.io/dmcgowan/myapp".to_owned()),
            ("dmcgowan/myapp:latest".to_owned(), "docker.io/dmcgowan/myapp:latest".to_owned()),
            ("docker.io/mcgowan/myapp:latest".to_owned(), "docker.io/mcgowan/myapp:latest".to_owned()),
            (format!("dmcgowan/myapp@{d}"), format!("docker.io/dmcgowan/myapp@{d}")),
            (format!("docker.io/dmcgowan/myapp@{d}"), format!("docker.io/dmcgowan/myapp@{d}")),
            (id[..63].to_owned(), format!("docker.io/library/{}", &id[..63])),
            ("dbcc1".to_owned(), "docker.io/library/dbcc1".to_owned()),
        ];
        for (input, equivalent) in cases {
            let parsed = parse_ok(&input);
            assert_eq!(parsed.reference_string(), equivalent);
            assert_eq!(ImageRef::parse_unnormalized(&equivalent), Ok(parsed));
        }
        // The Go function reads these two as bare digests. As repository references, the bare
        // image ID is refused and "sha256:<hex>" is the image "sha256" with a tag.
        assert_eq!(
            ImageRef::parse(id),
            Err(ReferenceError::HexIdentifier {
                input: id.to_owned()
            })
        );
        let as_tag = parse_ok(&d);
        assert_eq!(as_tag.path, "library/sha256");
        assert_eq!(as_tag.tag.as_deref(), Some(id));
    }

    /// `TestNormalizedSplitHostname`.
    #[test]
    fn normalized_split_hostname() {
        let cases = [
            ("test.com/foo", "test.com", "foo"),
            ("test_com/foo", "docker.io", "test_com/foo"),
            ("docker/migrator", "docker.io", "docker/migrator"),
            ("test.com:8080/foo", "test.com:8080", "foo"),
            ("test-com:8080/foo", "test-com:8080", "foo"),
            ("foo", "docker.io", "library/foo"),
            ("xn--n3h.com/foo", "xn--n3h.com", "foo"),
            ("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
            ("docker.io/foo", "docker.io", "library/foo"),
            ("docker.io/library/foo", "docker.io", "library/foo"),
            ("docker.io/library/foo/bar", "docker.io", "library/foo/bar"),
        ];
        for (input, domain, path) in cases {
            let parsed = parse_ok(input);
            assert_eq!(
                (parsed.domain.as_str(), parsed.path.as_str()),
                (domain, path)
            );
        }
    }

    /// `TestParseDockerRef`.
    #[test]
    fn parse_docker_ref() {
        let d = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";
        let busybox_latest = "docker.io/library/busybox:latest";
        #[rustfmt::skip]
        let cases = [
            ("busybox".to_owned(), busybox_latest.to_owned()),
            ("busybox:latest".to_owned(), busybox_latest.to_owned()),
            (format!("busybox@{d}"), format!("docker.io/library/busybox@{d}")),
            ("library/busybox".to_owned(), busybox_latest.to_owned()),
            ("docker.io/busybox".to_owned(), busybox_latest.to_owned()),
            ("docker.io/library/busybox".to_owned(), busybox_latest.to_owned()),
            ("docker.io/busybox:latest".to_owned(), busybox_latest.to_owned()),
            ("library/busybox:latest".to_owned(), busybox_latest.to_owned()),
            ("docker.io/library/busybox:latest".to_owned(), busybox_latest.to_owned()),
            ("gcr.io/library/busybox".to_owned(), "gcr.io/library/busybox:latest".to_owned()),
            (format!("gcr.io/library/busybox:latest@{d}"), format!("gcr.io/library/busybox@{d}")),
        ];
        for (input, expected) in cases {
            let output = parse_ok(&input).docker_ref();
            assert_eq!(output, expected, "{input:?}");
            raw_ok(&output);
        }
        // normalized() keeps both instead.
        assert_eq!(
            parse_ok(&format!("gcr.io/library/busybox:latest@{d}")).normalized(),
            format!("gcr.io/library/busybox:latest@{d}")
        );
    }

    // ---- Ported from regexp_test.go: the hand-written grammar against the Go regexps. ----

    /// `TestDomainRegexp`.
    #[test]
    fn domain_grammar() {
        let cases = [
            ("test.com", true),
            ("test.com:10304", true),
            ("test.com:http", false),
            ("localhost", true),
            ("localhost:8080", true),
            ("a", true),
            ("a.b", true),
            ("ab.cd.com", true),
            ("a-b.com", true),
            ("-ab.com", false),
            ("ab-.com", false),
            ("ab.c-om", true),
            ("ab.-com", false),
            ("ab.com-", false),
            ("0101.com", true),
            ("001a.com", true),
            ("b.gbc.io:443", true),
            ("b.gbc.io", true),
            ("xn--n3h.com", true),
            ("Asdf.com", true),
            ("192.168.1.1:75050", true),
            ("192.168.1.1:750050", true),
            ("[fd00:1:2::3]:75050", true),
            ("[fd00:1:2::3]75050", false),
            ("[fd00:1:2::3]::75050", false),
            ("[fd00:1:2::3%eth0]:75050", false),
            ("[fd00123123123]:75050", true),
            ("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050", true),
            ("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505", true),
            ("fd00:1:2::3:75050", false),
            // Additions for the hand-written matcher.
            ("", false),
            ("[]", false),
            ("[::1]", true),
            ("a.", false),
            ("a:", false),
            ("a:1:2", false),
        ];
        for (input, matches) in cases {
            assert_eq!(domain_problem(input).is_none(), matches, "{input:?}");
        }
    }

    /// `TestFullNameRegexp`: `None` means no match, otherwise the (domain, path) captures.
    #[test]
    fn name_grammar() {
        let a128 = format!("{}a", "a/".repeat(128));
        let a127 = format!("{}a", "a/".repeat(127));
        #[rustfmt::skip]
        let cases: Vec<(&str, Option<(&str, &str)>)> = vec![
            ("", None),
            ("short", Some(("", "short"))),
            ("simple/name", Some(("simple", "name"))),
            ("library/ubuntu", Some(("library", "ubuntu"))),
            ("docker/stevvooe/app", Some(("docker", "stevvooe/app"))),
            ("aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb", Some(("aa", "aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb"))),
            ("aa/aa/bb/bb/bb", Some(("aa", "aa/bb/bb/bb"))),
            ("a/a/a/a", Some(("a", "a/a/a"))),
            ("a/a/a/a/", None),
            ("a//a/a", None),
            ("a", Some(("", "a"))),
            ("a/aa", Some(("a", "aa"))),
            ("a/aa/a", Some(("a", "aa/a"))),
            ("foo.com", Some(("", "foo.com"))),
            ("foo.com/", None),
            ("foo.com:8080/bar", Some(("foo.com:8080", "bar"))),
            ("foo.com:http/bar", None),
            ("foo.com/bar", Some(("foo.com", "bar"))),
            ("foo.com/bar/baz", Some(("foo.com", "bar/baz"))),
            ("localhost:8080/bar", Some(("localhost:8080", "bar"))),
            ("sub-dom1.foo.com/bar/baz/quux", Some(("sub-dom1.foo.com", "bar/baz/quux"))),
            ("blog.foo.com/bar/baz", Some(("blog.foo.com", "bar/baz"))),
            ("a^a", None),
            ("aa/asdf$$^/aa", None),
            ("asdf$$^/aa", None),
            ("aa-a/a", Some(("aa-a", "a"))),
            (&a128, Some(("a", &a127))),
            ("a-/a/a/a", None),
            ("foo.com/a-/a/a", None),
            ("-foo/bar", None),
            ("foo/bar-", None),
            ("foo-/bar", None),
            ("foo/-bar", None),
            ("_foo/bar", None),
            ("foo_bar", Some(("", "foo_bar"))),
            ("foo_bar.com", Some(("", "foo_bar.com"))),
            ("foo_bar.com:8080", None),
            ("foo_bar.com:8080/app", None),
            ("foo.com/foo_bar", Some(("foo.com", "foo_bar"))),
            ("____/____", None),
            ("_docker/_docker", None),
            ("docker_/docker_", None),
            ("b.gcr.io/test.example.com/my-app", Some(("b.gcr.io", "test.example.com/my-app"))),
            ("xn--n3h.com/myimage", Some(("xn--n3h.com", "myimage"))),
            ("xn--7o8h.com/myimage", Some(("xn--7o8h.com", "myimage"))),
            ("example.com/xn--7o8h.com/myimage", Some(("example.com", "xn--7o8h.com/myimage"))),
            ("example.com/some_separator__underscore/myimage", Some(("example.com", "some_separator__underscore/myimage"))),
            ("example.com/__underscore/myimage", None),
            ("example.com/..dots/myimage", None),
            ("example.com/.dots/myimage", None),
            ("example.com/nodouble..dots/myimage", None),
            ("docker./docker", None),
            (".docker/docker", None),
            ("docker-/docker", None),
            ("-docker/docker", None),
            ("do..cker/docker", None),
            ("do__cker:8080/docker", None),
            ("do__cker/docker", Some(("", "do__cker/docker"))),
            ("registry.io/foo/project--id.module--name.ver---sion--name", Some(("registry.io", "foo/project--id.module--name.ver---sion--name"))),
            ("Asdf.com/foo/bar", Some(("Asdf.com", "foo/bar"))),
            ("Foo/FarB", None),
            // Additions for the hand-written matcher.
            ("a___b/c", None),
            ("a_-b/c", None),
            ("a.-b/c", None),
        ];
        for (input, want) in cases {
            assert_eq!(match_name(input).ok(), want, "{input:?}");
        }
    }

    /// `TestReferenceRegexp`: `None` means no match, otherwise the (name, tag, digest) captures.
    #[test]
    fn reference_grammar() {
        let d = "sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912";
        let t128 = "t".repeat(128);
        let odd_digest = format!("SHA256+b64.x_y-z:{FF64}");
        #[rustfmt::skip]
        let cases: Vec<(String, Option<[&str; 3]>)> = vec![
            ("registry.com:8080/myapp:tag".into(), Some(["registry.com:8080/myapp", "tag", ""])),
            (format!("registry.com:8080/myapp@{d}"), Some(["registry.com:8080/myapp", "", d])),
            (format!("registry.com:8080/myapp:tag2@{d}"), Some(["registry.com:8080/myapp", "tag2", d])),
            ("registry.com:8080/myapp@sha256:badbadbadbad".into(), None),
            ("registry.com:8080/myapp:invalid~tag".into(), None),
            ("bad_hostname.com:8080/myapp:tag".into(), None),
            // localhost is the name here, and 8080 its tag.
            (format!("localhost:8080@{d}"), Some(["localhost", "8080", d])),
            (format!("localhost:8080/name@{d}"), Some(["localhost:8080/name", "", d])),
            (format!("localhost:http/name@{d}"), None),
            (format!("localhost@{d}"), Some(["localhost", "", d])),
            ("registry.com:8080/myapp@bad".into(), None),
            ("registry.com:8080/myapp@2bad".into(), None),
            // Additions for the hand-written matcher.
            (format!("a@{d}@{d}"), None),
            (format!("a@{odd_digest}"), Some(["a", "", &odd_digest])),
            (format!("a:{t128}"), Some(["a", &t128, ""])),
            (format!("a:{t128}t"), None),
            ("a:_x.Y-z".into(), Some(["a", "_x.Y-z", ""])),
            ("a:.x".into(), None),
            ("a:".into(), None),
            ("a@".into(), None),
        ];
        for (input, want) in cases {
            let got = match_reference(&input).ok().map(|parts| {
                let name = join_name(parts.domain, parts.path);
                (name, parts.tag.unwrap_or(""), parts.digest.unwrap_or(""))
            });
            let want = want.map(|[name, tag, digest]| (name.to_owned(), tag, digest));
            assert_eq!(got, want, "{input:?}");
        }
    }

    /// `TestIdentifierRegexp`.
    #[test]
    fn identifier_grammar() {
        #[rustfmt::skip]
        let cases = [
            ("da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821", true),
            ("7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C", false),
            ("da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf", false),
            ("sha256:da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821", false),
            ("da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf98218482", false),
        ];
        for (input, matches) in cases {
            assert_eq!(is_identifier(input), matches, "{input:?}");
        }
    }

    // ---- Robustness. ----

    /// Random and mutated inputs: never a panic, and every accepted reference survives a round
    /// trip through its normalized and familiar forms.
    #[test]
    fn fuzz_never_panics_and_round_trips() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let hex64 = "e".repeat(64);
        let long = "a".repeat(250);
        #[rustfmt::skip]
        let fragments = [
            "a", "z", "0", "A", ".", "_", "__", "-", ":", "/", "@", "[", "]", "::1", "sha256:",
            "sha512:", "SHA256:", &hex64, "localhost", "docker.io", "index.docker.io", "library",
            "5000", "é", "\u{130}", "\u{212a}", "🐳", " ", "%", "~", &long,
        ];
        let seeds = [
            "python",
            "user/app:1",
            "localhost:5000/app",
            "[::1]:5000/app:tag",
            "ghcr.io/acme/minimus/python:3.13.5-dev",
            "name:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        ];
        let pool: Vec<char> = "aZ09._-:/@[]% \u{130}é~".chars().collect();
        let pick = |n: u64, len: usize| (n % len as u64) as usize;
        let mut accepted = 0;
        for round in 0..20_000 {
            let input: String = if round % 2 == 0 {
                let count = next() % 10;
                (0..count)
                    .map(|_| fragments[pick(next(), fragments.len())])
                    .collect()
            } else {
                let mut chars: Vec<char> = seeds[pick(next(), seeds.len())].chars().collect();
                for _ in 0..=next() % 3 {
                    let ch = pool[pick(next(), pool.len())];
                    let at = pick(next(), chars.len() + 1);
                    match next() % 3 {
                        0 => chars.insert(at, ch),
                        1 if at < chars.len() => {
                            chars.remove(at);
                        }
                        _ if at < chars.len() => chars[at] = ch,
                        _ => chars.push(ch),
                    }
                }
                chars.into_iter().collect()
            };
            match ImageRef::parse(&input) {
                Ok(parsed) => {
                    accepted += 1;
                    assert!(!parsed.path.is_empty(), "{input:?}");
                    assert!(parsed.path.len() <= REPOSITORY_NAME_TOTAL_LENGTH_MAX);
                    let normalized = parsed.normalized();
                    assert_eq!(
                        ImageRef::parse(&normalized).map(|again| again.normalized()),
                        Ok(normalized.clone()),
                        "{input:?}"
                    );
                    assert!(ImageRef::parse(&parsed.familiar()).is_ok(), "{input:?}");
                }
                Err(err) => {
                    let message = err.to_string();
                    assert!(
                        message.starts_with(&err.distribution_message()),
                        "{input:?}"
                    );
                }
            }
            if let Ok(raw) = ImageRef::parse_unnormalized(&input) {
                assert_eq!(raw.reference_string(), input);
            }
        }
        assert!(accepted > 1_000, "only {accepted} inputs were accepted");
    }

    #[test]
    fn huge_inputs_are_rejected_without_overflow() {
        for input in [
            "a/".repeat(100_000),
            format!("a{}", ":".repeat(100_000)),
            "@".repeat(100_000),
            "[".repeat(100_000),
            format!("python:{}", "t".repeat(100_000)),
        ] {
            assert!(ImageRef::parse(&input).is_err());
        }
    }
}
