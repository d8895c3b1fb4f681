//! The one error type of the OCI module.

/// Why a registry answer, a digest or an authentication challenge cannot be used.
///
/// Every message names what was wrong and, where a field is at fault, where it is
/// (`manifests[2].digest: ...`), so a host can show it as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OciError {
    /// The body is larger than [`super::MAX_DOCUMENT_SIZE`].
    #[error("the document is {size} bytes, more than the {limit} bytes a manifest may have")]
    TooLarge { size: usize, limit: usize },

    /// The body is not JSON, or not a JSON object.
    #[error("not a JSON document: {0}")]
    NotJson(String),

    /// A field is missing, of the wrong type or out of range.
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },

    /// A Docker image manifest, schema 1.
    #[error(
        "Docker image manifest schema 1 is not supported: the format is deprecated and current \
         Docker and containerd releases no longer pull it; push the image again with a current \
         client to get a schema 2 or OCI manifest"
    )]
    Schema1,

    /// `schemaVersion` is neither 1 (rejected as [`OciError::Schema1`]) nor 2.
    #[error(
        "unsupported schemaVersion {0}: OCI and Docker schema 2 documents have schemaVersion 2"
    )]
    UnsupportedSchemaVersion(String),

    /// A media type (declared by the body or, when the body declares none, by `Content-Type`)
    /// this module does not read.
    #[error(
        "unsupported media type {0:?}: expected an OCI image manifest or index, or a Docker \
         schema 2 manifest or manifest list"
    )]
    UnsupportedMediaType(String),

    /// `Content-Type` and the body's `mediaType` name different kinds of document (a manifest
    /// and an index).
    #[error(
        "the registry's Content-Type says {header:?} but the document declares {body:?}: one is \
         a manifest and the other an index"
    )]
    MediaTypeMismatch { header: String, body: String },

    /// A valid document of another kind than the caller expected.
    #[error("expected {expected}, got {found}")]
    UnexpectedDocument { expected: String, found: String },

    /// A digest that does not follow `algorithm:encoded`, or a registered algorithm with an
    /// encoding of the wrong length or alphabet.
    #[error("invalid digest {digest:?}: {problem}")]
    InvalidDigest { digest: String, problem: String },

    /// No entry of an index is for the wanted platform.
    #[error(
        "no image for {wanted} in the index{}",
        if available.is_empty() { String::new() } else { format!(" (it has {})", available.join(", ")) }
    )]
    NoMatchingPlatform {
        wanted: String,
        available: Vec<String>,
    },

    /// An authentication challenge a token cannot be requested for.
    #[error("cannot request a registry token: {0}")]
    Challenge(String),

    /// A token endpoint's answer without a usable token.
    #[error("invalid token response: {0}")]
    TokenResponse(String),

    /// A repository name or reference that cannot be put in a registry URL.
    #[error("invalid {what} {value:?}: {problem}")]
    InvalidName {
        what: &'static str,
        value: String,
        problem: String,
    },
}

impl OciError {
    pub(crate) fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        OciError::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}
