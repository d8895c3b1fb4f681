//! The first of two passes over a JSON document: which keys are at the top (and at the top of an
//! in-toto predicate), without building the document.
//!
//! Everything large (`components`, `packages`, `@graph`, a DSSE `payload`) is skipped with
//! [`IgnoredAny`], so the pass allocates only the few short strings it keeps. The second pass then
//! deserializes the one struct the detected format needs.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON value seen just far enough to name it: a string's text, or what kind of value it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scalar {
    Str(String),
    Other(&'static str),
}

impl Scalar {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            Scalar::Other(_) => None,
        }
    }

    /// `"text"` for a string, else the kind of value (`a number`), for error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Scalar::Str(s) => format!("{s:?}"),
            Scalar::Other(kind) => (*kind).to_owned(),
        }
    }
}

/// The shape of a value whose own keys matter (an in-toto `predicate`, cosign's `Data`).
#[derive(Debug)]
pub(crate) enum Shape {
    Object(Box<Probe>),
    String,
    Other(&'static str),
}

/// The keys that tell the formats and wrappers apart.
#[derive(Debug, Default)]
pub(crate) struct Probe {
    /// CycloneDX `bomFormat`.
    pub bom_format: Option<Scalar>,
    /// SPDX 2 `spdxVersion`.
    pub spdx_version: Option<Scalar>,
    /// JSON-LD `@context` (SPDX 3).
    pub context: Option<Scalar>,
    /// JSON-LD `@graph` (SPDX 3).
    pub graph: bool,
    /// in-toto `_type`.
    pub statement_type: Option<Scalar>,
    /// in-toto `predicateType`.
    pub predicate_type: Option<Scalar>,
    /// in-toto `predicate`.
    pub predicate: Option<Shape>,
    /// DSSE `payloadType`.
    pub payload_type: Option<Scalar>,
    /// DSSE `payload`.
    pub payload: bool,
    /// Sigstore bundle `dsseEnvelope`.
    pub dsse_envelope: bool,
    /// cosign's predicate wrapper `{"Data": ..., "Timestamp": ...}`.
    pub data: Option<Shape>,
    /// Syft's own JSON format (`artifacts`, `artifactRelationships`).
    pub syft_artifacts: bool,
    /// An OCI manifest or index (`mediaType`/`schemaVersion`), for a clearer error.
    pub media_type: Option<Scalar>,
}

enum Key {
    BomFormat,
    SpdxVersion,
    Context,
    Graph,
    StatementType,
    PredicateType,
    Predicate,
    PayloadType,
    Payload,
    DsseEnvelope,
    Data,
    SyftArtifacts,
    MediaType,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "bomFormat" => Key::BomFormat,
            "spdxVersion" => Key::SpdxVersion,
            "@context" => Key::Context,
            "@graph" => Key::Graph,
            "_type" => Key::StatementType,
            "predicateType" => Key::PredicateType,
            "predicate" => Key::Predicate,
            "payloadType" => Key::PayloadType,
            "payload" => Key::Payload,
            "dsseEnvelope" => Key::DsseEnvelope,
            "Data" => Key::Data,
            "artifactRelationships" => Key::SyftArtifacts,
            "mediaType" => Key::MediaType,
            _ => Key::Other,
        })
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Scalar, E> {
        Ok(Scalar::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Scalar, E> {
        Ok(Scalar::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other("a number"))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an object"))
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::String)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other("a number"))
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut p = Probe::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::BomFormat => p.bom_format = Some(map.next_value()?),
                Key::SpdxVersion => p.spdx_version = Some(map.next_value()?),
                Key::Context => p.context = Some(map.next_value()?),
                Key::StatementType => p.statement_type = Some(map.next_value()?),
                Key::PredicateType => p.predicate_type = Some(map.next_value()?),
                Key::Predicate => p.predicate = Some(map.next_value()?),
                Key::PayloadType => p.payload_type = Some(map.next_value()?),
                Key::Data => p.data = Some(map.next_value()?),
                Key::MediaType => p.media_type = Some(map.next_value()?),
                Key::Graph | Key::Payload | Key::DsseEnvelope | Key::SyftArtifacts => {
                    map.next_value::<IgnoredAny>()?;
                    match key {
                        Key::Graph => p.graph = true,
                        Key::Payload => p.payload = true,
                        Key::DsseEnvelope => p.dsse_envelope = true,
                        _ => p.syft_artifacts = true,
                    }
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Shape::Object(Box::new(p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(json: &str) -> Probe {
        match serde_json::from_str::<Shape>(json).expect("valid JSON") {
            Shape::Object(p) => *p,
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn keeps_short_keys_and_skips_the_rest() {
        let p = probe(r#"{"bomFormat":"CycloneDX","components":[{"a":[1,2,{"b":null}]}],"x":1}"#);
        assert_eq!(p.bom_format, Some(Scalar::Str("CycloneDX".into())));
        assert!(p.spdx_version.is_none() && !p.graph);
    }

    #[test]
    fn looks_one_level_into_a_predicate() {
        let p = probe(
            r#"{"predicate":{"Data":{"spdxVersion":"SPDX-2.3"},"Timestamp":""},"predicateType":"https://spdx.dev/Document","_type":5}"#,
        );
        assert_eq!(p.statement_type, Some(Scalar::Other("a number")));
        let Some(Shape::Object(pred)) = p.predicate else {
            panic!("predicate probed")
        };
        let Some(Shape::Object(data)) = pred.data else {
            panic!("Data probed")
        };
        assert_eq!(
            data.spdx_version.as_ref().and_then(Scalar::as_str),
            Some("SPDX-2.3")
        );
    }

    #[test]
    fn scalars_describe_themselves() {
        let p = probe(r#"{"bomFormat":["x"],"spdxVersion":{"a":1},"mediaType":true}"#);
        assert_eq!(
            p.bom_format.map(|s| s.describe()).as_deref(),
            Some("an array")
        );
        assert_eq!(
            p.spdx_version.map(|s| s.describe()).as_deref(),
            Some("an object")
        );
        assert_eq!(
            p.media_type.map(|s| s.describe()).as_deref(),
            Some("a boolean")
        );
    }
}
