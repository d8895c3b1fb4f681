//! The readers against the shared corpus: every SBOM there, and every attestation that may carry
//! one. Counts asserted here were checked by hand with `jq` (see `docs/sbom.md`).

use super::*;
use std::path::{Path, PathBuf};

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(rel)
}

fn read_file(rel: &str) -> Vec<u8> {
    let path = corpus(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `rel`, recursively, sorted, as paths relative to the corpus; the provenance
/// files (`SOURCE`, `LICENSE`, `LICENSE-NOTE`) left out.
fn files(rel: &str) -> Vec<String> {
    let root = corpus("");
    let mut stack = vec![corpus(rel)];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if !matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("SOURCE" | "LICENSE" | "LICENSE-NOTE")
            ) {
                let rel = path.strip_prefix(&root).expect("under the corpus");
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn count(rel: &str) -> usize {
    match read_sbom(&read_file(rel)) {
        Ok(sbom) => sbom.packages.len(),
        Err(e) => panic!("{rel}: {e}"),
    }
}

fn message(rel: &str) -> String {
    match read_all(&read_file(rel)) {
        Ok(sboms) => panic!("{rel}: read {} SBOMs", sboms.len()),
        Err(e) => e.to_string(),
    }
}

const SPEC_TESTS: &str = "sbom/cyclonedx/spec-tests/resources/";

/// CycloneDX spec-test invalidities in fields the reader does not need; these documents are read
/// (each kind is explained in `docs/sbom.md`).
const CYCLONEDX_NOT_CHECKED: [&str; 26] = [
    "citations",
    "component-external-version-and-range",
    "component-ref",
    "component-swid",
    "component-versionRange-non-external-explicit",
    "component-versionRange-non-external-implicit",
    "dependency",
    "hash-alg",
    "hash-md5",
    "hash-sha1",
    "hash-sha256",
    "hash-sha512",
    "issue-type",
    "license-choice",
    "license-declared-concluded-mix",
    "license-encoding",
    "license-id",
    "license-missing-id-and-name",
    "metadata-distribution",
    "metadata-license",
    "metadata-timestamp",
    "patch-type",
    "properties",
    "scope",
    "serialnumber",
    "service-data",
];

/// CycloneDX spec-test invalidities the reader rejects, with the message it gives.
const CYCLONEDX_CHECKED: [(&str, &str); 4] = [
    (
        "bomformat",
        "bomFormat is \"AnotherFormat\", not \"CycloneDX\"",
    ),
    (
        "component-type",
        "components[0] type \"foo\" is not a CycloneDX 1.",
    ),
    ("empty-component", "components[0] has no name"),
    ("missing-component-type", "components[0] has no type"),
];

/// The invalidity a spec-test file name tests: `invalid-hash-alg-1.6.json` → `hash-alg`.
fn invalidity(name: &str) -> Option<&str> {
    let rest = name
        .strip_prefix("invalid-")
        .or_else(|| name.strip_prefix("skip_invalid-"))?;
    let rest = rest.strip_suffix(".json")?;
    Some(match rest.rsplit_once('-') {
        Some((kind, version)) if version.starts_with("1.") => kind,
        _ => rest,
    })
}

#[test]
fn cyclonedx_spec_tests() {
    let (mut valid, mut rejected, mut not_checked, mut xml) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for rel in files(SPEC_TESTS) {
        let name = rel.rsplit('/').next().unwrap_or_default();
        let version = rel
            .strip_prefix(SPEC_TESTS)
            .and_then(|r| r.split('/').next())
            .unwrap_or_default();
        let result = read_sbom(&read_file(&rel));
        if name.ends_with(".xml") {
            xml += 1;
            match &result {
                Err(SbomError::Unsupported(what)) if what == "CycloneDX XML" => {}
                other => failures.push(format!("{rel}: {other:?}")),
            }
        } else if name.starts_with("valid-") {
            valid += 1;
            match &result {
                Ok(s) if s.format == SbomFormat::CycloneDxJson && s.spec_version == version => {}
                other => failures.push(format!("{rel}: {other:?}")),
            }
        } else if let Some(kind) = invalidity(name) {
            if CYCLONEDX_NOT_CHECKED.contains(&kind) {
                not_checked += 1;
                if let Err(e) = &result {
                    failures.push(format!("{rel}: not checked, yet rejected: {e}"));
                }
            } else if let Some((_, expected)) = CYCLONEDX_CHECKED.iter().find(|(k, _)| *k == kind) {
                rejected += 1;
                match &result {
                    Err(e) if e.to_string().contains(expected) => {}
                    other => failures.push(format!("{rel}: {other:?}")),
                }
            } else {
                failures.push(format!("{rel}: invalidity {kind:?} in neither list"));
            }
        } else {
            failures.push(format!("{rel}: unexpected file"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        (valid, rejected, not_checked, xml),
        (218, 24, 117, 418),
        "valid read, invalid rejected, invalid but not checked, XML"
    );
}

/// Everything in the corpus that is not read, with the start of the error. Every other file of
/// `sbom/` (outside the CycloneDX spec tests) and of `oci/attestations/` must be read.
const NOT_READ: [(&str, &str); 52] = [
    // SPDX encodings out of scope.
    (
        "sbom/spdx/spdx-spec-examples/v2.2/SPDXRdfExample-v2.2.spdx.rdf.xml",
        "SPDX RDF/XML is not supported",
    ),
    (
        "sbom/spdx/spdx-spec-examples/v2.2/SPDXXMLExample-v2.2.spdx.xml",
        "SPDX XML is not supported",
    ),
    (
        "sbom/spdx/spdx-spec-examples/v2.2/SPDXYAMLExample-2.2.spdx.yaml",
        "SPDX YAML is not supported",
    ),
    (
        "sbom/spdx/spdx-spec-examples/v2.3/SPDXRdfExample-v2.3.spdx.rdf.xml",
        "SPDX RDF/XML is not supported",
    ),
    (
        "sbom/spdx/spdx-spec-examples/v2.3/SPDXXMLExample-v2.3.spdx.xml",
        "SPDX XML is not supported",
    ),
    (
        "sbom/spdx/spdx-spec-examples/v2.3/SPDXYAMLExample-2.3.spdx.yaml",
        "SPDX YAML is not supported",
    ),
    // Syft's test inputs that are not SBOMs, or broken on purpose.
    (
        "sbom/spdx/syft-fixtures/syft/format/internal/testutil/testdata/snapshot/TestImageEncoder.golden",
        "Syft's own JSON format is not supported",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/internal/testutil/testdata/snapshot/stereoscope-fixture-image-simple.golden",
        "not an SBOM: binary data",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/spdx/bad/bad-sbom",
        "not an SBOM: text that is neither JSON nor SPDX tag-value",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/spdx/bad/example7-bin.spdx.json",
        "not a valid SPDX 2 JSON document: packages[0] (SPDXRef-go-bin-hello) has no name",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/spdx/bad/example7-go-module.spdx.json",
        "not a valid SPDX 2 JSON document: packages[0] (SPDXRef-go-module-example.com/hello) has no name",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/spdx/bad/example7-golang.spdx.json",
        "not a valid SPDX 2 JSON document: packages[0] (SPDXRef-golang-dist) has no name",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/spdx/bad/example7-third-party-modules.spdx.json",
        "not a valid SPDX 2 JSON document: packages[0] (SPDXRef-go-module-golang.org/x/text) has no name",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/format/spdxtagvalue/testdata/bad-sbom",
        "not an SBOM: text that is neither JSON nor SPDX tag-value",
    ),
    (
        "sbom/spdx/syft-fixtures/syft/pkg/cataloger/bitnami/testdata/invalid/opt/bitnami/redis/.spdx-redis.spdx",
        "not JSON: expected `:` at line 4 column 20",
    ),
    (
        "sbom/spdx/trivy-fixtures/pkg/fanal/analyzer/sbom/testdata/invalid_spdx.json",
        "not an SBOM: a JSON object without bomFormat",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxjson/testdata/bad-sbom",
        "not an SBOM: text that is neither",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/bad-sbom",
        "not an SBOM: text that is neither",
    ),
    // CycloneDX XML (10 files: identify/1.0 to 1.7 and two snapshots).
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.0.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.1.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.2.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.3.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.4.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.5.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.6.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/identify/1.7.xml",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/snapshot/TestCycloneDxDirectoryEncoder.golden",
        "CycloneDX XML is not supported",
    ),
    (
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxxml/testdata/snapshot/TestCycloneDxImageEncoder.golden",
        "CycloneDX XML is not supported",
    ),
    // BuildKit's documentation: abbreviated examples, OCI manifests, provenance.
    (
        "oci/attestations/buildkit-docs/INDEX.jsonl",
        "no SBOM among the 8 documents of this file (line 1: not an SBOM",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-attestation-storage-01.json",
        "not JSON: expected value at line 8 column 7 (the document looks abbreviated",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-attestation-storage-02.json",
        "not an SBOM: text that is neither",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-attestation-storage-03.json",
        "not an SBOM: a JSON object of mediaType application/vnd.oci.image.index.v1+json",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-attestation-storage-04.json",
        "not an SBOM: a JSON object of mediaType application/vnd.oci.image.manifest.v1+json",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-attestation-storage-05.json",
        "not JSON: key must be a string at line 15 column 5 (the document looks abbreviated",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-sbom-01.json",
        "not JSON: expected value at line 33 column 7 (the document looks abbreviated",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-slsa-provenance-01.json",
        "an in-toto statement whose predicate is not an SBOM (predicateType https://slsa.dev/provenance/v1)",
    ),
    (
        "oci/attestations/buildkit-docs/docs-attestations-slsa-provenance-02.json",
        "an in-toto statement whose predicate is not an SBOM (predicateType https://slsa.dev/provenance/v1)",
    ),
    // cosign's test data other than SBOMs, and one tag-value SBOM that breaks the syntax.
    (
        "oci/attestations/cosign/pkg-cosign-testdata-oci-attestation.sigstore.json",
        "an in-toto statement whose predicate is not an SBOM (predicateType https://cosign.sigstore.dev/attestation/v1)",
    ),
    (
        "oci/attestations/cosign/pkg-cosign-testdata-oci-attestation.statement.decoded.json",
        "an in-toto statement whose predicate is not an SBOM (predicateType https://cosign.sigstore.dev/attestation/v1)",
    ),
    (
        "oci/attestations/cosign/test-testdata-attestations-vuln-predicate.json",
        "not an SBOM: a JSON object without",
    ),
    (
        "oci/attestations/cosign/test-testdata-bom-go-mod.spdx",
        "not a valid SPDX 2 tag-value document: line 25: expected `Tag: value`, found \"Relationship SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-gith…\" (`Relationship` needs a colon",
    ),
    (
        "oci/attestations/cosign/test-testdata-test-result.json",
        "not an SBOM: a JSON object without",
    ),
    // The in-toto specification's examples: comments, `...`, and descriptors.
    (
        "oci/attestations/in-toto-spec/INDEX.jsonl",
        "no SBOM among the 16 documents of this file",
    ),
    (
        "oci/attestations/in-toto-spec/spec-predicates-cyclonedx-01.json",
        "not JSON: key must be a string at line 2 column 3 (JSON has no `//` comments",
    ),
    (
        "oci/attestations/in-toto-spec/spec-predicates-spdx2-01.json",
        "not JSON: key must be a string at line 2 column 3 (JSON has no `//` comments",
    ),
    (
        "oci/attestations/in-toto-spec/spec-predicates-spdx3-01.json",
        "not JSON: key must be a string at line 2 column 3 (JSON has no `//` comments",
    ),
    (
        "oci/attestations/in-toto-spec/spec-predicates-vuln-01.json",
        "not JSON: key must be a string at line 9 column 3 (JSON has no `//` comments",
    ),
    (
        "oci/attestations/in-toto-spec/spec-predicates-vulns_02-01.json",
        "not JSON: key must be a string at line 9 column 3 (JSON has no `//` comments",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-bundle-01.json",
        "not JSON: expected value at line 1 column 95 (the document looks abbreviated",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-bundle-02.json",
        "not JSON: expected value at line 1 column 95 (the document looks abbreviated",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-bundle-03.json",
        "not JSON: expected value at line 1 column 95 (the document looks abbreviated",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-bundle-04.json",
        "not JSON: expected value at line 1 column 84 (the document looks abbreviated",
    ),
];

/// The in-toto specification's resource descriptors and statement skeleton: not SBOMs either.
const NOT_READ_DESCRIPTORS: [(&str, &str); 7] = [
    (
        "oci/attestations/in-toto-spec/spec-v1-resource_descriptor-01.json",
        "not JSON: key must be a string at line 4 column 45 (the document looks abbreviated",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-resource_descriptor-02.json",
        "not an SBOM: a JSON object without",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-resource_descriptor-03.json",
        "not an SBOM: a JSON object without",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-resource_descriptor-04.json",
        "not an SBOM: a JSON object of mediaType application/x.dsse+json",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-resource_descriptor-05.json",
        "not an SBOM: a JSON object without",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-resource_descriptor-06.json",
        "not an SBOM: a JSON object of mediaType application/json",
    ),
    (
        "oci/attestations/in-toto-spec/spec-v1-statement-01.json",
        "not JSON: expected value at line 8 column 5 (the document looks abbreviated",
    ),
];

#[test]
fn every_sbom_and_attestation_in_the_corpus() {
    let mut all = files("sbom/spdx");
    all.extend(
        files("sbom/cyclonedx")
            .into_iter()
            .filter(|f| !f.starts_with("sbom/cyclonedx/spec-tests/")),
    );
    all.extend(files("oci/attestations"));
    let expected_errors: Vec<(&str, &str)> = NOT_READ
        .iter()
        .chain(&NOT_READ_DESCRIPTORS)
        .copied()
        .collect();
    let mut failures = Vec::new();
    let (mut read, mut rejected, mut unsupported) = (0, 0, 0);
    let mut by_format = std::collections::BTreeMap::new();
    for rel in &all {
        let bytes = read_file(rel);
        let result = read_all(&bytes);
        match (expected_errors.iter().find(|(f, _)| f == rel), &result) {
            (None, Ok(sboms)) => {
                read += 1;
                for s in sboms {
                    *by_format.entry(s.format).or_insert(0) += 1;
                }
                // A single document reads the same either way.
                if sboms.len() == 1 && read_sbom(&bytes).as_ref() != Ok(&sboms[0]) {
                    failures.push(format!("{rel}: read_sbom differs from read_all"));
                }
            }
            (Some((_, message)), Err(e)) if e.to_string().starts_with(message) => {
                if matches!(e, SbomError::Unsupported(_)) {
                    unsupported += 1;
                } else {
                    rejected += 1;
                }
            }
            (None, Err(e)) => failures.push(format!("{rel}: {e}")),
            (Some((_, message)), other) => {
                failures.push(format!("{rel}: expected {message:?}, got {other:?}"));
            }
        }
    }
    for (f, _) in &expected_errors {
        if !all.iter().any(|rel| rel == f) {
            failures.push(format!("{f}: listed but not in the corpus"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((read, rejected, unsupported), (109, 42, 17));
    let by_format: Vec<_> = by_format.into_iter().collect();
    assert_eq!(
        by_format,
        [
            (SbomFormat::Spdx2Json, 35),
            (SbomFormat::Spdx2TagValue, 25),
            (SbomFormat::Spdx3JsonLd, 28),
            (SbomFormat::CycloneDxJson, 21),
        ]
    );
}

/// Package counts checked by hand with `jq` (the queries are in `docs/sbom.md`).
#[test]
fn package_counts_checked_by_hand() {
    let cases: [(&str, usize); 31] = [
        // Trivy, centos:7, the same SBOM in four encodings: bash, openssl-libs and the OS.
        (
            "sbom/spdx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-spdx.json",
            3,
        ),
        (
            "sbom/spdx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-spdx.txt",
            3,
        ),
        (
            "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-cyclonedx.json",
            3,
        ),
        (
            "oci/attestations/trivy/integration-testdata-fixtures-sbom-centos-7-cyclonedx.intoto.jsonl",
            3,
        ),
        (
            "oci/attestations/trivy/integration-testdata-fixtures-sbom-centos-7-cyclonedx.statement.decoded.json",
            3,
        ),
        // Trivy: two debs, a gem and the OS.
        (
            "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/fluentd-multiple-lockfiles-cyclonedx.json",
            4,
        ),
        // Trivy: a lock file is a component of type application, without version, and counts
        // (pom.xml and three Maven libraries; in the attestation, composer.lock, a Go binary,
        // the OS and six packages).
        (
            "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/license-cyclonedx.json",
            4,
        ),
        (
            "oci/attestations/trivy/pkg-fanal-artifact-sbom-testdata-sbom.cdx.intoto.jsonl",
            9,
        ),
        // 18 components, ubuntu 22.04.2 twice.
        (
            "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/minikube-kbom.json",
            17,
        ),
        // The image or directory Syft describes is the root: two packages in SPDX, plus the
        // distro component in CycloneDX.
        (
            "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/snapshot/TestSPDXJSONImageEncoder.golden",
            2,
        ),
        (
            "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/snapshot/TestSPDXJSONDirectoryEncoder.golden",
            2,
        ),
        (
            "sbom/spdx/syft-fixtures/syft/format/spdxtagvalue/testdata/snapshot/TestSPDXTagValueImageEncoder.golden",
            2,
        ),
        (
            "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxjson/testdata/snapshot/TestCycloneDxImageEncoder.golden",
            3,
        ),
        // Old Syft: no DESCRIBES, nothing removed.
        (
            "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/spdx/alpine-3.10.syft.spdx.json",
            3,
        ),
        // Two packages with one purl (my-app, two SPDXIDs) count once.
        (
            "sbom/spdx/syft-fixtures/syft/format/spdxtagvalue/testdata/tag-value.spdx",
            3,
        ),
        // A go.mod described as a package of purpose FILE: the root.
        (
            "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/identify/2.3.json",
            1,
        ),
        (
            "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxjson/testdata/identify/1.6.json",
            1,
        ),
        // The SPDX specification's example: glibc is described, Saxon, Jena and Commons Lang
        // count; the described file does not matter.
        (
            "sbom/spdx/spdx-spec-examples/v2.3/SPDXJSONExample-v2.3.spdx.json",
            3,
        ),
        (
            "sbom/spdx/spdx-spec-examples/v2.3/SPDXTagExample-v2.3.spdx",
            3,
        ),
        (
            "sbom/spdx/spdx-spec-examples/v2.2/SPDXTagExample-v2.2.spdx",
            3,
        ),
        // Describes three modules: a list without root, all count.
        (
            "sbom/spdx/spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json",
            3,
        ),
        // Describes only itself: nothing left.
        (
            "sbom/spdx/spdx-examples/software/example12/spdx2.2/hello-src.spdx.json",
            0,
        ),
        ("sbom/spdx/spdx-spec-examples/v3.0/package_sbom.json", 0),
        // SPDX 3: the software_Sbom's root (Acme Application) is out; alpine:latest, openssl and
        // npm-elliptic count.
        (
            "sbom/spdx/spdx-examples/software/example13/spdx3.0/example13.spdx3.json",
            3,
        ),
        // SPDX 3 with AI and dataset packages: 13 packages, the root SimpleHTR out.
        (
            "sbom/spdx/spdx-examples/ai/example01/spdx3.0/simplehtr-example.json",
            12,
        ),
        // The same example in SPDX 2.3 and SPDX 3.
        (
            "sbom/spdx/spdx-examples/software/example9/spdx2.2/appbomination.spdx.json",
            6,
        ),
        (
            "sbom/spdx/spdx-examples/software/example9/spdx3.0/appbomination.spdx3.json",
            6,
        ),
        // Bitnami: the document describes postgresql; 18 bundled components.
        (
            "sbom/spdx/syft-fixtures/syft/pkg/cataloger/bitnami/testdata/json/opt/bitnami/postgresql/.spdx-postgresql.spdx",
            18,
        ),
        // CycloneDX spec tests: nine component types, file out.
        (
            "sbom/cyclonedx/spec-tests/resources/1.7/valid-component-types-1.7.json",
            8,
        ),
        // Empty lists.
        (
            "oci/attestations/cosign/test-testdata-bom-go-mod.cyclonedx.json",
            0,
        ),
        (
            "oci/attestations/cosign/test-testdata-bom-go-mod.spdx.json",
            0,
        ),
    ];
    let got: Vec<(&str, usize)> = cases.iter().map(|(f, _)| (*f, count(f))).collect();
    assert_eq!(got, cases);
}

#[test]
fn the_same_trivy_sbom_reads_the_same_in_every_encoding() {
    let read = |rel: &str| -> Vec<Package> {
        let mut sbom = read_sbom(&read_file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        sbom.packages.sort();
        sbom.packages
    };
    let names = |ps: &[Package]| -> Vec<(String, Option<String>)> {
        ps.iter()
            .map(|p| (p.name.clone(), p.purl.clone()))
            .collect()
    };
    let spdx =
        read("sbom/spdx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-spdx.json");
    let tag_value =
        read("sbom/spdx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-spdx.txt");
    let cdx = read(
        "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-cyclonedx.json",
    );
    assert_eq!(names(&spdx), names(&tag_value));
    assert_eq!(names(&spdx), names(&cdx));
    let kinds =
        |ps: &[Package]| -> Vec<Option<String>> { ps.iter().map(|p| p.kind.clone()).collect() };
    // Trivy's SPDX 2.2 has no primaryPackagePurpose for the OS; its CycloneDX has a type.
    assert_eq!(kinds(&spdx), [Some("rpm".into()), None, Some("rpm".into())]);
    assert_eq!(
        kinds(&cdx),
        [
            Some("rpm".into()),
            Some("operating-system".into()),
            Some("rpm".into())
        ]
    );
    // The versions differ: Trivy's SPDX gives the package version without release
    // (bash 4.2.46), its CycloneDX the full one (4.2.46-31.el7); and the fixtures were edited
    // apart (openssl-libs is 1:1.0.2k-19.el7 in the JSON, 1.0.2k in the tag-value).
    assert_eq!(spdx[0].version.as_deref(), Some("4.2.46"));
    assert_eq!(cdx[0].version.as_deref(), Some("4.2.46-31.el7"));
    assert_eq!(spdx[2].version.as_deref(), Some("1:1.0.2k-19.el7"));
    assert_eq!(tag_value[2].version.as_deref(), Some("1.0.2k"));
}

#[test]
fn wrappers_in_the_corpus() {
    let sbom = read_sbom(&read_file(
        "oci/attestations/trivy/integration-testdata-fixtures-sbom-centos-7-cyclonedx.intoto.jsonl",
    ))
    .expect("reads");
    assert_eq!(sbom.format, SbomFormat::CycloneDxJson);
    assert_eq!(sbom.spec_version, "1.4");
    assert_eq!(
        sbom.wrapper,
        Some(Wrapper::Dsse {
            payload_type: "application/vnd.in-toto+json".into(),
            predicate_type: Some("https://cyclonedx.org/bom".into()),
        })
    );
    // cosign's {"Data": …, "Timestamp": …} predicate, inside a pretty-printed envelope.
    let sbom = read_sbom(&read_file(
        "oci/attestations/trivy/pkg-fanal-artifact-sbom-testdata-sbom.cdx.statement.decoded.json",
    ))
    .expect("reads");
    assert_eq!(
        sbom.wrapper,
        Some(Wrapper::InToto {
            predicate_type: "https://cyclonedx.org/bom".into()
        })
    );
    assert_eq!(
        sbom.packages[0].purl.as_deref(),
        Some("pkg:apk/alpine/musl@1.2.3-r0?distro=3.16.0")
    );
}

#[test]
fn rejections_in_the_corpus_are_explained() {
    assert_eq!(
        message("oci/attestations/buildkit-docs/docs-attestations-sbom-01.json"),
        "not JSON: expected value at line 33 column 7 (the document looks abbreviated with `...`, as examples in specifications are)"
    );
    assert_eq!(
        message("sbom/spdx/spdx-spec-examples/v2.3/SPDXYAMLExample-2.3.spdx.yaml"),
        "SPDX YAML is not supported (minicheck reads SPDX 2 JSON and tag-value, SPDX 3 JSON-LD and CycloneDX JSON)"
    );
    assert_eq!(
        message("sbom/cyclonedx/spec-tests/resources/1.0/valid-bom-1.0.xml"),
        "CycloneDX XML is not supported (minicheck reads SPDX 2 JSON and tag-value, SPDX 3 JSON-LD and CycloneDX JSON)"
    );
    assert_eq!(
        message("sbom/cyclonedx/spec-tests/resources/1.6/invalid-bomformat-1.6.json"),
        "not a valid CycloneDX JSON document: bomFormat is \"AnotherFormat\", not \"CycloneDX\""
    );
}

// Wrappers built here: DSSE, Sigstore bundles, JSON Lines, cosign's Data as a string.

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

const CDX: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"zlib","version":"1.3.1","purl":"pkg:apk/alpine/zlib@1.3.1-r2"}]}"#;
const SPDX: &str = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[{"SPDXID":"SPDXRef-a","name":"a","versionInfo":"1"},{"SPDXID":"SPDXRef-b","name":"b"}]}"#;

fn statement(predicate_type: &str, predicate: &str) -> String {
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"img","digest":{{"sha256":"00"}}}}],"predicateType":"{predicate_type}","predicate":{predicate}}}"#
    )
}

