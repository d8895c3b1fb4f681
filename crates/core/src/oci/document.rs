//! Reading manifests and indexes: OCI image manifests and indexes, Docker schema 2 manifests and
//! manifest lists. Schema 1 and anything else is rejected with an error that says what it was.
//!
//! The JSON is walked by hand rather than deserialised with derived types, so that every error
//! names the field at fault (`layers[1].size: must not be negative`) and `null`, wrong types and
//! out-of-range numbers are each told apart.

use super::OciError;
use super::digest::validate_digest;
use super::media_type::{
    self as mt, essence, is_generic_content_type, is_image_config, is_metadata_layer, is_schema1,
    is_valid_media_type,
};
use crate::platform::Platform;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The largest manifest or index this module reads, 4 MiB: what the distribution specification
/// asks registries to accept at least, and the limit containers/image applies. Hosts should stop
/// reading a body at this size rather than buffer an unbounded answer.
pub const MAX_DOCUMENT_SIZE: usize = 4 * 1024 * 1024;

/// Largest `size` a descriptor may give: registries store sizes as signed 64-bit integers.
const MAX_SIZE: u64 = i64::MAX as u64;

/// Annotation BuildKit puts on the index entry of an attestation manifest.
pub const ANNOTATION_REFERENCE_TYPE: &str = "vnd.docker.reference.type";
/// Value of [`ANNOTATION_REFERENCE_TYPE`] for an attestation manifest.
pub const REFERENCE_TYPE_ATTESTATION: &str = "attestation-manifest";
/// Annotation naming the digest of the image manifest an attestation manifest is about.
pub const ANNOTATION_REFERENCE_DIGEST: &str = "vnd.docker.reference.digest";

/// The four kinds of document this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    OciManifest,
    OciIndex,
    DockerManifest,
    DockerManifestList,
}

impl DocumentKind {
    /// The media type of this kind.
    pub fn media_type(self) -> &'static str {
        match self {
            DocumentKind::OciManifest => mt::OCI_MANIFEST,
            DocumentKind::OciIndex => mt::OCI_INDEX,
            DocumentKind::DockerManifest => mt::DOCKER_MANIFEST,
            DocumentKind::DockerManifestList => mt::DOCKER_MANIFEST_LIST,
        }
    }

    /// The kind with this exact media type.
    pub fn from_media_type(media_type: &str) -> Option<DocumentKind> {
        [
            DocumentKind::OciManifest,
            DocumentKind::OciIndex,
            DocumentKind::DockerManifest,
            DocumentKind::DockerManifestList,
        ]
        .into_iter()
        .find(|k| k.media_type() == media_type)
    }

    /// Whether this kind lists other manifests (an index or manifest list).
    pub fn is_index(self) -> bool {
        matches!(
            self,
            DocumentKind::OciIndex | DocumentKind::DockerManifestList
        )
    }

    fn is_docker(self) -> bool {
        matches!(
            self,
            DocumentKind::DockerManifest | DocumentKind::DockerManifestList
        )
    }

    fn describe(self) -> &'static str {
        match self {
            DocumentKind::OciManifest => "an OCI image manifest",
            DocumentKind::OciIndex => "an OCI image index",
            DocumentKind::DockerManifest => "a Docker schema 2 manifest",
            DocumentKind::DockerManifestList => "a Docker manifest list",
        }
    }
}

/// What the caller asked the registry for, so that a valid document of another kind is an error
/// rather than a surprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expected {
    /// Whatever a tag or digest names: an image manifest, or an index of platform images.
    /// Artifacts (signatures, attestations, charts) are rejected.
    ImageOrIndex,
    /// A platform's image manifest, as listed by an index: not an index, not an artifact.
    Image,
    /// Any manifest, artifacts included: a cosign `.att` manifest, a BuildKit attestation
    /// manifest, a referrer.
    Manifest,
    /// An index: the referrers API's answer, or the referrers tag schema's.
    Index,
    /// Any of the four kinds.
    Any,
}

impl Expected {
    fn describe(self) -> &'static str {
        match self {
            Expected::ImageOrIndex => "an image manifest or index",
            Expected::Image => "an image manifest",
            Expected::Manifest => "a manifest",
            Expected::Index => "an image index",
            Expected::Any => "a manifest or index",
        }
    }
}

/// A content descriptor: what a manifest or index says about another piece of content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    /// A digest valid by [`super::validate_digest`].
    pub digest: String,
    pub size: u64,
    /// The platform of an index entry, as written (not normalised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// Where else the content may be fetched from (non-distributable layers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

impl Descriptor {
    /// The value of annotation `key`.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }

    /// Whether this index entry is a BuildKit attestation manifest
    /// (`vnd.docker.reference.type: attestation-manifest`), not an image.
    pub fn is_attestation_manifest(&self) -> bool {
        self.annotation(ANNOTATION_REFERENCE_TYPE) == Some(REFERENCE_TYPE_ATTESTATION)
    }
}

