//! The exports JavaScript sees (`index.d.ts` is their contract). Each one converts its JS
//! arguments with serde-wasm-bindgen, calls one function of `api.rs`, and converts the answer
//! back: plain objects (maps as objects, `None` as `null`), the core's JSON views through
//! `JSON.parse`, and errors as JS `Error`s with the core's message.
//!
//! These functions compile on every target (so `cargo clippy --workspace` sees them) but only
//! work inside WebAssembly; native tests call `api.rs` instead.

use crate::api;
use crate::error::Error;
use crate::fields::{fields_of, unknown_field};
use crate::input::{
    AnalyzeInput, BaseInput, ChallengeInput, CheckInput, ConfigInput, FetchedInput,
    FileComparisonInput, FileInput, PackageInput, PlanInput, RenderInput, SideInput,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

type JsResult = Result<JsValue, JsError>;

fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A required argument; the message names it (`files: missing field `text``).
fn from_js<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        // The error is a JS `Error`; its text starts with "Error: ", which the thrown one adds.
        let text = e.to_string();
        let text = text.strip_prefix("Error: ").unwrap_or(&text);
        JsError::new(&format!("{name}: {text}"))
    })
}

/// Fails when `value` is an object with a key the struct `T` does not have.
fn check_keys<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<(), JsError> {
    if value.is_object() && !js_sys::Array::is_array(value) {
        let fields = fields_of::<T>();
        let object: &js_sys::Object = value.unchecked_ref();
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !fields.contains(&key.as_str()) {
                return Err(JsError::new(&format!(
                    "{name}: {}",
                    unknown_field(&key, fields)
                )));
            }
        }
    }
    Ok(())
}

/// The files of `check` and `render`, whose objects may not have unknown keys either.
fn files_from_js(value: JsValue) -> Result<Vec<FileInput>, JsError> {
    if js_sys::Array::is_array(&value) {
        let array: &js_sys::Array = value.unchecked_ref();
        for (i, file) in array.iter().enumerate() {
            check_keys::<FileInput>(&file, &format!("files[{i}]"))?;
        }
    }
    from_js(value, "files")
}

/// An optional options object: `undefined` and `null` are the default.
fn options_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    name: &str,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        check_keys::<T>(&value, name)?;
        from_js(value, name)
    }
}

/// A JSON view of the core, as the object `JSON.parse` makes of it.
fn json(text: &str) -> JsResult {
    js_sys::JSON::parse(text).map_err(|_| JsError::new("the core produced invalid JSON"))
}

fn err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// The version of minicheck this module was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

// ---------------------------------------------------------------------------------------------
// check and render

#[wasm_bindgen]
pub fn check(files: JsValue, options: JsValue) -> JsResult {
    let files = files_from_js(files)?;
    let options: CheckInput = options_or_default(options, "options")?;
    json(&api::check_json(&files, &options).map_err(err)?)
}

#[wasm_bindgen]
pub fn render(
    files: JsValue,
    options: JsValue,
    format: &str,
    render_options: JsValue,
) -> Result<String, JsError> {
    let files = files_from_js(files)?;
    let options: CheckInput = options_or_default(options, "options")?;
    let render_options: RenderInput = options_or_default(render_options, "renderOptions")?;
    api::render(&files, &options, format, &render_options).map_err(err)
}

#[wasm_bindgen]
pub fn analyze(files: JsValue, options: JsValue, analysis: JsValue) -> JsResult {
    let files = files_from_js(files)?;
    let options: CheckInput = options_or_default(options, "options")?;
    if analysis.is_object() {
        // The nested view options may not have unknown keys either.
        let render = js_sys::Reflect::get(&analysis, &JsValue::from_str("renderOptions"))
            .unwrap_or(JsValue::UNDEFINED);
        check_keys::<RenderInput>(&render, "analysis.renderOptions")?;
    }
    let analysis: AnalyzeInput = options_or_default(analysis, "analysis")?;
    to_js(&api::analyze(&files, &options, &analysis).map_err(err)?)
}

