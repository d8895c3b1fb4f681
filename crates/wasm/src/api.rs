//! The mapping itself, in plain Rust so it is tested natively: each function turns the glue's
//! input types into core arguments, makes one core call, and returns the core's answer (or an
//! output type filled from it). `js.rs` only converts JS values to and from these types.

use crate::error::Error;
use crate::input::BaseText;
use crate::input::{
    AnalyzeInput, BaseInput, BuildArgs, ChallengeInput, CheckInput, ConfigInput, FetchedInput,
    FileComparisonInput, FileInput, PackageInput, PairInput, PlanInput, RenderInput, SideInput,
};
use crate::output::{
    AnalysisOutput, ChallengeOutput, ClassifiedOutput, ConfigOutput, FileComparisonOutput,
    ImageRefOutput, PlanOutput, PlansOutput, RuleOutput, SbomOutput, TokenOutput,
};
use minicheck_core::catalog::{self, Catalog};
use minicheck_core::check::{self, CheckOptions, check_dockerfile};
use minicheck_core::compare::PackageDiff;
use minicheck_core::comparison::plan::{self, BaseRevision, Plan};
use minicheck_core::comparison::{Comparison, FileComparison, Side};
use minicheck_core::config::Threshold;
use minicheck_core::config::{Config, parse_config};
use minicheck_core::oci::{
    self, AttestationSource, Challenge, DEFAULT_SBOM_PREFERENCE, Descriptor, Document, Expected,
    SbomCandidate, SbomFormat,
};
use minicheck_core::platform::Platform;
use minicheck_core::reference::ImageRef;
use minicheck_core::report::Severity;
use minicheck_core::report::{self, Report};
use minicheck_core::rules::{self, RULES};
use minicheck_core::sbom::{self, Package};

/// The configuration file name errors show when the host gives none.
pub const DEFAULT_CONFIG_PATH: &str = ".minicheck.yaml";

// ---------------------------------------------------------------------------------------------
// check and render

/// A configuration's text, read as the CLI reads `.minicheck.yaml`.
pub fn config(text: &str, path: Option<&str>) -> Result<Config, Error> {
    Ok(parse_config(
        text,
        path.unwrap_or(DEFAULT_CONFIG_PATH),
        &|s| rules::lookup(s).map(|r| r.code),
        &catalog::is_vendor,
    )?)
}

/// `parseConfig`: the configuration as read, or the `path:line:column: message` error.
pub fn config_output(text: &str, path: Option<&str>) -> Result<ConfigOutput, Error> {
    Ok(ConfigOutput::from(&config(text, path)?))
}

fn optional_config(text: Option<&str>, path: Option<&str>) -> Result<Config, Error> {
    match text {
        Some(text) => config(text, path),
        None => Ok(Config::default()),
    }
}

/// `--target`, `--build-arg` and `--platform` as `minicheck check` reads them.
pub fn check_options(input: &CheckInput) -> Result<CheckOptions, Error> {
    let mut options = CheckOptions::default();
    options.build.target = input.target.clone();
    if let Some(platform) = &input.platform {
        options.build.platform = Platform::parse(platform).map_err(Error::Input)?;
    }
    match input.build_args.as_ref().unwrap_or(&BuildArgs::None) {
        BuildArgs::None => {}
        BuildArgs::List(list) => {
            for arg in list {
                let Some((name, value)) = arg.split_once('=') else {
                    return Err(Error::input(format!(
                        "buildArgs {arg:?}: expected NAME=VALUE"
                    )));
                };
                options.build.build_args.push(build_arg(name, value, arg)?);
            }
        }
        BuildArgs::Map(map) => {
            for (name, value) in map {
                options.build.build_args.push(build_arg(name, value, name)?);
            }
        }
    }
    Ok(options)
}

fn build_arg(name: &str, value: &str, shown: &str) -> Result<(String, String), Error> {
    if name.is_empty() {
        return Err(Error::input(format!(
            "buildArgs {shown:?}: the name is empty"
        )));
    }
    Ok((name.to_string(), value.to_string()))
}