/// An image manifest (OCI or Docker schema 2), or an artifact manifest of the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub kind: DocumentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Manifest {
    /// The compressed size of the image: the sum of its layers' sizes, as a registry stores and a
    /// client downloads them. Saturates rather than overflows on absurd sizes.
    pub fn compressed_size(&self) -> u64 {
        self.layers
            .iter()
            .fold(0u64, |sum, l| sum.saturating_add(l.size))
    }

    /// [`Manifest::compressed_size`] plus the config blob.
    pub fn compressed_size_with_config(&self) -> u64 {
        self.compressed_size().saturating_add(self.config.size)
    }

    /// Whether this manifest describes an artifact rather than a runnable image: it has an
    /// `artifactType`, its config is not an image configuration, or one of its layers is an
    /// attestation, signature or SBOM rather than a file system.
    ///
    /// A Docker schema 2 manifest whose config is `application/octet-stream` counts as an image:
    /// old tools wrote that, and the Docker format has no artifacts of its own.
    pub fn is_artifact(&self) -> bool {
        let config_is_image = is_image_config(&self.config.media_type)
            || (self.kind == DocumentKind::DockerManifest
                && self.config.media_type == "application/octet-stream");
        self.artifact_type.is_some()
            || !config_is_image
            || self.layers.iter().any(|l| is_metadata_layer(&l.media_type))
    }

    /// The artifact type as OCI 1.1 defines it for the referrers API: `artifactType`, else the
    /// config's media type when that is not an image configuration.
    pub fn effective_artifact_type(&self) -> Option<&str> {
        self.artifact_type.as_deref().or_else(|| {
            (!is_image_config(&self.config.media_type)).then_some(self.config.media_type.as_str())
        })
    }

    /// The value of annotation `key`.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }

    fn describe(&self) -> String {
        if !self.is_artifact() {
            return self.kind.describe().to_string();
        }
        match self.effective_artifact_type() {
            Some(t) => format!("an artifact of type {t:?}, not an image"),
            None => "an artifact (its layers are attestations, signatures or SBOMs, not file \
                     systems), not an image"
                .to_string(),
        }
    }
}

/// An OCI image index or Docker manifest list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub kind: DocumentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    pub manifests: Vec<Descriptor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Index {
    /// The entries that are images: every entry but BuildKit attestation manifests.
    pub fn images(&self) -> impl Iterator<Item = &Descriptor> {
        self.manifests
            .iter()
            .filter(|d| !d.is_attestation_manifest())
    }

    /// The BuildKit attestation manifest for the image manifest `image_digest`: the entry with
    /// `vnd.docker.reference.type: attestation-manifest` and
    /// `vnd.docker.reference.digest: <image_digest>`.
    pub fn attestation_for(&self, image_digest: &str) -> Option<&Descriptor> {
        self.manifests.iter().find(|d| {
            d.is_attestation_manifest()
                && d.annotation(ANNOTATION_REFERENCE_DIGEST) == Some(image_digest)
        })
    }
}

/// A manifest or an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "document", rename_all = "kebab-case")]
pub enum Document {
    Manifest(Manifest),
    Index(Index),
}

impl Document {
    pub fn kind(&self) -> DocumentKind {
        match self {
            Document::Manifest(m) => m.kind,
            Document::Index(i) => i.kind,
        }
    }

    fn describe(&self) -> String {
        match self {
            Document::Manifest(m) => m.describe(),
            Document::Index(i) => i.kind.describe().to_string(),
        }
    }
}

/// Reads a manifest or index a registry returned, with the `Content-Type` it came with, and
/// checks it is what the caller `expected`.
///
/// **Content-Type against the body's `mediaType`.** The body is what the digest covers, so when
/// it declares a `mediaType`, that decides the format. The header is checked only for the kind
/// of document: a header naming a manifest type for a body declaring an index (or the reverse)
/// is [`OciError::MediaTypeMismatch`], because the registry is then serving something other
/// than what it says, and a client that believed either would misread it (containerd applies
/// the same rule). A header naming another manifest type of the same kind (say Docker's for an
/// OCI body) is tolerated. When the body declares no `mediaType` (optional in OCI), a specific
/// header decides; a generic one (`application/json`, `text/plain`, `application/octet-stream`,
/// none) is ignored and the body's shape decides: `manifests` makes an OCI index, `config` and
/// `layers` an OCI manifest. Docker schema 2 documents must declare their `mediaType`, as
/// Docker's own reader requires.
///
/// Whatever the kind, a manifest that also has `manifests`, or an index that also has `config`
/// or `layers`, is rejected as ambiguous (containers/image's rule against documents that read
/// differently depending on who parses them).
pub fn parse_document(
    bytes: &[u8],
    content_type: Option<&str>,
    expected: Expected,
) -> Result<Document, OciError> {
    let doc = read_document(bytes, content_type)?;
    let fits = match (&doc, expected) {
        (_, Expected::Any) => true,
        (Document::Manifest(m), Expected::ImageOrIndex | Expected::Image) => !m.is_artifact(),
        (Document::Index(_), Expected::ImageOrIndex | Expected::Index) => true,
        (Document::Manifest(_), Expected::Manifest) => true,
        (Document::Index(_), Expected::Image | Expected::Manifest) => false,
        (Document::Manifest(_), Expected::Index) => false,
    };
    if !fits {
        let mut found = doc.describe();
        if matches!(doc, Document::Index(_)) && expected == Expected::Image {
            found.push_str(" (a multi-platform image: select a platform from it first)");
        }
        return Err(OciError::UnexpectedDocument {
            expected: expected.describe().to_string(),
            found,
        });
    }
    Ok(doc)
}