#[wasm_bindgen(js_name = planComparisons)]
pub fn plan_comparisons(files: JsValue, options: JsValue, base: JsValue) -> JsResult {
    let files = files_from_js(files)?;
    let options: CheckInput = options_or_default(options, "options")?;
    let base: BaseInput = options_or_default(base, "base")?;
    to_js(&api::plan_comparisons(&files, &options, &base).map_err(err)?)
}

#[wasm_bindgen(js_name = completeComparisons)]
pub fn complete_comparisons(plans: JsValue, fetched: JsValue) -> JsResult {
    let plans: Vec<PlanInput> = from_js(plans, "plans")?;
    let fetched: Vec<FetchedInput> = from_js(fetched, "fetched")?;
    to_js(&api::complete_comparisons(&plans, &fetched).map_err(err)?)
}

#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config(text: &str, path: Option<String>) -> JsResult {
    to_js(&api::config_output(text, path.as_deref()).map_err(err)?)
}

// ---------------------------------------------------------------------------------------------
// rules

#[wasm_bindgen]
pub fn rules() -> JsResult {
    to_js(&api::rules())
}

#[wasm_bindgen]
pub fn explain(code: &str) -> JsResult {
    to_js(&api::explain(code).map_err(err)?)
}

// ---------------------------------------------------------------------------------------------
// SBOMs and comparisons

#[wasm_bindgen(js_name = readSbom)]
pub fn read_sbom(bytes: &[u8]) -> JsResult {
    to_js(&api::read_sbom(bytes).map_err(err)?)
}

#[wasm_bindgen(js_name = readAllSboms)]
pub fn read_all_sboms(bytes: &[u8]) -> JsResult {
    to_js(&api::read_all_sboms(bytes).map_err(err)?)
}

#[wasm_bindgen(js_name = diffPackages)]
pub fn diff_packages(from: JsValue, to: JsValue) -> JsResult {
    let from: Vec<PackageInput> = from_js(from, "from")?;
    let to: Vec<PackageInput> = from_js(to, "to")?;
    to_js(&api::diff_packages(&from, &to))
}

#[wasm_bindgen]
pub fn compare(from: JsValue, to: JsValue) -> JsResult {
    let from: SideInput = from_js(from, "from")?;
    let to: SideInput = from_js(to, "to")?;
    json(&api::compare_json(&from, &to))
}

#[wasm_bindgen(js_name = renderComparison)]
pub fn render_comparison(from: JsValue, to: JsValue, format: &str) -> Result<String, JsError> {
    let from: SideInput = from_js(from, "from")?;
    let to: SideInput = from_js(to, "to")?;
    api::render_comparison(&from, &to, format).map_err(err)
}

#[wasm_bindgen(js_name = renderFileComparisons)]
pub fn render_file_comparisons(files: JsValue, format: Option<String>) -> Result<String, JsError> {
    let files: Vec<FileComparisonInput> = from_js(files, "files")?;
    api::render_file_comparisons(&files, format.as_deref().unwrap_or("markdown")).map_err(err)
}

// ---------------------------------------------------------------------------------------------
// image references and the catalog

#[wasm_bindgen(js_name = parseImageRef)]
pub fn parse_image_ref(reference: &str) -> JsResult {
    to_js(&api::parse_image_ref(reference).map_err(err)?)
}

#[wasm_bindgen(js_name = classifyImage)]
pub fn classify_image(reference: &str, options: JsValue) -> JsResult {
    let options: ConfigInput = options_or_default(options, "options")?;
    to_js(&api::classify_image(reference, &options).map_err(err)?)
}

#[wasm_bindgen]
pub fn redact(text: &str) -> String {
    minicheck_core::redact::redact(text).into_owned()
}

// ---------------------------------------------------------------------------------------------
// registries: requests

#[wasm_bindgen(js_name = acceptManifest)]
pub fn accept_manifest() -> String {
    minicheck_core::oci::ACCEPT_MANIFEST.to_string()
}

#[wasm_bindgen(js_name = acceptReferrers)]
pub fn accept_referrers() -> String {
    minicheck_core::oci::ACCEPT_REFERRERS.to_string()
}

