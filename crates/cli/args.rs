//! Command-line arguments, grouped by help heading.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "minicheck",
    version,
    about = "Keep development images out of what ships.",
    long_about = "Checks that a Dockerfile's final stage runs on a production hardened image, \
                  not on its -dev twin, resolving ARGs, --target and stage chains as BuildKit does."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Dockerfiles (files, directories, or - for standard input).
    Check(CheckArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation: `minicheck explain MC001` (or its name).
    Explain(ExplainArgs),
    /// Compare two images (or SBOM files): compressed size and SBOM packages.
    Compare(CompareArgs),
    /// Post or update one pull-request comment with the findings (and deltas). The token comes
    /// from $GITHUB_TOKEN (or $GH_TOKEN).
    Comment(CommentArgs),
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (`MC001`) or name (`final-stage-dev-image`).
    pub rule: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
    Markdown,
}

/// Which Dockerfiles to read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to check. Directories are searched for Dockerfile, Containerfile,
    /// *.Dockerfile, *.dockerfile, Dockerfile.* and Containerfile.*, skipping what .gitignore
    /// ignores. `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The name to report for standard input.
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub stdin_filename: Option<String>,
}

/// What `docker build` would be told.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The stage to build, as `docker build --target` (default: the last stage).
    #[arg(long, value_name = "STAGE", help_heading = "Build")]
    pub target: Option<String>,

    /// A build argument, as `docker build --build-arg` (repeatable).
    #[arg(long = "build-arg", value_name = "NAME=VALUE", help_heading = "Build")]
    pub build_args: Vec<String>,

    /// The target platform, which sets TARGETPLATFORM, TARGETOS, TARGETARCH and TARGETVARIANT,
    /// and picks the image from multi-platform indexes.
    #[arg(
        long,
        value_name = "OS/ARCH[/VARIANT]",
        default_value = "linux/amd64",
        help_heading = "Build"
    )]
    pub platform: String,
}

/// The policy: configuration file and failure threshold.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The configuration file (default: the first .minicheck.yaml or .minicheck.yml found
    /// walking up from each Dockerfile's directory).
    #[arg(long, value_name = "FILE", help_heading = "Policy")]
    pub config: Option<PathBuf>,

    /// The lowest severity that makes the run fail (exit 1) [default: the configuration's
    /// failure-threshold, else error].
    #[arg(long, value_enum, help_heading = "Policy")]
    pub fail_on: Option<FailOn>,
}

/// How the registry is reached, for comparisons.
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// Allow plain HTTP for this registry (repeatable). Loopback registries always may.
    #[arg(
        long = "insecure-registry",
        value_name = "HOST[:PORT]",
        help_heading = "Registry"
    )]
    pub insecure_registries: Vec<String>,

    /// Seconds before a registry request is abandoned.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        help_heading = "Registry"
    )]
    pub registry_timeout: u64,

    /// Do not read or write the on-disk cache of manifests and SBOMs.
    #[arg(long, help_heading = "Registry")]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub build: BuildArgs,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Colour in human output (auto: when standard output is a terminal and NO_COLOR is unset).
    #[arg(long, value_enum, default_value_t = Color::Auto, help_heading = "Output")]
    pub color: Color,

    #[command(flatten)]
    pub comparison: CompareFlags,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `minicheck compare FROM TO`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// An image reference or an SBOM file (SPDX or CycloneDX, plain or as an attestation).
    #[arg(value_name = "FROM", required_unless_present = "twin")]
    pub from: Option<String>,

    /// An image reference or an SBOM file.
    #[arg(value_name = "TO", required_unless_present = "twin")]
    pub to: Option<String>,

    /// Compare IMAGE with its dev (or production) twin from the catalog.
    #[arg(long, value_name = "IMAGE", conflicts_with_all = ["from", "to"])]
    pub twin: Option<String>,

    /// The platform to pick from multi-platform images.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", default_value = "linux/amd64")]
    pub platform: String,

    /// The configuration file, for mirrors and pairs (default: .minicheck.yaml found walking up
    /// from the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Human)]
    pub format: CompareFormat,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Human,
    Json,
    Markdown,
}

/// `minicheck comment`: one pull-request comment, created or updated.
#[derive(Debug, Args)]
pub struct CommentArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub build: BuildArgs,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The repository, OWNER/NAME [default: $GITHUB_REPOSITORY].
    #[arg(long, value_name = "OWNER/NAME", help_heading = "GitHub")]
    pub repo: Option<String>,

    /// The pull request number [default: from $GITHUB_EVENT_PATH or $GITHUB_REF].
    #[arg(long, value_name = "NUMBER", help_heading = "GitHub")]
    pub pr: Option<u64>,

    /// The API URL [default: $GITHUB_API_URL, else https://api.github.com].
    #[arg(long, value_name = "URL", help_heading = "GitHub")]
    pub api_url: Option<String>,

    /// A key that tells this comment apart from others minicheck keeps on the same pull
    /// request (one per workflow job or matrix leg) [default: the Dockerfile set].
    #[arg(long, value_name = "KEY", help_heading = "GitHub")]
    pub key: Option<String>,

    #[command(flatten)]
    pub comparison: CompareFlags,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> minicheck_core::config::Threshold {
        use minicheck_core::config::Threshold;
        use minicheck_core::report::Severity;
        match self {
            FailOn::Error => Threshold::At(Severity::Error),
            FailOn::Warning => Threshold::At(Severity::Warning),
            FailOn::Info => Threshold::At(Severity::Info),
            FailOn::Never => Threshold::Never,
        }
    }
}

/// `--compare` and `--base-ref`, shared by `check` and `comment`.
#[derive(Debug, Clone, Default, Args)]
pub struct CompareFlags {
    /// Also compare each final image with its dev twin (and with --base-ref's): size and
    /// SBOM packages, fetched from the registry.
    #[arg(long, help_heading = "Compare")]
    pub compare: bool,

    /// With --compare: the git revision whose Dockerfiles are the baseline (a pull request's
    /// base branch).
    #[arg(
        long,
        value_name = "GIT_REF",
        requires = "compare",
        help_heading = "Compare"
    )]
    pub base_ref: Option<String>,
}
