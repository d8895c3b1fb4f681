//! SBOM readers: the list of packages an SBOM declares, whatever its format and wrapping.
//!
//! # API
//!
//! - [`read_sbom`]`(bytes) -> Result<`[`Sbom`]`, `[`SbomError`]`>`: one SBOM, in any format and
//!   wrapping below.
//! - [`read_all`]`(bytes) -> Result<Vec<Sbom>, SbomError>`: every SBOM of a JSON Lines file
//!   (`.intoto.jsonl`); a single document gives a list of one.
//! - [`Sbom`]: the [`SbomFormat`], the specification version (`2.3`, `3.0.1`, `1.6`), the
//!   [`Package`]s (name, version, purl as written, kind) and the [`Wrapper`] it came in.
//! - [`SbomError`]: why bytes are not read, as a message meant for users ("not JSON: …",
//!   "an in-toto statement whose predicate is not an SBOM (predicateType …)", "CycloneDX
//!   specVersion 1.0 is not supported …", "document is empty").
//! - [`purl::Purl`]: package URLs parsed far enough to name a package at any version.
//! - [`crate::compare::diff_packages`] compares two package lists.
//!
//! The counting rules, the corpus results and how the counts were checked are in `docs/sbom.md`.
//!
//! # Formats
//!
//! | [`SbomFormat`] | read from | versions |
//! |---|---|---|
//! | [`Spdx2Json`](SbomFormat::Spdx2Json) | an object with `spdxVersion` | SPDX-2.0 to SPDX-2.3 (JSON exists from 2.2) |
//! | [`Spdx2TagValue`](SbomFormat::Spdx2TagValue) | text with a `SPDXVersion:` line | SPDX-2.0 to SPDX-2.3 |
//! | [`Spdx3JsonLd`](SbomFormat::Spdx3JsonLd) | an object with `@graph` (and an SPDX `@context`) | 3.x |
//! | [`CycloneDxJson`](SbomFormat::CycloneDxJson) | an object with `bomFormat` | 1.2 to 1.7 (JSON starts at 1.2) |
//!
//! The format is detected from the content, never from a file name. Any of them may arrive
//! wrapped, and [`Sbom::wrapper`] says how:
//!
//! - an in-toto statement (`_type`, `predicateType`, `predicate`) whose `predicateType` is an SBOM
//!   type (`https://spdx.dev/Document…`, `https://cyclonedx.org/bom…`); the predicate may also be
//!   cosign's `{"Data": …, "Timestamp": …}` wrapper, with the SBOM as an object or as a string;
//! - a DSSE envelope (`payloadType`, base64 `payload`) around such a statement or around an SBOM,
//!   also as the `dsseEnvelope` of a Sigstore bundle;
//! - a line of an `.intoto.jsonl` file: several JSON documents, one per line. [`read_all`] returns
//!   every SBOM among them and skips the statements that carry something else (provenance, a
//!   vulnerability scan); [`read_sbom`] wants exactly one.
//!
//! Rejected with a [`SbomError`], never misread and never a panic: anything that is not JSON or
//! tag-value (including the `...`-abbreviated examples of specifications, which get a hint),
//! SPDX YAML, XML and RDF, CycloneDX XML, Syft's own JSON, in-toto statements about something
//! else, unsupported versions, and documents that break the rules of the fields read.
//!
//! # What counts as a package
//!
//! Exactly what `docs/sbom.md` describes, in short: the package elements of the document
//! (SPDX 2 `packages[]`, SPDX 3 `software_Package` and its AI/dataset subclasses, CycloneDX
//! `components` at any depth) minus the document's subject — the single package an SPDX document
//! DESCRIBES or has as root element, CycloneDX's `metadata.component` — and minus files (SPDX
//! `files[]`, SPDX 3 `software_File`, CycloneDX components of type `file`). A package listed twice
//! (same purl, or same kind, name and version when there is no purl) is kept once, the first
//! time. Packages keep document order.
//!
//! # Reading large documents
//!
//! JSON is read in two passes over the byte slice: a first pass that only looks at the keys that
//! tell formats apart (skipping everything else without building it), then one pass into the few
//! fields of the detected format. Nothing is capped. Nested CycloneDX components are walked with
//! an explicit stack; their depth is bounded by `serde_json`'s nesting limit (128 arrays and
//! objects, about 60 levels of components), beyond which the document is rejected with
//! [`SbomError::TooDeep`].
//!
//! ```
//! use minicheck_core::sbom::{read_sbom, SbomFormat};
//!
//! let sbom = read_sbom(br#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
//!     "metadata": {"component": {"type": "container", "name": "app"}},
//!     "components": [{"type": "library", "name": "zlib", "version": "1.3.1",
//!                     "purl": "pkg:apk/alpine/zlib@1.3.1-r2"}]}"#).unwrap();
//! assert_eq!(sbom.format, SbomFormat::CycloneDxJson);
//! assert_eq!(sbom.spec_version, "1.6");
//! assert_eq!(sbom.packages.len(), 1);
//! assert_eq!(sbom.packages[0].kind.as_deref(), Some("apk"));
//! ```

