//! Media types the OCI module names, and the grammar every media type must follow.

/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index (multi-platform images, and the referrers API's answer).
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker image manifest, schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list (Docker's multi-platform index).
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// Docker image manifest, schema 1 (unsigned). Rejected.
pub const DOCKER_SCHEMA1: &str = "application/vnd.docker.distribution.manifest.v1+json";
/// Docker image manifest, schema 1 (signed). Rejected.
pub const DOCKER_SCHEMA1_SIGNED: &str = "application/vnd.docker.distribution.manifest.v1+prettyjws";
/// The OCI artifact manifest of the 1.1 release candidates, withdrawn before 1.1.0. Rejected.
pub const OCI_ARTIFACT_MANIFEST: &str = "application/vnd.oci.artifact.manifest.v1+json";

/// OCI image configuration.
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// Docker image configuration.
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
/// The empty descriptor's media type (`{}`), the config of most artifacts.
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";

/// A DSSE envelope (cosign's `.att` layers): base64 payload, usually an in-toto statement.
pub const DSSE_ENVELOPE: &str = "application/vnd.dsse.envelope.v1+json";
/// An in-toto statement in plain JSON (BuildKit's attestation layers).
pub const IN_TOTO: &str = "application/vnd.in-toto+json";
/// A Sigstore bundle, v0.3 (cosign 3's attestations, stored as OCI 1.1 referrers).
pub const SIGSTORE_BUNDLE_V03: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// Prefix shared by every Sigstore bundle media type.
pub const SIGSTORE_BUNDLE_PREFIX: &str = "application/vnd.dev.sigstore.bundle";
/// BuildKit's attestation manifest artifact type.
pub const DOCKER_ATTESTATION_MANIFEST: &str = "application/vnd.docker.attestation.manifest.v1+json";

/// SPDX JSON.
pub const SPDX_JSON: &str = "application/spdx+json";
/// SPDX tag-value.
pub const SPDX_TEXT: &str = "text/spdx";
/// CycloneDX JSON.
pub const CYCLONEDX_JSON: &str = "application/vnd.cyclonedx+json";
/// CycloneDX XML.
pub const CYCLONEDX_XML: &str = "application/vnd.cyclonedx+xml";

/// The `Accept` header for `GET /v2/<name>/manifests/<reference>`: the four document types this
/// module reads, indexes first. Schema 1 is deliberately absent: a registry that can only offer
/// schema 1 answers 404 or converts, and a client that lists it gets signed JWS it must refuse.
pub const ACCEPT_MANIFEST: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// The `Accept` header for `GET /v2/<name>/referrers/<digest>`: the referrers API answers with an
/// OCI index.
pub const ACCEPT_REFERRERS: &str = OCI_INDEX;

/// Whether `s` follows the OCI descriptor grammar for media types:
/// `^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$`
/// (RFC 6838's restricted names, without parameters).
pub fn is_valid_media_type(s: &str) -> bool {
    let Some((ty, sub)) = s.split_once('/') else {
        return false;
    };
    is_restricted_name(ty) && is_restricted_name(sub)
}

fn is_restricted_name(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    b.len() <= 127
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(c))
}

/// The media type of an HTTP `Content-Type` value: parameters (`; charset=utf-8`) and surrounding
/// white space removed, lowercased (media types compare case-insensitively).
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a `Content-Type` says nothing about which manifest format a body is: absent, empty, or
/// one of the generic types registries and proxies fall back to.
pub fn is_generic_content_type(essence: &str) -> bool {
    matches!(
        essence,
        "" | "application/json"
            | "text/json"
            | "text/plain"
            | "application/octet-stream"
            | "binary/octet-stream"
    )
}

/// Whether `mt` is the media type of a Docker schema 1 manifest.
pub fn is_schema1(mt: &str) -> bool {
    mt == DOCKER_SCHEMA1 || mt == DOCKER_SCHEMA1_SIGNED
}

/// Whether `mt` is an image configuration type (OCI or Docker).
pub fn is_image_config(mt: &str) -> bool {
    mt == OCI_CONFIG || mt == DOCKER_CONFIG
}

/// Whether `mt` is a layer type that carries an attestation, signature or SBOM rather than a file
/// system: a manifest with such a layer is an artifact, not an image.
pub fn is_metadata_layer(mt: &str) -> bool {
    mt == DSSE_ENVELOPE
        || mt == IN_TOTO
        || mt.starts_with(SIGSTORE_BUNDLE_PREFIX)
        || mt == "application/vnd.dev.cosign.simplesigning.v1+json"
        || super::attestation::sbom_format_for_media_type(mt).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_grammar() {
        assert!(is_valid_media_type(OCI_MANIFEST));
        assert!(is_valid_media_type("text/plain"));
        assert!(is_valid_media_type(&format!(
            "{}/{}",
            "a".repeat(127),
            "b".repeat(127)
        )));
        for bad in [
            "",
            "application",
            ".foo/bar",
            "foo/.bar",
            "foo/",
            "/bar",
            "foo/bar/baz",
            "text/plain; charset=utf-8",
            "spdx+json",
            "invalid",
        ] {
            assert!(!is_valid_media_type(bad), "{bad:?}");
        }
        assert!(!is_valid_media_type(&format!("{}/bar", "a".repeat(128))));
        assert!(!is_valid_media_type(&format!("foo/{}", "a".repeat(128))));
        assert!(!is_valid_media_type("fóo/bar"));
    }

    #[test]
    fn content_type_essence() {
        assert_eq!(
            essence(" Application/VND.OCI.image.manifest.v1+json ; charset=utf-8"),
            OCI_MANIFEST
        );
        assert_eq!(essence(""), "");
        assert!(is_generic_content_type(&essence(
            "application/json; charset=utf-8"
        )));
        assert!(is_generic_content_type(&essence("text/plain")));
        assert!(!is_generic_content_type(&essence(OCI_INDEX)));
    }

    #[test]
    fn accept_header_lists_the_four_readable_types() {
        let types: Vec<&str> = ACCEPT_MANIFEST.split(", ").collect();
        assert_eq!(
            types,
            [
                OCI_INDEX,
                OCI_MANIFEST,
                DOCKER_MANIFEST_LIST,
                DOCKER_MANIFEST
            ]
        );
    }

    #[test]
    fn metadata_layers() {
        assert!(is_metadata_layer(DSSE_ENVELOPE));
        assert!(is_metadata_layer(IN_TOTO));
        assert!(is_metadata_layer(SIGSTORE_BUNDLE_V03));
        assert!(is_metadata_layer(SPDX_JSON));
        assert!(!is_metadata_layer(
            "application/vnd.oci.image.layer.v1.tar+gzip"
        ));
    }
}