fn envelope(payload_type: &str, payload: &str) -> String {
    format!(
        r#"{{"payloadType":"{payload_type}","payload":"{}","signatures":[{{"keyid":"","sig":"MEUC"}}]}}"#,
        b64(payload.as_bytes())
    )
}

#[test]
fn dsse_envelope_and_sigstore_bundle() {
    let dsse = envelope(
        "application/vnd.in-toto+json",
        &statement("https://cyclonedx.org/bom/v1.6", CDX),
    );
    let sbom = read_sbom(dsse.as_bytes()).expect("reads");
    assert_eq!(sbom.packages.len(), 1);
    assert_eq!(
        sbom.wrapper,
        Some(Wrapper::Dsse {
            payload_type: "application/vnd.in-toto+json".into(),
            predicate_type: Some("https://cyclonedx.org/bom/v1.6".into()),
        })
    );
    let bundle = format!(
        r#"{{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{{}},"dsseEnvelope":{dsse}}}"#
    );
    assert_eq!(read_sbom(bundle.as_bytes()), Ok(sbom));
    // An SBOM straight in the payload, no statement.
    let bare =
        read_sbom(envelope("application/vnd.cyclonedx+json", CDX).as_bytes()).expect("reads");
    assert_eq!(
        bare.wrapper,
        Some(Wrapper::Dsse {
            payload_type: "application/vnd.cyclonedx+json".into(),
            predicate_type: None
        })
    );
}

