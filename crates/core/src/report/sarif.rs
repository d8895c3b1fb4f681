//! SARIF 2.1.0, as GitHub code scanning reads it.
//!
//! Entry point: [`render`]`(&Report, &SarifOptions) -> String` (pretty JSON and a newline).
//!
//! One run. `tool.driver.rules` lists every rule in [`RULES`], found or not, so that `ruleIndex`
//! is stable and code scanning can show the help of any rule. Each result carries its rule, level
//! (the finding's severity after configuration), message (plus the help), a repository-relative
//! location with the real region and the source line as snippet, related locations, the fix, and
//! a `partialFingerprints.primaryLocationLineHash` that follows the line's text, not its number.
//! Columns are characters (`columnKind: unicodeCodePoints`), end exclusive, as in [`Span`].

use super::{FileReport, Finding, Report, Severity};
use crate::dockerfile::{SourceMap, Span};
use crate::rules::{RULES, RuleMeta};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/minicheck/minicheck";
/// GitHub code scanning rejects runs with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// How paths become URIs, and the result limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SarifOptions {
    /// The repository root as the paths in the report spell it (`/home/runner/work/app/app`).
    /// It is removed from the front of each path, so that URIs are repository-relative.
    pub root: Option<String>,
    /// A base id such as `%SRCROOT%`, set on every relative `artifactLocation` as `uriBaseId`.
    /// With `root` set too, `run.originalUriBaseIds` maps it to `root` as a `file://` URI.
    pub uri_base_id: Option<String>,
    /// Results kept in the run (default [`MAX_RESULTS`]); the lowest severities are dropped first
    /// and a tool notification says how many.
    pub max_results: usize,
}

impl Default for SarifOptions {
    fn default() -> Self {
        SarifOptions {
            root: None,
            uri_base_id: None,
            max_results: MAX_RESULTS,
        }
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<String, ArtifactLocation>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    information_uri: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    region: Region<'a>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet<'a>>,
}

#[derive(Serialize)]
struct Snippet<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region<'static>,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The report as a SARIF 2.1.0 log: pretty JSON with a trailing newline, byte for byte the same
/// for the same report and options.
pub fn render(report: &Report, options: &SarifOptions) -> String {
    let keep = kept(report, options.max_results);
    let dropped = keep.iter().flatten().filter(|k| !**k).count();
    let mut results = Vec::new();
    for (file, keep) in report.files.iter().zip(&keep) {
        let map = SourceMap::new(file.source.strip_prefix('\u{FEFF}').unwrap_or(&file.source));
        let path = repo_path(&file.path, options.root.as_deref());
        let uri = uri(&path);
        let artifact = ArtifactLocation {
            // An absolute path is a `file://` URI and needs no base.
            uri_base_id: options
                .uri_base_id
                .clone()
                .filter(|_| !uri.starts_with("file:")),
            uri,
        };
        let fingerprints = fingerprints(file, &path, &map);
        for ((finding, keep), fingerprint) in file.findings.iter().zip(keep).zip(fingerprints) {
            if *keep {
                results.push(result(finding, &map, &artifact, fingerprint));
            }
        }
    }
    let mut notifications = Vec::new();
    if dropped > 0 {
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{dropped} of {} findings were left out of this run: SARIF consumers such \
                     as GitHub code scanning accept at most {} results a run, and the lowest \
                     severities were dropped first",
                    dropped + results.len(),
                    options.max_results
                ),
            },
        });
    }
    // Only an absolute root can be written as the base's `file://` URI.
    let original_uri_base_ids = options
        .uri_base_id
        .as_ref()
        .zip(options.root.as_deref().and_then(root_uri))
        .map(|(id, uri)| {
            BTreeMap::from([(
                id.clone(),
                ArtifactLocation {
                    uri,
                    uri_base_id: None,
                },
            )])
        });
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "minicheck",
                    information_uri: INFORMATION_URI,
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: RULES.iter().map(|r| rule(r)).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|e| {
        // Plain structs of strings and numbers cannot fail to serialise; say so if one ever does.
        format!("{{\"version\":\"2.1.0\",\"runs\":[],\"error\":\"{e}\"}}")
    });
    text.push('\n');
    text
}

