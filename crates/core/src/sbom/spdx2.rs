//! SPDX 2.x JSON, and the counting rule it shares with tag-value.
//!
//! Packages: `packages[]`, minus the document's subject. The subject is the package the document
//! describes — through `documentDescribes`, a `DESCRIBES` relationship from the document's
//! `SPDXID`, or a `DESCRIBED_BY` relationship to it — when it describes exactly one package. Syft
//! and Trivy describe the scanned image, directory or file that way, and that root is not a
//! package of itself. A document that describes several packages is a plain list of them, and
//! they all count. Files (`files[]`, `FileName:`) and snippets never count.
//!
//! Checked, because they are read: `spdxVersion` is SPDX-2.0 to SPDX-2.3, every package has an
//! `SPDXID` and a `name`, and the fields read have the right JSON types.

use super::{Package, Parsed, SbomError, SbomFormat, package};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
pub(super) struct Document {
    #[serde(rename = "spdxVersion")]
    spdx_version: String,
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    #[serde(rename = "documentDescribes", default)]
    document_describes: Vec<String>,
    #[serde(default)]
    packages: Vec<JsonPackage>,
    #[serde(default)]
    relationships: Vec<JsonRelationship>,
}

#[derive(Deserialize)]
struct JsonPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    name: Option<String>,
    #[serde(rename = "versionInfo")]
    version_info: Option<String>,
    #[serde(rename = "externalRefs", default)]
    external_refs: Vec<ExternalRef>,
    #[serde(rename = "primaryPackagePurpose")]
    purpose: Option<String>,
}

#[derive(Deserialize)]
struct ExternalRef {
    #[serde(rename = "referenceType")]
    reference_type: Option<String>,
    #[serde(rename = "referenceLocator")]
    reference_locator: Option<String>,
}

#[derive(Deserialize)]
struct JsonRelationship {
    #[serde(rename = "spdxElementId")]
    element: Option<String>,
    #[serde(rename = "relatedSpdxElement")]
    related: Option<String>,
    #[serde(rename = "relationshipType")]
    kind: Option<String>,
}

/// A package as either syntax gives it.
pub(super) struct RawPackage {
    /// Where it is, for errors: `packages[3]`, `line 12`.
    pub location: String,
    pub spdx_id: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub purpose: Option<String>,
}

/// An SPDX 2 document as either syntax gives it: only what the counting rule needs.
pub(super) struct RawDocument {
    pub spdx_version: String,
    pub spdx_id: Option<String>,
    pub describes: Vec<String>,
    pub packages: Vec<RawPackage>,
    /// `(element, type, related)`.
    pub relationships: Vec<(String, String, String)>,
}

pub(super) fn read_json(doc: Document) -> Result<Parsed, SbomError> {
    let packages = doc
        .packages
        .into_iter()
        .enumerate()
        .map(|(i, p)| RawPackage {
            location: format!("packages[{i}]"),
            spdx_id: p.spdx_id,
            name: p.name,
            version: p.version_info,
            purl: p
                .external_refs
                .into_iter()
                .filter(|r| {
                    r.reference_type
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case("purl"))
                })
                .find_map(|r| r.reference_locator),
            purpose: p.purpose,
        })
        .collect();
    let relationships = doc
        .relationships
        .into_iter()
        .filter_map(|r| Some((r.element?, r.kind?, r.related?)))
        .collect();
    collect(
        SbomFormat::Spdx2Json,
        RawDocument {
            spdx_version: doc.spdx_version,
            spdx_id: doc.spdx_id,
            describes: doc.document_describes,
            packages,
            relationships,
        },
    )
}

/// The version number of an `SPDX-2.x` version string.
fn version_number(spdx_version: &str) -> Option<&str> {
    let number = spdx_version.trim().strip_prefix("SPDX-")?;
    matches!(number, "2.0" | "2.1" | "2.2" | "2.3").then_some(number)
}

/// Applies the counting rule of the module docs.
pub(super) fn collect(format: SbomFormat, doc: RawDocument) -> Result<Parsed, SbomError> {
    let Some(spec_version) = version_number(&doc.spdx_version) else {
        return Err(SbomError::UnsupportedVersion {
            what: format!("SPDX version {:?}", doc.spdx_version),
            supported: "SPDX-2.0 to SPDX-2.3 here; SPDX 3 is read as JSON-LD",
        });
    };
    let spec_version = spec_version.to_owned();
    let invalid = |message: String| SbomError::Invalid { format, message };
    for p in &doc.packages {
        if p.spdx_id.is_none() {
            return Err(invalid(format!("{} has no SPDXID", p.location)));
        }
        if p.name.is_none() {
            return Err(invalid(format!(
                "{} ({}) has no name",
                p.location,
                p.spdx_id.as_deref().unwrap_or_default()
            )));
        }
    }
    let document = doc.spdx_id.as_deref().unwrap_or("SPDXRef-DOCUMENT");
    let mut described: BTreeSet<&str> = doc.describes.iter().map(String::as_str).collect();
    for (element, kind, related) in &doc.relationships {
        if kind.eq_ignore_ascii_case("DESCRIBES") && element == document {
            described.insert(related);
        } else if kind.eq_ignore_ascii_case("DESCRIBED_BY") && related == document {
            described.insert(element);
        }
    }
    let described_packages: BTreeSet<&str> = doc
        .packages
        .iter()
        .filter_map(|p| p.spdx_id.as_deref())
        .filter(|id| described.contains(id))
        .collect();
    let root = match described_packages.len() {
        1 => described_packages.first().map(|id| (*id).to_owned()),
        _ => None,
    };
    let packages: Vec<Package> = doc
        .packages
        .into_iter()
        .filter(|p| root.is_none() || p.spdx_id != root)
        .map(|p| package(p.name.unwrap_or_default(), p.version, p.purl, p.purpose))
        .collect();
    Ok(Parsed {
        spec_version,
        packages,
    })
}