#[test]
fn dsse_errors() {
    let err = |s: &str| read_sbom(s.as_bytes()).expect_err("rejected").to_string();
    assert_eq!(
        err(r#"{"payloadType":"application/vnd.in-toto+json","payload":"!!not base64!!"}"#),
        "not a valid DSSE envelope: the payload is not base64: Invalid symbol 33, offset 0."
    );
    assert_eq!(
        err(r#"{"payloadType":"application/vnd.in-toto+json"}"#),
        "not a valid DSSE envelope: missing field `payload` at line 1 column 46"
    );
    assert_eq!(
        err(&envelope("application/vnd.novulz+cbor", "\u{1}")),
        "not an SBOM: a DSSE envelope whose payload is application/vnd.novulz+cbor"
    );
    assert_eq!(
        err(&envelope(
            "application/vnd.in-toto+json",
            "{\"_type\": ...}"
        )),
        "in the DSSE payload (application/vnd.in-toto+json): not JSON: expected value at line 1 column 11 (the document looks abbreviated with `...`, as examples in specifications are)"
    );
    assert_eq!(
        err(&envelope(
            "application/vnd.in-toto+json",
            &statement("https://slsa.dev/provenance/v1", "{}")
        )),
        "an in-toto statement whose predicate is not an SBOM (predicateType https://slsa.dev/provenance/v1)"
    );
}

#[test]
fn json_lines_with_several_statements() {
    let provenance = envelope(
        "application/vnd.in-toto+json",
        &statement(
            "https://slsa.dev/provenance/v1",
            r#"{"buildDefinition":{}}"#,
        ),
    );
    let cdx = envelope(
        "application/vnd.in-toto+json",
        &statement("https://cyclonedx.org/bom", CDX),
    );
    let spdx = statement("https://spdx.dev/Document/v2.3", SPDX);
    let file = format!("{provenance}\n\n{cdx}\r\n{spdx}\n");
    let all = read_all(file.as_bytes()).expect("reads");
    let got: Vec<_> = all
        .iter()
        .map(|s| (s.format, s.packages.len(), s.wrapper.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                SbomFormat::CycloneDxJson,
                1,
                Some(Wrapper::IntotoJsonl {
                    line: 3,
                    payload_type: Some("application/vnd.in-toto+json".into()),
                    predicate_type: Some("https://cyclonedx.org/bom".into())
                })
            ),
            (
                SbomFormat::Spdx2Json,
                2,
                Some(Wrapper::IntotoJsonl {
                    line: 4,
                    payload_type: None,
                    predicate_type: Some("https://spdx.dev/Document/v2.3".into())
                })
            ),
        ]
    );
    assert_eq!(
        read_sbom(file.as_bytes()).expect_err("two").to_string(),
        "2 SBOMs in one file (lines 3, 4); expected one"
    );
    let one = format!("{provenance}\n{cdx}\n");
    assert_eq!(
        read_sbom(one.as_bytes()).expect("one").format,
        SbomFormat::CycloneDxJson
    );
    assert_eq!(
        read_all(format!("{provenance}\n{provenance}\n").as_bytes())
            .expect_err("none")
            .to_string(),
        "no SBOM among the 2 documents of this file (line 1: an in-toto statement whose predicate is not an SBOM (predicateType https://slsa.dev/provenance/v1))"
    );
    assert_eq!(
        read_all(format!("{cdx}\n{{\"broken\": \n").as_bytes())
            .expect_err("broken line")
            .to_string(),
        "line 2: not JSON: EOF while parsing a value at line 1 column 10"
    );
}

#[test]
fn statements_and_their_predicates() {
    // Predicate types with and without version, http or https.
    for t in [
        "https://spdx.dev/Document",
        "https://spdx.dev/Document/v2.3",
        "http://spdx.dev/Document/",
        "https://cyclonedx.org/bom/v1.5",
    ] {
        assert!(read_sbom(statement(t, SPDX).as_bytes()).is_ok(), "{t}");
    }
    let err = |s: &str| read_sbom(s.as_bytes()).expect_err("rejected").to_string();
    assert_eq!(
        err(&statement("https://spdx.dev/DocumentX", SPDX)),
        "an in-toto statement whose predicate is not an SBOM (predicateType https://spdx.dev/DocumentX)"
    );
    assert_eq!(
        err(&statement("https://spdx.dev/Document", r#"{"foo":1}"#)),
        "not a valid in-toto statement: its predicateType is https://spdx.dev/Document, but the predicate is not an SBOM document"
    );
    assert_eq!(
        err(&statement("https://spdx.dev/Document", "[1]")),
        "not a valid in-toto statement: its predicateType is https://spdx.dev/Document, but the predicate is an array"
    );
    assert_eq!(
        err(r#"{"_type":"https://in-toto.io/Statement/v1","predicate":{}}"#),
        "not a valid in-toto statement: no predicateType"
    );
    assert!(
        err(&statement(
            "https://cyclonedx.org/bom",
            r#"{"bomFormat":"CycloneDX","specVersion":"1.1"}"#
        ))
        .starts_with("CycloneDX specVersion 1.1 is not supported")
    );
    // cosign's Data: an object, or the SBOM as text.
    let data = statement(
        "https://spdx.dev/Document",
        &format!(r#"{{"Data":{SPDX},"Timestamp":"2024-01-01T00:00:00Z"}}"#),
    );
    assert_eq!(read_sbom(data.as_bytes()).expect("reads").packages.len(), 2);
    let tag_value =
        "SPDXVersion: SPDX-2.2\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\nSPDXID: SPDXRef-a\n";
    let text = statement(
        "https://spdx.dev/Document",
        &format!(
            r#"{{"Data":{},"Timestamp":""}}"#,
            serde_json::to_string(tag_value).expect("string")
        ),
    );
    let sbom = read_sbom(text.as_bytes()).expect("reads");
    assert_eq!(
        (sbom.format, sbom.packages.len()),
        (SbomFormat::Spdx2TagValue, 1)
    );
    let as_string = statement(
        "https://spdx.dev/Document",
        &serde_json::to_string(SPDX).expect("string"),
    );
    assert_eq!(
        read_sbom(as_string.as_bytes()).expect("reads").format,
        SbomFormat::Spdx2Json
    );
}

#[test]
fn wrapping_depth_is_limited() {
    let mut doc = CDX.to_owned();
    for _ in 0..4 {
        doc = envelope("application/json", &doc);
    }
    assert!(read_sbom(doc.as_bytes()).is_ok());
    doc = envelope("application/json", &doc);
    let e = read_sbom(doc.as_bytes()).expect_err("too deep");
    assert!(e.to_string().contains("nested too deeply"), "{e}");
}

#[test]
fn odd_inputs_are_rejected_not_panicked_on() {
    let err = |b: &[u8]| read_sbom(b).expect_err("rejected");
    assert_eq!(err(b""), SbomError::Empty);
    assert_eq!(err(b" \n\t\r\n"), SbomError::Empty);
    assert_eq!(err(b"\xEF\xBB\xBF"), SbomError::Empty);
    assert_eq!(
        err(b"[]").to_string(),
        "not an SBOM: an array, not a JSON object"
    );
    assert_eq!(
        err(b"{}").to_string(),
        "not an SBOM: a JSON object without bomFormat, spdxVersion, @graph, predicateType or payloadType"
    );
    assert_eq!(
        err(b"\"x\"").to_string(),
        "not an SBOM: text that is neither JSON nor SPDX tag-value"
    );
    assert_eq!(
        err(b"{\"bomFormat\":").to_string(),
        "not JSON: EOF while parsing a value at line 1 column 13"
    );
    assert_eq!(
        err(b"\xff\xfe{").to_string(),
        "not an SBOM: neither JSON nor UTF-8 text (invalid utf-8 sequence of 1 bytes from index 0)"
    );
    assert_eq!(
        err(b"<html></html>").to_string(),
        "not an SBOM: an XML document that is neither CycloneDX nor SPDX"
    );
    assert!(matches!(
        err(br#"{"artifacts":[],"artifactRelationships":[]}"#),
        SbomError::Unsupported(_)
    ));
    assert_eq!(
        err(br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":null}"#).to_string(),
        "not a valid CycloneDX JSON document: invalid type: null, expected a sequence at line 1 column 62"
    );
    // A byte-order mark and surrounding whitespace are fine.
    let with_bom = format!("\u{feff}\n  {CDX}  \n");
    assert_eq!(
        read_sbom(with_bom.as_bytes())
            .expect("reads")
            .packages
            .len(),
        1
    );
    // Deeply nested predicates: an error, not a stack overflow.
    let deep = format!(
        "{}{}",
        r#"{"predicateType":"https://spdx.dev/Document","predicate":"#.repeat(5000),
        "}".repeat(5000)
    );
    assert!(read_sbom(deep.as_bytes()).is_err());
    // Every prefix of a real document: never a panic.
    let real = read_file(
        "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-cyclonedx.json",
    );
    let tv = read_file("sbom/spdx/spdx-spec-examples/v2.3/SPDXTagExample-v2.3.spdx");
    for doc in [&real, &tv] {
        for end in (0..doc.len()).step_by(7) {
            let _ = read_all(doc.get(..end).unwrap_or_default());
        }
    }
}

#[test]
fn the_same_image_in_two_formats_diffs_to_the_difference_in_what_they_list() {
    use crate::compare::diff_packages;
    let read = |rel: &str| read_sbom(&read_file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // Syft's CycloneDX lists the distro as a component; its SPDX does not.
    let spdx = read(
        "sbom/spdx/syft-fixtures/syft/format/spdxjson/testdata/snapshot/TestSPDXJSONImageEncoder.golden",
    );
    let cdx = read(
        "sbom/cyclonedx/syft-fixtures/syft/format/cyclonedxjson/testdata/snapshot/TestCycloneDxImageEncoder.golden",
    );
    let d = diff_packages(&spdx.packages, &cdx.packages);
    assert_eq!(d.unchanged, 2);
    assert!(d.removed.is_empty() && d.changed.is_empty());
    let added: Vec<_> = d
        .added
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref(), p.kind.as_deref()))
        .collect();
    assert_eq!(added, [("debian", Some("1.2.3"), Some("operating-system"))]);
    // Trivy's SPDX gives RPM versions without release, its CycloneDX with.
    let spdx =
        read("sbom/spdx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-spdx.json");
    let cdx = read(
        "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-cyclonedx.json",
    );
    let d = diff_packages(&spdx.packages, &cdx.packages);
    let changed: Vec<_> = d
        .changed
        .iter()
        .map(|c| {
            (
                c.from.name.as_str(),
                c.from.version.as_deref(),
                c.to.version.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("bash", Some("4.2.46"), Some("4.2.46-31.el7")),
            (
                "openssl-libs",
                Some("1:1.0.2k-19.el7"),
                Some("1.0.2k-16.el7")
            ),
        ]
    );
    assert_eq!((d.unchanged, d.added.len(), d.removed.len()), (1, 0, 0));
}