#[wasm_bindgen(js_name = maxDocumentSize)]
pub fn max_document_size() -> usize {
    minicheck_core::oci::MAX_DOCUMENT_SIZE
}

#[wasm_bindgen(js_name = registryApiHost)]
pub fn registry_api_host(domain: &str) -> String {
    minicheck_core::oci::registry_api_host(domain).to_string()
}

#[wasm_bindgen(js_name = manifestPath)]
pub fn manifest_path(repository: &str, reference: &str) -> Result<String, JsError> {
    api::manifest_path(repository, reference).map_err(err)
}

#[wasm_bindgen(js_name = blobPath)]
pub fn blob_path(repository: &str, digest: &str) -> Result<String, JsError> {
    api::blob_path(repository, digest).map_err(err)
}

#[wasm_bindgen(js_name = referrersPath)]
pub fn referrers_path(repository: &str, digest: &str) -> Result<String, JsError> {
    api::referrers_path(repository, digest).map_err(err)
}

#[wasm_bindgen(js_name = cosignAttestationTag)]
pub fn cosign_attestation_tag(digest: &str) -> Result<String, JsError> {
    api::cosign_attestation_tag(digest).map_err(err)
}

#[wasm_bindgen(js_name = cosignSignatureTag)]
pub fn cosign_signature_tag(digest: &str) -> Result<String, JsError> {
    api::cosign_signature_tag(digest).map_err(err)
}

#[wasm_bindgen(js_name = referrersTag)]
pub fn referrers_tag(digest: &str) -> Result<String, JsError> {
    api::referrers_tag(digest).map_err(err)
}

// ---------------------------------------------------------------------------------------------
// registries: answers

#[wasm_bindgen(js_name = parseManifestOrIndex)]
pub fn parse_manifest_or_index(
    bytes: &[u8],
    content_type: Option<String>,
    expected: Option<String>,
) -> JsResult {
    let expected = expected.as_deref().unwrap_or("image-or-index");
    to_js(&api::parse_document(bytes, content_type.as_deref(), expected).map_err(err)?)
}

#[wasm_bindgen(js_name = selectPlatform)]
pub fn select_platform(
    index_bytes: &[u8],
    platform: &str,
    content_type: Option<String>,
) -> JsResult {
    to_js(&api::select_platform(index_bytes, platform, content_type.as_deref()).map_err(err)?)
}

#[wasm_bindgen(js_name = attestationFor)]
pub fn attestation_for(
    index_bytes: &[u8],
    image_digest: &str,
    content_type: Option<String>,
) -> JsResult {
    to_js(&api::attestation_for(index_bytes, image_digest, content_type.as_deref()).map_err(err)?)
}

/// A number: sizes beyond 2^53 bytes lose precision rather than fail.
#[wasm_bindgen(js_name = compressedSize)]
pub fn compressed_size(
    manifest_bytes: &[u8],
    content_type: Option<String>,
) -> Result<f64, JsError> {
    Ok(api::compressed_size(manifest_bytes, content_type.as_deref()).map_err(err)? as f64)
}

#[wasm_bindgen(js_name = sbomCandidatesFromReferrers)]
pub fn sbom_candidates_from_referrers(
    index_bytes: &[u8],
    content_type: Option<String>,
    prefer: Option<Vec<String>>,
) -> JsResult {
    to_js(
        &api::sbom_candidates_from_referrers(
            index_bytes,
            content_type.as_deref(),
            prefer.as_deref(),
        )
        .map_err(err)?,
    )
}

#[wasm_bindgen(js_name = sbomCandidatesFromManifest)]
pub fn sbom_candidates_from_manifest(
    manifest_bytes: &[u8],
    source: &str,
    content_type: Option<String>,
    prefer: Option<Vec<String>>,
) -> JsResult {
    to_js(
        &api::sbom_candidates_from_manifest(
            manifest_bytes,
            source,
            content_type.as_deref(),
            prefer.as_deref(),
        )
        .map_err(err)?,
    )
}