/// Reads a single descriptor (a JSON object with `mediaType`, `digest` and `size`).
pub fn parse_descriptor(bytes: &[u8]) -> Result<Descriptor, OciError> {
    if bytes.len() > MAX_DOCUMENT_SIZE {
        return Err(OciError::TooLarge {
            size: bytes.len(),
            limit: MAX_DOCUMENT_SIZE,
        });
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| OciError::NotJson(e.to_string()))?;
    descriptor_at(&value, "descriptor")
}

fn read_document(bytes: &[u8], content_type: Option<&str>) -> Result<Document, OciError> {
    if bytes.len() > MAX_DOCUMENT_SIZE {
        return Err(OciError::TooLarge {
            size: bytes.len(),
            limit: MAX_DOCUMENT_SIZE,
        });
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| OciError::NotJson(e.to_string()))?;
    let Some(obj) = value.as_object() else {
        return Err(OciError::NotJson(format!(
            "expected a JSON object, got {}",
            type_name(&value)
        )));
    };
    let fields = Fields { obj, path: "" };
    let header = content_type
        .map(essence)
        .filter(|h| !is_generic_content_type(h));

    match fields.get("schemaVersion") {
        None if header.as_deref().is_some_and(is_schema1) => return Err(OciError::Schema1),
        None => {
            return Err(OciError::invalid(
                "schemaVersion",
                "missing: manifests and indexes have schemaVersion 2",
            ));
        }
        Some(v) => match v.as_i64() {
            Some(2) => {}
            Some(1) => return Err(OciError::Schema1),
            Some(_) => return Err(OciError::UnsupportedSchemaVersion(v.to_string())),
            None if v.is_number() => {
                return Err(OciError::invalid(
                    "schemaVersion",
                    format!("must be the integer 2, got {v}"),
                ));
            }
            None => {
                return Err(OciError::invalid(
                    "schemaVersion",
                    format!("expected an integer, got {}", type_name(v)),
                ));
            }
        },
    }

    let kind = match fields.opt_str("mediaType")? {
        Some(declared) => {
            let kind = kind_of_declared(declared)?;
            if let Some(h) = header.as_deref()
                && let Some(header_kind) = DocumentKind::from_media_type(h)
                && header_kind.is_index() != kind.is_index()
            {
                return Err(OciError::MediaTypeMismatch {
                    header: h.to_string(),
                    body: declared.to_string(),
                });
            }
            kind
        }
        None => {
            let h = header.as_deref().unwrap_or("");
            if is_schema1(h) {
                return Err(OciError::Schema1);
            }
            match DocumentKind::from_media_type(h) {
                Some(k) if k.is_docker() => {
                    return Err(OciError::invalid(
                        "mediaType",
                        format!(
                            "missing: {} must declare its mediaType (the Content-Type was {h:?})",
                            k.describe()
                        ),
                    ));
                }
                Some(k) => k,
                None => guess_kind(&fields)?,
            }
        }
    };

    // Fields of the other kind make a document ambiguous.
    let foreign: &[&str] = if kind.is_index() {
        &["config", "layers"]
    } else {
        &["manifests"]
    };
    if let Some(f) = foreign.iter().find(|f| fields.get(f).is_some()) {
        return Err(OciError::invalid(
            *f,
            format!(
                "{} has no {f:?} field; a document with fields of both manifests and indexes \
                 is ambiguous",
                kind.describe()
            ),
        ));
    }

    if kind.is_index() {
        let manifests = fields
            .req_array("manifests")?
            .iter()
            .enumerate()
            .map(|(i, v)| descriptor_at(v, &format!("manifests[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Document::Index(Index {
            kind,
            artifact_type: fields.opt_media_type("artifactType")?,
            manifests,
            subject: fields.opt_descriptor("subject")?,
            annotations: fields.string_map("annotations")?,
        }))
    } else {
        let config = match fields.get("config") {
            Some(v) => descriptor_at(v, "config")?,
            None => return Err(OciError::invalid("config", "missing")),
        };
        let layers = fields
            .req_array("layers")?
            .iter()
            .enumerate()
            .map(|(i, v)| descriptor_at(v, &format!("layers[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Document::Manifest(Manifest {
            kind,
            artifact_type: fields.opt_media_type("artifactType")?,
            config,
            layers,
            subject: fields.opt_descriptor("subject")?,
            annotations: fields.string_map("annotations")?,
        }))
    }
}

