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
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check. Directories are searched for Dockerfile, Containerfile,
    /// *.Dockerfile, *.dockerfile, Dockerfile.* and Containerfile.*, skipping what .gitignore
    /// ignores. `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The name to report for standard input.
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub stdin_filename: Option<String>,

    /// The stage to build, as `docker build --target` (default: the last stage).
    #[arg(long, value_name = "STAGE", help_heading = "Build")]
    pub target: Option<String>,

    /// A build argument, as `docker build --build-arg` (repeatable).
    #[arg(long = "build-arg", value_name = "NAME=VALUE", help_heading = "Build")]
    pub build_args: Vec<String>,

    /// The target platform, which sets TARGETPLATFORM, TARGETOS, TARGETARCH and TARGETVARIANT.
    #[arg(
        long,
        value_name = "OS/ARCH[/VARIANT]",
        default_value = "linux/amd64",
        help_heading = "Build"
    )]
    pub platform: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// The lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error, help_heading = "Output")]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}