mod cyclonedx;
mod probe;
pub mod purl;
mod spdx2;
mod spdx3;
mod tagvalue;
#[cfg(test)]
mod tests;

use probe::{Probe, Scalar, Shape};
use purl::Purl;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use std::collections::BTreeSet;
use std::fmt;

/// The format of an SBOM document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum SbomFormat {
    /// SPDX 2.x as JSON.
    #[serde(rename = "spdx2-json")]
    Spdx2Json,
    /// SPDX 2.x as tag-value text.
    #[serde(rename = "spdx2-tag-value")]
    Spdx2TagValue,
    /// SPDX 3.x as JSON-LD.
    #[serde(rename = "spdx3-jsonld")]
    Spdx3JsonLd,
    /// CycloneDX 1.x as JSON.
    #[serde(rename = "cyclonedx-json")]
    CycloneDxJson,
}

impl fmt::Display for SbomFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SbomFormat::Spdx2Json => "SPDX 2 JSON",
            SbomFormat::Spdx2TagValue => "SPDX 2 tag-value",
            SbomFormat::Spdx3JsonLd => "SPDX 3 JSON-LD",
            SbomFormat::CycloneDxJson => "CycloneDX JSON",
        })
    }
}

/// One package of an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Package {
    /// The package name as the document gives it.
    pub name: String,
    /// The version as the document gives it (SPDX `versionInfo`, `software_packageVersion`,
    /// CycloneDX `version`); when the document gives none, the purl's version.
    pub version: Option<String>,
    /// The package URL exactly as given.
    pub purl: Option<String>,
    /// The purl's type (`deb`, `npm`) when the purl parses; otherwise the document's own kind:
    /// CycloneDX component `type`, SPDX `primaryPackagePurpose` / `software_primaryPurpose`, in
    /// lowercase kebab-case (`operating-system`).
    pub kind: Option<String>,
}

/// How the SBOM was wrapped, when it was.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Wrapper {
    /// A bare in-toto statement.
    InToto {
        /// The statement's `predicateType`.
        predicate_type: String,
    },
    /// A DSSE envelope (also a Sigstore bundle's `dsseEnvelope`).
    Dsse {
        /// The envelope's `payloadType`.
        payload_type: String,
        /// The `predicateType` of the in-toto statement in the payload, if it was one.
        predicate_type: Option<String>,
    },
    /// One line of a file with one JSON document per line (`.intoto.jsonl`).
    IntotoJsonl {
        /// The line, counting from 1.
        line: usize,
        /// The `payloadType` when the line is a DSSE envelope.
        payload_type: Option<String>,
        /// The `predicateType` when the line is, or carries, an in-toto statement.
        predicate_type: Option<String>,
    },
}

/// An SBOM read: its format, version and packages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sbom {
    /// The document format.
    pub format: SbomFormat,
    /// The specification version, without prefix: `2.3`, `3.0.1`, `1.6`.
    pub spec_version: String,
    /// The packages, in document order, each once.
    pub packages: Vec<Package>,
    /// The wrapping the SBOM came in, if any.
    pub wrapper: Option<Wrapper>,
}

