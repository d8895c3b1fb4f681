//! What JavaScript gets back, where the core's own types are not already the shape `index.d.ts`
//! documents: field names in camelCase, enums as their lowercase names. Each is filled from core
//! values field by field; nothing is computed here.

use minicheck_core::catalog::{Catalog, Classified, Variant};
use minicheck_core::config::{Config, Threshold};
use minicheck_core::oci::{Challenge, Token};
use minicheck_core::reference::ImageRef;
use minicheck_core::rules::RuleMeta;
use minicheck_core::sbom::{Package, Sbom, SbomFormat, Wrapper};
use serde::Serialize;
use std::collections::BTreeMap;

/// A rule, as `minicheck rules --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutput {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub summary: &'static str,
    pub url: String,
    pub documentation: String,
}

impl From<&RuleMeta> for RuleOutput {
    fn from(rule: &RuleMeta) -> Self {
        RuleOutput {
            code: rule.code,
            name: rule.name,
            severity: rule.severity.as_str(),
            summary: rule.summary,
            url: rule.url(),
            documentation: rule.documentation(),
        }
    }
}

/// An SBOM read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SbomOutput {
    pub format: SbomFormat,
    pub spec_version: String,
    pub packages: Vec<Package>,
    pub wrapper: Option<WrapperOutput>,
}

/// How the SBOM was wrapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WrapperOutput {
    #[serde(rename_all = "camelCase")]
    InToto { predicate_type: String },
    #[serde(rename_all = "camelCase")]
    Dsse {
        payload_type: String,
        predicate_type: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    IntotoJsonl {
        line: usize,
        payload_type: Option<String>,
        predicate_type: Option<String>,
    },
}

impl From<Sbom> for SbomOutput {
    fn from(sbom: Sbom) -> Self {
        SbomOutput {
            format: sbom.format,
            spec_version: sbom.spec_version,
            packages: sbom.packages,
            wrapper: sbom.wrapper.map(|w| match w {
                Wrapper::InToto { predicate_type } => WrapperOutput::InToto { predicate_type },
                Wrapper::Dsse {
                    payload_type,
                    predicate_type,
                } => WrapperOutput::Dsse {
                    payload_type,
                    predicate_type,
                },
                Wrapper::IntotoJsonl {
                    line,
                    payload_type,
                    predicate_type,
                } => WrapperOutput::IntotoJsonl {
                    line,
                    payload_type,
                    predicate_type,
                },
            }),
        }
    }
}

/// One `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChallengeOutput {
    pub scheme: String,
    pub params: BTreeMap<String, String>,
    pub token68: Option<String>,
}

impl From<&Challenge> for ChallengeOutput {
    fn from(c: &Challenge) -> Self {
        ChallengeOutput {
            scheme: c.scheme.clone(),
            params: c.params.clone(),
            token68: c.token68.clone(),
        }
    }
}

/// A registry token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenOutput {
    pub token: String,
    pub expires_in: Option<u64>,
    pub issued_at: Option<String>,
    /// `expiresIn`, or the specification's default when the endpoint did not say.
    pub lifetime_secs: u64,
}

impl From<Token> for TokenOutput {
    fn from(t: Token) -> Self {
        TokenOutput {
            lifetime_secs: t.lifetime_secs(),
            token: t.token,
            expires_in: t.expires_in,
            issued_at: t.issued_at,
        }
    }
}

/// An image reference and the forms of it the core writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRefOutput {
    pub domain: String,
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// `docker.io/library/python`
    pub name: String,
    /// `python:latest`
    pub familiar: String,
    /// `docker.io/library/python:latest`
    pub normalized: String,
    /// The tag, `latest` when neither tag nor digest is given, `null` for a digest alone.
    pub tag_or_default: Option<String>,
}

impl From<&ImageRef> for ImageRefOutput {
    fn from(r: &ImageRef) -> Self {
        ImageRefOutput {
            domain: r.domain.clone(),
            path: r.path.clone(),
            tag: r.tag.clone(),
            digest: r.digest.clone(),
            name: r.name(),
            familiar: r.familiar(),
            normalized: r.normalized(),
            tag_or_default: r.tag_or_default().map(str::to_string),
        }
    }
}

