//! Finding SBOMs attached to an image.
//!
//! Three places hold them, and each yields [`SbomCandidate`]s: descriptors of what to fetch next,
//! with what is known about the SBOM inside before fetching it.
//!
//! - **OCI 1.1 referrers** (`GET /v2/<name>/referrers/<digest>`, or the referrers tag schema's
//!   `sha256-<hex>` tag when the API answers 404): an index whose entries are artifact
//!   manifests. [`sbom_candidates_from_referrers`] keeps those whose `artifactType` and
//!   annotations say they may hold an SBOM: Sigstore bundles
//!   (`application/vnd.dev.sigstore.bundle.v0.3+json`, predicate type in the annotation
//!   `dev.sigstore.bundle.predicateType`), in-toto statements and DSSE envelopes
//!   (annotation `in-toto.io/predicate-type` or `predicateType`), BuildKit attestation manifests,
//!   and SBOM documents pushed as artifacts (`application/spdx+json`,
//!   `application/vnd.cyclonedx+json`, ...). Each candidate is a manifest to fetch and pass to
//!   [`sbom_candidates_from_manifest`].
//! - **cosign's `sha256-<hex>.att` tag** ([`super::cosign_attestation_tag`]): a manifest whose
//!   layers are DSSE envelopes (`application/vnd.dsse.envelope.v1+json`), with the predicate type
//!   in the layer annotation `predicateType` when cosign set it.
//! - **BuildKit attestation manifests**: the index entry [`super::Index::attestation_for`] finds;
//!   its layers are in-toto statements (`application/vnd.in-toto+json`) with the annotation
//!   `in-toto.io/predicate-type`.
//!
//! [`sbom_candidates_from_manifest`] turns the layers of any of these manifests into blobs to
//! fetch, each with its [`Content`] (how the SBOM is wrapped). A layer whose predicate type is
//! not annotated is kept with `format: None`: only decoding its payload (the SBOM reader's job)
//! tells. Layers whose predicate type is known and is not an SBOM (SLSA provenance,
//! vulnerability reports, cosign's custom predicates) are dropped.
//!
//! Candidates come sorted by the caller's format preference ([`DEFAULT_SBOM_PREFERENCE`]: SPDX,
//! then CycloneDX), then those of unknown format, each group in document order. A format left
//! out of the preference is dropped.

use super::document::{Descriptor, Index, Manifest};
use super::media_type as mt;
use serde::Serialize;

/// Annotation BuildKit and the in-toto conventions put on a layer or referrer.
pub const ANNOTATION_IN_TOTO_PREDICATE_TYPE: &str = "in-toto.io/predicate-type";
/// Annotation cosign puts on the DSSE layers of an `.att` manifest.
pub const ANNOTATION_COSIGN_PREDICATE_TYPE: &str = "predicateType";
/// Annotation cosign puts on a Sigstore bundle referrer.
pub const ANNOTATION_SIGSTORE_PREDICATE_TYPE: &str = "dev.sigstore.bundle.predicateType";

const PREDICATE_ANNOTATIONS: [&str; 3] = [
    ANNOTATION_SIGSTORE_PREDICATE_TYPE,
    ANNOTATION_IN_TOTO_PREDICATE_TYPE,
    ANNOTATION_COSIGN_PREDICATE_TYPE,
];

/// An SBOM format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SbomFormat {
    Spdx,
    #[serde(rename = "cyclonedx")]
    CycloneDx,
}

/// SPDX first: it is what BuildKit (`docker buildx build --sbom`) attaches, so it is the format
/// most often found on images; CycloneDX next.
pub const DEFAULT_SBOM_PREFERENCE: &[SbomFormat] = &[SbomFormat::Spdx, SbomFormat::CycloneDx];

/// Where a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestationSource {
    /// The OCI 1.1 referrers API, or the referrers tag schema.
    Referrer,
    /// cosign's `sha256-<hex>.att` tag.
    CosignTag,
    /// A BuildKit attestation manifest in the image's index.
    #[serde(rename = "buildkit")]
    BuildKit,
}

impl AttestationSource {
    /// How reports name it: `referrers`, `cosign .att tag`, `BuildKit attestation`.
    pub fn label(self) -> &'static str {
        match self {
            AttestationSource::Referrer => "referrers",
            AttestationSource::CosignTag => "cosign .att tag",
            AttestationSource::BuildKit => "BuildKit attestation",
        }
    }
}