#[wasm_bindgen(js_name = verifyDigest)]
pub fn verify_digest(bytes: &[u8], digest: &str) -> bool {
    minicheck_core::oci::verify_digest(bytes, digest)
}

#[wasm_bindgen(js_name = sha256Digest)]
pub fn sha256_digest(bytes: &[u8]) -> String {
    minicheck_core::oci::sha256_digest(bytes)
}

#[wasm_bindgen(js_name = validateDigest)]
pub fn validate_digest(digest: &str) -> Result<(), JsError> {
    api::validate_digest(digest).map_err(err)
}

// ---------------------------------------------------------------------------------------------
// registries: authentication

#[wasm_bindgen(js_name = parseWwwAuthenticate)]
pub fn parse_www_authenticate(header: &str) -> JsResult {
    to_js(&api::parse_www_authenticate(header))
}

#[wasm_bindgen(js_name = bearerChallenge)]
pub fn bearer_challenge(challenges: JsValue) -> JsResult {
    let challenges: Vec<ChallengeInput> = from_js(challenges, "challenges")?;
    to_js(&api::bearer_challenge(&challenges))
}

#[wasm_bindgen(js_name = pullScope)]
pub fn pull_scope(repository: &str) -> String {
    minicheck_core::oci::pull_scope(repository)
}

#[wasm_bindgen(js_name = tokenUrl)]
pub fn token_url(challenge: JsValue, scopes: Option<Vec<String>>) -> Result<String, JsError> {
    let challenge: ChallengeInput = from_js(challenge, "challenge")?;
    api::token_url(&challenge, &scopes.unwrap_or_default()).map_err(err)
}

#[wasm_bindgen(js_name = parseTokenResponse)]
pub fn parse_token_response(bytes: &[u8]) -> JsResult {
    to_js(&api::parse_token_response(bytes).map_err(err)?)
}

// ---------------------------------------------------------------------------------------------
// the SBOM search: the core says what to fetch, the host fetches and answers

#[wasm_bindgen(js_name = SbomSearch)]
pub struct JsSbomSearch {
    inner: minicheck_core::oci::search::SbomSearch,
}

#[wasm_bindgen(js_class = SbomSearch)]
impl JsSbomSearch {
    #[wasm_bindgen(constructor)]
    pub fn new(
        image_digest: &str,
        index_bytes: Option<Vec<u8>>,
        index_content_type: Option<String>,
        index_digest: Option<String>,
    ) -> Result<JsSbomSearch, JsError> {
        let index = match (&index_bytes, &index_digest) {
            (Some(bytes), Some(digest)) => Some((
                bytes.as_slice(),
                index_content_type.as_deref(),
                digest.as_str(),
            )),
            (None, None) => None,
            _ => {
                return Err(JsError::new(
                    "SbomSearch: indexBytes and indexDigest go together",
                ));
            }
        };
        Ok(JsSbomSearch {
            inner: api::sbom_search(image_digest, index).map_err(err)?,
        })
    }

    /// What to fetch next, or how the search ended.
    pub fn step(&mut self) -> JsResult {
        to_js(&crate::output::SearchStepOutput::from(self.inner.step()))
    }

    /// The body of the last fetch.
    #[wasm_bindgen(js_name = answerBody)]
    pub fn answer_body(&mut self, bytes: &[u8], content_type: Option<String>) {
        self.inner
            .answer(minicheck_core::oci::search::Answer::Body {
                bytes,
                content_type: content_type.as_deref(),
            });
    }

    /// The last fetch found nothing (404; for referrers also 400 and 405).
    #[wasm_bindgen(js_name = answerNotFound)]
    pub fn answer_not_found(&mut self) {
        self.inner
            .answer(minicheck_core::oci::search::Answer::NotFound);
    }

    /// The last fetch failed, said as the host says it.
    #[wasm_bindgen(js_name = answerFailed)]
    pub fn answer_failed(&mut self, message: &str) {
        self.inner
            .answer(minicheck_core::oci::search::Answer::Failed(message));
    }
}