/// Why bytes could not be read as an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SbomError {
    /// Nothing but whitespace.
    #[error("document is empty")]
    Empty,
    /// Starts like JSON but does not parse.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// Parses, but is something other than an SBOM.
    #[error("not an SBOM: {0}")]
    NotSbom(String),
    /// An in-toto statement about something else (provenance, a vulnerability scan).
    #[error("an in-toto statement whose predicate is not an SBOM (predicateType {predicate_type})")]
    NotSbomPredicate {
        /// The statement's `predicateType`.
        predicate_type: String,
    },
    /// An SBOM in an encoding minicheck does not read.
    #[error(
        "{0} is not supported (minicheck reads SPDX 2 JSON and tag-value, SPDX 3 JSON-LD and CycloneDX JSON)"
    )]
    Unsupported(String),
    /// A version of a format that minicheck does not read.
    #[error("{what} is not supported (supported: {supported})")]
    UnsupportedVersion {
        /// What was found: `CycloneDX specVersion 1.0`.
        what: String,
        /// What is read instead: `1.2 to 1.7`.
        supported: &'static str,
    },
    /// The document breaks a rule of its format in a field the reader needs.
    #[error("not a valid {format} document: {message}")]
    Invalid {
        /// The format the document claims.
        format: SbomFormat,
        /// What is wrong, and where.
        message: String,
    },
    /// An in-toto statement without the fields of one.
    #[error("not a valid in-toto statement: {0}")]
    InvalidStatement(String),
    /// A DSSE envelope without the fields of one.
    #[error("not a valid DSSE envelope: {0}")]
    InvalidEnvelope(String),
    /// What went wrong inside a DSSE envelope's payload.
    #[error("in the DSSE payload ({payload_type}): {source}")]
    InPayload {
        /// The envelope's `payloadType`.
        payload_type: String,
        /// The error in the payload.
        source: Box<SbomError>,
    },
    /// What went wrong on one line of a JSON Lines file.
    #[error("line {line}: {source}")]
    AtLine {
        /// The line, counting from 1.
        line: usize,
        /// The error on that line.
        source: Box<SbomError>,
    },
    /// A JSON Lines file none of whose documents is an SBOM.
    #[error("no SBOM among the {documents} documents of this file (line {line}: {reason})")]
    NoSbom {
        /// How many documents (non-blank lines) the file has.
        documents: usize,
        /// The first line.
        line: usize,
        /// Why that line is not an SBOM.
        reason: Box<SbomError>,
    },
    /// [`read_sbom`] on a JSON Lines file with several SBOMs.
    #[error("{} SBOMs in one file (lines {}); expected one", .lines.len(), join(.lines))]
    SeveralSboms {
        /// The lines that hold an SBOM.
        lines: Vec<usize>,
    },
    /// Nested deeper than the reader follows.
    #[error("nested too deeply: {0}")]
    TooDeep(String),
}

fn join(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl SbomError {
    /// Whether the input is well-formed but simply not an SBOM (as opposed to a broken one):
    /// such lines of a JSON Lines file are skipped.
    pub fn is_not_sbom(&self) -> bool {
        matches!(
            self,
            SbomError::NotSbom(_) | SbomError::NotSbomPredicate { .. }
        )
    }
}

/// Reads one SBOM. A JSON Lines file must hold exactly one (see [`read_all`] for several).
pub fn read_sbom(bytes: &[u8]) -> Result<Sbom, SbomError> {
    match split(bytes)? {
        Input::Document(doc) => read_document(doc, Layers::default(), 0),
        Input::Lines(lines) => {
            let mut found = read_lines(&lines)?;
            if found.len() == 1 {
                Ok(found.remove(0))
            } else {
                let lines = found.iter().filter_map(Sbom::line).collect();
                Err(SbomError::SeveralSboms { lines })
            }
        }
    }
}

/// For `.intoto.jsonl` files with several statements: all SBOMs found. Lines that are valid but
/// carry no SBOM are skipped; a broken line is an error, and so is a file without any SBOM. A
/// single document gives a list of one.
pub fn read_all(bytes: &[u8]) -> Result<Vec<Sbom>, SbomError> {
    match split(bytes)? {
        Input::Document(doc) => read_document(doc, Layers::default(), 0).map(|s| vec![s]),
        Input::Lines(lines) => read_lines(&lines),
    }
}

impl Sbom {
    fn line(&self) -> Option<usize> {
        match self.wrapper {
            Some(Wrapper::IntotoJsonl { line, .. }) => Some(line),
            _ => None,
        }
    }
}

enum Input<'a> {
    Document(&'a [u8]),
    /// Non-blank lines with their 1-based numbers.
    Lines(Vec<(usize, &'a [u8])>),
}

/// One document, or JSON Lines: several non-blank lines, the first of which is a complete JSON
/// value by itself. Checked cheaply: a pretty-printed document fails on its first line (`{`), and
/// a one-line document has no second line to try.
fn split(bytes: &[u8]) -> Result<Input<'_>, SbomError> {
    let bytes = trim(bytes);
    if bytes.is_empty() {
        return Err(SbomError::Empty);
    }
    if !matches!(bytes.first(), Some(b'{' | b'[')) {
        return Ok(Input::Document(bytes));
    }
    let mut lines = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, trim(line)))
        .filter(|(_, line)| !line.is_empty());
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else {
        return Ok(Input::Document(bytes));
    };
    if serde_json::from_slice::<IgnoredAny>(first.1).is_err() {
        return Ok(Input::Document(bytes));
    }
    let mut all = vec![first, second];
    all.extend(lines);
    Ok(Input::Lines(all))
}