/// What the descriptor of a candidate points at, and how the SBOM is wrapped in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Content {
    /// A manifest: fetch it (`GET /v2/<name>/manifests/<digest>`, [`super::Expected::Manifest`])
    /// and pass it to [`sbom_candidates_from_manifest`].
    Manifest,
    /// A blob holding a DSSE envelope whose base64 `payload` is an in-toto statement with the
    /// SBOM as its `predicate`.
    DsseEnvelope,
    /// A blob holding an in-toto statement with the SBOM as its `predicate`.
    InTotoStatement,
    /// A blob holding a Sigstore bundle whose `dsseEnvelope` carries the in-toto statement.
    SigstoreBundle,
    /// A blob holding the SBOM document itself.
    Document,
}

/// Something that holds, or may hold, an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SbomCandidate {
    /// What to fetch.
    pub descriptor: Descriptor,
    /// The in-toto predicate type, when annotated.
    pub predicate_type: Option<String>,
    /// The SBOM format, when the predicate or media type tells; `None` until the payload is
    /// decoded.
    pub format: Option<SbomFormat>,
    pub content: Content,
    pub source: AttestationSource,
}

/// The SBOM format an in-toto predicate type names: `https://spdx.dev/Document` (also with a
/// version suffix, `https://spdx.dev/Document/v2.3`) for SPDX, `https://cyclonedx.org/bom` (also
/// `https://cyclonedx.org/bom/v1.4`) for CycloneDX. Scheme and case are not significant.
pub fn sbom_format_for_predicate_type(predicate_type: &str) -> Option<SbomFormat> {
    let p = predicate_type.trim().to_ascii_lowercase();
    let rest = p
        .strip_prefix("https://")
        .or_else(|| p.strip_prefix("http://"))?;
    let rest = rest.trim_end_matches('/');
    let is = |base: &str| {
        rest == base
            || rest
                .strip_prefix(base)
                .and_then(|s| s.strip_prefix('/'))
                .is_some_and(|version| !version.is_empty() && !version.contains('/'))
    };
    if is("spdx.dev/document") {
        Some(SbomFormat::Spdx)
    } else if is("cyclonedx.org/bom") {
        Some(SbomFormat::CycloneDx)
    } else {
        None
    }
}

/// The SBOM format of a blob or artifact media type: `application/spdx+json`, `text/spdx`,
/// `application/vnd.cyclonedx+json`, and their XML, YAML and tag-value variants. Parameters
/// (`;version=1.5`) are ignored.
pub fn sbom_format_for_media_type(media_type: &str) -> Option<SbomFormat> {
    let m = mt::essence(media_type);
    match m.as_str() {
        "application/spdx+json"
        | "application/spdx+xml"
        | "application/spdx+yaml"
        | "application/spdx"
        | "text/spdx"
        | "text/spdx+json"
        | "text/spdx+xml"
        | "application/vnd.spdx+json" => Some(SbomFormat::Spdx),
        "application/vnd.cyclonedx+json"
        | "application/vnd.cyclonedx+xml"
        | "application/vnd.cyclonedx"
        | "application/cyclonedx+json"
        | "application/cyclonedx+xml" => Some(SbomFormat::CycloneDx),
        _ => None,
    }
}

/// The envelope a blob or artifact type names, if it is one that carries in-toto statements.
fn envelope_for(media_type: &str) -> Option<Content> {
    if media_type == mt::DSSE_ENVELOPE {
        Some(Content::DsseEnvelope)
    } else if media_type == mt::IN_TOTO {
        Some(Content::InTotoStatement)
    } else if media_type.starts_with(mt::SIGSTORE_BUNDLE_PREFIX) {
        Some(Content::SigstoreBundle)
    } else {
        None
    }
}

fn predicate_of<'a>(annotations: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    PREDICATE_ANNOTATIONS
        .iter()
        .find_map(|k| annotations(k))
        .filter(|p| !p.trim().is_empty())
}

/// What is known of one candidate before ranking.
struct Found<'a> {
    descriptor: &'a Descriptor,
    predicate: Option<&'a str>,
    /// `None`: may be an SBOM, of a format only decoding tells.
    format: Option<SbomFormat>,
    content: Content,
}

/// Format of an enveloped statement with predicate type `predicate`: unknown without one, none
/// when it names something else.
fn enveloped_format(predicate: Option<&str>) -> Option<Option<SbomFormat>> {
    match predicate {
        None => Some(None),
        Some(p) => sbom_format_for_predicate_type(p).map(Some),
    }
}

