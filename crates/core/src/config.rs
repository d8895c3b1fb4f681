//! `.minicheck.yaml`: the user's policy. (Parsing is being written; the types are fixed.)

use crate::report::Severity;

/// The parsed configuration. `Config::default()` is the policy when no file is found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `failure-threshold`: the lowest severity that fails the run; `None` when not set.
    pub failure_threshold: Option<Threshold>,
    /// `ignored`: rule codes (`MC004`), upper-cased, never reported.
    pub ignored: Vec<String>,
    /// `override`: rule code → severity.
    pub overrides: Vec<(String, Severity)>,
    /// `trusted-registries`: patterns (`ghcr.io/acme`, `*.example.com`, `registry.acme.io/base*`).
    pub trusted_registries: Vec<RegistryPattern>,
    /// `mirrors`: where a vendor's images live now.
    pub mirrors: Vec<Mirror>,
    /// `pairs`: extra dev → production image pairs.
    pub pairs: Vec<ImagePair>,
    /// `shell-less`: images without `/bin/sh`, besides the catalog's.
    pub shell_less: Vec<RegistryPattern>,
    /// `require-digest`: MC004 also fires for a final image not pinned by digest.
    pub require_digest: bool,
    /// `disable-inline-ignores`: `# minicheck ignore=` comments are not honoured.
    pub disable_inline_ignores: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    At(Severity),
    Never,
}

/// A registry path prefix mapped to the vendor whose images it mirrors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    /// `ghcr.io/acme/minimus`
    pub prefix: String,
    /// A catalog vendor id: `minimus`.
    pub vendor: String,
    /// Where the images came from: `reg.mini.dev`.
    pub upstream: String,
}

/// A dev image and the production images that are its runtime twins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagePair {
    pub vendor: String,
    pub dev: String,
    pub production: Vec<String>,
}

/// A registry or repository pattern: an exact prefix at a path boundary (`ghcr.io/acme`),
/// a host wildcard (`*.example.com`), or a prefix wildcard (`registry.acme.io/base*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryPattern(pub String);

impl RegistryPattern {
    /// Whether the image name (`domain/path`, no tag) matches.
    pub fn matches(&self, name: &str) -> bool {
        let pattern = self.0.as_str();
        if let Some(prefix) = pattern.strip_suffix('*') {
            return name.starts_with(prefix);
        }
        if let Some(suffix) = pattern.strip_prefix("*.") {
            let host = name.split('/').next().unwrap_or("");
            return host.ends_with(&format!(".{suffix}"));
        }
        name == pattern || name.starts_with(&format!("{pattern}/"))
    }
}
