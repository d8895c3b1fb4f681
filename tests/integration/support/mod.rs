//! Helpers shared by integration tests that need more than the binary.

// A real registry process (Debian's docker-registry), fixtures pushed through its HTTP API, a
// token server and a fault-injecting proxy, all on loopback.
pub mod registry_server;

// A stand-in for GitHub's REST API (issue comments), recording every request.
pub mod fake_github;