fn read_lines(lines: &[(usize, &[u8])]) -> Result<Vec<Sbom>, SbomError> {
    let mut found = Vec::new();
    let mut first_reason = None;
    for &(line, text) in lines {
        let layers = Layers {
            line: Some(line),
            ..Layers::default()
        };
        match read_document(text, layers, 0) {
            Ok(sbom) => found.push(sbom),
            Err(e) if e.is_not_sbom() => {
                first_reason.get_or_insert((line, e));
            }
            Err(e) => {
                return Err(SbomError::AtLine {
                    line,
                    source: Box::new(e),
                });
            }
        }
    }
    match (found.is_empty(), first_reason) {
        (true, Some((line, reason))) => Err(SbomError::NoSbom {
            documents: lines.len(),
            line,
            reason: Box::new(reason),
        }),
        _ => Ok(found),
    }
}

/// The wrappers passed on the way to the SBOM.
#[derive(Debug, Default, Clone)]
struct Layers {
    line: Option<usize>,
    payload_type: Option<String>,
    predicate_type: Option<String>,
}

impl Layers {
    fn wrapper(self) -> Option<Wrapper> {
        match (self.line, self.payload_type, self.predicate_type) {
            (Some(line), payload_type, predicate_type) => Some(Wrapper::IntotoJsonl {
                line,
                payload_type,
                predicate_type,
            }),
            (None, Some(payload_type), predicate_type) => Some(Wrapper::Dsse {
                payload_type,
                predicate_type,
            }),
            (None, None, Some(predicate_type)) => Some(Wrapper::InToto { predicate_type }),
            (None, None, None) => None,
        }
    }
}

/// Envelopes inside envelopes: more than this many wrappings is refused.
const MAX_WRAPPING: usize = 4;

/// What a format reader returns.
struct Parsed {
    spec_version: String,
    packages: Vec<Package>,
}

fn read_document(bytes: &[u8], layers: Layers, depth: usize) -> Result<Sbom, SbomError> {
    if depth > MAX_WRAPPING {
        return Err(SbomError::TooDeep(format!(
            "more than {MAX_WRAPPING} envelopes and statements inside each other"
        )));
    }
    let bytes = trim(bytes);
    match bytes.first() {
        None => Err(SbomError::Empty),
        Some(b'{' | b'[') => read_json(bytes, layers, depth),
        Some(b'<') => Err(xml_error(bytes)),
        Some(_) => read_text(bytes, layers),
    }
}

fn read_text(bytes: &[u8], layers: Layers) -> Result<Sbom, SbomError> {
    if bytes.contains(&0) {
        return Err(SbomError::NotSbom("binary data".into()));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| SbomError::NotSbom(format!("neither JSON nor UTF-8 text ({e})")))?;
    let tag = |l: &str, t: &str| l.trim_start().starts_with(t);
    if text.lines().any(|l| tag(l, "SPDXVersion:")) {
        let parsed = tagvalue::read(text)?;
        return Ok(finish(SbomFormat::Spdx2TagValue, parsed, layers));
    }
    let yaml_key = |l: &str| {
        let l = l.trim_start().trim_start_matches(['"', '\'']);
        l.strip_prefix("spdxVersion")
            .is_some_and(|r| r.trim_start_matches(['"', '\'']).starts_with(':'))
    };
    if text.lines().any(yaml_key) {
        return Err(SbomError::Unsupported("SPDX YAML".into()));
    }
    Err(SbomError::NotSbom(
        "text that is neither JSON nor SPDX tag-value".into(),
    ))
}