fn kind_of_declared(declared: &str) -> Result<DocumentKind, OciError> {
    if let Some(k) = DocumentKind::from_media_type(declared) {
        return Ok(k);
    }
    if is_schema1(declared) {
        return Err(OciError::Schema1);
    }
    if !is_valid_media_type(declared) {
        return Err(OciError::invalid(
            "mediaType",
            format!("{declared:?} is not a valid media type (type/subtype)"),
        ));
    }
    Err(OciError::UnsupportedMediaType(declared.to_string()))
}

/// The kind of a body that declares no `mediaType` and came with no specific `Content-Type`.
fn guess_kind(fields: &Fields<'_>) -> Result<DocumentKind, OciError> {
    if fields.get("manifests").is_some() {
        return Ok(DocumentKind::OciIndex);
    }
    if fields.get("config").is_some() || fields.get("layers").is_some() {
        let docker_config = fields
            .get("config")
            .and_then(|c| c.get("mediaType"))
            .and_then(Value::as_str)
            == Some(mt::DOCKER_CONFIG);
        if docker_config {
            return Err(OciError::invalid(
                "mediaType",
                "missing: the config is a Docker image config, and a Docker schema 2 manifest \
                 must declare its mediaType",
            ));
        }
        return Ok(DocumentKind::OciManifest);
    }
    if fields.get("fsLayers").is_some() {
        return Err(OciError::Schema1);
    }
    Err(OciError::invalid(
        "mediaType",
        "missing, and the document is neither a manifest (config, layers) nor an index \
         (manifests)",
    ))
}

fn descriptor_at(value: &Value, path: &str) -> Result<Descriptor, OciError> {
    let Some(obj) = value.as_object() else {
        return Err(OciError::invalid(
            path,
            format!("expected a descriptor object, got {}", type_name(value)),
        ));
    };
    let f = Fields { obj, path };
    let media_type = f.req_str("mediaType")?;
    if !is_valid_media_type(media_type) {
        return Err(OciError::invalid(
            f.path_of("mediaType"),
            format!("{media_type:?} is not a valid media type (type/subtype)"),
        ));
    }
    let digest = f.req_str("digest")?;
    if let Err(e) = validate_digest(digest) {
        return Err(OciError::invalid(f.path_of("digest"), e.to_string()));
    }
    let size = match f.get("size") {
        Some(v) => f.size(v)?,
        None => return Err(OciError::invalid(f.path_of("size"), "missing")),
    };
    let platform = match f.get("platform") {
        None => None,
        Some(v) => Some(platform_at(v, &f.path_of("platform"))?),
    };
    // `data` (embedded content) is not used, but its type is checked.
    f.opt_str("data")?;
    Ok(Descriptor {
        media_type: media_type.to_string(),
        digest: digest.to_string(),
        size,
        platform,
        annotations: f.string_map("annotations")?,
        artifact_type: f.opt_media_type("artifactType")?,
        urls: f.string_array("urls")?,
    })
}

fn platform_at(value: &Value, path: &str) -> Result<Platform, OciError> {
    let Some(obj) = value.as_object() else {
        return Err(OciError::invalid(
            path,
            format!("expected a platform object, got {}", type_name(value)),
        ));
    };
    let f = Fields { obj, path };
    let architecture = f.req_str("architecture")?.to_string();
    let os = f.req_str("os")?.to_string();
    let variant = f.opt_str("variant")?.map(str::to_string);
    // Read for their types only: matching ignores them (see `select`).
    f.opt_str("os.version")?;
    f.string_array("os.features")?;
    f.string_array("features")?;
    Ok(Platform {
        os,
        architecture,
        variant,
    })
}

/// The fields of one JSON object, with the path of the object for error messages. A `null`
/// value counts as absent, as Go's decoders (which wrote most manifests) treat it.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    path: &'a str,
}

impl<'a> Fields<'a> {
    fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    fn wrong_type(&self, key: &str, want: &str, got: &Value) -> OciError {
        OciError::invalid(
            self.path_of(key),
            format!("expected {want}, got {}", type_name(got)),
        )
    }