fn rule(meta: &RuleMeta) -> Rule {
    let documentation = meta.documentation();
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Text {
            text: meta.summary.to_string(),
        },
        full_description: Text {
            text: what_it_does(&documentation).unwrap_or_else(|| meta.summary.to_string()),
        },
        help: Help {
            text: documentation.clone(),
            markdown: documentation,
        },
        help_uri: meta.url(),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags: vec!["dockerfile"],
        },
    }
}

/// The paragraph under `## What it does`, on one line.
fn what_it_does(documentation: &str) -> Option<String> {
    let mut lines = documentation
        .lines()
        .skip_while(|l| l.trim() != "## What it does");
    lines.next()?;
    let text = lines
        .take_while(|l| !l.starts_with('#') && !l.starts_with("```"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn result<'a>(
    f: &Finding,
    map: &SourceMap<'a>,
    artifact: &ArtifactLocation,
    fingerprint: String,
) -> SarifResult<'a> {
    let message = match &f.help {
        Some(help) => format!("{}\n\nhelp: {help}", f.message),
        None => f.message.clone(),
    };
    SarifResult {
        rule_id: f.code,
        rule_index: RULES.iter().position(|r| r.code == f.code),
        level: level(f.severity),
        message: Text { text: message },
        locations: vec![Location {
            id: None,
            physical_location: physical(artifact, f.span, map),
            message: None,
        }],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| Location {
                id: Some(i + 1),
                physical_location: physical(artifact, r.span, map),
                message: Some(Text {
                    text: r.message.clone(),
                }),
            })
            .collect(),
        fixes: f
            .fix
            .iter()
            .map(|fix| SarifFix {
                description: Text {
                    text: fix.description.clone(),
                },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact.clone(),
                    replacements: vec![Replacement {
                        deleted_region: region(fix.span, None),
                        inserted_content: Text {
                            text: fix.replacement.clone(),
                        },
                    }],
                }],
            })
            .collect(),
        partial_fingerprints: Fingerprints {
            primary_location_line_hash: fingerprint,
        },
    }
}

fn physical<'a>(
    artifact: &ArtifactLocation,
    span: Span,
    map: &SourceMap<'a>,
) -> PhysicalLocation<'a> {
    PhysicalLocation {
        artifact_location: artifact.clone(),
        region: region(span, Some(map)),
    }
}

/// SARIF lines and columns start at 1; a default span becomes 1:1. With a source map, the
/// snippet is the text of the start line.
fn region<'a>(span: Span, map: Option<&SourceMap<'a>>) -> Region<'a> {
    let start_line = span.start.line.max(1);
    let start_column = span.start.column.max(1);
    let (end_line, end_column) = if (span.end.line, span.end.column) < (start_line, start_column) {
        (start_line, start_column)
    } else {
        (span.end.line, span.end.column.max(1))
    };
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
        snippet: map
            .and_then(|m| m.line_text(start_line))
            .map(|text| Snippet { text }),
    }
}

/// Which findings fit in `max` results, per file and finding: all of the highest severity first,
/// then the next, each severity in report order.
fn kept(report: &Report, max: usize) -> Vec<Vec<bool>> {
    let mut left = max;
    let mut keep: Vec<Vec<bool>> = report
        .files
        .iter()
        .map(|f| vec![false; f.findings.len()])
        .collect();
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for (file, keep) in report.files.iter().zip(keep.iter_mut()) {
            for (finding, keep) in file.findings.iter().zip(keep.iter_mut()) {
                if finding.severity == severity && left > 0 {
                    *keep = true;
                    left -= 1;
                }
            }
        }
    }
    keep
}

