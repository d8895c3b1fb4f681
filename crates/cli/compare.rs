//! `minicheck compare` and `check --compare`: the core decides what the sides are and computes
//! every delta; this module only reads SBOM files and asks the registry client for images.

use crate::args::{CheckArgs, CompareArgs, CompareFormat, RegistryArgs};
use anyhow::{Context, Result, anyhow, bail};
use minicheck_core::catalog::{Catalog, Variant};
use minicheck_core::comparison::{Comparison, FileComparison, Side};
use minicheck_core::config::Config;
use minicheck_core::platform::Platform;
use minicheck_core::redact::redact;
use minicheck_core::reference::ImageRef;
use minicheck_core::report::{Report, comparison as view};
use minicheck_core::sbom;
use std::path::Path;
use std::process::ExitCode;

/// One side as the user named it.
enum Named {
    File(String),
    Image(ImageRef),
}

fn name(text: &str) -> Result<Named> {
    if Path::new(text).is_file() {
        return Ok(Named::File(text.to_string()));
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
            Named::Image(_) => fetched.next().ok_or_else(|| anyhow!("missing fetch result"))?,
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

/// Images through the registry client.
fn fetch_images(
    images: &[ImageRef],
    _registry: &RegistryArgs,
    _platform: &Platform,
) -> Result<Vec<Result<Side>>> {
    if images.is_empty() {
        return Ok(Vec::new());
    }
    bail!("comparing images needs the registry client, which is not built yet")
}

pub fn for_report(_report: &Report, _args: &CheckArgs) -> Result<String> {
    bail!("--compare is not available yet")
}

pub fn for_report_markdown(
    _report: &Report,
    _registry: &RegistryArgs,
    _base_ref: Option<&str>,
) -> Result<String> {
    bail!("--compare is not available yet")
}

#[allow(dead_code)]
fn unused(_: FileComparison) {}
