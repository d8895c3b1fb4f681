//! The field names of an input struct, as serde's derive knows them.
//!
//! serde-wasm-bindgen reads a JS object into a struct by looking up the struct's own fields, so a
//! key the struct does not have is never seen and `deny_unknown_fields` does nothing. `js.rs`
//! therefore compares an options object's keys with [`fields_of`] before converting it, so that a
//! misspelt option (`buildargs`) is an error, worded as serde words it, rather than ignored.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// The names `T`'s derived `Deserialize` passes to `deserialize_struct` (after `rename_all`);
/// empty for anything that is not a struct.
pub fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(Probe) {
        Err(Found(fields)) => fields,
        Ok(_) => &[],
    }
}

/// The error for an unknown key, as serde's `deny_unknown_fields` words it.
pub fn unknown_field(key: &str, fields: &'static [&'static str]) -> String {
    <Message as de::Error>::unknown_field(key, fields).0
}

/// A deserializer that holds no data: it only records the fields it is asked for.
struct Probe;

/// Carries the fields out of `deserialize_struct`.
#[derive(Debug)]
struct Found(&'static [&'static str]);

/// An error that is only its message: what serde's default `unknown_field` formats.
#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl de::Error for Message {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Message(message.to_string())
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

impl std::error::Error for Found {}

impl de::Error for Found {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Found(&[])
    }
}

impl<'de> Deserializer<'de> for Probe {
    type Error = Found;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
        Err(Found(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{CheckInput, ConfigInput, FileInput, RenderInput};

    #[test]
    fn the_fields_of_the_option_types() {
        assert_eq!(
            fields_of::<CheckInput>(),
            [
                "target",
                "buildArgs",
                "platform",
                "config",
                "configPath",
                "comparisons"
            ]
        );
        assert_eq!(
            fields_of::<FileInput>(),
            ["path", "text", "config", "configPath"]
        );
        assert_eq!(fields_of::<ConfigInput>(), ["config", "configPath"]);
        assert!(fields_of::<RenderInput>().contains(&"linkBase"));
        assert_eq!(fields_of::<Vec<FileInput>>(), [] as [&str; 0]);
    }

    #[test]
    fn the_message_is_serdes() {
        let serde_json_message = serde_json::from_str::<ConfigInput>(r#"{"confg": ""}"#)
            .unwrap_err()
            .to_string();
        let ours = unknown_field("confg", fields_of::<ConfigInput>());
        assert!(
            serde_json_message.starts_with(&ours),
            "{serde_json_message}"
        );
    }
}