/// What the catalog knows about an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassifiedOutput {
    /// The catalog vendor id (`minimus`), as `mirrors[].vendor` names it.
    pub vendor: &'static str,
    pub vendor_name: &'static str,
    /// The image's own name: `python`.
    pub name: String,
    /// `dev` or `production`.
    pub variant: &'static str,
    pub has_shell: bool,
    /// The image as the vendor publishes it, when found through a mirror.
    pub upstream: Option<String>,
    pub mirror: Option<String>,
    /// When the image's registry is retired (and not reached through a mirror).
    pub retired: Option<RetiredOutput>,
    /// For a dev image, its production twins, most likely first.
    pub production_twins: Vec<ImageRefOutput>,
    /// For a production image, its dev twin when the catalog can name it.
    pub dev_twin: Option<ImageRefOutput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetiredOutput {
    pub date: &'static str,
    pub note: &'static str,
}

impl ClassifiedOutput {
    pub fn new(catalog: &Catalog, image: &ImageRef, c: Classified) -> Self {
        ClassifiedOutput {
            vendor: c.vendor.id,
            vendor_name: c.vendor.name,
            name: c.name,
            variant: match c.variant {
                Variant::Dev => "dev",
                Variant::Production => "production",
            },
            has_shell: c.has_shell,
            upstream: c.upstream,
            mirror: c.mirror,
            retired: catalog.retirement(image).map(|(_, r)| RetiredOutput {
                date: r.date,
                note: r.note,
            }),
            production_twins: catalog
                .production_twins(image)
                .iter()
                .map(ImageRefOutput::from)
                .collect(),
            dev_twin: catalog.dev_twin(image).as_ref().map(ImageRefOutput::from),
        }
    }
}

