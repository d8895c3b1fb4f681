//! minicheck-wasm: the core, callable from JavaScript.
//!
//! Glue only. Every export maps its JS arguments to one `minicheck-core` call and maps the
//! answer back; nothing here decides anything a Dockerfile, registry or SBOM means. The typed
//! contract is `index.d.ts`; `README.md` says how to build, load and test the module.
//!
//! - [`input`]: the shapes JS hands in (serde `Deserialize`).
//! - [`output`]: the shapes JS gets back where the core's own `Serialize` types differ from them.
//! - [`api`]: the mapping, in plain Rust, tested natively.
//! - [`fields`]: the field names of the option types, to reject unknown keys.
//! - `js`: the `#[wasm_bindgen]` exports over [`api`].

pub mod api;
pub mod error;
pub mod fields;
pub mod input;
mod js;
pub mod output;

#[cfg(test)]
mod tests;
