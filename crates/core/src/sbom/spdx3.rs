//! SPDX 3.x JSON-LD: `{"@context": …, "@graph": [elements]}`.
//!
//! Packages: the elements of `@graph` whose type (`type` or `@type`, a name or a full IRI) is
//! `software_Package` or one of its subclasses `ai_AIPackage` and `dataset_DatasetPackage`, minus
//! the document's subject: the package named by the `rootElement` of the `SpdxDocument` or of an
//! `software_Sbom` (any element's `rootElement`, in fact), when exactly one package is named that
//! way — the same rule as SPDX 2's DESCRIBES. `software_File`, snippets and every other element
//! never count.
//!
//! The purl is `software_packageUrl`, or else an `externalIdentifier` of type `packageUrl`. The
//! version is `specVersion` of the first `CreationInfo` (a graph element or inline), else the one
//! in the `@context` IRI.
//!
//! Checked: every package has a `name`, the version is 3.x, and the fields read have the right
//! JSON types (a single value or a list where JSON-LD allows either).

use super::probe::Scalar;
use super::{Package, Parsed, SbomError, SbomFormat, package};
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::collections::BTreeSet;

#[derive(Deserialize)]
pub(super) struct Document {
    #[serde(rename = "@context")]
    context: Option<Scalar>,
    #[serde(rename = "@graph")]
    graph: Vec<Element>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn iter(&self) -> std::slice::Iter<'_, T> {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one).iter(),
            OneOrMany::Many(many) => many.iter(),
        }
    }
}

#[derive(Deserialize)]
struct Element {
    #[serde(rename = "type")]
    ty: Option<OneOrMany<String>>,
    #[serde(rename = "@type")]
    at_type: Option<OneOrMany<String>>,
    #[serde(rename = "spdxId")]
    spdx_id: Option<String>,
    #[serde(rename = "@id")]
    at_id: Option<String>,
    name: Option<String>,
    #[serde(rename = "software_packageVersion")]
    version: Option<String>,
    #[serde(rename = "software_packageUrl")]
    purl: Option<String>,
    #[serde(rename = "software_primaryPurpose")]
    purpose: Option<String>,
    #[serde(rename = "externalIdentifier")]
    external_identifiers: Option<OneOrMany<ExternalIdentifier>>,
    #[serde(rename = "rootElement")]
    root_element: Option<OneOrMany<String>>,
    #[serde(rename = "specVersion")]
    spec_version: Option<String>,
    #[serde(rename = "creationInfo")]
    creation_info: Option<CreationInfoRef>,
}

#[derive(Deserialize)]
struct ExternalIdentifier {
    #[serde(rename = "externalIdentifierType")]
    kind: Option<String>,
    identifier: Option<String>,
}

/// `creationInfo` is the id of a `CreationInfo` element, or the object itself.
#[derive(Deserialize)]
#[serde(untagged)]
enum CreationInfoRef {
    Inline {
        #[serde(rename = "specVersion")]
        spec_version: Option<String>,
    },
    Id(IgnoredAny),
}

fn is_package_type(ty: &str) -> bool {
    matches!(
        ty,
        "software_Package" | "ai_AIPackage" | "dataset_DatasetPackage"
    ) || [
        "/Software/Package",
        "/AI/AIPackage",
        "/Dataset/DatasetPackage",
    ]
    .iter()
    .any(|iri| ty.ends_with(iri))
}

impl Element {
    fn is_package(&self) -> bool {
        self.ty
            .iter()
            .chain(self.at_type.iter())
            .flat_map(OneOrMany::iter)
            .any(|t| is_package_type(t))
    }

    fn id(&self) -> Option<&str> {
        self.spdx_id.as_deref().or(self.at_id.as_deref())
    }

    fn type_name(&self) -> &str {
        self.ty
            .iter()
            .chain(self.at_type.iter())
            .flat_map(OneOrMany::iter)
            .next()
            .map_or("element", String::as_str)
    }
}

fn invalid(message: String) -> SbomError {
    SbomError::Invalid {
        format: SbomFormat::Spdx3JsonLd,
        message,
    }
}

/// `3.0.1` from `https://spdx.org/rdf/3.0.1/spdx-context.jsonld`.
fn version_in_context(context: &str) -> Option<&str> {
    let (_, rest) = context.split_once("spdx.org/rdf/")?;
    let version = rest.split('/').next()?;
    version.starts_with('3').then_some(version)
}

