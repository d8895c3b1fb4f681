//! The shared corpus: the OCI image specification's examples and schema tests, containers/image's
//! manifest fixtures, and BuildKit's attestation storage examples.

use super::*;
use crate::platform::Platform;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/oci")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn manifest(doc: Document) -> Manifest {
    match doc {
        Document::Manifest(m) => m,
        Document::Index(_) => panic!("an index"),
    }
}

fn index(doc: Document) -> Index {
    match doc {
        Document::Index(i) => i,
        Document::Manifest(_) => panic!("a manifest"),
    }
}

/// A short name for an outcome: "ok", "not-json", "schema1", or the field an `Invalid` names.
fn outcome<T>(r: &Result<T, OciError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(OciError::NotJson(_)) => "not-json".into(),
        Err(OciError::Schema1) => "schema1".into(),
        Err(OciError::Invalid { field, .. }) => field.clone(),
        Err(OciError::UnsupportedSchemaVersion(_)) => "schema-version".into(),
        Err(OciError::UnexpectedDocument { .. }) => "unexpected".into(),
        Err(e) => format!("other: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// image-spec

enum Reader {
    Descriptor,
    Index,
    Manifest,
    /// Not something this module reads.
    NotApplicable,
}

fn run(reader: &Reader, bytes: &[u8]) -> Option<String> {
    Some(match reader {
        Reader::Descriptor => outcome(&parse_descriptor(bytes)),
        Reader::Index => outcome(&parse_document(
            bytes,
            Some(media_type::OCI_INDEX),
            Expected::Index,
        )),
        Reader::Manifest => outcome(&parse_document(
            bytes,
            Some(media_type::OCI_MANIFEST),
            Expected::Manifest,
        )),
        Reader::NotApplicable => return None,
    })
}

/// Why a failing schema test is rejected: the field at fault (the reason the test names), or
/// `not-json` where the case is not JSON. Every `-fail` case of the kinds this module reads is
/// listed; `accepted` marks the exceptions.
const FAIL_REASONS: &[(&str, &str)] = &[
    ("descriptor-013", "descriptor.mediaType"),
    ("descriptor-014", "descriptor.mediaType"),
    ("descriptor-015", "descriptor.mediaType"),
    ("descriptor-016", "descriptor.mediaType"),
    ("descriptor-018", "descriptor.mediaType"),
    ("descriptor-019", "descriptor.mediaType"),
    ("descriptor-020", "descriptor.size"),
    ("descriptor-021", "descriptor.size"),
    ("descriptor-022", "descriptor.digest"),
    ("descriptor-023", "descriptor.digest"),
    ("descriptor-024", "descriptor.digest"),
    ("descriptor-025", "descriptor.digest"),
    ("descriptor-026", "descriptor.digest"),
    // `urls` must be URIs; they are not used, so not checked beyond being strings.
    ("descriptor-028", "accepted"),
    ("descriptor-030", "descriptor.artifactType"),
    ("descriptor-037", "descriptor.digest"),
    // Two Go test cases run together by the extraction; see `image_spec_broken_extractions`.
    ("descriptor-039", "not-json"),
    ("descriptor-040", "descriptor.size"),
    ("imageindex-041", "manifests[0].mediaType"),
    ("imageindex-042", "manifests[0].size"),
    ("imageindex-043", "manifests[0].digest"),
    ("imageindex-044", "manifests[0].platform.architecture"),
    ("imageindex-045", "manifests[0].mediaType"),
    ("imageindex-046", "manifests[0].mediaType"),
    ("imageindex-052", "subject"),
    ("manifest-055", "config.mediaType"),
    // The Go test case itself is not JSON (an unclosed object).
    ("manifest-056", "not-json"),
    ("manifest-057", "layers[0].size"),
    // Empty `layers`: the schema says at least one, the specification only SHOULD; BuildKit and
    // Docker write manifests without layers for `FROM scratch` images without files.
    ("manifest-060", "accepted"),
    ("manifest-062", "subject"),
    ("manifest-063", "layers[0].digest"),
];

/// Passing cases this module rejects, and why.
const PASS_EXCEPTIONS: &[(&str, &str)] = &[
    // Two Go test cases run together by the extraction; see `image_spec_broken_extractions`.
    ("manifest-061", "not-json"),
];

#[test]
fn image_spec_cases() {
    let root = corpus().join("image-spec");
    let index_text = String::from_utf8(read(&root.join("INDEX.jsonl"))).unwrap();
    let fail_reasons: BTreeMap<&str, &str> = FAIL_REASONS.iter().copied().collect();
    let pass_exceptions: BTreeMap<&str, &str> = PASS_EXCEPTIONS.iter().copied().collect();
    let (mut pass_ok, mut fail_ok, mut not_applicable, mut exceptions) = (0, 0, 0, Vec::new());
    let mut seen_fail = Vec::new();
    for line in index_text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = entry["file"].as_str().unwrap();
        let reader = match (entry["field"].as_str(), entry["mediatype"].as_str()) {
            (Some("descriptor"), _) | (_, Some("application/vnd.oci.descriptor.v1+json")) => {
                Reader::Descriptor
            }
            (Some("imageIndex"), _) | (_, Some(media_type::OCI_INDEX)) => Reader::Index,
            (Some("manifest"), _) | (_, Some(media_type::OCI_MANIFEST)) => Reader::Manifest,
            // Image configs and layouts: this module never reads a config blob (the size comes
            // from the manifest, the platform from the index) nor an OCI layout on disk.
            _ => Reader::NotApplicable,
        };
        let expect_fail = entry["expect_fail"].as_bool().unwrap_or(false);
        let name = Path::new(file)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches("-pass")
            .trim_end_matches("-fail")
            .to_string();
        let Some(got) = run(&reader, &read(&root.join(file))) else {
            not_applicable += 1;
            continue;
        };
        if expect_fail {
            seen_fail.push(name.clone());
            let want = fail_reasons
                .get(name.as_str())
                .unwrap_or_else(|| panic!("{file}: no reason listed (got {got})"));
            if *want == "accepted" {
                assert_eq!(got, "ok", "{file}");
                exceptions.push(file.to_string());
            } else {
                assert_eq!(&got, want, "{file}: rejected for another reason");
                fail_ok += 1;
            }
        } else if let Some(want) = pass_exceptions.get(name.as_str()) {
            assert_eq!(&got, want, "{file}");
            exceptions.push(file.to_string());
        } else {
            assert_eq!(got, "ok", "{file}");
            pass_ok += 1;
        }
    }
    assert_eq!(
        seen_fail.len(),
        FAIL_REASONS.len(),
        "every listed reason is used"
    );
    // 78 cases: 13 specification examples and 65 schema tests.
    assert_eq!(
        (pass_ok, fail_ok, exceptions.len(), not_applicable),
        (32, 29, 3, 14),
        "{exceptions:?}"
    );
}

/// Two schema test files hold two Go test cases each, run together with the Go source between
/// them; as files they are not JSON. Each embedded case is checked on its own here.
#[test]
fn image_spec_broken_extractions() {
    let root = corpus().join("image-spec/schema-tests");
    let split = |file: &str| -> Vec<Vec<u8>> {
        let text = String::from_utf8(read(&root.join(file))).unwrap();
        let (first, rest) = text.split_once('`').unwrap();
        let second = rest.rsplit_once('`').unwrap().1;
        vec![first.as_bytes().to_vec(), second.as_bytes().to_vec()]
    };
    // manifest-061: unregistered digest algorithms at the bounds of the grammar, then a
    // manifest with a valid subject. Both pass.
    for case in split("manifest-061-pass.json") {
        assert_eq!(
            outcome(&parse_document(&case, None, Expected::Manifest)),
            "ok"
        );
    }
    // descriptor-039: a digest whose encoding keeps base64 padding (the schema's grammar allows
    // `=`), then `data` without its padding. Both are accepted: the first as the schema does,
    // the second because `data` is never decoded. Listed as an exception.
    for case in split("descriptor-039-fail.json") {
        assert_eq!(outcome(&parse_descriptor(&case)), "ok");
    }
}

// ---------------------------------------------------------------------------------------------
// containers/image

#[derive(Debug)]
enum Want {
    /// Read as this kind; for manifests, the compressed size.
    Manifest(DocumentKind, u64),
    /// Read as a manifest that is an artifact, not an image.
    Artifact(DocumentKind),
    Index(DocumentKind, usize),
    /// Rejected with this outcome (see [`outcome`]).
    Rejected(&'static str),
}

use DocumentKind::{DockerManifest, DockerManifestList, OciIndex, OciManifest};

/// Every fixture, with what reading it must give. Sizes were summed by hand with
/// `jq '[.layers[].size] | add'`. Image configs (`*-config.json`) are not manifests and are
/// rejected for their missing `schemaVersion`.
const FIXTURES: &[(&str, Want)] = &[
    (
        "internal/image/fixtures/oci1-all-media-types-config.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/oci1-all-media-types-to-schema2-config.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/oci1-all-media-types-to-schema2.json",
        Want::Manifest(DockerManifest, 71_936_297),
    ),
    // zstd and non-distributable layers count like any other.
    (
        "internal/image/fixtures/oci1-all-media-types.json",
        Want::Manifest(OciManifest, 71_936_297),
    ),
    (
        "internal/image/fixtures/oci1-artifact.json",
        Want::Artifact(OciManifest),
    ),
    (
        "internal/image/fixtures/oci1-config-extra-fields.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/oci1-config.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/oci1-extra-config-fields.json",
        Want::Manifest(OciManifest, 71_936_145),
    ),
    // No mediaType, and a layer type with an unknown suffix: unknown layer types are ignored, as
    // the specification requires (containers/image rejects it).
    (
        "internal/image/fixtures/oci1-invalid-media-type.json",
        Want::Manifest(OciManifest, 51_354_364),
    ),
    (
        "internal/image/fixtures/oci1-to-schema1.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/image/fixtures/oci1-to-schema2-config.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/oci1-to-schema2.json",
        Want::Manifest(DockerManifest, 71_936_145),
    ),
    (
        "internal/image/fixtures/oci1.encrypted.json",
        Want::Manifest(OciManifest, 71_936_145),
    ),
    (
        "internal/image/fixtures/oci1.json",
        Want::Manifest(OciManifest, 71_936_145),
    ),
    (
        "internal/image/fixtures/schema1-for-oci-config.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/image/fixtures/schema1-to-oci1-config.json",
        Want::Rejected("schemaVersion"),
    ),
    // containers/image's conversion wrote the unknown config size as -1.
    (
        "internal/image/fixtures/schema1-to-oci1.json",
        Want::Rejected("config.size"),
    ),
    (
        "internal/image/fixtures/schema1-to-schema2-config.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/schema1-to-schema2.json",
        Want::Rejected("config.size"),
    ),
    (
        "internal/image/fixtures/schema1.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/image/fixtures/schema2-all-media-types-to-oci1.json",
        Want::Manifest(OciManifest, 71_936_147),
    ),
    (
        "internal/image/fixtures/schema2-all-media-types.json",
        Want::Manifest(DockerManifest, 71_936_147),
    ),
    (
        "internal/image/fixtures/schema2-config.json",
        Want::Rejected("schemaVersion"),
    ),
    // A Docker manifest with an octet-stream config and a made-up zstd layer type: an image.
    (
        "internal/image/fixtures/schema2-invalid-media-type.json",
        Want::Manifest(DockerManifest, 71_936_145),
    ),
    (
        "internal/image/fixtures/schema2-to-oci1-config.json",
        Want::Rejected("schemaVersion"),
    ),
    (
        "internal/image/fixtures/schema2-to-oci1.json",
        Want::Manifest(OciManifest, 71_936_145),
    ),
    (
        "internal/image/fixtures/schema2-to-schema1-by-docker.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/image/fixtures/schema2.json",
        Want::Manifest(DockerManifest, 71_936_145),
    ),
    (
        "internal/manifest/testdata/non-json.manifest.json",
        Want::Rejected("not-json"),
    ),
    (
        "internal/manifest/testdata/oci1.index.everything.json",
        Want::Index(OciIndex, 1),
    ),
    (
        "internal/manifest/testdata/oci1.index.zstd-selection.json",
        Want::Index(OciIndex, 6),
    ),
    (
        "internal/manifest/testdata/oci1.index.zstd-selection2.json",
        Want::Index(OciIndex, 10),
    ),
    (
        "internal/manifest/testdata/oci1index.json",
        Want::Index(OciIndex, 3),
    ),
    (
        "internal/manifest/testdata/ocilist-variants.json",
        Want::Index(OciIndex, 6),
    ),
    // An artifact whose config has an empty digest.
    (
        "internal/manifest/testdata/ociv1.artifact.json",
        Want::Rejected("config.digest"),
    ),
    (
        "internal/manifest/testdata/ociv1.image.index.json",
        Want::Index(OciIndex, 2),
    ),
    (
        "internal/manifest/testdata/ociv1.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "internal/manifest/testdata/ociv1nomime.artifact.json",
        Want::Rejected("config.digest"),
    ),
    (
        "internal/manifest/testdata/ociv1nomime.image.index.json",
        Want::Index(OciIndex, 2),
    ),
    (
        "internal/manifest/testdata/ociv1nomime.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "internal/manifest/testdata/schema2-to-schema1-by-docker.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/manifest/testdata/schema2list-variants.json",
        Want::Index(DockerManifestList, 4),
    ),
    (
        "internal/manifest/testdata/schema2list.json",
        Want::Index(DockerManifestList, 7),
    ),
    (
        "internal/manifest/testdata/unknown-version.manifest.json",
        Want::Rejected("schema-version"),
    ),
    (
        "internal/manifest/testdata/v2list.everything.json",
        Want::Index(DockerManifestList, 1),
    ),
    // A list of schema 1 manifests: the list is readable, selecting from it is not.
    (
        "internal/manifest/testdata/v2list.manifest.json",
        Want::Index(DockerManifestList, 5),
    ),
    (
        "internal/manifest/testdata/v2s1-invalid-signatures.manifest.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/manifest/testdata/v2s1-unsigned.manifest.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/manifest/testdata/v2s1.manifest.json",
        Want::Rejected("schema1"),
    ),
    (
        "internal/manifest/testdata/v2s2.manifest.json",
        Want::Manifest(DockerManifest, 122_487),
    ),
    // A Docker config without a mediaType: Docker schema 2 must declare it.
    (
        "internal/manifest/testdata/v2s2nomime.manifest.json",
        Want::Rejected("mediaType"),
    ),
    (
        "manifest/fixtures/non-json.manifest.json",
        Want::Rejected("not-json"),
    ),
    (
        "manifest/fixtures/ociv1.artifact.json",
        Want::Rejected("config.digest"),
    ),
    (
        "manifest/fixtures/ociv1.encrypted.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "manifest/fixtures/ociv1.everything.json",
        Want::Artifact(OciManifest),
    ),
    (
        "manifest/fixtures/ociv1.image.index.json",
        Want::Index(OciIndex, 2),
    ),
    (
        "manifest/fixtures/ociv1.invalid.mediatype.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "manifest/fixtures/ociv1.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "manifest/fixtures/ociv1.nondistributable.gzip.manifest.json",
        Want::Manifest(OciManifest, 32_654),
    ),
    (
        "manifest/fixtures/ociv1.nondistributable.manifest.json",
        Want::Manifest(OciManifest, 32_654),
    ),
    (
        "manifest/fixtures/ociv1.nondistributable.zstd.manifest.json",
        Want::Manifest(OciManifest, 32_654),
    ),
    (
        "manifest/fixtures/ociv1.uncompressed.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "manifest/fixtures/ociv1.zstd.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "manifest/fixtures/ociv1nomime.artifact.json",
        Want::Rejected("config.digest"),
    ),
    (
        "manifest/fixtures/ociv1nomime.image.index.json",
        Want::Index(OciIndex, 2),
    ),
    (
        "manifest/fixtures/ociv1nomime.manifest.json",
        Want::Manifest(OciManifest, 122_487),
    ),
    (
        "manifest/fixtures/schema2-to-schema1-by-docker.json",
        Want::Rejected("schema1"),
    ),
    (
        "manifest/fixtures/unknown-version.manifest.json",
        Want::Rejected("schema-version"),
    ),
    (
        "manifest/fixtures/v2list.manifest.json",
        Want::Index(DockerManifestList, 5),
    ),
    (
        "manifest/fixtures/v2s1-invalid-signatures.manifest.json",
        Want::Rejected("schema1"),
    ),
    (
        "manifest/fixtures/v2s1-unsigned.manifest.json",
        Want::Rejected("schema1"),
    ),
    (
        "manifest/fixtures/v2s1.everything.json",
        Want::Rejected("schema1"),
    ),
    (
        "manifest/fixtures/v2s1.manifest.json",
        Want::Rejected("schema1"),
    ),
    (
        "manifest/fixtures/v2s2.everything.json",
        Want::Manifest(DockerManifest, 2),
    ),
    (
        "manifest/fixtures/v2s2.manifest.json",
        Want::Manifest(DockerManifest, 122_487),
    ),
    (
        "manifest/fixtures/v2s2.nondistributable.gzip.manifest.json",
        Want::Manifest(DockerManifest, 32_654),
    ),
    (
        "manifest/fixtures/v2s2.nondistributable.manifest.json",
        Want::Manifest(DockerManifest, 32_654),
    ),
    (
        "manifest/fixtures/v2s2.uncompressed.manifest.json",
        Want::Manifest(DockerManifest, 122_487),
    ),
    (
        "manifest/fixtures/v2s2nomime.manifest.json",
        Want::Rejected("mediaType"),
    ),
];

/// The fixture's bytes. Some files are git symbolic links checked out as text: one line holding
/// a relative path, followed like the link.
fn fixture(rel: &str) -> Vec<u8> {
    let mut path = corpus().join("containers-image").join(rel);
    for _ in 0..4 {
        let bytes = read(&path);
        match std::str::from_utf8(&bytes) {
            Ok(text) if text.starts_with("../") && !text.trim().contains('\n') => {
                path = path.parent().unwrap().join(text.trim());
            }
            _ => return bytes,
        }
    }
    panic!("{rel}: too many links");
}

fn list_fixtures(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            list_fixtures(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(
                path.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
}

#[test]
fn containers_image_fixtures() {
    let base = corpus().join("containers-image");
    let mut on_disk = Vec::new();
    list_fixtures(&base, &base, &mut on_disk);
    on_disk.sort();
    let listed: Vec<String> = FIXTURES.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(on_disk, listed, "every fixture is listed, in order");

    let (mut read_ok, mut rejected) = (0, 0);
    for (rel, want) in FIXTURES {
        let bytes = fixture(rel);
        let got = parse_document(&bytes, None, Expected::Any);
        match want {
            Want::Manifest(kind, size) => {
                let m = manifest(got.unwrap_or_else(|e| panic!("{rel}: {e}")));
                assert_eq!((m.kind, m.compressed_size()), (*kind, *size), "{rel}");
                assert!(!m.is_artifact(), "{rel}");
                // Read as a platform image too, with its own media type as Content-Type.
                assert!(
                    parse_document(&bytes, Some(kind.media_type()), Expected::Image).is_ok(),
                    "{rel}"
                );
                read_ok += 1;
            }
            Want::Artifact(kind) => {
                let m = manifest(got.unwrap_or_else(|e| panic!("{rel}: {e}")));
                assert_eq!(m.kind, *kind, "{rel}");
                assert!(m.is_artifact(), "{rel}");
                let err = parse_document(&bytes, None, Expected::Image).unwrap_err();
                assert!(err.to_string().contains("an artifact"), "{rel}: {err}");
                read_ok += 1;
            }
            Want::Index(kind, n) => {
                let i = index(got.unwrap_or_else(|e| panic!("{rel}: {e}")));
                assert_eq!((i.kind, i.manifests.len()), (*kind, *n), "{rel}");
                let err = parse_document(&bytes, None, Expected::Image).unwrap_err();
                assert!(matches!(err, OciError::UnexpectedDocument { .. }), "{rel}");
                read_ok += 1;
            }
            Want::Rejected(reason) => {
                assert_eq!(outcome(&got), *reason, "{rel}: {got:?}");
                rejected += 1;
            }
        }
    }
    assert_eq!((read_ok, rejected), (45, 34));
}

#[test]
fn schema1_error_is_clear() {
    let err = parse_document(
        &fixture("internal/manifest/testdata/v2s1.manifest.json"),
        Some("application/vnd.docker.distribution.manifest.v1+prettyjws"),
        Expected::ImageOrIndex,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("schema 1 is not supported"),
        "{err}"
    );
}

#[test]
fn hand_checked_sizes_with_config() {
    // jq '[.layers[].size] | add + .config.size'
    for (rel, total) in [
        ("internal/manifest/testdata/ociv1.manifest.json", 129_510),
        ("internal/image/fixtures/oci1.json", 71_942_085),
        (
            "internal/image/fixtures/oci1-all-media-types.json",
            71_940_948,
        ),
    ] {
        let m = manifest(parse_document(&fixture(rel), None, Expected::Image).unwrap());
        assert_eq!(m.compressed_size_with_config(), total, "{rel}");
    }
}

fn platform(s: &str) -> Platform {
    let parts: Vec<&str> = s.split('/').collect();
    Platform {
        os: parts[0].into(),
        architecture: parts[1].into(),
        variant: parts.get(2).map(|v| v.to_string()),
    }
}

fn select(rel: &str, wanted: &str) -> Result<String, OciError> {
    let i = index(parse_document(&fixture(rel), None, Expected::ImageOrIndex).unwrap());
    i.select_platform(&platform(wanted))
        .map(|d| d.digest[7..15].to_string())
}

#[test]
fn platform_selection_on_fixtures() {
    let variants = "internal/manifest/testdata/ocilist-variants.json";
    assert_eq!(select(variants, "linux/amd64").unwrap(), "59eec883");
    assert_eq!(select(variants, "linux/arm/v7").unwrap(), "eeeeeeee");
    // arm without a variant is arm/v7.
    assert_eq!(select(variants, "linux/arm").unwrap(), "eeeeeeee");
    // Two arm/v6 entries (gzip, then zstd): the first.
    assert_eq!(select(variants, "linux/arm/v6").unwrap(), "dddddddd");
    assert_eq!(
        select(variants, "linux/arm/unrecognized-present").unwrap(),
        "bcf9771c"
    );

    let list = "internal/manifest/testdata/schema2list-variants.json";
    // The variant-less arm entry is arm/v7, preferred to the arm/v6 one.
    assert_eq!(select(list, "linux/arm/v7").unwrap(), "c84b0a3a");
    assert_eq!(select(list, "linux/arm/v6").unwrap(), "f365626a");

    let list = "internal/manifest/testdata/schema2list.json";
    // arm64/v8 in the list, asked for without a variant.
    assert_eq!(select(list, "linux/arm64").unwrap(), "dc472a59");
    assert_eq!(select(list, "linux/aarch64").unwrap(), "dc472a59");
    // arm/v7 is not listed: arm/v6 is the newest it runs.
    assert_eq!(select(list, "linux/arm/v7").unwrap(), "b5dbad4b");
    assert_eq!(select(list, "linux/i386").unwrap(), "9a33b990");
    let err = select(list, "windows/amd64").unwrap_err().to_string();
    assert!(
        err.starts_with(
            "no image for windows/amd64 in the index (it has linux/amd64, linux/arm/v5"
        ),
        "{err}"
    );

    // zstd variants of the same platform: the first entry, the gzip one.
    let zstd = "internal/manifest/testdata/oci1.index.zstd-selection.json";
    assert_eq!(select(zstd, "linux/amd64").unwrap(), "aaaaaaaa");
    assert_eq!(select(zstd, "linux/arm64").unwrap(), "cccccccc");
    let zstd2 = "internal/manifest/testdata/oci1.index.zstd-selection2.json";
    assert_eq!(select(zstd2, "linux/arm64").unwrap(), "1c98002b");

    // A list of schema 1 manifests.
    assert_eq!(
        select(
            "internal/manifest/testdata/v2list.manifest.json",
            "linux/amd64"
        ),
        Err(OciError::Schema1)
    );
    assert_eq!(
        select("internal/manifest/testdata/v2list.everything.json", "b/a/e").unwrap(),
        "aaaaaaaa"
    );
}

// ---------------------------------------------------------------------------------------------
// attestations

#[test]
fn buildkit_attestation_storage() {
    let root = corpus().join("attestations/buildkit-docs");
    let image_digest = "sha256:23678f31b3b3586c4fb318aecfe64a96a1f0916ba8faf9b2be2abee63fa9e827";
    let idx = index(
        parse_document(
            &read(&root.join("docs-attestations-attestation-storage-03.json")),
            None,
            Expected::ImageOrIndex,
        )
        .unwrap(),
    );
    // The attestation entry (platform unknown/unknown) is skipped for selection ...
    assert_eq!(idx.images().count(), 1);
    assert_eq!(
        idx.select_platform(&platform("linux/amd64"))
            .unwrap()
            .digest,
        image_digest
    );
    let err = idx
        .select_platform(&platform("unknown/unknown"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no image for unknown/unknown in the index (it has linux/amd64)"
    );
    // ... and found for the image.
    let att = idx.attestation_for(image_digest).unwrap();
    assert_eq!(
        att.digest,
        "sha256:02cb9aa7600e73fcf41ee9f0f19cc03122b2d8be43d41ce4b21335118f5dd943"
    );

    let m = manifest(
        parse_document(
            &read(&root.join("docs-attestations-attestation-storage-04.json")),
            Some(media_type::OCI_MANIFEST),
            Expected::Manifest,
        )
        .unwrap(),
    );
    assert!(m.is_artifact());
    assert_eq!(m.subject.as_ref().unwrap().digest, image_digest);
    let c = sbom_candidates_from_manifest(&m, AttestationSource::BuildKit, DEFAULT_SBOM_PREFERENCE);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].format, Some(SbomFormat::Spdx));
    assert_eq!(c[0].content, Content::InTotoStatement);
    assert_eq!(
        c[0].descriptor.digest,
        "sha256:133ae3f9bcc385295b66c2d83b28c25a9f294ce20954d5cf922dda860429734a"
    );
    // The image itself is not an attestation manifest: expecting an image fails.
    let err = parse_document(
        &read(&root.join("docs-attestations-attestation-storage-04.json")),
        None,
        Expected::Image,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("application/vnd.docker.attestation.manifest.v1+json"),
        "{err}"
    );
}

/// The predicate types the corpus's statements declare (the in-toto specification's predicate
/// examples, Trivy's and cosign's statements, BuildKit's examples), as this module classifies
/// them. The files abbreviate with `...`, so the type is found by text.
#[test]
fn predicate_types_of_the_corpus() {
    let root = corpus().join("attestations");
    let mut seen = BTreeMap::new();
    for dir in ["in-toto-spec", "trivy", "cosign", "buildkit-docs"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let text = String::from_utf8_lossy(&read(&entry.unwrap().path())).into_owned();
            for part in text.split("\"predicateType\"").skip(1) {
                let value = part.split('"').nth(1).unwrap_or("");
                seen.insert(value.to_string(), sbom_format_for_predicate_type(value));
            }
        }
    }
    let want: BTreeMap<String, Option<SbomFormat>> = [
        ("<URI>", None),
        ("https://cosign.sigstore.dev/attestation/v1", None),
        ("https://cyclonedx.org/bom", Some(SbomFormat::CycloneDx)),
        (
            "https://cyclonedx.org/bom/v1.4",
            Some(SbomFormat::CycloneDx),
        ),
        ("https://in-toto.io/attestation/vulns/v0.1", None),
        ("https://in-toto.io/attestation/vulns/v0.2", None),
        ("https://slsa.dev/provenance/v1", None),
        ("https://spdx.dev/Document", Some(SbomFormat::Spdx)),
        ("https://spdx.dev/Document/v2.3", Some(SbomFormat::Spdx)),
        ("https://spdx.dev/Document/v3", Some(SbomFormat::Spdx)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(seen, want);
}

#[test]
fn sigstore_bundle_media_type_matches_cosign() {
    // cosign's bundle declares the media type its referrers carry as artifactType.
    let bytes = read(
        &corpus().join("attestations/cosign/pkg-cosign-testdata-oci-attestation.sigstore.json"),
    );
    let bundle: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(bundle["mediaType"], media_type::SIGSTORE_BUNDLE_V03);
}
