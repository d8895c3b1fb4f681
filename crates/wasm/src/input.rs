//! What JavaScript hands in, as serde types (`index.d.ts` names each one). Option objects reject
//! unknown keys (`js.rs` checks the keys against [`crate::fields::fields_of`], since
//! serde-wasm-bindgen never shows a struct the keys it lacks), so a misspelt option is an error rather than silently ignored; data objects (sides, packages,
//! challenges) accept extra keys, so objects the module returned can be passed back as they are.

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// One Dockerfile: its path (only shown in the report) and its text. `config` and `configPath`
/// give this file its own configuration, overriding the check options' one.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileInput {
    pub path: String,
    pub text: String,
    #[serde(default)]
    pub config: Option<String>,
    #[serde(default)]
    pub config_path: Option<String>,
}

/// `check` and `render` options: what `minicheck check` takes as flags.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CheckInput {
    /// `--target`.
    pub target: Option<String>,
    /// `--build-arg`, as `["NAME=VALUE", ...]` or `{NAME: "VALUE"}`.
    pub build_args: Option<BuildArgs>,
    /// `--platform` (default `linux/amd64`).
    pub platform: Option<String>,
    /// The text of a `.minicheck.yaml`.
    pub config: Option<String>,
    /// The name of that file in error messages (default `.minicheck.yaml`).
    pub config_path: Option<String>,
    /// Size and package comparisons to carry in the report (`check --compare`).
    pub comparisons: Option<Vec<FileComparisonInput>>,
}

/// Build arguments in either JS shape: a list in its order, an object by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BuildArgs {
    #[default]
    None,
    /// `["NAME=VALUE", ...]`, split by the glue exactly as the CLI splits `--build-arg`.
    List(Vec<String>),
    /// `{NAME: "VALUE"}`.
    Map(Vec<(String, String)>),
}

impl<'de> Deserialize<'de> for BuildArgs {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BuildArgs;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"an array of "NAME=VALUE" strings or an object {NAME: "VALUE"}"#)
            }

            fn visit_unit<E: de::Error>(self) -> Result<BuildArgs, E> {
                Ok(BuildArgs::None)
            }

            fn visit_none<E: de::Error>(self) -> Result<BuildArgs, E> {
                Ok(BuildArgs::None)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BuildArgs, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    out.push(item);
                }
                Ok(BuildArgs::List(out))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BuildArgs, A::Error> {
                let mut out = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    out.push((name, value));
                }
                Ok(BuildArgs::Map(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Options of the views; each defaults to the core's default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RenderInput {
    /// human: ANSI colours.
    pub color: Option<bool>,
    /// sarif, github, markdown: the repository root, removed from the front of paths.
    pub root: Option<String>,
    /// sarif: `uriBaseId` of every relative location.
    pub uri_base_id: Option<String>,
    /// sarif: results kept.
    pub max_results: Option<usize>,
    /// github: annotations per kind.
    pub max_errors: Option<usize>,
    pub max_warnings: Option<usize>,
    pub max_notices: Option<usize>,
    /// markdown: heading, links and size limit.
    pub title: Option<String>,
    pub link_base: Option<String>,
    pub max_bytes: Option<usize>,
}

/// `classifyImage` options: the configuration whose mirrors, pairs and shell-less list apply.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ConfigInput {
    pub config: Option<String>,
    pub config_path: Option<String>,
}

/// One SBOM package, as `readSbom` returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct PackageInput {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub purl: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

/// One side of a comparison, as the host filled it in from a registry or an SBOM file.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SideInput {
    pub label: String,
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub compressed_size: Option<u64>,
    /// `null`: no SBOM, the package count is unknown (not zero).
    #[serde(default)]
    pub packages: Option<Vec<PackageInput>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Two sides.
#[derive(Debug, Clone, Deserialize)]
pub struct PairInput {
    pub from: SideInput,
    pub to: SideInput,
}

/// Per Dockerfile, its final image against its dev twin and against the base revision's.
#[derive(Debug, Clone, Deserialize)]
pub struct FileComparisonInput {
    pub path: String,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub twin: Option<PairInput>,
    #[serde(default)]
    pub base: Option<PairInput>,
    #[serde(default)]
    pub notes: Option<Vec<String>>,
}

/// A `WWW-Authenticate` challenge, as `parseWwwAuthenticate` returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct ChallengeInput {
    pub scheme: String,
    #[serde(default)]
    pub params: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub token68: Option<String>,
}

/// `analyze`: what to decide and render beyond the check itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct AnalyzeInput {
    /// `error`, `warning`, `info` or `never`; wins over each file's `failure-threshold`.
    pub fail_on: Option<String>,
    /// The views to render, by format name.
    pub formats: Option<Vec<String>>,
    pub render_options: Option<RenderInput>,
    /// Also return the review comments.
    pub review: Option<bool>,
    /// Also render `views.summary`: the Markdown view within this many bytes (the job summary
    /// allows more than a comment).
    pub summary_max_bytes: Option<usize>,
}

/// `planComparisons`: the base revision of every file, in the order of the files.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct BaseInput {
    /// The base revision's name, shown in notes; none: no base comparison.
    pub base_ref: Option<String>,
    /// Per file: its text at the base revision, `null` when it did not exist there, or
    /// `{error}` when it could not be read.
    pub texts: Option<Vec<BaseText>>,
}

/// One file at the base revision, as the host read it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum BaseText {
    Text(String),
    Unreadable { error: String },
    Absent(()),
}

/// A plan handed back by the host to `completeComparisons`.
#[derive(Debug, Clone, Deserialize)]
pub struct PlanInput {
    pub path: String,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub twin: Option<(String, String)>,
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// What the host got for one image: a side, or why not.
#[derive(Debug, Clone, Deserialize)]
pub struct FetchedInput {
    pub image: String,
    #[serde(default)]
    pub side: Option<SideInput>,
    #[serde(default)]
    pub error: Option<String>,
}