#[cfg(test)]
mod tests {
    use crate::sbom::{SbomFormat, read_sbom};

    fn names(json: &str) -> Vec<String> {
        let sbom = read_sbom(json.as_bytes()).expect("reads");
        assert_eq!(sbom.format, SbomFormat::Spdx2Json);
        sbom.packages.into_iter().map(|p| p.name).collect()
    }

    const PKGS: &str = r#""packages":[
        {"SPDXID":"SPDXRef-img","name":"img","primaryPackagePurpose":"CONTAINER"},
        {"SPDXID":"SPDXRef-a","name":"a","versionInfo":"1.0","externalRefs":[
            {"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:a:a:1.0"},
            {"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/a@1.0"}]},
        {"SPDXID":"SPDXRef-os","name":"debian","versionInfo":"12.7","primaryPackagePurpose":"OPERATING-SYSTEM"}],
        "files":[{"SPDXID":"SPDXRef-f","fileName":"/etc/passwd"}]"#;

    #[test]
    fn the_one_described_package_is_the_root() {
        let by_relationship = format!(
            r#"{{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",{PKGS},
            "relationships":[{{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-img"}},
                             {{"spdxElementId":"SPDXRef-img","relationshipType":"CONTAINS","relatedSpdxElement":"SPDXRef-a"}}]}}"#
        );
        assert_eq!(names(&by_relationship), ["a", "debian"]);
        let by_list = format!(
            r#"{{"spdxVersion":"SPDX-2.2","SPDXID":"SPDXRef-DOCUMENT",{PKGS},"documentDescribes":["SPDXRef-img","SPDXRef-f"]}}"#
        );
        assert_eq!(names(&by_list), ["a", "debian"]);
        let described_by = format!(
            r#"{{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",{PKGS},
            "relationships":[{{"spdxElementId":"SPDXRef-img","relationshipType":"DESCRIBED_BY","relatedSpdxElement":"SPDXRef-DOCUMENT"}}]}}"#
        );
        assert_eq!(names(&described_by), ["a", "debian"]);
    }

    #[test]
    fn several_described_packages_all_count_and_none_described_none_removed() {
        let several = format!(
            r#"{{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",{PKGS},"documentDescribes":["SPDXRef-img","SPDXRef-a"]}}"#
        );
        assert_eq!(names(&several), ["img", "a", "debian"]);
        let none = format!(r#"{{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",{PKGS}}}"#);
        assert_eq!(names(&none), ["img", "a", "debian"]);
    }

    #[test]
    fn fields_of_a_package() {
        let doc = format!(r#"{{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",{PKGS}}}"#);
        let sbom = read_sbom(doc.as_bytes()).expect("reads");
        assert_eq!(sbom.spec_version, "2.3");
        let [img, a, os] = &sbom.packages[..] else {
            panic!("three packages")
        };
        assert_eq!(img.kind.as_deref(), Some("container"));
        assert_eq!(a.purl.as_deref(), Some("pkg:npm/a@1.0"));
        assert_eq!(a.kind.as_deref(), Some("npm"));
        assert_eq!(a.version.as_deref(), Some("1.0"));
        assert_eq!(os.kind.as_deref(), Some("operating-system"));
    }

    #[test]
    fn rejected() {
        let err = |s: &str| read_sbom(s.as_bytes()).expect_err("rejected").to_string();
        assert_eq!(
            err(r#"{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-a"}]}"#),
            "not a valid SPDX 2 JSON document: packages[0] (SPDXRef-a) has no name"
        );
        assert_eq!(
            err(r#"{"spdxVersion":"SPDX-2.3","packages":[{"name":"a"}]}"#),
            "not a valid SPDX 2 JSON document: packages[0] has no SPDXID"
        );
        assert!(
            err(r#"{"spdxVersion":"SPDX-3.0","packages":[]}"#)
                .starts_with(r#"SPDX version "SPDX-3.0" is not supported"#)
        );
        assert!(
            err(r#"{"spdxVersion":"SPDX-2.3","packages":{}}"#).starts_with(
                "not a valid SPDX 2 JSON document: invalid type: map, expected a sequence"
            )
        );
    }
}
