//! A small deterministic fuzz test: garbage, byte-mutated corpus documents and structurally
//! mutated ones go through every entry point, and nothing may panic.

use super::*;
use crate::platform::Platform;
use serde_json::Value;
use std::path::Path;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const JSON_BITS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "2",
    "1.5",
    "\"schemaVersion\"",
    "\"mediaType\"",
    "\"manifests\"",
    "\"layers\"",
    "\"config\"",
    "\"digest\"",
    "\"size\"",
    "\"platform\"",
    "\"annotations\"",
    "\"sha256:\"",
    "\u{e9}",
    "\u{0}",
];

const HEADER_BITS: &[&str] = &[
    "Bearer",
    "Basic",
    " ",
    ",",
    "=",
    "\"",
    "\\",
    "realm",
    "service",
    "scope",
    "https://a/t",
    "x",
    "==",
    "/",
    "\t",
    "é",
    "\r\n",
    "Negotiate",
    "?",
    "#",
];

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some(""),
    Some("application/json"),
    Some(media_type::OCI_MANIFEST),
    Some(media_type::OCI_INDEX),
    Some(media_type::DOCKER_MANIFEST),
    Some(media_type::DOCKER_MANIFEST_LIST),
    Some(media_type::DOCKER_SCHEMA1_SIGNED),
    Some("garbage; ;;="),
];

const EXPECTED: &[Expected] = &[
    Expected::Any,
    Expected::ImageOrIndex,
    Expected::Image,
    Expected::Manifest,
    Expected::Index,
];

fn corpus_documents() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/oci");
    let mut out = Vec::new();
    for dir in [
        "containers-image/internal/manifest/testdata",
        "containers-image/internal/image/fixtures",
        "image-spec/schema-tests",
        "image-spec/md-examples",
        "attestations/buildkit-docs",
    ] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        out.extend(entries.iter().map(|p| std::fs::read(p).unwrap()));
    }
    out
}

/// Runs a byte string through every document entry point and everything that takes a result.
fn exercise_document(bytes: &[u8], rng: &mut Rng) {
    let _ = parse_descriptor(bytes);
    let ct = *rng.pick(CONTENT_TYPES);
    for expected in EXPECTED {
        let Ok(doc) = parse_document(bytes, ct, *expected) else {
            continue;
        };
        let _ = serde_json::to_string(&doc);
        match doc {
            Document::Manifest(m) => {
                let _ = (
                    m.compressed_size(),
                    m.compressed_size_with_config(),
                    m.is_artifact(),
                );
                let _ = m.effective_artifact_type();
                for source in [
                    AttestationSource::Referrer,
                    AttestationSource::CosignTag,
                    AttestationSource::BuildKit,
                ] {
                    let _ = sbom_candidates_from_manifest(&m, source, DEFAULT_SBOM_PREFERENCE);
                }
            }
            Document::Index(i) => {
                for p in [
                    "linux/amd64",
                    "linux/arm64",
                    "linux/arm/v7",
                    "a/b/c",
                    "/",
                    "",
                ] {
                    let mut parts = p.split('/');
                    let platform = Platform {
                        os: parts.next().unwrap_or("").into(),
                        architecture: parts.next().unwrap_or("").into(),
                        variant: parts.next().map(str::to_string),
                    };
                    let _ = i.select_platform(&platform);
                }
                for d in &i.manifests {
                    let _ = i.attestation_for(&d.digest);
                    let _ = (referrers_tag(&d.digest), cosign_attestation_tag(&d.digest));
                    let _ = blob_path("a/b", &d.digest);
                }
                let _ = sbom_candidates_from_referrers(&i, DEFAULT_SBOM_PREFERENCE);
            }
        }
    }
    let _ = parse_token_response(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        exercise_text(text);
    }
}