/// Checks every file (each with its own configuration when it gives one) into one [`Report`],
/// in input order, with the host's comparisons attached.
pub fn check(files: &[FileInput], input: &CheckInput) -> Result<Report, Error> {
    Ok(check_with_options(files, input)?.0)
}

/// [`check`], and the options each file was checked with (its configuration included).
fn check_with_options(
    files: &[FileInput],
    input: &CheckInput,
) -> Result<(Report, Vec<CheckOptions>), Error> {
    let mut options = check_options(input)?;
    let shared = optional_config(input.config.as_deref(), input.config_path.as_deref())?;
    let mut report = Report::default();
    let mut used = Vec::new();
    for file in files {
        options.config = match &file.config {
            Some(text) => config(text, file.config_path.as_deref())?,
            None => shared.clone(),
        };
        report
            .files
            .push(check_dockerfile(&file.path, &file.text, &options));
        used.push(options.clone());
    }
    report.comparisons = input
        .comparisons
        .iter()
        .flatten()
        .map(file_comparison)
        .collect();
    Ok((report, used))
}

/// `failOn` as the CLI's `--fail-on` reads it.
fn fail_on(name: &str) -> Result<Threshold, Error> {
    match name {
        "never" => Ok(Threshold::Never),
        other => Severity::parse(other).map(Threshold::At).ok_or_else(|| {
            Error::input(format!(
                "failOn {other:?}: expected error, warning, info or never"
            ))
        }),
    }
}

