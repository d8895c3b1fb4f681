//! SPDX 2.x tag-value: `Tag: value` lines, `#` comments, and `<text>…</text>` values that may
//! span lines.
//!
//! A `PackageName:` line opens a package, and the `SPDXID`, `PackageVersion`,
//! `PrimaryPackagePurpose` and `ExternalRef: PACKAGE-MANAGER purl …` lines after it belong to that
//! package until a `FileName`, `SnippetSPDXID`, `LicenseID` or the next `PackageName` opens
//! another section. `Relationship: A TYPE B` lines count wherever they are. The counting rule is
//! SPDX 2 JSON's (see `spdx2.rs`).
//!
//! Checked: every non-blank, non-comment line outside `<text>` is `Tag: value` with a one-word
//! tag, every `<text>` is closed, and what SPDX 2 JSON checks.

use super::spdx2::{RawDocument, RawPackage, collect};
use super::{Parsed, SbomError, SbomFormat};

fn invalid(message: String) -> SbomError {
    SbomError::Invalid {
        format: SbomFormat::Spdx2TagValue,
        message,
    }
}

#[derive(PartialEq)]
enum Section {
    Document,
    Package,
    Other,
}

pub(super) fn read(text: &str) -> Result<Parsed, SbomError> {
    let mut version: Option<String> = None;
    let mut doc = RawDocument {
        spdx_version: String::new(),
        spdx_id: None,
        describes: Vec::new(),
        packages: Vec::new(),
        relationships: Vec::new(),
    };
    let mut section = Section::Document;
    let mut lines = text.lines().enumerate();
    while let Some((index, raw)) = lines.next() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            let hint = if line.starts_with("Relationship ") {
                " (`Relationship` needs a colon: `Relationship: A TYPE B`; old spdx-sbom-generator releases left it out)"
            } else {
                ""
            };
            return Err(invalid(format!(
                "line {line_no}: expected `Tag: value`, found {:?}{hint}",
                shorten(line)
            )));
        };
        let tag = tag.trim();
        if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(invalid(format!(
                "line {line_no}: expected `Tag: value`, found {:?}",
                shorten(line)
            )));
        }
        let mut value = value.trim();
        if let Some(rest) = value.strip_prefix("<text>") {
            match rest.split_once("</text>") {
                Some((inside, _)) => value = inside.trim(),
                None => {
                    // A value over several lines: none of the tags read needs one.
                    if !lines.by_ref().any(|(_, l)| l.contains("</text>")) {
                        return Err(invalid(format!(
                            "line {line_no}: <text> is never closed by </text>"
                        )));
                    }
                    value = "";
                }
            }
        }
        let current = doc
            .packages
            .last_mut()
            .filter(|_| section == Section::Package);
        match tag {
            "SPDXVersion" => {
                version.get_or_insert_with(|| value.to_owned());
            }
            "SPDXID" => match (&section, current) {
                (Section::Document, _) => {
                    doc.spdx_id.get_or_insert_with(|| value.to_owned());
                }
                (Section::Package, Some(p)) => {
                    p.spdx_id.get_or_insert_with(|| value.to_owned());
                }
                _ => {}
            },
            "PackageName" => {
                doc.packages.push(RawPackage {
                    location: format!("the package at line {line_no}"),
                    spdx_id: None,
                    name: Some(value.to_owned()),
                    version: None,
                    purl: None,
                    purpose: None,
                });
                section = Section::Package;
            }
            "PackageVersion" => {
                if let Some(p) = current {
                    p.version.get_or_insert_with(|| value.to_owned());
                }
            }
            "PrimaryPackagePurpose" => {
                if let Some(p) = current {
                    p.purpose.get_or_insert_with(|| value.to_owned());
                }
            }
            "ExternalRef" => {
                let mut words = value.split_whitespace();
                if let (Some(p), Some(_category), Some(kind), Some(locator)) =
                    (current, words.next(), words.next(), words.next())
                    && kind.eq_ignore_ascii_case("purl")
                {
                    p.purl.get_or_insert_with(|| locator.to_owned());
                }
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => section = Section::Other,
            "Relationship" => {
                let mut words = value.split_whitespace();
                if let (Some(a), Some(kind), Some(b)) = (words.next(), words.next(), words.next()) {
                    doc.relationships
                        .push((a.to_owned(), kind.to_owned(), b.to_owned()));
                }
            }
            _ => {}
        }
    }
    doc.spdx_version = version.ok_or_else(|| invalid("no SPDXVersion".into()))?;
    collect(SbomFormat::Spdx2TagValue, doc)
}

/// The first 60 characters of a line, for an error message.
fn shorten(line: &str) -> String {
    match line.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", line.get(..end).unwrap_or(line)),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::sbom::{SbomFormat, read_sbom};

    const DOC: &str = "SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: img
DocumentComment: <text>PackageName: not-a-package
SPDXID: SPDXRef-nope
</text>

##### Package: img
PackageName: img
SPDXID: SPDXRef-img
PackageSummary: <text>one line: with a colon</text>

PackageName: zlib
SPDXID: SPDXRef-zlib
PackageVersion: 1.3.1-r2
ExternalRef: SECURITY cpe23Type cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*
ExternalRef: PACKAGE-MANAGER purl pkg:apk/alpine/zlib@1.3.1-r2?arch=x86_64
PackageAttributionText: Key: value

FileName: /lib/libz.so
SPDXID: SPDXRef-file
PackageVersion: 9

PackageName: alpine
SPDXID: SPDXRef-os
PackageVersion: 3.20.3
PrimaryPackagePurpose: OPERATING-SYSTEM

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-img
Relationship: SPDXRef-img CONTAINS SPDXRef-zlib
";

    #[test]
    fn packages_sections_and_text_blocks() {
        let sbom = read_sbom(DOC.as_bytes()).expect("reads");
        assert_eq!(sbom.format, SbomFormat::Spdx2TagValue);
        assert_eq!(sbom.spec_version, "2.3");
        let got: Vec<_> = sbom
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.kind.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("zlib", Some("1.3.1-r2"), Some("apk")),
                ("alpine", Some("3.20.3"), Some("operating-system"))
            ]
        );
        assert_eq!(
            sbom.packages[0].purl.as_deref(),
            Some("pkg:apk/alpine/zlib@1.3.1-r2?arch=x86_64")
        );
    }

    #[test]
    fn malformed_lines_are_rejected_with_their_number() {
        let err = |s: &str| read_sbom(s.as_bytes()).expect_err("rejected").to_string();
        assert_eq!(
            err("SPDXVersion: SPDX-2.3\nthis is not a tag\n"),
            "not a valid SPDX 2 tag-value document: line 2: expected `Tag: value`, found \"this is not a tag\""
        );
        assert_eq!(
            err("SPDXVersion: SPDX-2.3\nPackageComment: <text>never closed\nmore\n"),
            "not a valid SPDX 2 tag-value document: line 2: <text> is never closed by </text>"
        );
        assert_eq!(
            err("SPDXVersion: SPDX-2.3\nPackageName: a\n"),
            "not a valid SPDX 2 tag-value document: the package at line 2 has no SPDXID"
        );
        assert!(
            err("SPDXVersion: SPDX-1.2\n")
                .starts_with("SPDX version \"SPDX-1.2\" is not supported")
        );
        assert!(
            err("Some text: SPDXVersion: x\nSPDXVersion: SPDX-2.3\n")
                .contains("line 1: expected `Tag: value`")
        );
    }
}