fn xml_error(bytes: &[u8]) -> SbomError {
    let head = bytes.get(..65536).unwrap_or(bytes);
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"cyclonedx.org/schema/bom") {
        SbomError::Unsupported("CycloneDX XML".into())
    } else if has(b"spdx.org/rdf") || has(b"<rdf:RDF") {
        SbomError::Unsupported("SPDX RDF/XML".into())
    } else if has(b"<spdxVersion>") || has(b"<SPDXID>") {
        SbomError::Unsupported("SPDX XML".into())
    } else {
        SbomError::NotSbom("an XML document that is neither CycloneDX nor SPDX".into())
    }
}

/// Where in the JSON document the SBOM sits.
#[derive(Clone, Copy)]
enum At {
    Top,
    /// `predicate` of an in-toto statement.
    Predicate,
    /// `predicate.Data` (cosign's wrapper).
    PredicateData,
}

#[derive(Deserialize)]
struct StatementOf<T> {
    predicate: T,
}

#[derive(Deserialize)]
struct CosignWrap<T> {
    #[serde(rename = "Data")]
    data: T,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "payloadType")]
    payload_type: String,
    payload: String,
}

#[derive(Deserialize)]
struct SigstoreBundle {
    #[serde(rename = "dsseEnvelope")]
    dsse_envelope: Envelope,
}

fn parse_at<T: DeserializeOwned>(bytes: &[u8], at: At) -> Result<T, serde_json::Error> {
    match at {
        At::Top => serde_json::from_slice(bytes),
        At::Predicate => serde_json::from_slice::<StatementOf<T>>(bytes).map(|s| s.predicate),
        At::PredicateData => {
            serde_json::from_slice::<StatementOf<CosignWrap<T>>>(bytes).map(|s| s.predicate.data)
        }
    }
}

/// The second pass: the fields of `format`, at `at`.
fn read_format(format: SbomFormat, bytes: &[u8], at: At) -> Result<Parsed, SbomError> {
    let invalid = |e: serde_json::Error| data_error(format, &e);
    match format {
        SbomFormat::CycloneDxJson => cyclonedx::read(parse_at(bytes, at).map_err(invalid)?),
        SbomFormat::Spdx2Json => spdx2::read_json(parse_at(bytes, at).map_err(invalid)?),
        SbomFormat::Spdx3JsonLd => spdx3::read(parse_at(bytes, at).map_err(invalid)?),
        SbomFormat::Spdx2TagValue => Err(SbomError::Invalid {
            format,
            message: "tag-value is text, not JSON".into(),
        }),
    }
}

/// The SBOM format a probed object is written in, if it is an SBOM document at all.
fn document_format(p: &Probe) -> Result<Option<SbomFormat>, SbomError> {
    if p.bom_format.is_some() {
        return Ok(Some(SbomFormat::CycloneDxJson));
    }
    if p.spdx_version.is_some() {
        return Ok(Some(SbomFormat::Spdx2Json));
    }
    let spdx_context = match &p.context {
        Some(Scalar::Str(c)) => Some(c.contains("spdx")),
        Some(Scalar::Other(_)) => None,
        None => None,
    };
    match (p.graph, spdx_context) {
        (true, Some(false)) => Err(SbomError::NotSbom(format!(
            "a JSON-LD document whose @context is {}",
            p.context.as_ref().map(Scalar::describe).unwrap_or_default()
        ))),
        (true, _) | (false, Some(true)) => Ok(Some(SbomFormat::Spdx3JsonLd)),
        (false, _) => Ok(None),
    }
}