    fn opt_str(&self, key: &str) -> Result<Option<&'a str>, OciError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong_type(key, "a string", v)),
        }
    }

    fn req_str(&self, key: &str) -> Result<&'a str, OciError> {
        self.opt_str(key)?
            .ok_or_else(|| OciError::invalid(self.path_of(key), "missing"))
    }

    fn opt_media_type(&self, key: &str) -> Result<Option<String>, OciError> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(s) if is_valid_media_type(s) => Ok(Some(s.to_string())),
            Some(s) => Err(OciError::invalid(
                self.path_of(key),
                format!("{s:?} is not a valid media type (type/subtype)"),
            )),
        }
    }

    fn req_array(&self, key: &str) -> Result<&'a Vec<Value>, OciError> {
        match self.get(key) {
            None => Err(OciError::invalid(self.path_of(key), "missing")),
            Some(Value::Array(a)) => Ok(a),
            Some(v) => Err(self.wrong_type(key, "an array", v)),
        }
    }

    fn string_array(&self, key: &str) -> Result<Vec<String>, OciError> {
        let items = match self.get(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(a)) => a,
            Some(v) => return Err(self.wrong_type(key, "an array of strings", v)),
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(OciError::invalid(
                    format!("{}[{i}]", self.path_of(key)),
                    format!("expected a string, got {}", type_name(other)),
                )),
            })
            .collect()
    }

    fn string_map(&self, key: &str) -> Result<BTreeMap<String, String>, OciError> {
        let obj = match self.get(key) {
            None => return Ok(BTreeMap::new()),
            Some(Value::Object(o)) => o,
            Some(v) => return Err(self.wrong_type(key, "an object of strings", v)),
        };
        obj.iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(OciError::invalid(
                    format!("{}[{k:?}]", self.path_of(key)),
                    format!("expected a string, got {}", type_name(other)),
                )),
            })
            .collect()
    }

    fn opt_descriptor(&self, key: &str) -> Result<Option<Descriptor>, OciError> {
        self.get(key)
            .map(|v| descriptor_at(v, &self.path_of(key)))
            .transpose()
    }

    fn size(&self, v: &Value) -> Result<u64, OciError> {
        let path = self.path_of("size");
        let Value::Number(n) = v else {
            return Err(OciError::invalid(
                path,
                format!("expected an integer, got {}", type_name(v)),
            ));
        };
        if let Some(size) = n.as_u64() {
            if size > MAX_SIZE {
                return Err(OciError::invalid(
                    path,
                    format!("{size} is larger than the largest size a registry stores (2^63-1)"),
                ));
            }
            return Ok(size);
        }
        if n.as_i64().is_some_and(|i| i < 0) || n.as_f64().is_some_and(|f| f < 0.0) {
            return Err(OciError::invalid(
                path,
                format!("must not be negative, got {n}"),
            ));
        }
        Err(OciError::invalid(
            path,
            format!("must be an integer, got {n}"),
        ))
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D1: &str = "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f";
    const D2: &str = "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";

    fn manifest_json(
        media_type: Option<&str>,
        config_type: &str,
        layers: &[(&str, i64)],
    ) -> String {
        let layers: Vec<String> = layers
            .iter()
            .map(|(t, s)| format!(r#"{{"mediaType":"{t}","digest":"{D1}","size":{s}}}"#))
            .collect();
        let mt = media_type
            .map(|m| format!(r#""mediaType":"{m}","#))
            .unwrap_or_default();
        format!(
            r#"{{"schemaVersion":2,{mt}"config":{{"mediaType":"{config_type}","digest":"{D2}","size":7}},"layers":[{}]}}"#,
            layers.join(",")
        )
    }

    fn index_json(media_type: Option<&str>) -> String {
        let mt = media_type
            .map(|m| format!(r#""mediaType":"{m}","#))
            .unwrap_or_default();
        format!(
            r#"{{"schemaVersion":2,{mt}"manifests":[{{"mediaType":"{}","digest":"{D1}","size":1,"platform":{{"os":"linux","architecture":"amd64"}}}}]}}"#,
            mt::OCI_MANIFEST
        )
    }

    const GZ: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

    #[test]
    fn reads_an_oci_manifest_and_sums_its_layers() {
        let json = manifest_json(
            Some(mt::OCI_MANIFEST),
            mt::OCI_CONFIG,
            &[(GZ, 100), (GZ, 23)],
        );
        let Document::Manifest(m) =
            parse_document(json.as_bytes(), Some(mt::OCI_MANIFEST), Expected::Image).unwrap()
        else {
            panic!("not a manifest")
        };
        assert_eq!(m.kind, DocumentKind::OciManifest);
        assert_eq!(m.compressed_size(), 123);
        assert_eq!(m.compressed_size_with_config(), 130);
        assert!(!m.is_artifact());
        assert_eq!(m.effective_artifact_type(), None);
    }

    #[test]
    fn sizes_saturate() {
        let big = i64::MAX;
        let json = manifest_json(None, mt::OCI_CONFIG, &[(GZ, big), (GZ, big), (GZ, big)]);
        let Document::Manifest(m) = parse_document(json.as_bytes(), None, Expected::Any).unwrap()
        else {
            panic!()
        };
        assert_eq!(m.compressed_size(), u64::MAX);
    }

    #[test]
    fn size_errors_name_the_field() {
        let json = manifest_json(None, mt::OCI_CONFIG, &[(GZ, 1), (GZ, -5)]);
        let err = parse_document(json.as_bytes(), None, Expected::Any).unwrap_err();
        assert_eq!(
            err.to_string(),
            "layers[1].size: must not be negative, got -5"
        );
        let json = json.replace("-5", "1.5");
        let err = parse_document(json.as_bytes(), None, Expected::Any).unwrap_err();
        assert_eq!(
            err.to_string(),
            "layers[1].size: must be an integer, got 1.5"
        );
        let json = json.replace("1.5", "\"1\"");
        let err = parse_document(json.as_bytes(), None, Expected::Any).unwrap_err();
        assert_eq!(
            err.to_string(),
            "layers[1].size: expected an integer, got a string"
        );
        let json = json.replace("\"1\"", "9223372036854775808");
        let err = parse_document(json.as_bytes(), None, Expected::Any).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("layers[1].size: 9223372036854775808 is larger")
        );
        let json = json.replace("9223372036854775808", "1e400");
        assert!(parse_document(json.as_bytes(), None, Expected::Any).is_err());
    }

    #[test]
    fn schema_versions() {
        let json = manifest_json(Some(mt::OCI_MANIFEST), mt::OCI_CONFIG, &[(GZ, 1)]);
        let missing = json.replace(r#""schemaVersion":2,"#, "");
        assert!(matches!(
            parse_document(missing.as_bytes(), None, Expected::Any),
            Err(OciError::Invalid { field, .. }) if field == "schemaVersion"
        ));
        assert_eq!(
            parse_document(
                missing.as_bytes(),
                Some(mt::DOCKER_SCHEMA1_SIGNED),
                Expected::Any
            ),
            Err(OciError::Schema1)
        );
        let one = json.replace(r#""schemaVersion":2"#, r#""schemaVersion":1"#);
        assert_eq!(
            parse_document(one.as_bytes(), None, Expected::Any),
            Err(OciError::Schema1)
        );
        let three = json.replace(r#""schemaVersion":2"#, r#""schemaVersion":3"#);
        assert_eq!(
            parse_document(three.as_bytes(), None, Expected::Any),
            Err(OciError::UnsupportedSchemaVersion("3".into()))
        );
        for v in ["2.0", "\"2\"", "true"] {
            let bad = json.replace(r#""schemaVersion":2"#, &format!(r#""schemaVersion":{v}"#));
            assert!(
                matches!(
                    parse_document(bad.as_bytes(), None, Expected::Any),
                    Err(OciError::Invalid { field, .. }) if field == "schemaVersion"
                ),
                "{v}"
            );
        }
    }

    #[test]
    fn content_type_reconciliation() {
        let oci = manifest_json(Some(mt::OCI_MANIFEST), mt::OCI_CONFIG, &[(GZ, 1)]);
        // Same kind, other format: the body wins.
        let doc = parse_document(oci.as_bytes(), Some(mt::DOCKER_MANIFEST), Expected::Image);
        assert_eq!(doc.unwrap().kind(), DocumentKind::OciManifest);
        // Generic or parameterised headers are fine.
        for h in [
            "application/json",
            "text/plain; charset=utf-8",
            "",
            "application/x-unknown",
        ] {
            assert!(
                parse_document(oci.as_bytes(), Some(h), Expected::Image).is_ok(),
                "{h}"
            );
        }
        let with_params = format!("{}; charset=utf-8", mt::OCI_MANIFEST.to_uppercase());
        assert!(parse_document(oci.as_bytes(), Some(&with_params), Expected::Image).is_ok());
        // An index header for a manifest body.
        assert_eq!(
            parse_document(oci.as_bytes(), Some(mt::OCI_INDEX), Expected::Any),
            Err(OciError::MediaTypeMismatch {
                header: mt::OCI_INDEX.into(),
                body: mt::OCI_MANIFEST.into()
            })
        );
        let index = index_json(Some(mt::OCI_INDEX));
        assert!(matches!(
            parse_document(index.as_bytes(), Some(mt::DOCKER_MANIFEST), Expected::Any),
            Err(OciError::MediaTypeMismatch { .. })
        ));
        // Without a declared mediaType, the header decides.
        let bare = manifest_json(None, mt::OCI_CONFIG, &[(GZ, 1)]);
        assert_eq!(
            parse_document(bare.as_bytes(), Some(mt::OCI_MANIFEST), Expected::Image)
                .unwrap()
                .kind(),
            DocumentKind::OciManifest
        );
        // ... and an index header for a manifest-shaped body is ambiguous.
        assert!(matches!(
            parse_document(bare.as_bytes(), Some(mt::OCI_INDEX), Expected::Any),
            Err(OciError::Invalid { field, .. }) if field == "config"
        ));
        // Docker formats must declare it.
        assert!(matches!(
            parse_document(bare.as_bytes(), Some(mt::DOCKER_MANIFEST), Expected::Any),
            Err(OciError::Invalid { field, .. }) if field == "mediaType"
        ));
        assert_eq!(
            parse_document(bare.as_bytes(), Some(mt::DOCKER_SCHEMA1), Expected::Any),
            Err(OciError::Schema1)
        );
        // Without either, the shape decides.
        assert_eq!(
            parse_document(index_json(None).as_bytes(), None, Expected::Index)
                .unwrap()
                .kind(),
            DocumentKind::OciIndex
        );
    }

    #[test]
    fn declared_media_types() {
        let docker = manifest_json(Some(mt::DOCKER_MANIFEST), mt::DOCKER_CONFIG, &[(GZ, 5)]);
        assert_eq!(
            parse_document(docker.as_bytes(), None, Expected::Image)
                .unwrap()
                .kind(),
            DocumentKind::DockerManifest
        );
        let list = index_json(Some(mt::DOCKER_MANIFEST_LIST));
        assert_eq!(
            parse_document(list.as_bytes(), None, Expected::ImageOrIndex)
                .unwrap()
                .kind(),
            DocumentKind::DockerManifestList
        );
        let s1 = manifest_json(Some(mt::DOCKER_SCHEMA1), mt::DOCKER_CONFIG, &[]);
        assert_eq!(
            parse_document(s1.as_bytes(), None, Expected::Any),
            Err(OciError::Schema1)
        );
        let artifact = manifest_json(Some(mt::OCI_ARTIFACT_MANIFEST), mt::OCI_EMPTY, &[]);
        assert_eq!(
            parse_document(artifact.as_bytes(), None, Expected::Any),
            Err(OciError::UnsupportedMediaType(
                mt::OCI_ARTIFACT_MANIFEST.into()
            ))
        );
        let invalid = manifest_json(Some("invalid"), mt::OCI_CONFIG, &[]);
        assert!(matches!(
            parse_document(invalid.as_bytes(), None, Expected::Any),
            Err(OciError::Invalid { field, .. }) if field == "mediaType"
        ));
    }

    #[test]
    fn expectations() {
        let image = manifest_json(Some(mt::OCI_MANIFEST), mt::OCI_CONFIG, &[(GZ, 1)]);
        let index = index_json(Some(mt::OCI_INDEX));
        let artifact = manifest_json(
            Some(mt::OCI_MANIFEST),
            mt::OCI_EMPTY,
            &[(mt::SIGSTORE_BUNDLE_V03, 1)],
        );
        let att = manifest_json(
            Some(mt::OCI_MANIFEST),
            mt::OCI_CONFIG,
            &[(mt::DSSE_ENVELOPE, 1)],
        );
        let ok = |json: &str, e| parse_document(json.as_bytes(), None, e).is_ok();
        assert!(ok(&image, Expected::ImageOrIndex));
        assert!(ok(&image, Expected::Image));
        assert!(ok(&image, Expected::Manifest));
        assert!(!ok(&image, Expected::Index));
        assert!(ok(&index, Expected::ImageOrIndex));
        assert!(!ok(&index, Expected::Image));
        assert!(!ok(&index, Expected::Manifest));
        assert!(ok(&index, Expected::Index));
        assert!(!ok(&artifact, Expected::ImageOrIndex));
        assert!(!ok(&artifact, Expected::Image));
        assert!(ok(&artifact, Expected::Manifest));
        assert!(!ok(&att, Expected::Image));
        assert!(ok(&att, Expected::Manifest));
        for json in [&image, &index, &artifact, &att] {
            assert!(ok(json, Expected::Any));
        }
        let err = parse_document(index.as_bytes(), None, Expected::Image).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an image manifest, got an OCI image index (a multi-platform image: select a \
             platform from it first)"
        );
        let err = parse_document(artifact.as_bytes(), None, Expected::Image).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "expected an image manifest, got an artifact of type {:?}, not an image",
                mt::OCI_EMPTY
            )
        );
        let err = parse_document(att.as_bytes(), None, Expected::Image).unwrap_err();
        assert!(err.to_string().contains("layers are attestations"), "{err}");
    }

    #[test]
    fn ambiguous_documents() {
        let image = manifest_json(Some(mt::OCI_MANIFEST), mt::OCI_CONFIG, &[(GZ, 1)]);
        let both = image.replacen('{', r#"{"manifests":[],"#, 1);
        assert!(matches!(
            parse_document(both.as_bytes(), None, Expected::Any),
            Err(OciError::Invalid { field, .. }) if field == "manifests"
        ));
        // `null` counts as absent.
        let null = image.replacen('{', r#"{"manifests":null,"#, 1);
        assert!(parse_document(null.as_bytes(), None, Expected::Any).is_ok());
    }

    #[test]
    fn garbage_bodies() {
        assert!(matches!(
            parse_document(b"", None, Expected::Any),
            Err(OciError::NotJson(_))
        ));
        assert!(matches!(
            parse_document(b"[1,2]", None, Expected::Any),
            Err(OciError::NotJson(_))
        ));
        assert!(matches!(
            parse_document(b"{}", None, Expected::Any),
            Err(OciError::Invalid { .. })
        ));
        assert!(matches!(
            parse_document(br#"{"schemaVersion":2}"#, None, Expected::Any),
            Err(OciError::Invalid { field, .. }) if field == "mediaType"
        ));
        let deep = "[".repeat(10_000);
        assert!(parse_document(deep.as_bytes(), None, Expected::Any).is_err());
        let huge = vec![b' '; MAX_DOCUMENT_SIZE + 1];
        assert!(matches!(
            parse_document(&huge, None, Expected::Any),
            Err(OciError::TooLarge { .. })
        ));
    }

    #[test]
    fn descriptors() {
        let d = parse_descriptor(
            format!(
                r#"{{"mediaType":"{GZ}","digest":"{D1}","size":3,"annotations":{{"a":"b"}},
                "platform":{{"os":"linux","architecture":"arm64","variant":"v8","os.features":["x"]}},
                "artifactType":"application/x.y","urls":["https://example.com/x"],"data":"YQ=="}}"#
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(d.annotation("a"), Some("b"));
        assert_eq!(
            d.platform.as_ref().map(ToString::to_string).as_deref(),
            Some("linux/arm64/v8")
        );
        assert_eq!(d.artifact_type.as_deref(), Some("application/x.y"));
        assert_eq!(d.urls, ["https://example.com/x"]);
        for (bad, field) in [
            (r#"{"digest":"D1","size":1}"#, "descriptor.mediaType"),
            (r#"{"mediaType":"a/b","size":1}"#, "descriptor.digest"),
            (r#"{"mediaType":"a/b","digest":"D1"}"#, "descriptor.size"),
            (
                r#"{"mediaType":"a/b","digest":"sha256:x","size":1}"#,
                "descriptor.digest",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"annotations":{"k":1}}"#,
                "descriptor.annotations[\"k\"]",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"annotations":[]}"#,
                "descriptor.annotations",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"platform":{"os":"linux"}}"#,
                "descriptor.platform.architecture",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"platform":{"os":1,"architecture":"x"}}"#,
                "descriptor.platform.os",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"platform":{"os":"l","architecture":"x","variant":8}}"#,
                "descriptor.platform.variant",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"platform":"linux/amd64"}"#,
                "descriptor.platform",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"artifactType":"x"}"#,
                "descriptor.artifactType",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"urls":"x"}"#,
                "descriptor.urls",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"urls":[1]}"#,
                "descriptor.urls[0]",
            ),
            (
                r#"{"mediaType":"a/b","digest":"D1","size":1,"data":1}"#,
                "descriptor.data",
            ),
        ] {
            let bad = bad.replace("D1", D1);
            match parse_descriptor(bad.as_bytes()) {
                Err(OciError::Invalid { field: f, .. }) => assert_eq!(f, field, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(matches!(
            parse_descriptor(b"3"),
            Err(OciError::Invalid { .. })
        ));
    }

    #[test]
    fn attestation_entries() {
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[
              {{"mediaType":"{}","digest":"{D1}","size":1,"platform":{{"os":"linux","architecture":"amd64"}}}},
              {{"mediaType":"{}","digest":"{D2}","size":1,"platform":{{"os":"unknown","architecture":"unknown"}},
                "annotations":{{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"{D1}"}}}}]}}"#,
            mt::OCI_INDEX,
            mt::OCI_MANIFEST,
            mt::OCI_MANIFEST
        );
        let Document::Index(index) =
            parse_document(json.as_bytes(), None, Expected::ImageOrIndex).unwrap()
        else {
            panic!()
        };
        assert_eq!(index.images().count(), 1);
        assert_eq!(
            index.attestation_for(D1).map(|d| d.digest.as_str()),
            Some(D2)
        );
        assert_eq!(index.attestation_for(D2), None);
    }

    #[test]
    fn serialises_for_hosts() {
        let json = manifest_json(Some(mt::OCI_MANIFEST), mt::OCI_CONFIG, &[(GZ, 1)]);
        let doc = parse_document(json.as_bytes(), None, Expected::Any).unwrap();
        let out = serde_json::to_value(&doc).unwrap();
        assert_eq!(out["document"], "manifest");
        assert_eq!(out["kind"], "oci-manifest");
        assert_eq!(out["layers"][0]["mediaType"], GZ);
    }
}