/// `analyze`: one check, then the decision (does it fail?) and every view asked for, all of
/// the same report.
pub fn analyze(
    files: &[FileInput],
    input: &CheckInput,
    analysis: &AnalyzeInput,
) -> Result<AnalysisOutput, Error> {
    let flag = analysis.fail_on.as_deref().map(fail_on).transpose()?;
    let formats = analysis
        .formats
        .iter()
        .flatten()
        .map(|name| Ok((name.clone(), Format::parse(name)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let (report, used) = check_with_options(files, input)?;
    let render_options = analysis.render_options.clone().unwrap_or_default();
    let failed_files: Vec<String> = report
        .files
        .iter()
        .zip(&used)
        .filter(|(file, options)| {
            file.fails(check::threshold(flag, options.config.failure_threshold))
        })
        .map(|(file, _)| file.path.clone())
        .collect();
    Ok(AnalysisOutput {
        json: report::json::render(&report),
        failed: !failed_files.is_empty(),
        failed_files,
        summary: report.summary(),
        views: formats
            .into_iter()
            .map(|(name, format)| (name, render_report(&report, format, &render_options)))
            .chain(analysis.summary_max_bytes.map(|max_bytes| {
                let options = RenderInput {
                    max_bytes: Some(max_bytes),
                    ..render_options.clone()
                };
                (
                    "summary".to_string(),
                    render_report(&report, Format::Markdown, &options),
                )
            }))
            .collect(),
        review: if analysis.review.unwrap_or(false) {
            report::review::render(&report, render_options.root.as_deref())
        } else {
            Vec::new()
        },
    })
}

/// `planComparisons`: what `check --compare` compares for each file.
pub fn plan_comparisons(
    files: &[FileInput],
    input: &CheckInput,
    base: &BaseInput,
) -> Result<PlansOutput, Error> {
    let texts = base.texts.clone().unwrap_or_default();
    if base.base_ref.is_some() && texts.len() != files.len() {
        return Err(Error::input(format!(
            "base.texts: {} texts for {} files",
            texts.len(),
            files.len()
        )));
    }
    let (report, used) = check_with_options(files, input)?;
    let plans: Vec<Plan> = report
        .files
        .iter()
        .zip(&used)
        .enumerate()
        .map(|(i, (file, options))| {
            let revision = match (&base.base_ref, texts.get(i)) {
                (Some(base_ref), Some(BaseText::Text(text))) => {
                    BaseRevision::Text { base_ref, text }
                }
                (Some(base_ref), Some(BaseText::Unreadable { error })) => {
                    BaseRevision::Unreadable {
                        base_ref,
                        reason: error,
                    }
                }
                (Some(base_ref), _) => BaseRevision::Absent { base_ref },
                (None, _) => BaseRevision::NotAsked,
            };
            plan::plan(file, options, revision)
        })
        .collect();
    Ok(PlansOutput {
        images: plan::images_to_fetch(&plans)
            .iter()
            .map(ImageRef::normalized)
            .collect(),
        plans: plans.iter().map(PlanOutput::from).collect(),
    })
}

/// `completeComparisons`: the plans with what the host fetched, as `check`'s `comparisons`.
pub fn complete_comparisons(
    plans: &[PlanInput],
    fetched: &[FetchedInput],
) -> Result<Vec<FileComparisonOutput>, Error> {
    let image = |text: &str| ImageRef::parse(text).map_err(Error::from);
    let fetched = fetched
        .iter()
        .map(|f| Ok((image(&f.image)?, f)))
        .collect::<Result<Vec<_>, Error>>()?;
    let side = |wanted: &ImageRef| -> Result<Side, String> {
        match fetched.iter().find(|(i, _)| i == wanted) {
            Some((_, FetchedInput { side: Some(s), .. })) => Ok(side(s)),
            Some((_, FetchedInput { error: Some(e), .. })) => Err(e.clone()),
            Some(_) => Err(format!(
                "{}: neither a side nor an error",
                wanted.familiar()
            )),
            None => Err(format!("{}: not fetched", wanted.familiar())),
        }
    };
    plans
        .iter()
        .map(|p| {
            let plan = Plan {
                path: p.path.clone(),
                image: p.image.as_deref().map(image).transpose()?,
                twin: match &p.twin {
                    Some((a, b)) => Some((image(a)?, image(b)?)),
                    None => None,
                },
                base: p.base.as_deref().map(image).transpose()?,
                notes: p.notes.clone(),
            };
            Ok(FileComparisonOutput::from(&plan.complete(side)))
        })
        .collect()
}

/// `check`: the JSON view, exactly as `minicheck check --format json` prints it.
pub fn check_json(files: &[FileInput], input: &CheckInput) -> Result<String, Error> {
    Ok(report::json::render(&check(files, input)?))
}

/// The output formats of `minicheck check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
}

impl Format {
    pub fn parse(name: &str) -> Result<Format, Error> {
        Ok(match name {
            "human" => Format::Human,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "markdown" => Format::Markdown,
            other => {
                return Err(Error::input(format!(
                    "unknown format {other:?}: expected human, json, sarif, github or markdown"
                )));
            }
        })
    }
}

/// One view of a report, with the core's default for every option the host leaves out.
pub fn render_report(report: &Report, format: Format, o: &RenderInput) -> String {
    use report::{github, human, markdown, sarif};
    match format {
        Format::Human => human::render_with(
            report,
            &human::HumanOptions {
                color: o.color.unwrap_or_default(),
            },
        ),
        Format::Json => report::json::render(report),
        Format::Sarif => {
            let d = sarif::SarifOptions::default();
            sarif::render(
                report,
                &sarif::SarifOptions {
                    root: o.root.clone().or(d.root),
                    uri_base_id: o.uri_base_id.clone().or(d.uri_base_id),
                    max_results: o.max_results.unwrap_or(d.max_results),
                },
            )
        }
        Format::Github => {
            let d = github::GithubOptions::default();
            github::render(
                report,
                &github::GithubOptions {
                    root: o.root.clone().or(d.root),
                    max_errors: o.max_errors.unwrap_or(d.max_errors),
                    max_warnings: o.max_warnings.unwrap_or(d.max_warnings),
                    max_notices: o.max_notices.unwrap_or(d.max_notices),
                },
            )
        }
        Format::Markdown => {
            let d = markdown::MarkdownOptions::default();
            markdown::render(
                report,
                &markdown::MarkdownOptions {
                    title: o.title.clone().unwrap_or(d.title),
                    link_base: o.link_base.clone().or(d.link_base),
                    root: o.root.clone().or(d.root),
                    max_bytes: o.max_bytes.unwrap_or(d.max_bytes),
                },
            )
        }
    }
}

/// `render`: checks and renders in one call.
pub fn render(
    files: &[FileInput],
    input: &CheckInput,
    format: &str,
    options: &RenderInput,
) -> Result<String, Error> {
    let format = Format::parse(format)?;
    Ok(render_report(&check(files, input)?, format, options))
}

// ---------------------------------------------------------------------------------------------
// rules

pub fn rules() -> Vec<RuleOutput> {
    RULES.iter().map(|r| RuleOutput::from(*r)).collect()
}

/// `explain`: a rule by code (any case) or name, with the CLI's message for an unknown one.
pub fn explain(code_or_name: &str) -> Result<RuleOutput, Error> {
    rules::lookup(code_or_name)
        .map(RuleOutput::from)
        .ok_or_else(|| {
            let known: Vec<&str> = RULES.iter().map(|r| r.code).collect();
            Error::input(format!(
                "no rule {code_or_name:?}; the rules are {}",
                known.join(", ")
            ))
        })
}

// ---------------------------------------------------------------------------------------------
// SBOMs and comparisons

pub fn read_sbom(bytes: &[u8]) -> Result<SbomOutput, Error> {
    Ok(sbom::read_sbom(bytes)?.into())
}

pub fn read_all_sboms(bytes: &[u8]) -> Result<Vec<SbomOutput>, Error> {
    Ok(sbom::read_all(bytes)?
        .into_iter()
        .map(SbomOutput::from)
        .collect())
}

fn package(p: &PackageInput) -> Package {
    Package {
        name: p.name.clone(),
        version: p.version.clone(),
        purl: p.purl.clone(),
        kind: p.kind.clone(),
    }
}

fn packages(list: &[PackageInput]) -> Vec<Package> {
    list.iter().map(package).collect()
}

pub fn diff_packages(from: &[PackageInput], to: &[PackageInput]) -> PackageDiff {
    minicheck_core::compare::diff_packages(&packages(from), &packages(to))
}

pub fn side(s: &SideInput) -> Side {
    Side {
        label: s.label.clone(),
        digest: s.digest.clone(),
        platform: s.platform.clone(),
        compressed_size: s.compressed_size,
        packages: s.packages.as_deref().map(packages),
        note: s.note.clone(),
    }
}

pub fn comparison(from: &SideInput, to: &SideInput) -> Comparison {
    Comparison::new(side(from), side(to))
}

fn pair(p: &PairInput) -> Comparison {
    comparison(&p.from, &p.to)
}

pub fn file_comparison(f: &FileComparisonInput) -> FileComparison {
    FileComparison {
        path: f.path.clone(),
        image: f.image.clone(),
        twin: f.twin.as_ref().map(pair),
        base: f.base.as_ref().map(pair),
        notes: f.notes.clone().unwrap_or_default(),
    }
}

/// `compare`: `minicheck compare --format json`.
pub fn compare_json(from: &SideInput, to: &SideInput) -> String {
    report::comparison::json(&comparison(from, to))
}

/// `renderComparison`: one comparison as `minicheck compare --format` prints it.
pub fn render_comparison(from: &SideInput, to: &SideInput, format: &str) -> Result<String, Error> {
    let c = comparison(from, to);
    Ok(match format {
        "human" => report::comparison::human(&c),
        "json" => report::comparison::json(&c),
        "markdown" => report::comparison::markdown(&c),
        other => {
            return Err(Error::input(format!(
                "unknown format {other:?}: expected human, json or markdown"
            )));
        }
    })
}

/// `renderFileComparisons`: the per-Dockerfile table of `check --compare`.
pub fn render_file_comparisons(
    files: &[FileComparisonInput],
    format: &str,
) -> Result<String, Error> {
    let files: Vec<FileComparison> = files.iter().map(file_comparison).collect();
    Ok(match format {
        "markdown" => report::comparison::files_markdown(&files),
        "human" => report::comparison::files_human(&files),
        other => {
            return Err(Error::input(format!(
                "unknown format {other:?}: expected markdown or human"
            )));
        }
    })
}

// ---------------------------------------------------------------------------------------------
// image references and the catalog

pub fn parse_image_ref(text: &str) -> Result<ImageRefOutput, Error> {
    Ok(ImageRefOutput::from(&ImageRef::parse(text)?))
}

/// `classifyImage`: `None` when the image is from no catalog vendor or configured mirror.
pub fn classify_image(
    reference: &str,
    input: &ConfigInput,
) -> Result<Option<ClassifiedOutput>, Error> {
    let image = ImageRef::parse(reference)?;
    let config = optional_config(input.config.as_deref(), input.config_path.as_deref())?;
    let catalog = Catalog::new(&config);
    Ok(catalog
        .classify(&image)
        .map(|c| ClassifiedOutput::new(&catalog, &image, c)))
}

// ---------------------------------------------------------------------------------------------
// registries

pub fn expected(name: &str) -> Result<Expected, Error> {
    Ok(match name {
        "image-or-index" => Expected::ImageOrIndex,
        "image" => Expected::Image,
        "manifest" => Expected::Manifest,
        "index" => Expected::Index,
        "any" => Expected::Any,
        other => {
            return Err(Error::input(format!(
                "unknown expected document {other:?}: expected image-or-index, image, manifest, index or any"
            )));
        }
    })
}

pub fn parse_document(
    bytes: &[u8],
    content_type: Option<&str>,
    expected_kind: &str,
) -> Result<Document, Error> {
    Ok(oci::parse_document(
        bytes,
        content_type,
        expected(expected_kind)?,
    )?)
}

fn index(bytes: &[u8], content_type: Option<&str>) -> Result<oci::Index, Error> {
    match oci::parse_document(bytes, content_type, Expected::Index)? {
        Document::Index(index) => Ok(index),
        // Unreachable: `Expected::Index` admits only indexes.
        Document::Manifest(_) => Err(Error::input("expected an image index")),
    }
}

fn manifest(bytes: &[u8], content_type: Option<&str>) -> Result<oci::Manifest, Error> {
    match oci::parse_document(bytes, content_type, Expected::Manifest)? {
        Document::Manifest(manifest) => Ok(manifest),
        // Unreachable: `Expected::Manifest` admits only manifests.
        Document::Index(_) => Err(Error::input("expected a manifest")),
    }
}

pub fn select_platform(
    index_bytes: &[u8],
    platform: &str,
    content_type: Option<&str>,
) -> Result<Descriptor, Error> {
    let wanted = Platform::parse(platform).map_err(Error::Input)?;
    Ok(index(index_bytes, content_type)?
        .select_platform(&wanted)?
        .clone())
}

pub fn attestation_for(
    index_bytes: &[u8],
    image_digest: &str,
    content_type: Option<&str>,
) -> Result<Option<Descriptor>, Error> {
    Ok(index(index_bytes, content_type)?
        .attestation_for(image_digest)
        .cloned())
}

pub fn compressed_size(manifest_bytes: &[u8], content_type: Option<&str>) -> Result<u64, Error> {
    Ok(manifest(manifest_bytes, content_type)?.compressed_size())
}

fn preference(prefer: Option<&[String]>) -> Result<Vec<SbomFormat>, Error> {
    let Some(prefer) = prefer else {
        return Ok(DEFAULT_SBOM_PREFERENCE.to_vec());
    };
    prefer
        .iter()
        .map(|name| match name.as_str() {
            "spdx" => Ok(SbomFormat::Spdx),
            "cyclonedx" => Ok(SbomFormat::CycloneDx),
            other => Err(Error::input(format!(
                "unknown SBOM format {other:?}: expected spdx or cyclonedx"
            ))),
        })
        .collect()
}

pub fn attestation_source(name: &str) -> Result<AttestationSource, Error> {
    Ok(match name {
        "referrer" => AttestationSource::Referrer,
        "cosign-tag" => AttestationSource::CosignTag,
        "buildkit" => AttestationSource::BuildKit,
        other => {
            return Err(Error::input(format!(
                "unknown attestation source {other:?}: expected referrer, cosign-tag or buildkit"
            )));
        }
    })
}

pub fn sbom_candidates_from_referrers(
    index_bytes: &[u8],
    content_type: Option<&str>,
    prefer: Option<&[String]>,
) -> Result<Vec<SbomCandidate>, Error> {
    Ok(oci::sbom_candidates_from_referrers(
        &index(index_bytes, content_type)?,
        &preference(prefer)?,
    ))
}

pub fn sbom_candidates_from_manifest(
    manifest_bytes: &[u8],
    source: &str,
    content_type: Option<&str>,
    prefer: Option<&[String]>,
) -> Result<Vec<SbomCandidate>, Error> {
    Ok(oci::sbom_candidates_from_manifest(
        &manifest(manifest_bytes, content_type)?,
        attestation_source(source)?,
        &preference(prefer)?,
    ))
}

pub fn parse_www_authenticate(header: &str) -> Vec<ChallengeOutput> {
    oci::parse_www_authenticate(header)
        .iter()
        .map(ChallengeOutput::from)
        .collect()
}

fn challenge(c: &ChallengeInput) -> Challenge {
    Challenge {
        scheme: c.scheme.clone(),
        params: c.params.clone().unwrap_or_default(),
        token68: c.token68.clone(),
    }
}

/// `bearerChallenge`: the Bearer challenge among `challenges`, if any.
pub fn bearer_challenge(challenges: &[ChallengeInput]) -> Option<ChallengeOutput> {
    let challenges: Vec<Challenge> = challenges.iter().map(challenge).collect();
    oci::bearer_challenge(&challenges).map(ChallengeOutput::from)
}

pub fn token_url(c: &ChallengeInput, scopes: &[String]) -> Result<String, Error> {
    Ok(oci::token_url(&challenge(c), scopes)?)
}

pub fn parse_token_response(bytes: &[u8]) -> Result<TokenOutput, Error> {
    Ok(oci::parse_token_response(bytes)?.into())
}

pub fn validate_digest(digest: &str) -> Result<(), Error> {
    Ok(oci::validate_digest(digest)?)
}

pub fn cosign_attestation_tag(digest: &str) -> Result<String, Error> {
    Ok(oci::cosign_attestation_tag(digest)?)
}

pub fn cosign_signature_tag(digest: &str) -> Result<String, Error> {
    Ok(oci::cosign_signature_tag(digest)?)
}

pub fn referrers_tag(digest: &str) -> Result<String, Error> {
    Ok(oci::referrers_tag(digest)?)
}

pub fn manifest_path(repository: &str, reference: &str) -> Result<String, Error> {
    Ok(oci::manifest_path(repository, reference)?)
}

pub fn blob_path(repository: &str, digest: &str) -> Result<String, Error> {
    Ok(oci::blob_path(repository, digest)?)
}

pub fn referrers_path(repository: &str, digest: &str) -> Result<String, Error> {
    Ok(oci::referrers_path(repository, digest)?)
}

// ---------------------------------------------------------------------------------------------
// the SBOM search

/// `new SbomSearch(imageDigest, indexBytes?, indexContentType?, indexDigest?)`.
pub fn sbom_search(
    image_digest: &str,
    index: Option<(&[u8], Option<&str>, &str)>,
) -> Result<minicheck_core::oci::search::SbomSearch, Error> {
    oci::validate_digest(image_digest)?;
    let parsed = match index {
        Some((bytes, content_type, digest)) => {
            oci::validate_digest(digest)?;
            match oci::parse_document(bytes, content_type, Expected::Index)? {
                Document::Index(index) => Some((index, digest)),
                Document::Manifest(_) => None,
            }
        }
        None => None,
    };
    Ok(minicheck_core::oci::search::SbomSearch::new(
        image_digest,
        parsed.as_ref().map(|(i, d)| (i, *d)),
    ))
}