/// The referrers of an image that may hold an SBOM. Each is a manifest to fetch.
pub fn sbom_candidates_from_referrers(index: &Index, prefer: &[SbomFormat]) -> Vec<SbomCandidate> {
    let found = index.manifests.iter().filter_map(|d| {
        let predicate = predicate_of(|k| d.annotation(k));
        let artifact_type = d.artifact_type.as_deref().unwrap_or("");
        let format = if artifact_type == mt::DOCKER_ATTESTATION_MANIFEST {
            // A BuildKit attestation manifest holds several statements; its annotations do not
            // say which.
            Some(None)
        } else if envelope_for(artifact_type).is_some() {
            enveloped_format(predicate)
        } else if let Some(f) = sbom_format_for_media_type(artifact_type) {
            Some(Some(f))
        } else {
            // Other artifact types (signatures, notation, vulnerability reports) are not SBOMs,
            // unless an annotation says the statement inside is one.
            predicate.and_then(sbom_format_for_predicate_type).map(Some)
        };
        Some(Found {
            descriptor: d,
            predicate,
            format: format?,
            content: Content::Manifest,
        })
    });
    rank(found, AttestationSource::Referrer, prefer)
}

/// The layers of a cosign `.att` manifest, a BuildKit attestation manifest or a referrer
/// artifact manifest that may hold an SBOM. Each is a blob to fetch.
///
/// A layer's predicate type comes from its annotations, else from the manifest's (a Sigstore
/// bundle referrer annotates the manifest, not its one layer). A layer that is an SBOM document
/// itself is recognised by its media type, or by the manifest's artifact type when the layer's
/// type is generic.
pub fn sbom_candidates_from_manifest(
    manifest: &Manifest,
    source: AttestationSource,
    prefer: &[SbomFormat],
) -> Vec<SbomCandidate> {
    let manifest_predicate = predicate_of(|k| manifest.annotation(k));
    let manifest_format = manifest
        .effective_artifact_type()
        .and_then(sbom_format_for_media_type);
    let found = manifest.layers.iter().filter_map(|layer| {
        let predicate = predicate_of(|k| layer.annotation(k)).or(manifest_predicate);
        let (format, content) = if let Some(envelope) = envelope_for(&layer.media_type) {
            (enveloped_format(predicate)?, envelope)
        } else if let Some(f) = sbom_format_for_media_type(&layer.media_type) {
            (Some(f), Content::Document)
        } else if let Some(f) =
            manifest_format.filter(|_| !mt::is_metadata_layer(&layer.media_type))
        {
            (Some(f), Content::Document)
        } else {
            return None;
        };
        Some(Found {
            descriptor: layer,
            predicate,
            format,
            content,
        })
    });
    rank(found, source, prefer)
}