/// One fingerprint per finding, in order: FNV-1a (64 bits) of the rule code, the repository
/// path, the
/// trimmed text of the finding's first line and the occurrence of that (code, text) pair in the
/// file, then `:` and the occurrence, e.g. `9b3b6e3c0f2a1d44:1`. Moving the line, or editing
/// other lines, keeps it; two findings on identical lines differ by their occurrence.
fn fingerprints(file: &FileReport, path: &str, map: &SourceMap<'_>) -> Vec<String> {
    let mut order: Vec<usize> = (0..file.findings.len()).collect();
    order.sort_by_key(|&i| (file.findings[i].span.start, i));
    let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
    let mut out = vec![String::new(); file.findings.len()];
    for i in order {
        let f = &file.findings[i];
        let text = map.line_text(f.span.start.line).unwrap_or("").trim();
        let occurrence = seen.entry((f.code, text)).or_insert(0);
        *occurrence += 1;
        let mut hash = Fnv::new();
        for part in [f.code, path, text, &occurrence.to_string()] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        out[i] = format!("{:016x}:{occurrence}", hash.0);
    }
    out
}

struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// A report path as a repository-relative path: `\` becomes `/`, `root` (when the path starts
/// with it) and any leading `./` are removed. `C:\work\app\Dockerfile` with root `C:\work\app`
/// is `Dockerfile`; `./app/Dockerfile` is `app/Dockerfile`. Shared by the SARIF, GitHub and
/// Markdown views.
pub fn repo_path(path: &str, root: Option<&str>) -> String {
    let path = clean(path);
    if let Some(root) = root.map(clean) {
        let root = root.trim_end_matches('/');
        if !root.is_empty()
            && root != "."
            && let Some(rest) = path.strip_prefix(root).and_then(|r| r.strip_prefix('/'))
        {
            return rest.trim_start_matches('/').to_string();
        }
    }
    path
}

/// `\` as `/`, without leading `./`.
fn clean(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r.trim_start_matches('/');
    }
    rest.to_string()
}

/// A path as a URI reference: relative paths stay relative (percent-encoded), absolute ones
/// (`/x`, `C:/x`) become `file://` URIs.
fn uri(path: &str) -> String {
    let bytes = path.as_bytes();
    if path.starts_with('/') {
        format!("file://{}", encode(path, true))
    } else if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":/" {
        format!("file:///{}:{}", &path[..1], encode(&path[2..], true))
    } else {
        encode(path, false)
    }
}

/// An absolute root as a `file://` URI ending in `/`; `None` for a relative one.
fn root_uri(root: &str) -> Option<String> {
    let root = root.replace('\\', "/");
    let uri = uri(root.trim_end_matches('/'));
    uri.starts_with("file:").then(|| uri + "/")
}