fn read_json(bytes: &[u8], layers: Layers, depth: usize) -> Result<Sbom, SbomError> {
    let probe = match serde_json::from_slice::<Shape>(bytes) {
        Ok(Shape::Object(p)) => p,
        Ok(Shape::String) => return Err(SbomError::NotSbom("a JSON string".into())),
        Ok(Shape::Other(kind)) => {
            return Err(SbomError::NotSbom(format!("{kind}, not a JSON object")));
        }
        Err(e) => return Err(syntax_error(bytes, &e)),
    };
    if let Some(format) = document_format(&probe)? {
        let parsed = read_format(format, bytes, At::Top)?;
        return Ok(finish(format, parsed, layers));
    }
    if probe.payload_type.is_some() || probe.payload {
        let envelope: Envelope =
            serde_json::from_slice(bytes).map_err(|e| SbomError::InvalidEnvelope(e.to_string()))?;
        return read_envelope(envelope, layers, depth);
    }
    if probe.dsse_envelope {
        let bundle: SigstoreBundle = serde_json::from_slice(bytes)
            .map_err(|e| SbomError::InvalidEnvelope(format!("Sigstore bundle: {e}")))?;
        return read_envelope(bundle.dsse_envelope, layers, depth);
    }
    if probe.predicate_type.is_some() || probe.predicate.is_some() {
        return read_statement(bytes, &probe, layers, depth);
    }
    if probe.syft_artifacts {
        return Err(SbomError::Unsupported("Syft's own JSON format".into()));
    }
    if let Some(Scalar::Str(media_type)) = &probe.media_type {
        return Err(SbomError::NotSbom(format!(
            "a JSON object of mediaType {media_type}"
        )));
    }
    Err(SbomError::NotSbom(
        "a JSON object without bomFormat, spdxVersion, @graph, predicateType or payloadType".into(),
    ))
}

/// Predicate types that announce an SBOM: the same rule as the OCI attestation discovery
/// ([`crate::oci::sbom_format_for_predicate_type`]).
fn is_sbom_predicate(predicate_type: &str) -> bool {
    crate::oci::sbom_format_for_predicate_type(predicate_type).is_some()
}

fn read_statement(
    bytes: &[u8],
    probe: &Probe,
    mut layers: Layers,
    depth: usize,
) -> Result<Sbom, SbomError> {
    let predicate_type = match &probe.predicate_type {
        Some(Scalar::Str(t)) => t.clone(),
        Some(other) => {
            return Err(SbomError::InvalidStatement(format!(
                "predicateType is {}",
                other.describe()
            )));
        }
        None => return Err(SbomError::InvalidStatement("no predicateType".into())),
    };
    if !is_sbom_predicate(&predicate_type) {
        return Err(SbomError::NotSbomPredicate { predicate_type });
    }
    // The statement announces an SBOM: a predicate that is not one is an error, not a skip.
    let not_sbom = |what: &str| {
        SbomError::InvalidStatement(format!(
            "its predicateType is {predicate_type}, but the predicate is {what}"
        ))
    };
    let found = match &probe.predicate {
        None => return Err(SbomError::InvalidStatement("no predicate".into())),
        Some(Shape::Other(kind)) => return Err(not_sbom(kind)),
        Some(Shape::String) => None,
        Some(Shape::Object(inner)) => match document_format(inner)? {
            Some(format) => Some((format, At::Predicate)),
            None => match &inner.data {
                Some(Shape::Object(data)) => match document_format(data)? {
                    Some(format) => Some((format, At::PredicateData)),
                    None => return Err(not_sbom("a Data object that is not an SBOM")),
                },
                Some(Shape::String) => None,
                Some(Shape::Other(kind)) => {
                    return Err(not_sbom(&format!("a `Data` that is {kind}")));
                }
                None => return Err(not_sbom("not an SBOM document")),
            },
        },
    };
    let wraps_string = matches!(probe.predicate, Some(Shape::String));
    layers.predicate_type = Some(predicate_type);
    match found {
        Some((format, at)) => {
            let parsed = read_format(format, bytes, at)?;
            Ok(finish(format, parsed, layers))
        }
        None => {
            // An SBOM carried as a string (tag-value, or JSON as text).
            let text: String = if wraps_string {
                parse_at(bytes, At::Predicate)
            } else {
                parse_at(bytes, At::PredicateData)
            }
            .map_err(|e| SbomError::InvalidStatement(e.to_string()))?;
            read_document(text.as_bytes(), layers, depth + 1)
        }
    }
}