fn rank<'a>(
    found: impl Iterator<Item = Found<'a>>,
    source: AttestationSource,
    prefer: &[SbomFormat],
) -> Vec<SbomCandidate> {
    let mut ranked: Vec<(usize, SbomCandidate)> = found
        .filter_map(|f| {
            let format = f.format;
            let rank = match format {
                Some(fmt) => prefer.iter().position(|p| *p == fmt)?,
                None => prefer.len(),
            };
            Some((
                rank,
                SbomCandidate {
                    descriptor: f.descriptor.clone(),
                    predicate_type: f.predicate.map(str::to_string),
                    format,
                    content: f.content,
                    source,
                },
            ))
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::{Document, Expected, parse_document};

    #[test]
    fn predicate_types() {
        use SbomFormat::*;
        for (p, f) in [
            ("https://spdx.dev/Document", Some(Spdx)),
            ("https://spdx.dev/Document/v2.3", Some(Spdx)),
            ("https://spdx.dev/Document/v3", Some(Spdx)),
            ("https://spdx.dev/Document/", Some(Spdx)),
            ("http://spdx.dev/document", Some(Spdx)),
            ("https://cyclonedx.org/bom", Some(CycloneDx)),
            ("https://cyclonedx.org/bom/v1.4", Some(CycloneDx)),
            ("https://cyclonedx.org/bom/v1.6", Some(CycloneDx)),
            ("https://slsa.dev/provenance/v1", None),
            ("https://in-toto.io/attestation/vulns/v0.1", None),
            ("https://cosign.sigstore.dev/attestation/v1", None),
            ("https://spdx.dev/Documents", None),
            ("https://spdx.dev/Document/v2/extra", None),
            ("https://cyclonedx.org/bomb", None),
            ("spdx.dev/Document", None),
            ("", None),
        ] {
            assert_eq!(sbom_format_for_predicate_type(p), f, "{p}");
        }
    }

    #[test]
    fn media_types() {
        assert_eq!(
            sbom_format_for_media_type("application/spdx+json"),
            Some(SbomFormat::Spdx)
        );
        assert_eq!(
            sbom_format_for_media_type("text/spdx"),
            Some(SbomFormat::Spdx)
        );
        assert_eq!(
            sbom_format_for_media_type("application/vnd.cyclonedx+json; version=1.5"),
            Some(SbomFormat::CycloneDx)
        );
        assert_eq!(
            sbom_format_for_media_type("application/vnd.in-toto+json"),
            None
        );
    }

    fn manifest(json: &str) -> Manifest {
        match parse_document(json.as_bytes(), None, Expected::Manifest).unwrap() {
            Document::Manifest(m) => m,
            Document::Index(_) => unreachable!(),
        }
    }

    fn index(json: &str) -> Index {
        match parse_document(json.as_bytes(), None, Expected::Index).unwrap() {
            Document::Index(i) => i,
            Document::Manifest(_) => unreachable!(),
        }
    }

    fn desc(media_type: &str, n: u32, extra: &str) -> String {
        format!(r#"{{"mediaType":"{media_type}","digest":"sha256:{n:064x}","size":{n}{extra}}}"#)
    }

    fn digests(c: &[SbomCandidate]) -> Vec<u64> {
        c.iter().map(|c| c.descriptor.size).collect()
    }

    #[test]
    fn cosign_att_manifest() {
        let ann = |p: &str| format!(r#","annotations":{{"predicateType":"{p}"}}"#);
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","config":{},"layers":[{},{},{},{},{}]}}"#,
            mt::OCI_MANIFEST,
            desc(mt::OCI_CONFIG, 9, ""),
            desc(
                mt::DSSE_ENVELOPE,
                1,
                &ann("https://slsa.dev/provenance/v0.2")
            ),
            desc(mt::DSSE_ENVELOPE, 2, &ann("https://cyclonedx.org/bom")),
            desc(mt::DSSE_ENVELOPE, 3, ""),
            desc(mt::DSSE_ENVELOPE, 4, &ann("https://spdx.dev/Document")),
            desc("application/vnd.dev.cosign.simplesigning.v1+json", 5, ""),
        );
        let m = manifest(&json);
        assert!(m.is_artifact());
        let c = sbom_candidates_from_manifest(
            &m,
            AttestationSource::CosignTag,
            DEFAULT_SBOM_PREFERENCE,
        );
        // SPDX, CycloneDX, then the unannotated layer to decode; provenance and the signature
        // dropped.
        assert_eq!(digests(&c), [4, 2, 3]);
        assert_eq!(c[0].format, Some(SbomFormat::Spdx));
        assert_eq!(
            c[0].predicate_type.as_deref(),
            Some("https://spdx.dev/Document")
        );
        assert_eq!(c[2].format, None);
        assert!(c.iter().all(|c| c.content == Content::DsseEnvelope));
        assert!(c.iter().all(|c| c.source == AttestationSource::CosignTag));
        // Preferring CycloneDX reverses the first two; leaving SPDX out drops it.
        let c = sbom_candidates_from_manifest(
            &m,
            AttestationSource::CosignTag,
            &[SbomFormat::CycloneDx, SbomFormat::Spdx],
        );
        assert_eq!(digests(&c), [2, 4, 3]);
        let c = sbom_candidates_from_manifest(
            &m,
            AttestationSource::CosignTag,
            &[SbomFormat::CycloneDx],
        );
        assert_eq!(digests(&c), [2, 3]);
        let c = sbom_candidates_from_manifest(&m, AttestationSource::CosignTag, &[]);
        assert_eq!(digests(&c), [3]);
    }

    #[test]
    fn sigstore_bundle_referrer_manifest() {
        // cosign 3 annotates the manifest, not its one layer.
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","artifactType":"{}","config":{},"layers":[{}],
                "annotations":{{"dev.sigstore.bundle.predicateType":"https://spdx.dev/Document/v2.3"}},
                "subject":{}}}"#,
            mt::OCI_MANIFEST,
            mt::SIGSTORE_BUNDLE_V03,
            desc(mt::OCI_EMPTY, 2, ""),
            desc(mt::SIGSTORE_BUNDLE_V03, 7, ""),
            desc(mt::OCI_MANIFEST, 8, ""),
        );
        let c = sbom_candidates_from_manifest(
            &manifest(&json),
            AttestationSource::Referrer,
            DEFAULT_SBOM_PREFERENCE,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].content, Content::SigstoreBundle);
        assert_eq!(c[0].format, Some(SbomFormat::Spdx));
        assert_eq!(
            c[0].predicate_type.as_deref(),
            Some("https://spdx.dev/Document/v2.3")
        );
    }

    #[test]
    fn plain_sbom_artifact() {
        // `oras attach --artifact-type application/spdx+json` with a generic layer type.
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","artifactType":"application/spdx+json","config":{},"layers":[{},{}]}}"#,
            mt::OCI_MANIFEST,
            desc(mt::OCI_EMPTY, 2, ""),
            desc("application/vnd.oci.image.layer.v1.tar", 5, ""),
            desc(mt::CYCLONEDX_JSON, 6, ""),
        );
        let c = sbom_candidates_from_manifest(
            &manifest(&json),
            AttestationSource::Referrer,
            DEFAULT_SBOM_PREFERENCE,
        );
        assert_eq!(digests(&c), [5, 6]);
        assert!(c.iter().all(|c| c.content == Content::Document));
        assert_eq!(c[1].format, Some(SbomFormat::CycloneDx));
    }

    #[test]
    fn image_manifest_has_no_candidates() {
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","config":{},"layers":[{}]}}"#,
            mt::OCI_MANIFEST,
            desc(mt::OCI_CONFIG, 2, ""),
            desc("application/vnd.oci.image.layer.v1.tar+gzip", 5, ""),
        );
        assert!(
            sbom_candidates_from_manifest(
                &manifest(&json),
                AttestationSource::Referrer,
                DEFAULT_SBOM_PREFERENCE
            )
            .is_empty()
        );
    }

    #[test]
    fn referrers_index() {
        let entry = |n: u32, artifact_type: &str, annotations: &str| {
            desc(
                mt::OCI_MANIFEST,
                n,
                &format!(r#","artifactType":"{artifact_type}","annotations":{{{annotations}}}"#),
            )
        };
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[{},{},{},{},{},{},{},{},{}]}}"#,
            mt::OCI_INDEX,
            entry(1, "application/vnd.dev.cosign.artifact.sig.v1+json", ""),
            entry(
                2,
                mt::SIGSTORE_BUNDLE_V03,
                r#""dev.sigstore.bundle.predicateType":"https://slsa.dev/provenance/v1""#
            ),
            entry(
                3,
                mt::SIGSTORE_BUNDLE_V03,
                r#""dev.sigstore.bundle.predicateType":"https://cyclonedx.org/bom""#
            ),
            entry(4, mt::SIGSTORE_BUNDLE_V03, ""),
            entry(
                5,
                mt::IN_TOTO,
                r#""in-toto.io/predicate-type":"https://spdx.dev/Document""#
            ),
            entry(6, "application/spdx+json", ""),
            entry(7, "application/vnd.cncf.notary.signature", ""),
            entry(
                8,
                mt::DOCKER_ATTESTATION_MANIFEST,
                r#""vnd.docker.reference.type":"attestation-manifest""#
            ),
            entry(
                9,
                "application/vnd.example.report",
                r#""in-toto.io/predicate-type":"https://cyclonedx.org/bom/v1.5""#
            ),
        );
        let c = sbom_candidates_from_referrers(&index(&json), DEFAULT_SBOM_PREFERENCE);
        assert_eq!(digests(&c), [5, 6, 3, 9, 4, 8]);
        assert!(c.iter().all(|c| c.content == Content::Manifest));
        assert!(c.iter().all(|c| c.source == AttestationSource::Referrer));
        assert_eq!(c[4].format, None);
        let empty = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[]}}"#,
            mt::OCI_INDEX
        );
        assert!(sbom_candidates_from_referrers(&index(&empty), DEFAULT_SBOM_PREFERENCE).is_empty());
    }

    #[test]
    fn serialises_for_hosts() {
        let json = format!(
            r#"{{"schemaVersion":2,"config":{},"layers":[{}]}}"#,
            desc(mt::OCI_EMPTY, 2, ""),
            desc(
                mt::IN_TOTO,
                3,
                r#","annotations":{"in-toto.io/predicate-type":"https://spdx.dev/Document"}"#
            ),
        );
        let c = sbom_candidates_from_manifest(
            &manifest(&json),
            AttestationSource::BuildKit,
            DEFAULT_SBOM_PREFERENCE,
        );
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v[0]["format"], "spdx");
        assert_eq!(v[0]["content"], "in-toto-statement");
        assert_eq!(v[0]["source"], "buildkit");
        assert_eq!(v[0]["predicateType"], "https://spdx.dev/Document");
    }
}
