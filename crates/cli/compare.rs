//! `minicheck compare` and `check --compare`: the core decides what the sides are and computes
//! every delta; this module only reads SBOM files and asks the registry client for images.

use crate::args::{BuildArgs, CompareArgs, CompareFormat, PolicyArgs, RegistryArgs};
use crate::registry::{ImageFacts, Registry, RegistryOptions, SbomOutcome};
use anyhow::{Context, Result, anyhow, bail};
use minicheck_core::catalog::{Catalog, Variant};
use minicheck_core::comparison::plan::{self, BaseRevision};
use minicheck_core::comparison::{Comparison, FileComparison, Side};
use minicheck_core::config::Config;
use minicheck_core::platform::Platform;
use minicheck_core::redact::redact;
use minicheck_core::reference::ImageRef;
use minicheck_core::report::{Report, comparison as view};
use minicheck_core::sbom;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One side as the user named it.
enum Named {
    File(String),
    Image(ImageRef),
}

/// File endings that say "this was meant to be an SBOM file", so a typo in a path is reported
/// as a missing file rather than tried as an image on Docker Hub.
const FILE_ENDINGS: [&str; 6] = [".json", ".jsonl", ".spdx", ".cdx", ".tv", ".txt"];

fn name(text: &str) -> Result<Named> {
    if Path::new(text).is_file() {
        return Ok(Named::File(text.to_string()));
    }
    if FILE_ENDINGS.iter().any(|e| text.ends_with(e))
        || text.starts_with("./")
        || text.starts_with('/')
    {
        bail!("cannot read {text}: no such file");
    }
    let image = ImageRef::parse(text).map_err(|e| {
        anyhow!(
            "{:?} is neither a file nor an image reference: {e}",
            redact(text)
        )
    })?;
    Ok(Named::Image(image))
}