pub(super) fn read(doc: Document) -> Result<Parsed, SbomError> {
    let spec_version = doc
        .graph
        .iter()
        .find_map(|e| {
            e.spec_version.clone().or_else(|| match &e.creation_info {
                Some(CreationInfoRef::Inline { spec_version }) => spec_version.clone(),
                _ => None,
            })
        })
        .or_else(|| {
            doc.context
                .as_ref()
                .and_then(Scalar::as_str)
                .and_then(version_in_context)
                .map(str::to_owned)
        })
        .ok_or_else(|| invalid("no specVersion in any CreationInfo or in @context".into()))?;
    if !spec_version.starts_with("3.") {
        return Err(SbomError::UnsupportedVersion {
            what: format!("SPDX specVersion {spec_version:?} in JSON-LD"),
            supported: "3.x",
        });
    }
    let roots: BTreeSet<&str> = doc
        .graph
        .iter()
        .filter_map(|e| e.root_element.as_ref())
        .flat_map(OneOrMany::iter)
        .map(String::as_str)
        .collect();
    let mut root_packages = BTreeSet::new();
    for (i, e) in doc.graph.iter().enumerate() {
        if !e.is_package() {
            continue;
        }
        if e.name.is_none() {
            return Err(invalid(format!(
                "@graph[{i}] ({} {}) has no name",
                e.type_name(),
                e.id().unwrap_or("without id")
            )));
        }
        if let Some(id) = e.id().filter(|id| roots.contains(id)) {
            root_packages.insert(id.to_owned());
        }
    }
    let root = match root_packages.len() {
        1 => root_packages.pop_first(),
        _ => None,
    };
    let packages: Vec<Package> = doc
        .graph
        .into_iter()
        .filter(|e| e.is_package() && (root.is_none() || e.id() != root.as_deref()))
        .map(|e| {
            let purl = e.purl.or_else(|| {
                e.external_identifiers.and_then(|ids| {
                    ids.iter()
                        .find(|x| x.kind.as_deref() == Some("packageUrl"))
                        .and_then(|x| x.identifier.clone())
                })
            });
            package(e.name.unwrap_or_default(), e.version, purl, e.purpose)
        })
        .collect();
    Ok(Parsed {
        spec_version,
        packages,
    })
}

#[cfg(test)]
mod tests {
    use crate::sbom::{SbomFormat, read_sbom};

    fn doc(graph: &str) -> String {
        format!(
            r#"{{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[
              {{"type":"CreationInfo","@id":"_:ci","specVersion":"3.0.1","created":"2024-01-01T00:00:00Z"}},
              {graph}]}}"#
        )
    }

    fn names(json: &str) -> Vec<String> {
        let sbom = read_sbom(json.as_bytes()).expect("reads");
        assert_eq!(sbom.format, SbomFormat::Spdx3JsonLd);
        assert_eq!(sbom.spec_version, "3.0.1");
        sbom.packages.into_iter().map(|p| p.name).collect()
    }

    #[test]
    fn packages_minus_the_single_root() {
        let json = doc(
            r#"{"type":"SpdxDocument","spdxId":"urn:doc","rootElement":["urn:sbom"]},
               {"type":"software_Sbom","spdxId":"urn:sbom","rootElement":["urn:img"]},
               {"type":"software_Package","spdxId":"urn:img","name":"img","software_primaryPurpose":"container"},
               {"@type":"software_Package","@id":"urn:z","name":"zlib","software_packageVersion":"1.3.1",
                "externalIdentifier":[{"type":"ExternalIdentifier","externalIdentifierType":"packageUrl","identifier":"pkg:apk/alpine/zlib@1.3.1"}]},
               {"type":"https://spdx.org/rdf/3.0.1/terms/Software/Package","spdxId":"urn:os","name":"alpine","software_primaryPurpose":"operatingSystem"},
               {"type":"ai_AIPackage","spdxId":"urn:m","name":"model","software_primaryPurpose":"model"},
               {"type":"software_File","spdxId":"urn:f","name":"/etc/os-release"}"#,
        );
        assert_eq!(names(&json), ["zlib", "alpine", "model"]);
        let sbom = read_sbom(json.as_bytes()).expect("reads");
        assert_eq!(sbom.packages[0].kind.as_deref(), Some("apk"));
        assert_eq!(
            sbom.packages[0].purl.as_deref(),
            Some("pkg:apk/alpine/zlib@1.3.1")
        );
        assert_eq!(sbom.packages[1].kind.as_deref(), Some("operating-system"));
    }

    #[test]
    fn several_root_packages_all_count() {
        let json = doc(
            r#"{"type":"software_Sbom","spdxId":"urn:sbom","rootElement":["urn:a","urn:b"]},
               {"type":"software_Package","spdxId":"urn:a","name":"a"},
               {"type":"software_Package","spdxId":"urn:b","name":"b"}"#,
        );
        assert_eq!(names(&json), ["a", "b"]);
    }

    #[test]
    fn a_single_root_value_and_a_version_from_the_context() {
        let json = r#"{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[
            {"type":"SpdxDocument","spdxId":"urn:d","rootElement":"urn:a"},
            {"type":"software_Package","spdxId":"urn:a","name":"a"},
            {"type":"software_Package","spdxId":"urn:b","name":"b","software_packageUrl":"pkg:npm/b@1"}]}"#;
        assert_eq!(names(json), ["b"]);
    }

    #[test]
    fn rejected() {
        let err = |s: &str| read_sbom(s.as_bytes()).expect_err("rejected").to_string();
        assert_eq!(
            err(&doc(r#"{"type":"software_Package","spdxId":"urn:a"}"#)),
            "not a valid SPDX 3 JSON-LD document: @graph[1] (software_Package urn:a) has no name"
        );
        assert!(
            err(r#"{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}"#)
                .contains("missing field `@graph`")
        );
        assert!(
            err(r#"{"@context":"https://schema.org","@graph":[]}"#).starts_with(
                "not an SBOM: a JSON-LD document whose @context is \"https://schema.org\""
            )
        );
        assert!(
            err(r#"{"@graph":[{"type":"CreationInfo","specVersion":"2.3"}]}"#)
                .starts_with("SPDX specVersion \"2.3\" in JSON-LD is not supported")
        );
        assert!(err(r#"{"@graph":[]}"#).contains("no specVersion"));
    }
}
