//! `minicheck check`: discover, read, check in parallel, render, decide the exit code.

use crate::args::{BuildArgs, CheckArgs, Color, FailOn, Format, InputArgs, PolicyArgs};
use crate::config::Configs;
use crate::discover::{self, Input};
use crate::output;
use anyhow::{Context, Result, bail};
use minicheck_core::check::{self, CheckOptions, check_dockerfile};
use minicheck_core::platform::Platform;
use minicheck_core::report::{self, Report};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::io::Read;
use std::process::ExitCode;

/// Dockerfiles are small; anything larger is almost certainly not one.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let (mut report, fails) = check_inputs(&args.input, &args.build, &args.policy)?;
    if args.comparison.compare {
        report.comparisons = crate::compare::comparisons(
            &report,
            &args.build,
            &args.policy,
            &args.registry,
            args.comparison.base_ref.as_deref(),
        )?;
    }
    let text = render(&report, args);
    output::write(&text, args.output.as_deref())?;
    Ok(if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Discovers, reads and checks the inputs. Returns the report and whether any file has a
/// finding at or above its threshold.
pub fn check_inputs(
    input_args: &InputArgs,
    build: &BuildArgs,
    policy: &PolicyArgs,
) -> Result<(Report, bool)> {
    let options = options(build)?;
    let configs = Configs::new(policy.config.as_deref())?;
    let inputs = discover::inputs(&input_args.paths)?;
    if inputs.is_empty() {
        eprintln!("minicheck: warning: no Dockerfiles found");
    }
    let stdin_text = if inputs.contains(&Input::Stdin) {
        Some(read_stdin()?)
    } else {
        None
    };
    let checked = inputs
        .par_iter()
        .map(|input| {
            let (name, text, config) = match input {
                Input::Stdin => (
                    input_args
                        .stdin_filename
                        .clone()
                        .unwrap_or_else(|| "-".into()),
                    stdin_text.clone().unwrap_or_default(),
                    configs.for_file(None)?,
                ),
                Input::File(path) => (
                    path.display().to_string(),
                    read_file(path)?,
                    configs.for_file(Some(path))?,
                ),
            };
            let mut file_options = options.clone();
            file_options.config = (*config).clone();
            let file = check_dockerfile(&name, &text, &file_options);
            let threshold = check::threshold(
                policy.fail_on.map(FailOn::threshold),
                config.failure_threshold,
            );
            let fails = file.fails(threshold);
            Ok((file, fails))
        })
        .collect::<Result<Vec<_>>>()?;
    let fails = checked.iter().any(|(_, fails)| *fails);
    let report = Report {
        files: checked.into_iter().map(|(file, _)| file).collect(),
        comparisons: Vec::new(),
    };
    Ok((report, fails))
}

fn use_color(choice: Color, to_file: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn render(report: &Report, args: &CheckArgs) -> String {
    // Paths in SARIF, annotations and Markdown are relative to the repository: the current
    // directory, as in CI.
    let root = std::env::current_dir()
        .ok()
        .map(|d| d.display().to_string());
    match args.format {
        Format::Human => report::human::render_with(
            report,
            &report::human::HumanOptions {
                color: use_color(args.color, args.output.is_some()),
            },
        ),
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(
            report,
            &report::sarif::SarifOptions {
                root,
                ..Default::default()
            },
        ),
        Format::Github => report::github::render(
            report,
            &report::github::GithubOptions {
                root,
                ..Default::default()
            },
        ),
        Format::Markdown => report::markdown::render(
            report,
            &report::markdown::MarkdownOptions {
                root,
                ..Default::default()
            },
        ),
    }
}

pub fn options(args: &BuildArgs) -> Result<CheckOptions> {
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