fn exercise_text(text: &str) {
    for c in parse_www_authenticate(text) {
        let _ = token_url(&c, &[text, "repository:a:pull"]);
        let _ = token_url::<&str>(&c, &[]);
    }
    let _ = (validate_digest(text), verify_digest(text.as_bytes(), text));
    let _ = (
        referrers_tag(text),
        cosign_attestation_tag(text),
        cosign_signature_tag(text),
    );
    let _ = (
        validate_repository(text),
        manifest_path(text, text),
        referrers_path("a", text),
    );
    let _ = (
        sbom_format_for_predicate_type(text),
        sbom_format_for_media_type(text),
        media_type::is_valid_media_type(text),
        media_type::essence(text),
    );
}

fn random_from(rng: &mut Rng, bits: &[&str], max: usize) -> String {
    (0..rng.below(max)).map(|_| *rng.pick(bits)).collect()
}

fn mutate_bytes(rng: &mut Rng, doc: &[u8]) -> Vec<u8> {
    let mut b = doc.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            1 => {
                let end = (at + rng.below(40)).min(b.len());
                b.drain(at..end);
            }
            2 => {
                let bit = rng.pick(JSON_BITS).as_bytes().to_vec();
                b.splice(at..at, bit);
            }
            3 => b.truncate(at),
            _ => {
                let end = (at + rng.below(40)).min(b.len());
                let copy = b[at..end].to_vec();
                b.splice(at..at, copy);
            }
        }
    }
    b
}

fn random_value(rng: &mut Rng) -> Value {
    const DIGEST: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    match rng.below(14) {
        10 => serde_json::json!(42),
        11 => serde_json::json!(DIGEST),
        12 => serde_json::json!("application/vnd.oci.image.layer.v1.tar+gzip"),
        13 => serde_json::json!({"mediaType": "a/b", "digest": DIGEST, "size": 0}),
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => serde_json::json!(-1),
        3 => serde_json::json!(1.5),
        4 => serde_json::json!(u64::MAX),
        5 => serde_json::json!(""),
        6 => serde_json::json!("sha256:ZZ"),
        7 => serde_json::json!([]),
        8 => serde_json::json!({}),
        _ => serde_json::json!([{"mediaType": "a/b", "digest": "x:y", "size": 0}]),
    }
}

/// Replaces one random node of the tree with a random value.
fn mutate_value(rng: &mut Rng, v: &mut Value, depth: usize) {
    let children = match v {
        Value::Object(o) if !o.is_empty() => o.len(),
        Value::Array(a) if !a.is_empty() => a.len(),
        _ => 0,
    };
    if children == 0 || depth > 6 || (depth > 0 && rng.below(3) == 0) {
        *v = random_value(rng);
        return;
    }
    let i = rng.below(children);
    match v {
        Value::Object(o) => {
            if let Some((_, child)) = o.iter_mut().nth(i) {
                mutate_value(rng, child, depth + 1);
            }
        }
        Value::Array(a) => mutate_value(rng, &mut a[i], depth + 1),
        _ => {}
    }
}

#[test]
fn nothing_panics() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let docs = corpus_documents();
    assert!(docs.len() > 100);

    for _ in 0..2000 {
        // Raw bytes.
        let n = rng.below(200);
        let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        exercise_document(&bytes, &mut rng);
        // JSON-ish text.
        let text = random_from(&mut rng, JSON_BITS, 60);
        exercise_document(text.as_bytes(), &mut rng);
        // Header-ish text.
        exercise_text(&random_from(&mut rng, HEADER_BITS, 30));
    }
    let (mut mutants, mut read) = (0, 0);
    for _ in 0..3000 {
        let doc = rng.pick(&docs).clone();
        exercise_document(&mutate_bytes(&mut rng, &doc), &mut rng);
        let original = parse_document(&doc, None, Expected::Any);
        if let (Ok(_), Ok(mut v)) = (original, serde_json::from_slice::<Value>(&doc)) {
            mutate_value(&mut rng, &mut v, 0);
            mutants += 1;
            let bytes = v.to_string().into_bytes();
            if parse_document(&bytes, None, Expected::Any).is_ok() {
                read += 1;
            }
            exercise_document(&bytes, &mut rng);
        }
    }
    // The structural mutants reach the readers' success paths, not only their errors (most
    // mutations break a required field, so most are rejected).
    assert!(
        read * 25 > mutants && read < mutants / 2,
        "{read} of {mutants} read"
    );
}