/// Percent-encodes all but unreserved characters, `/` and (in absolute paths) `:`.
pub(crate) fn encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::new();
    for &b in path.as_bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=@".contains(c) || (keep_colon && c == ':')
        {
            out.push(c);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::*;

    use crate::report::Fix;
    use crate::rules::lookup;
    use serde_json::Value;

    fn parse(report: &Report, options: &SarifOptions) -> Value {
        serde_json::from_str(&render(report, options)).unwrap()
    }

    fn results(v: &Value) -> &Vec<Value> {
        v["runs"][0]["results"].as_array().unwrap()
    }

    #[test]
    fn log_driver_and_rules() {
        let report = Report {
            files: vec![check("Dockerfile", "FROM a\nENV PATH\n")],
            ..Report::default()
        };
        let v = parse(&report, &SarifOptions::default());
        assert_eq!(v["$schema"], SCHEMA);
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"].as_array().unwrap().len(), 1);
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "minicheck");
        assert_eq!(driver["informationUri"], INFORMATION_URI);
        assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len());
        for (rule, meta) in rules.iter().zip(RULES) {
            assert_eq!(rule["id"], meta.code);
            assert_eq!(rule["name"], meta.name);
            assert_eq!(rule["shortDescription"]["text"], meta.summary);
            assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
            assert_eq!(rule["help"]["text"], meta.documentation());
            assert_eq!(rule["help"]["markdown"], meta.documentation());
            assert_eq!(rule["helpUri"], meta.url());
            assert_eq!(rule["defaultConfiguration"]["level"], level(meta.severity));
            assert!(
                rule["properties"]["tags"]
                    .as_array()
                    .unwrap()
                    .contains(&"dockerfile".into())
            );
        }
        let mc000 = &rules[0];
        assert!(
            mc000["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .starts_with("Reports what BuildKit would reject before building anything: ")
        );
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
        assert!(
            run["invocations"][0]
                .get("toolExecutionNotifications")
                .is_none()
        );
    }

    #[test]
    fn results_from_a_real_check() {
        let report = Report {
            files: vec![
                check("./app\\Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n"),
                check("Dockerfile", "FROM a\nENV PATH\n"),
            ],
            ..Report::default()
        };
        let v = parse(&report, &SarifOptions::default());
        let results = results(&v);
        assert_eq!(results.len(), 2);
        let r = &results[0];
        assert_eq!(r["ruleId"], "MC000");
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"][index]["id"],
            "MC000"
        );
        assert_eq!(r["level"], "error");
        assert_eq!(r["message"]["text"], "unknown flag: chmodd");
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "app/Dockerfile");
        assert!(location["artifactLocation"].get("uriBaseId").is_none());
        let region = &location["region"];
        assert_eq!(region["startLine"], 2);
        assert_eq!(region["startColumn"], 6);
        assert_eq!(region["endLine"], 2);
        assert_eq!(region["endColumn"], 16);
        assert_eq!(region["snippet"]["text"], "COPY --chmodd=1 a b");
        let hash = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert_eq!(hash.len(), 18, "{hash}");
        assert!(hash.ends_with(":1"));
        assert!(r.get("relatedLocations").is_none());
        assert!(r.get("fixes").is_none());
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "Dockerfile"
        );
        assert_eq!(results[1]["message"]["text"], "ENV must have two arguments");
    }

    #[test]
    fn severity_after_overrides_sets_the_level() {
        let mut report = Report {
            files: vec![check("Dockerfile", "FROM a\nENV PATH\nENV HOME\n")],
            ..Report::default()
        };
        report.files[0].findings[0].severity = Severity::Warning;
        report.files[0].findings[1].severity = Severity::Info;
        let v = parse(&report, &SarifOptions::default());
        assert_eq!(results(&v)[0]["level"], "warning");
        assert_eq!(results(&v)[1]["level"], "note");
        // The rule's default stays.
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"],
            "error"
        );
    }

    #[test]
    fn help_related_and_fix() {
        let text = "FROM python:3 AS build\nRUN make\nFROM build\n";
        let mut file = check("Dockerfile", text);
        file.findings = vec![
            lookup("MC000")
                .unwrap()
                .finding(
                    "the final stage runs on a development image",
                    span(3, 6, 3, 11),
                )
                .with_help("start it from a production image")
                .with_related(span(1, 1, 1, 23), "the stage `build` starts here")
                .with_fix(Fix {
                    span: span(3, 6, 3, 11),
                    replacement: "python:3-slim".into(),
                    description: "use python:3-slim".into(),
                }),
        ];
        let v = parse(
            &Report {
                files: vec![file],
                ..Report::default()
            },
            &SarifOptions::default(),
        );
        let r = &results(&v)[0];
        assert_eq!(
            r["message"]["text"],
            "the final stage runs on a development image\n\nhelp: start it from a production image"
        );
        let related = &r["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert_eq!(related["message"]["text"], "the stage `build` starts here");
        let location = &related["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "Dockerfile");
        assert_eq!(location["region"]["startLine"], 1);
        assert_eq!(location["region"]["endColumn"], 23);
        assert_eq!(
            location["region"]["snippet"]["text"],
            "FROM python:3 AS build"
        );
        let fix = &r["fixes"][0];
        assert_eq!(fix["description"]["text"], "use python:3-slim");
        let change = &fix["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
        let replacement = &change["replacements"][0];
        assert_eq!(replacement["insertedContent"]["text"], "python:3-slim");
        let deleted = &replacement["deletedRegion"];
        assert_eq!(
            (
                &deleted["startLine"],
                &deleted["startColumn"],
                &deleted["endLine"],
                &deleted["endColumn"]
            ),
            (&3.into(), &6.into(), &3.into(), &11.into())
        );
        assert!(deleted.get("snippet").is_none());
    }

    fn hashes(report: &Report) -> Vec<String> {
        let v = parse(report, &SarifOptions::default());
        results(&v)
            .iter()
            .map(|r| {
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn fingerprints_follow_the_line_not_its_number() {
        let before = Report {
            files: vec![check("Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n")],
            ..Report::default()
        };
        let after = Report {
            files: vec![check(
                "Dockerfile",
                "FROM a\nRUN true\n\nCOPY --chmodd=1 a b\n",
            )],
            ..Report::default()
        };
        assert_eq!(after.files[0].findings[0].span.start.line, 4);
        assert_eq!(hashes(&before), hashes(&after));
        // Indentation is trimmed too.
        let indented = Report {
            files: vec![check("Dockerfile", "FROM a\n   COPY --chmodd=1 a b\n")],
            ..Report::default()
        };
        assert_eq!(hashes(&before), hashes(&indented));
        // Another path, another fingerprint.
        let moved = Report {
            files: vec![check("app/Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n")],
            ..Report::default()
        };
        assert_ne!(hashes(&before), hashes(&moved));
        // The checkout directory does not count once the root is given.
        let absolute = Report {
            files: vec![check(
                "/runner/work/r/r/Dockerfile",
                "FROM a\nCOPY --chmodd=1 a b\n",
            )],
            ..Report::default()
        };
        let options = SarifOptions {
            root: Some("/runner/work/r/r".into()),
            ..SarifOptions::default()
        };
        let v = parse(&absolute, &options);
        assert_eq!(
            results(&v)[0]["partialFingerprints"]["primaryLocationLineHash"],
            hashes(&before)[0].as_str()
        );
    }

    #[test]
    fn fingerprints_differ_for_identical_lines() {
        let report = Report {
            files: vec![check(
                "Dockerfile",
                "FROM a\nCOPY --chmodd=1 a b\nCOPY --chmodd=1 a b\n",
            )],
            ..Report::default()
        };
        let h = hashes(&report);
        assert_eq!(h.len(), 2);
        assert_ne!(h[0], h[1]);
        assert!(h[0].ends_with(":1") && h[1].ends_with(":2"), "{h:?}");
        // The first keeps its fingerprint when a copy of it is added below.
        let single = Report {
            files: vec![check("Dockerfile", "FROM a\nCOPY --chmodd=1 a b\n")],
            ..Report::default()
        };
        assert_eq!(hashes(&single)[0], h[0]);
    }

    #[test]
    fn paths_and_uris() {
        assert_eq!(repo_path("./app/Dockerfile", None), "app/Dockerfile");
        assert_eq!(repo_path(".\\app\\Dockerfile", None), "app/Dockerfile");
        assert_eq!(repo_path(".//./Dockerfile", None), "Dockerfile");
        assert_eq!(repo_path("./svc/Dockerfile", Some("svc")), "Dockerfile");
        assert_eq!(repo_path("svc/Dockerfile", Some("./svc/")), "Dockerfile");
        assert_eq!(repo_path("./Dockerfile", Some(".")), "Dockerfile");
        assert_eq!(
            repo_path(
                "/home/runner/work/app/app/svc/Dockerfile",
                Some("/home/runner/work/app/app/")
            ),
            "svc/Dockerfile"
        );
        assert_eq!(
            repo_path("C:\\src\\app\\Dockerfile", Some("C:\\src\\app")),
            "Dockerfile"
        );
        // Not under the root: unchanged, and not a prefix of a longer name.
        assert_eq!(
            repo_path("/src/application/D", Some("/src/app")),
            "/src/application/D"
        );
        assert_eq!(uri("my app/Dockerfile"), "my%20app/Dockerfile");
        assert_eq!(uri("a:b/Dockerfile"), "a%3Ab/Dockerfile");
        assert_eq!(uri("/tmp/x y/Dockerfile"), "file:///tmp/x%20y/Dockerfile");
        assert_eq!(uri("C:/src/Dockerfile"), "file:///C:/src/Dockerfile");
        assert_eq!(uri("dé/Dockerfile"), "d%C3%A9/Dockerfile");
    }

    #[test]
    fn root_and_uri_base_id() {
        let report = Report {
            files: vec![check("/work/repo/svc/Dockerfile", "FROM a\nENV PATH\n")],
            ..Report::default()
        };
        let options = SarifOptions {
            root: Some("/work/repo".into()),
            uri_base_id: Some("%SRCROOT%".into()),
            ..SarifOptions::default()
        };
        let v = parse(&report, &options);
        let artifact = &results(&v)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "svc/Dockerfile");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///work/repo/"
        );
        // A relative root removes its prefix but cannot be the base's URI.
        let options = SarifOptions {
            root: Some("./svc".into()),
            uri_base_id: Some("%SRCROOT%".into()),
            ..SarifOptions::default()
        };
        let relative = Report {
            files: vec![check("./svc/Dockerfile", "FROM a\nENV PATH\n")],
            ..Report::default()
        };
        let v = parse(&relative, &options);
        let artifact = &results(&v)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "Dockerfile");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        assert!(v["runs"][0].get("originalUriBaseIds").is_none());
        // Without the root, the absolute path is a file URI and has no base id.
        let options = SarifOptions {
            uri_base_id: Some("%SRCROOT%".into()),
            ..SarifOptions::default()
        };
        let v = parse(&report, &options);
        let artifact = &results(&v)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "file:///work/repo/svc/Dockerfile");
        assert!(artifact.get("uriBaseId").is_none());
        assert!(v["runs"][0].get("originalUriBaseIds").is_none());
    }

    #[test]
    fn result_limit_drops_the_lowest_severity_first() {
        let meta = lookup("MC000").unwrap();
        let mut file = check("Dockerfile", "FROM a\n");
        for (i, severity) in [
            Severity::Info,
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Error,
        ]
        .into_iter()
        .enumerate()
        {
            let mut f = meta.finding(format!("f{i}"), span(1, 1, 1, 5));
            f.severity = severity;
            file.findings.push(f);
        }
        let report = Report {
            files: vec![file],
            ..Report::default()
        };
        let options = SarifOptions {
            max_results: 3,
            ..SarifOptions::default()
        };
        let v = parse(&report, &options);
        let messages: Vec<&str> = results(&v)
            .iter()
            .map(|r| r["message"]["text"].as_str().unwrap())
            .collect();
        // Both errors and the warning, in report order.
        assert_eq!(messages, ["f1", "f2", "f4"]);
        let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["level"], "warning");
        assert!(
            notes[0]["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("2 of 5 findings were left out of this run")
        );
        // Fingerprints do not depend on what was dropped.
        let all = parse(&report, &SarifOptions::default());
        assert_eq!(
            results(&v)[2]["partialFingerprints"],
            results(&all)[4]["partialFingerprints"]
        );
        assert_eq!(SarifOptions::default().max_results, 25_000);
    }

    #[test]
    fn degenerate_spans_stay_valid() {
        let mut file = check("Dockerfile", "FROM a\n");
        let meta = lookup("MC000").unwrap();
        file.findings = vec![
            meta.finding("default", Span::default()),
            meta.finding("past the end", span(9, 3, 9, 4)),
            meta.finding("backwards", span(1, 5, 1, 2)),
        ];
        let v = parse(
            &Report {
                files: vec![file],
                ..Report::default()
            },
            &SarifOptions::default(),
        );
        let regions: Vec<_> = results(&v)
            .iter()
            .map(|r| {
                let g = &r["locations"][0]["physicalLocation"]["region"];
                (
                    g["startLine"].as_u64().unwrap(),
                    g["startColumn"].as_u64().unwrap(),
                    g["endLine"].as_u64().unwrap(),
                    g["endColumn"].as_u64().unwrap(),
                    g.get("snippet").is_some(),
                )
            })
            .collect();
        assert_eq!(
            regions,
            [(1, 1, 1, 1, true), (9, 3, 9, 4, false), (1, 5, 1, 5, true)]
        );
    }

    #[test]
    fn deterministic() {
        let report = Report {
            files: vec![
                check("a/Dockerfile", "FROM a\nCOPY --chmodd=1 a b\nENV PATH\n"),
                check("b/Dockerfile", "FROM a\nENV PATH\n"),
            ],
            ..Report::default()
        };
        let options = SarifOptions {
            root: Some("/r".into()),
            uri_base_id: Some("%SRCROOT%".into()),
            ..SarifOptions::default()
        };
        let first = render(&report, &options);
        assert!(first.ends_with("}\n"));
        for _ in 0..5 {
            assert_eq!(render(&report, &options), first);
        }
    }
}
