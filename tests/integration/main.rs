//! End-to-end tests of the `minicheck` binary, run as a user runs it.

mod common;
mod support;

// `minicheck check`: discovery, input, options, exit codes.
mod check;
// The JSON output's documented schema.
mod json_output;
// `.minicheck.yaml`: discovery, threshold, overrides, located errors.
mod config;
// Every output format renders the same findings.
mod formats;
// `minicheck rules` and `minicheck explain`, and the bundled examples.
mod rules_cli;
// `minicheck compare` with SBOM files.
mod compare;
// `minicheck compare` and `check --compare` against a real registry.
mod compare_registry;
// Every third-party Dockerfile in the shared corpus goes through the CLI cleanly.
mod corpus;
// The pre-commit hooks, run by the real pre-commit (installed by scripts/setup-and-test).
mod precommit;
// `minicheck comment`: one pull-request comment, upserted through a stand-in for GitHub.
mod github;
// The registry client against a real registry (Debian's docker-registry) on loopback.
mod registry;
// The GitHub Action: the committed dist/ run by Node 24 against the stand-in GitHub and a real registry.
mod action;
// The action's registry client (fetch) against a real registry, with faults and authentication.
mod action_registry;
