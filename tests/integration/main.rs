//! End-to-end tests of the `minicheck` binary, run as a user runs it.

mod common;

// `minicheck check`: discovery, input, options, exit codes.
mod check;
// The JSON output's documented schema.
mod json_output;
// Every third-party Dockerfile in the shared corpus goes through the CLI cleanly.
mod corpus;
