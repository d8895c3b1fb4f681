//! minicheck-core: everything minicheck decides, with no I/O.
//!
//! This crate never touches the network, the file system, the clock or threads: it takes text and
//! bytes and returns typed results, so the same code runs in the native CLI and in WebAssembly.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod catalog;
pub mod check;
pub mod compare;
pub mod comparison;
pub mod config;
pub mod dockerfile;
pub mod expand;
pub mod ignores;
pub mod oci;
pub mod platform;
pub mod redact;
pub mod reference;
pub mod report;
pub mod rules;
pub mod sbom;
pub mod stages;
