//! Container registries: what to ask a registry for, and how to read every answer.
//!
//! Like the rest of the core, this module does no I/O. A host (the native registry client, the
//! GitHub Action through WebAssembly) sends the requests and hands the bytes and headers back;
//! the module decides which request comes next and reads the answers, so every host asks the
//! same questions and reaches the same conclusions. `docs/oci.md` says what is read, what is
//! rejected and why, and how SBOMs are discovered.
//!
//! # A host's flow
//!
//! For an image reference (`crate::reference::ImageRef`) and a platform
//! (`crate::platform::Platform`):
//!
//! 1. `GET https://{registry_api_host(domain)}{manifest_path(repo, tag_or_digest)}` with
//!    `Accept: ACCEPT_MANIFEST`. On `401`, read `WWW-Authenticate` with
//!    [`parse_www_authenticate`], take [`bearer_challenge`], `GET` [`token_url`] with
//!    `[pull_scope(repo)]`, read it with [`parse_token_response`], and retry with
//!    `Authorization: Bearer <token>`.
//! 2. Check the body: against the digest of the reference when there is one, else against
//!    `Docker-Content-Digest` when sent ([`verify_digest`]); the image's digest is then that
//!    digest or [`sha256_digest`] of the body. Read it with
//!    `parse_document(body, content_type, Expected::ImageOrIndex)`.
//! 3. An [`Index`]: [`Index::select_platform`] gives the platform's descriptor; `GET` its digest,
//!    verify, and `parse_document(.., Expected::Image)`. A [`Manifest`]: that is the image.
//! 4. Size: [`Manifest::compressed_size`].
//! 5. SBOM, for the platform manifest's digest and then the index's (attestations may be made
//!    for either), until one is found:
//!    - BuildKit: [`Index::attestation_for`] → `GET` that manifest
//!      (`Expected::Manifest`) → [`sbom_candidates_from_manifest`] with
//!      [`AttestationSource::BuildKit`];
//!    - referrers: `GET` [`referrers_path`] (`Accept: ACCEPT_REFERRERS`), on 404 the tag
//!      [`referrers_tag`] → `parse_document(.., Expected::Index)` →
//!      [`sbom_candidates_from_referrers`] → `GET` each candidate's manifest →
//!      [`sbom_candidates_from_manifest`] with [`AttestationSource::Referrer`];
//!    - cosign: the tag [`cosign_attestation_tag`] → [`sbom_candidates_from_manifest`] with
//!      [`AttestationSource::CosignTag`].
//!
//!    Each blob candidate is fetched with [`blob_path`], verified, and handed to the SBOM reader
//!    with its [`Content`] (how it is wrapped) and format.
//!
//! # API
//!
//! | item | what |
//! |---|---|
//! | [`parse_document`], [`Expected`], [`Document`], [`Manifest`], [`Index`], [`Descriptor`], [`DocumentKind`], [`parse_descriptor`], [`MAX_DOCUMENT_SIZE`] | reading manifests and indexes |
//! | [`Index::select_platform`], [`Index::images`], [`Index::attestation_for`] | choosing from an index |
//! | [`Manifest::compressed_size`], [`Manifest::is_artifact`] | what a manifest says |
//! | [`validate_digest`], [`verify_digest`], [`sha256_digest`] | digests |
//! | [`cosign_attestation_tag`], [`cosign_signature_tag`], [`referrers_tag`] | tags derived from a digest |
//! | [`sbom_candidates_from_referrers`], [`sbom_candidates_from_manifest`], [`SbomCandidate`], [`SbomFormat`], [`DEFAULT_SBOM_PREFERENCE`], [`sbom_format_for_predicate_type`], [`sbom_format_for_media_type`] | finding SBOMs |
//! | [`parse_www_authenticate`], [`Challenge`], [`bearer_challenge`], [`token_url`], [`pull_scope`], [`parse_token_response`], [`Token`] | authentication |
//! | [`registry_api_host`], [`manifest_path`], [`blob_path`], [`referrers_path`], [`validate_repository`] | URLs |
//! | [`ACCEPT_MANIFEST`], [`ACCEPT_REFERRERS`], [`media_type`] | media types |
//!
//! Nothing here panics on any input: the JSON is walked without indexing, numbers are checked
//! before use, and the header parsers work on bytes and slice only at ASCII delimiters.

mod attestation;
mod auth;
mod digest;
mod document;
mod endpoints;
mod error;
pub mod media_type;
pub mod search;
mod select;

#[cfg(test)]
mod tests_corpus;
#[cfg(test)]
mod tests_fuzz;

pub use attestation::{
    ANNOTATION_COSIGN_PREDICATE_TYPE, ANNOTATION_IN_TOTO_PREDICATE_TYPE,
    ANNOTATION_SIGSTORE_PREDICATE_TYPE, AttestationSource, Content, DEFAULT_SBOM_PREFERENCE,
    SbomCandidate, SbomFormat, sbom_candidates_from_manifest, sbom_candidates_from_referrers,
    sbom_format_for_media_type, sbom_format_for_predicate_type,
};
pub use auth::{
    Challenge, DEFAULT_TOKEN_LIFETIME_SECS, Token, bearer_challenge, parse_token_response,
    parse_www_authenticate, pull_scope, token_url,
};
pub use digest::{
    cosign_attestation_tag, cosign_signature_tag, is_valid_tag, referrers_tag, sha256_digest,
    split_digest, validate_digest, verify_digest,
};
pub use document::{
    ANNOTATION_REFERENCE_DIGEST, ANNOTATION_REFERENCE_TYPE, Descriptor, Document, DocumentKind,
    Expected, Index, MAX_DOCUMENT_SIZE, Manifest, REFERENCE_TYPE_ATTESTATION, parse_descriptor,
    parse_document,
};
pub use endpoints::{
    blob_path, manifest_path, referrers_path, registry_api_host, validate_repository,
};
pub use error::OciError;
pub use media_type::{ACCEPT_MANIFEST, ACCEPT_REFERRERS};