fn read_envelope(envelope: Envelope, mut layers: Layers, depth: usize) -> Result<Sbom, SbomError> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};

    let payload_type = envelope.payload_type;
    if !payload_type.to_ascii_lowercase().contains("json") {
        return Err(SbomError::NotSbom(format!(
            "a DSSE envelope whose payload is {payload_type}"
        )));
    }
    let payload = envelope.payload.trim();
    let decoded = STANDARD_PAD_INDIFFERENT
        .decode(payload)
        .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(payload))
        .map_err(|e| SbomError::InvalidEnvelope(format!("the payload is not base64: {e}")))?;
    layers
        .payload_type
        .get_or_insert_with(|| payload_type.clone());
    read_document(&decoded, layers, depth + 1).map_err(|e| {
        if e.is_not_sbom() {
            e
        } else {
            SbomError::InPayload {
                payload_type,
                source: Box::new(e),
            }
        }
    })
}

fn finish(format: SbomFormat, parsed: Parsed, layers: Layers) -> Sbom {
    Sbom {
        format,
        spec_version: parsed.spec_version,
        packages: dedupe(parsed.packages),
        wrapper: layers.wrapper(),
    }
}

/// An error of the first pass: the bytes are not JSON.
fn syntax_error(bytes: &[u8], e: &serde_json::Error) -> SbomError {
    let message = e.to_string();
    if message.contains("recursion limit") {
        return SbomError::TooDeep("more than 128 arrays and objects inside each other".into());
    }
    let line = bytes
        .split(|&b| b == b'\n')
        .nth(e.line().saturating_sub(1))
        .unwrap_or_default();
    let hint = if line.trim_ascii_start().starts_with(b"//") {
        " (JSON has no `//` comments; this looks like an annotated example)"
    } else if line.windows(3).any(|w| w == b"...") || line.windows(3).any(|w| w == "…".as_bytes())
    {
        " (the document looks abbreviated with `...`, as examples in specifications are)"
    } else {
        ""
    };
    SbomError::NotJson(format!("{message}{hint}"))
}

/// An error of the second pass: JSON, but not the shape `format` requires.
fn data_error(format: SbomFormat, e: &serde_json::Error) -> SbomError {
    let message = e.to_string();
    if message.contains("recursion limit") {
        return SbomError::TooDeep("more than 128 arrays and objects inside each other".into());
    }
    SbomError::Invalid { format, message }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.trim_ascii()
}

/// Builds a package: the kind is the purl's type when the purl parses, `kind` otherwise; a
/// missing version is taken from the purl. Empty strings count as absent.
pub(crate) fn package(
    name: String,
    version: Option<String>,
    purl: Option<String>,
    kind: Option<String>,
) -> Package {
    let version = version.filter(|v| !v.is_empty());
    let purl = purl.filter(|p| !p.trim().is_empty());
    let parsed = purl.as_deref().and_then(Purl::parse);
    let version = version.or_else(|| parsed.as_ref().and_then(|p| p.version.clone()));
    let kind = match parsed {
        Some(p) => Some(p.ty),
        None => kind.map(|k| kebab(&k)).filter(|k| !k.is_empty()),
    };
    Package {
        name,
        version,
        purl,
        kind,
    }
}

/// `OPERATING-SYSTEM`, `OPERATING_SYSTEM` and `operatingSystem` all become `operating-system`.
pub(crate) fn kebab(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev_lower = false;
    for c in s.trim().chars() {
        if c == '_' || c == '-' || c == ' ' {
            out.push('-');
            prev_lower = false;
        } else if c.is_uppercase() {
            if prev_lower {
                out.push('-');
            }
            out.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// What makes two entries the same package: the purl as written, or kind, name and version.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Identity<'a> {
    Purl(&'a str),
    Named(Option<&'a str>, &'a str, Option<&'a str>),
}

impl Package {
    pub(crate) fn identity(&self) -> Identity<'_> {
        match &self.purl {
            Some(purl) => Identity::Purl(purl),
            None => Identity::Named(self.kind.as_deref(), &self.name, self.version.as_deref()),
        }
    }
}

/// Keeps the first of each [`Identity`], in order.
pub(crate) fn dedupe(packages: Vec<Package>) -> Vec<Package> {
    let keep: Vec<bool> = {
        let mut seen = BTreeSet::new();
        packages.iter().map(|p| seen.insert(p.identity())).collect()
    };
    packages
        .into_iter()
        .zip(keep)
        .filter_map(|(p, keep)| keep.then_some(p))
        .collect()
}