pub fn run(args: &CompareArgs) -> Result<ExitCode> {
    let platform = Platform::parse(&args.platform).map_err(anyhow::Error::msg)?;
    let config = crate::config::Configs::new(args.config.as_deref())?.for_file(None)?;
    let (from, to) = match &args.twin {
        Some(image) => twin_pair(image, &config)?,
        None => (
            name(args.from.as_deref().unwrap_or_default())?,
            name(args.to.as_deref().unwrap_or_default())?,
        ),
    };
    let mut sides = resolve(vec![from, to], &args.registry, &platform)?;
    let to = sides.pop().ok_or_else(|| anyhow!("no side"))?;
    let from = sides.pop().ok_or_else(|| anyhow!("no side"))?;
    let comparison = Comparison::new(from, to);
    let text = match args.format {
        CompareFormat::Human => view::human(&comparison),
        CompareFormat::Json => view::json(&comparison),
        CompareFormat::Markdown => view::markdown(&comparison),
    };
    crate::output::write(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

/// `--twin IMAGE`: the dev variant first, the production variant second, as the vendors'
/// guides compare them.
fn twin_pair(text: &str, config: &Config) -> Result<(Named, Named)> {
    let image = ImageRef::parse(text).map_err(|e| anyhow!("{:?}: {e}", redact(text)))?;
    let catalog = Catalog::new(config);
    let class = catalog.classify(&image).ok_or_else(|| {
        anyhow!(
            "{} is not an image of a vendor in the catalog (or a configured mirror): it has no twin",
            redact(&image.familiar())
        )
    })?;
    match class.variant {
        Variant::Dev => {
            let twin = catalog
                .production_twins(&image)
                .into_iter()
                .next()
                .ok_or_else(|| anyhow!("no production twin known for {}", image.familiar()))?;
            Ok((Named::Image(image), Named::Image(twin)))
        }
        Variant::Production => {
            let twin = catalog
                .dev_twin(&image)
                .ok_or_else(|| anyhow!("no dev twin known for {}", image.familiar()))?;
            Ok((Named::Image(twin), Named::Image(image)))
        }
    }
}

/// Reads files and fetches images (concurrently), in order.
fn resolve(named: Vec<Named>, registry: &RegistryArgs, platform: &Platform) -> Result<Vec<Side>> {
    let images: Vec<ImageRef> = named
        .iter()
        .filter_map(|n| match n {
            Named::Image(i) => Some(i.clone()),
            Named::File(_) => None,
        })
        .collect();
    let mut fetched = fetch_images(&images, registry, platform)?.into_iter();
    named
        .into_iter()
        .map(|n| match n {
            Named::File(path) => file_side(&path),
            Named::Image(_) => fetched
                .next()
                .ok_or_else(|| anyhow!("missing fetch result"))?,
        })
        .collect()
}

fn file_side(path: &str) -> Result<Side> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
    let sbom = sbom::read_sbom(&bytes).map_err(|e| anyhow!("{path}: {e}"))?;
    Ok(Side {
        label: path.to_string(),
        digest: None,
        platform: None,
        compressed_size: None,
        packages: Some(sbom.packages),
        note: None,
    })
}

/// Images through the registry client, concurrently; one result per image, in order.
fn fetch_images(
    images: &[ImageRef],
    registry: &RegistryArgs,
    platform: &Platform,
) -> Result<Vec<Result<Side>>> {
    if images.is_empty() {
        return Ok(Vec::new());
    }
    let options = RegistryOptions::from_args(registry, platform.clone());
    let client = Registry::new(options).map_err(|e| anyhow!("{e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let results = runtime.block_on(client.fetch_images(images));
    Ok(results
        .into_iter()
        .map(|r| r.map(side_of).map_err(|e| anyhow!("{e}")))
        .collect())
}

fn side_of(facts: ImageFacts) -> Side {
    let (packages, note) = match facts.sbom {
        SbomOutcome::Found { sbom, .. } => (Some(sbom.packages), None),
        SbomOutcome::NotFound => (
            None,
            Some("no SBOM attestation found: the package count is unknown".to_string()),
        ),
        SbomOutcome::Failed(message) => (
            None,
            Some(format!(
                "the SBOM could not be read ({message}): the package count is unknown"
            )),
        ),
    };
    Side {
        label: redact(&facts.reference.familiar()).into_owned(),
        digest: Some(facts.digest),
        platform: Some(facts.platform.to_string()),
        compressed_size: Some(facts.compressed_size),
        packages,
        note,
    }
}

/// `check --compare`: per file, the final image against its dev twin and, with `--base-ref`,
/// against the base revision's final image. The core plans; this reads the base revision with
/// git and fetches the images.
pub fn comparisons(
    report: &Report,
    build: &BuildArgs,
    policy: &PolicyArgs,
    registry: &RegistryArgs,
    base_ref: Option<&str>,
) -> Result<Vec<FileComparison>> {
    let platform = Platform::parse(&build.platform).map_err(anyhow::Error::msg)?;
    let configs = crate::config::Configs::new(policy.config.as_deref())?;
    let mut options = crate::check::options(build)?;
    let mut plans = Vec::new();
    for file in &report.files {
        let path = (file.path != "-").then(|| Path::new(&file.path));
        options.config = (*configs.for_file(path)?).clone();
        let base_text = match (base_ref, path) {
            (Some(base_ref), Some(path)) => Some((base_ref, base_text(base_ref, path))),
            _ => None,
        };
        let base = match &base_text {
            None => BaseRevision::NotAsked,
            Some((base_ref, Ok(None))) => BaseRevision::Absent { base_ref },
            Some((base_ref, Ok(Some(text)))) => BaseRevision::Text { base_ref, text },
            Some((base_ref, Err(reason))) => BaseRevision::Unreadable { base_ref, reason },
        };
        plans.push(plan::plan(file, &options, base));
    }
    let wanted = plan::images_to_fetch(&plans);
    let fetched = fetch_images(&wanted, registry, &platform)?;
    let side = |image: &ImageRef| -> Result<Side, String> {
        match wanted
            .iter()
            .position(|w| w == image)
            .and_then(|i| fetched.get(i))
        {
            Some(Ok(side)) => Ok(side.clone()),
            Some(Err(e)) => Err(format!("{e:#}")),
            None => Err("not fetched".into()),
        }
    };
    Ok(plans.into_iter().map(|p| p.complete(side)).collect())
}

/// The Dockerfile's text at `base_ref` (`git show REF:path`, the path from the repository's
/// top): `Ok(None)` when it did not exist there; `Err` when git cannot say (no such revision in
/// a shallow clone, not a repository), which becomes a note on this file alone.
fn base_text(base_ref: &str, path: &Path) -> Result<Option<String>, String> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))
    };
    // git words an unknown revision as it words a missing path: ask about the revision first.
    let known = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{base_ref}^{{commit}}"),
    ])?;
    if !known.status.success() {
        return Err(format!(
            "git does not have {base_ref} (in CI, fetch it: actions/checkout with fetch-depth: 0)"
        ));
    }
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(String::from_utf8_lossy(&top.stderr).trim().to_string());
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let absolute = std::path::absolute(path).map_err(|e| e.to_string())?;
    let relative = match (
        top.canonicalize(),
        absolute.parent().map(Path::canonicalize),
    ) {
        (Ok(top), Some(Ok(dir))) => dir
            .strip_prefix(&top)
            .map(|d| d.join(absolute.file_name().unwrap_or_default()))
            .map_err(|_| format!("{} is outside the repository", path.display()))?,
        _ => return Err(format!("cannot resolve {}", path.display())),
    };
    let spec = format!(
        "{base_ref}:{}",
        relative.to_string_lossy().replace('\\', "/")
    );
    let output = git(&["show", &spec])?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("does not exist") || stderr.contains("exists on disk, but not in") {
            return Ok(None);
        }
        return Err(format!("git show {spec}: {}", stderr.trim()));
    }
    Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()))
}

/// For `minicheck comment`: the comparison table in Markdown.
pub fn for_report_markdown(
    report: &Report,
    build: &BuildArgs,
    policy: &PolicyArgs,
    registry: &RegistryArgs,
    base_ref: Option<&str>,
) -> Result<String> {
    let files = comparisons(report, build, policy, registry, base_ref)?;
    Ok(view::files_markdown(&files))
}
