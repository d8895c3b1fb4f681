//! The one error type of the glue. Every variant shows the core's message unchanged, so the JS
//! `Error` a host catches says exactly what the CLI would say.

use minicheck_core::config::ConfigError;
use minicheck_core::oci::OciError;
use minicheck_core::reference::ReferenceError;
use minicheck_core::sbom::SbomError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A configuration file was rejected: `path:line:column: message`.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A registry answer, digest or challenge the core cannot use.
    #[error(transparent)]
    Oci(#[from] OciError),
    /// Bytes that are not an SBOM the core reads.
    #[error(transparent)]
    Sbom(#[from] SbomError),
    /// A string that is not an image reference.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// An argument the host got wrong: a platform, a build argument, a format name, a rule.
    #[error("{0}")]
    Input(String),
}

impl Error {
    pub fn input(message: impl Into<String>) -> Error {
        Error::Input(message.into())
    }
}
