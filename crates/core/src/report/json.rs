//! The JSON output, `version: 1`. These structs are the documented, stable schema
//! (`docs/json-output.md`); they are kept apart from the internal types so that refactoring
//! the core never changes what users parse.

use super::{Report, Summary};
use crate::stages::{ImageSource, SourceKind};
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    comparisons: Vec<FileComparison<'a>>,
    summary: Summary,
}

/// With `--compare`: per file, the final image against its dev twin and the base revision's.
#[derive(Serialize)]
struct FileComparison<'a> {
    path: &'a str,
    image: Option<&'a str>,
    twin: Option<super::comparison::JsonComparison<'a>>,
    base: Option<super::comparison::JsonComparison<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    stages: Vec<Stage<'a>>,
    final_stage: Option<usize>,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Stage<'a> {
    index: usize,
    name: Option<&'a str>,
    line: u32,
    platform: &'a str,
    base: Base<'a>,
}

#[derive(Serialize)]
struct Base<'a> {
    raw: &'a str,
    resolved: Option<&'a str>,
    kind: SourceKind,
    image: Option<String>,
    stage: Option<usize>,
    missing_args: Vec<&'a str>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn base(source: &ImageSource) -> Base<'_> {
    Base {
        raw: &source.raw,
        resolved: source.resolved.as_deref(),
        kind: source.kind,
        image: source.image.as_ref().map(|i| i.normalized()),
        stage: source.stage,
        missing_args: source
            .missing_args
            .iter()
            .map(|m| m.name.as_str())
            .collect(),
    }
}

/// Renders the report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let files = report
        .files
        .iter()
        .map(|file| File {
            path: &file.path,
            stages: file
                .graph
                .stages
                .iter()
                .map(|s| Stage {
                    index: s.index,
                    name: s.name.as_deref(),
                    line: s.from_span.start.line,
                    platform: &s.platform,
                    base: base(&s.base),
                })
                .collect(),
            final_stage: file.graph.final_stage,
            findings: file
                .findings
                .iter()
                .map(|f| Finding {
                    rule: f.code,
                    name: f.name,
                    severity: f.severity.as_str(),
                    message: &f.message,
                    line: f.span.start.line,
                    column: f.span.start.column,
                    end_line: f.span.end.line,
                    end_column: f.span.end.column,
                })
                .collect(),
        })
        .collect();
    let output = Output {
        version: VERSION,
        tool: Tool {
            name: "minicheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        files,
        comparisons: report
            .comparisons
            .iter()
            .map(|c| FileComparison {
                path: &c.path,
                image: c.image.as_deref(),
                twin: c.twin.as_ref().map(super::comparison::json_value),
                base: c.base.as_ref().map(super::comparison::json_value),
                notes: &c.notes,
            })
            .collect(),
        summary: report.summary(),
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_else(|e| {
        // Serialising plain structs of strings and numbers cannot fail; say so if it ever does.
        format!("{{\"version\":{VERSION},\"error\":\"{e}\"}}")
    });
    text.push('\n');
    text
}