/// A configuration, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigOutput {
    /// `error`, `warning`, `info`, `never`, or `null` when not set.
    pub failure_threshold: Option<&'static str>,
    pub ignored: Vec<String>,
    /// Rule code → severity, in file order.
    #[serde(serialize_with = "pairs_as_map")]
    pub overrides: Vec<(String, &'static str)>,
    pub trusted_registries: Vec<String>,
    pub mirrors: Vec<MirrorOutput>,
    pub pairs: Vec<PairOutput>,
    pub shell_less: Vec<String>,
    pub require_digest: bool,
    pub disable_inline_ignores: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorOutput {
    pub prefix: String,
    pub vendor: String,
    pub upstream: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairOutput {
    pub vendor: String,
    pub dev: String,
    pub production: Vec<String>,
}

fn pairs_as_map<S: serde::Serializer>(
    pairs: &[(String, &'static str)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

impl From<&Config> for ConfigOutput {
    fn from(c: &Config) -> Self {
        ConfigOutput {
            failure_threshold: c.failure_threshold.map(|t| match t {
                Threshold::At(severity) => severity.as_str(),
                Threshold::Never => "never",
            }),
            ignored: c.ignored.clone(),
            overrides: c
                .overrides
                .iter()
                .map(|(code, severity)| (code.clone(), severity.as_str()))
                .collect(),
            trusted_registries: c.trusted_registries.iter().map(|p| p.0.clone()).collect(),
            mirrors: c
                .mirrors
                .iter()
                .map(|m| MirrorOutput {
                    prefix: m.prefix.clone(),
                    vendor: m.vendor.clone(),
                    upstream: m.upstream.clone(),
                })
                .collect(),
            pairs: c
                .pairs
                .iter()
                .map(|p| PairOutput {
                    vendor: p.vendor.clone(),
                    dev: p.dev.clone(),
                    production: p.production.clone(),
                })
                .collect(),
            shell_less: c.shell_less.iter().map(|p| p.0.clone()).collect(),
            require_digest: c.require_digest,
            disable_inline_ignores: c.disable_inline_ignores,
        }
    }
}

/// `analyze`: the report once, and every view and decision the host asked for.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisOutput {
    /// The JSON view, as text (the host parses it, or writes it as the `findings` output).
    pub json: String,
    /// Whether any file has a finding at or above its threshold.
    pub failed: bool,
    /// The paths of those files.
    pub failed_files: Vec<String>,
    pub summary: minicheck_core::report::Summary,
    /// Format name → rendered text.
    pub views: BTreeMap<String, String>,
    /// With `review`: one per finding.
    pub review: Vec<minicheck_core::report::review::ReviewComment>,
}

/// A comparison plan, with image references as normalised strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanOutput {
    pub path: String,
    pub image: Option<String>,
    /// `[dev, production]`.
    pub twin: Option<(String, String)>,
    pub base: Option<String>,
    pub notes: Vec<String>,
}

impl From<&minicheck_core::comparison::plan::Plan> for PlanOutput {
    fn from(p: &minicheck_core::comparison::plan::Plan) -> Self {
        PlanOutput {
            path: p.path.clone(),
            image: p.image.as_ref().map(ImageRef::normalized),
            twin: p
                .twin
                .as_ref()
                .map(|(a, b)| (a.normalized(), b.normalized())),
            base: p.base.as_ref().map(ImageRef::normalized),
            notes: p.notes.clone(),
        }
    }
}

/// `planComparisons`: the plans and every image they need, each once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlansOutput {
    pub plans: Vec<PlanOutput>,
    pub images: Vec<String>,
}

/// A side in the shape `FileComparisonInput` takes back (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideOutput {
    pub label: String,
    pub digest: Option<String>,
    pub platform: Option<String>,
    pub compressed_size: Option<u64>,
    pub packages: Option<Vec<Package>>,
    pub note: Option<String>,
}

impl From<&minicheck_core::comparison::Side> for SideOutput {
    fn from(s: &minicheck_core::comparison::Side) -> Self {
        SideOutput {
            label: s.label.clone(),
            digest: s.digest.clone(),
            platform: s.platform.clone(),
            compressed_size: s.compressed_size,
            packages: s.packages.clone(),
            note: s.note.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SidesOutput {
    pub from: SideOutput,
    pub to: SideOutput,
}

/// `completeComparisons`: one per plan, in the shape `CheckOptions.comparisons` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileComparisonOutput {
    pub path: String,
    pub image: Option<String>,
    pub twin: Option<SidesOutput>,
    pub base: Option<SidesOutput>,
    pub notes: Vec<String>,
}

impl From<&minicheck_core::comparison::FileComparison> for FileComparisonOutput {
    fn from(f: &minicheck_core::comparison::FileComparison) -> Self {
        let pair = |c: &minicheck_core::comparison::Comparison| SidesOutput {
            from: SideOutput::from(&c.from),
            to: SideOutput::from(&c.to),
        };
        FileComparisonOutput {
            path: f.path.clone(),
            image: f.image.clone(),
            twin: f.twin.as_ref().map(pair),
            base: f.base.as_ref().map(pair),
            notes: f.notes.clone(),
        }
    }
}

/// `SbomSearch.next()`: what to fetch, or how the search ended.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SearchStepOutput {
    Referrers {
        digest: String,
    },
    Manifest {
        reference: String,
    },
    Blob {
        descriptor: minicheck_core::oci::Descriptor,
    },
    Found {
        sbom: SbomOutput,
        blob: String,
        source: minicheck_core::oci::AttestationSource,
    },
    NotFound,
    Failed {
        problems: Vec<String>,
    },
}

impl From<minicheck_core::oci::search::Step> for SearchStepOutput {
    fn from(step: minicheck_core::oci::search::Step) -> Self {
        use minicheck_core::oci::search::{Fetch, SearchOutcome, Step};
        match step {
            Step::Fetch(Fetch::Referrers { digest }) => SearchStepOutput::Referrers { digest },
            Step::Fetch(Fetch::Manifest { reference }) => SearchStepOutput::Manifest { reference },
            Step::Fetch(Fetch::Blob { descriptor }) => SearchStepOutput::Blob { descriptor },
            Step::Done(SearchOutcome::Found { sbom, blob, source }) => SearchStepOutput::Found {
                sbom: sbom.into(),
                blob,
                source,
            },
            Step::Done(SearchOutcome::NotFound) => SearchStepOutput::NotFound,
            Step::Done(SearchOutcome::Failed(problems)) => SearchStepOutput::Failed { problems },
        }
    }
}
