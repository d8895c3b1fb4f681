//! `minicheck check`: discover, read, check in parallel, render, decide the exit code.

use crate::args::{CheckArgs, FailOn, Format};
use crate::discover::{self, Input};
use crate::output;
use anyhow::{Context, Result, bail};
use minicheck_core::check::{CheckOptions, check_dockerfile};
use minicheck_core::platform::Platform;
use minicheck_core::report::{self, Report, Severity};
use rayon::prelude::*;
use std::io::Read;
use std::process::ExitCode;

/// Dockerfiles are small; anything larger is almost certainly not one.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let options = options(args)?;
    let inputs = discover::inputs(&args.paths)?;
    if inputs.is_empty() {
        eprintln!("minicheck: warning: no Dockerfiles found");
    }
    let stdin_text = if inputs.contains(&Input::Stdin) {
        Some(read_stdin()?)
    } else {
        None
    };
    let files = inputs
        .par_iter()
        .map(|input| {
            let (name, text) = match input {
                Input::Stdin => (
                    args.stdin_filename.clone().unwrap_or_else(|| "-".into()),
                    stdin_text.clone().unwrap_or_default(),
                ),
                Input::File(path) => (path.display().to_string(), read_file(path)?),
            };
            Ok(check_dockerfile(&name, &text, &options))
        })
        .collect::<Result<Vec<_>>>()?;
    let report = Report { files };
    let text = match args.format {
        Format::Human => report::human::render(&report),
        Format::Json => report::json::render(&report),
    };
    output::write(&text, args.output.as_deref())?;
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    Ok(if report.fails(threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn options(args: &CheckArgs) -> Result<CheckOptions> {
    let mut options = CheckOptions::default();
    options.build.target = args.target.clone();
    options.build.platform = Platform::parse(&args.platform).map_err(anyhow::Error::msg)?;
    for arg in &args.build_args {
        let Some((name, value)) = arg.split_once('=') else {
            bail!("--build-arg {arg:?}: expected NAME=VALUE");
        };
        if name.is_empty() {
            bail!("--build-arg {arg:?}: the name is empty");
        }
        options
            .build
            .build_args
            .push((name.to_string(), value.to_string()));
    }
    Ok(options)
}

fn read_file(path: &std::path::Path) -> Result<String> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        bail!(
            "{} is larger than {} MiB: not a Dockerfile",
            path.display(),
            MAX_FILE_BYTES / 1024 / 1024
        );
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        bail!(
            "standard input is larger than {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        );
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
