//! Views of comparisons: a terminal table as the vendors' guides print it, JSON (documented in
//! docs/json-output.md), and a Markdown table for pull-request comments and job summaries.

use super::markdown::escape;
use crate::comparison::{Comparison, FileComparison, Side, human_size, signed_count, signed_size};
use serde::Serialize;
use std::fmt::Write;

fn size(side: &Side) -> String {
    side.compressed_size
        .map_or_else(|| "—".to_string(), human_size)
}

fn count(side: &Side) -> String {
    side.package_count()
        .map_or_else(|| "unknown".to_string(), |n| n.to_string())
}

fn percent(delta: i64, from: Option<u64>) -> String {
    match from {
        Some(from) if from > 0 => format!(", {:+.0}%", delta as f64 * 100.0 / from as f64),
        _ => String::new(),
    }
}

/// The terminal view of one comparison.
pub fn human(c: &Comparison) -> String {
    let mut out = String::new();
    let width = c.from.label.len().max(c.to.label.len()).max(8);
    let _ = writeln!(out, "{:<17}{:<width$}   {}", "", c.from.label, c.to.label);
    if let (Some(p1), Some(p2)) = (&c.from.platform, &c.to.platform) {
        let _ = writeln!(out, "{:<17}{:<width$}   {}", "platform", p1, p2);
    }
    let size_delta = c
        .size_delta()
        .map(|d| {
            format!(
                " ({}{})",
                signed_size(d),
                percent(d, c.from.compressed_size)
            )
        })
        .unwrap_or_default();
    if c.from.compressed_size.is_some() || c.to.compressed_size.is_some() {
        let _ = writeln!(
            out,
            "{:<17}{:<width$}   {}{size_delta}",
            "compressed size",
            size(&c.from),
            size(&c.to)
        );
    }
    let package_delta = c
        .package_delta()
        .map(|d| format!(" ({})", signed_count(d)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{:<17}{:<width$}   {}{package_delta}",
        "SBOM packages",
        count(&c.from),
        count(&c.to)
    );
    for side in [&c.from, &c.to] {
        if let Some(note) = &side.note {
            let _ = writeln!(out, "note: {}: {note}", side.label);
        }
    }
    if let Some(diff) = &c.diff {
        let section = |out: &mut String, title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                let _ = writeln!(out, "\n{} {title}:", lines.len());
                for line in lines {
                    let _ = writeln!(out, "  {line}");
                }
            }
        };
        let show = |p: &crate::sbom::Package| match &p.version {
            Some(v) => format!("{} {v}", p.name),
            None => p.name.clone(),
        };
        section(
            &mut out,
            "added",
            diff.added
                .iter()
                .map(|p| format!("+ {}", show(p)))
                .collect(),
        );
        section(
            &mut out,
            "removed",
            diff.removed
                .iter()
                .map(|p| format!("- {}", show(p)))
                .collect(),
        );
        section(
            &mut out,
            "changed",
            diff.changed
                .iter()
                .map(|c| {
                    format!(
                        "~ {} {} -> {}",
                        c.from.name,
                        c.from.version.as_deref().unwrap_or("?"),
                        c.to.version.as_deref().unwrap_or("?")
                    )
                })
                .collect(),
        );
        let _ = writeln!(out, "\n{} unchanged", diff.unchanged);
    }
    out
}

#[derive(Serialize)]
struct JsonSide<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    digest: Option<&'a str>,
    platform: Option<&'a str>,
    compressed_size: Option<u64>,
    packages: Option<usize>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    name: &'a str,
    version: Option<&'a str>,
    purl: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonChanged<'a> {
    name: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    purl: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDelta {
    compressed_size: Option<i64>,
    packages: Option<i64>,
}

#[derive(Serialize)]
pub(crate) struct JsonComparison<'a> {
    from: JsonSide<'a>,
    to: JsonSide<'a>,
    delta: JsonDelta,
    added: Option<Vec<JsonPackage<'a>>>,
    removed: Option<Vec<JsonPackage<'a>>>,
    changed: Option<Vec<JsonChanged<'a>>>,
    unchanged: Option<usize>,
}

fn json_side(side: &Side) -> JsonSide<'_> {
    JsonSide {
        reference: &side.label,
        digest: side.digest.as_deref(),
        platform: side.platform.as_deref(),
        compressed_size: side.compressed_size,
        packages: side.package_count(),
        note: side.note.as_deref(),
    }
}

fn json_package(p: &crate::sbom::Package) -> JsonPackage<'_> {
    JsonPackage {
        name: &p.name,
        version: p.version.as_deref(),
        purl: p.purl.as_deref(),
    }
}

pub(crate) fn json_value(c: &Comparison) -> JsonComparison<'_> {
    JsonComparison {
        from: json_side(&c.from),
        to: json_side(&c.to),
        delta: JsonDelta {
            compressed_size: c.size_delta(),
            packages: c.package_delta(),
        },
        added: c
            .diff
            .as_ref()
            .map(|d| d.added.iter().map(json_package).collect()),
        removed: c
            .diff
            .as_ref()
            .map(|d| d.removed.iter().map(json_package).collect()),
        changed: c.diff.as_ref().map(|d| {
            d.changed
                .iter()
                .map(|ch| JsonChanged {
                    name: &ch.to.name,
                    from: ch.from.version.as_deref(),
                    to: ch.to.version.as_deref(),
                    purl: ch.to.purl.as_deref(),
                })
                .collect()
        }),
        unchanged: c.diff.as_ref().map(|d| d.unchanged),
    }
}

/// `minicheck compare --format json`: one comparison, `version: 1`.
pub fn json(c: &Comparison) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        #[serde(flatten)]
        comparison: JsonComparison<'a>,
    }
    let out = Out {
        version: 1,
        comparison: json_value(c),
    };
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

fn escape_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace('\n', " ")
}

/// One comparison as a Markdown table.
pub fn markdown(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| | `{}` | `{}` | Δ |\n|---|---:|---:|---:|",
        escape_cell(&c.from.label),
        escape_cell(&c.to.label)
    );
    let _ = writeln!(
        out,
        "| compressed size | {} | {} | {} |",
        size(&c.from),
        size(&c.to),
        c.size_delta().map_or_else(|| "—".into(), signed_size)
    );
    let _ = writeln!(
        out,
        "| SBOM packages | {} | {} | {} |",
        count(&c.from),
        count(&c.to),
        c.package_delta().map_or_else(|| "—".into(), signed_count)
    );
    out
}

/// The per-Dockerfile size and package table of `check --compare`, as in the vendors' guides:
/// the final image beside its dev twin and beside the base revision's final image.
pub fn files_markdown(files: &[FileComparison]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n### Image size and packages\n\n| Dockerfile | Final image | Size | Packages | Twin | Base revision |\n|---|---|---:|---:|---|---|\n",
    );
    for file in files {
        let view = FileView::of(file);
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            escape_cell(&file.path),
            escape_cell(file.image.as_deref().unwrap_or("unresolved")),
            view.current.map_or_else(|| "—".into(), size),
            view.current.map_or_else(|| "—".into(), count),
            view.twin_cell(),
            view.base_cell(),
        );
    }
    // Notes carry registries' words: escaped as the findings are (no mentions, links, HTML).
    // A side's own note (why its package count is unknown) is listed too.
    let notes: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let sides = [&f.twin, &f.base]
                .into_iter()
                .flatten()
                .flat_map(|c| [&c.from, &c.to])
                .filter_map(|side| side.note.as_ref().map(|n| format!("{}: {n}", side.label)));
            let mut all: Vec<String> = f.notes.clone();
            for note in sides {
                if !all.contains(&note) {
                    all.push(note);
                }
            }
            all.into_iter()
                .map(move |n| format!("- {}: {}", escape(&f.path), escape(&n)))
        })
        .collect();
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out
}

/// One row of the table: which side of each comparison is the final image.
struct FileView<'a> {
    /// The final image's figures.
    current: Option<&'a Side>,
    /// The twin's side and whether the final image is the dev one (so the twin is the
    /// production image it could ship on instead).
    twin: Option<(&'a Comparison, bool)>,
    base: Option<&'a Comparison>,
}

impl<'a> FileView<'a> {
    fn of(file: &'a FileComparison) -> Self {
        // A twin comparison is always dev (from) against production (to); the final image is
        // whichever side it is.
        let twin = file.twin.as_ref().map(|c| {
            let final_is_dev = file.image.as_deref() == Some(c.from.label.as_str())
                && file.image.as_deref() != Some(c.to.label.as_str());
            (c, final_is_dev)
        });
        let current = match twin {
            Some((c, true)) => Some(&c.from),
            Some((c, false)) => Some(&c.to),
            None => file.base.as_ref().map(|c| &c.to),
        };
        FileView {
            current,
            twin,
            base: file.base.as_ref(),
        }
    }

    fn twin_cell(&self) -> String {
        match self.twin {
            None => "—".into(),
            Some((c, false)) => format!(
                "dev twin {}, {} packages ({})",
                size(&c.from),
                count(&c.from),
                deltas(c)
            ),
            Some((c, true)) => format!(
                "production twin {}, {} packages ({} if the final stage used it)",
                size(&c.to),
                count(&c.to),
                deltas(c)
            ),
        }
    }

    fn base_cell(&self) -> String {
        match self.base {
            None => "—".into(),
            Some(c) => format!(
                "{}, {} packages ({})",
                size(&c.from),
                count(&c.from),
                deltas(c)
            ),
        }
    }
}

/// `-196 MB, -50 packages`, with `?` for what is unknown.
fn deltas(c: &Comparison) -> String {
    format!(
        "{}, {} packages",
        c.size_delta().map_or_else(|| "?".into(), signed_size),
        c.package_delta().map_or_else(|| "?".into(), signed_count)
    )
}

/// The same for the terminal.
pub fn files_human(files: &[FileComparison]) -> String {
    let mut out = String::new();
    for file in files {
        let _ = writeln!(
            out,
            "\n{}: final image {}",
            file.path,
            file.image.as_deref().unwrap_or("unresolved")
        );
        for (title, c) in [
            ("against its dev twin", &file.twin),
            ("against the base revision", &file.base),
        ] {
            if let Some(c) = c {
                let _ = writeln!(out, "{title}:");
                out.push_str(&human(c));
            }
        }
        for note in &file.notes {
            let _ = writeln!(out, "note: {note}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::Package;

    fn pkg(name: &str, version: &str) -> Package {
        Package {
            name: name.into(),
            version: Some(version.into()),
            purl: Some(format!("pkg:apk/minimos/{name}@{version}")),
            kind: Some("apk".into()),
        }
    }

    fn sample() -> Comparison {
        Comparison::new(
            Side {
                label: "reg.mini.dev/python:3.13.5-dev".into(),
                digest: Some("sha256:aa".into()),
                platform: Some("linux/amd64".into()),
                compressed_size: Some(218_000_000),
                packages: Some(vec![
                    pkg("python", "3.13.5"),
                    pkg("bash", "5.2"),
                    pkg("libssl", "3.4"),
                ]),
                note: None,
            },
            Side {
                label: "reg.mini.dev/python:3.13.5".into(),
                digest: Some("sha256:bb".into()),
                platform: Some("linux/amd64".into()),
                compressed_size: Some(22_000_000),
                packages: Some(vec![pkg("python", "3.13.5"), pkg("libssl", "3.5")]),
                note: None,
            },
        )
    }

    #[test]
    fn human_table() {
        let text = human(&sample());
        assert!(
            text.contains(
                "compressed size  218 MB                           22 MB (-196 MB, -90%)"
            ),
            "{text}"
        );
        assert!(
            text.contains("SBOM packages    3                                2 (-1)"),
            "{text}"
        );
        assert!(text.contains("1 removed:\n  - bash 5.2\n"), "{text}");
        assert!(
            text.contains("1 changed:\n  ~ libssl 3.4 -> 3.5\n"),
            "{text}"
        );
        assert!(text.contains("\n1 unchanged\n"), "{text}");
    }

    #[test]
    fn json_shape() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["from"]["ref"], "reg.mini.dev/python:3.13.5-dev");
        assert_eq!(v["from"]["compressed_size"], 218_000_000);
        assert_eq!(v["to"]["packages"], 2);
        assert_eq!(v["delta"]["compressed_size"], -196_000_000);
        assert_eq!(v["delta"]["packages"], -1);
        assert_eq!(v["removed"][0]["name"], "bash");
        assert_eq!(v["changed"][0]["from"], "3.4");
        assert_eq!(v["changed"][0]["to"], "3.5");
        assert_eq!(v["added"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn markdown_table() {
        let text = markdown(&sample());
        assert!(
            text.contains("| compressed size | 218 MB | 22 MB | -196 MB |"),
            "{text}"
        );
        assert!(text.contains("| SBOM packages | 3 | 2 | -1 |"), "{text}");
    }

    #[test]
    fn the_file_table_shows_each_side_beside_the_final_image() {
        let c = sample();
        let production = FileComparison {
            path: "Dockerfile".into(),
            image: Some("reg.mini.dev/python:3.13.5".into()),
            twin: Some(c.clone()),
            base: Some(c.clone()),
            notes: vec![],
        };
        let table = files_markdown(&[production]);
        let row = table
            .lines()
            .find(|l| l.starts_with("| Dockerfile | `"))
            .unwrap();
        assert_eq!(
            row,
            "| Dockerfile | `reg.mini.dev/python:3.13.5` | 22 MB | 2 | dev twin 218 MB, 3 packages (-196 MB, -1 packages) | 218 MB, 3 packages (-196 MB, -1 packages) |"
        );

        // The final image is the dev one: its own figures, and what the production twin saves.
        let dev = FileComparison {
            path: "Dockerfile".into(),
            image: Some("reg.mini.dev/python:3.13.5-dev".into()),
            twin: Some(c),
            base: None,
            notes: vec!["new since main: no base image".into()],
        };
        let table = files_markdown(&[dev]);
        let row = table
            .lines()
            .find(|l| l.starts_with("| Dockerfile | `"))
            .unwrap();
        assert_eq!(
            row,
            "| Dockerfile | `reg.mini.dev/python:3.13.5-dev` | 218 MB | 3 | production twin 22 MB, 2 packages (-196 MB, -1 packages if the final stage used it) | — |"
        );
        assert!(
            table.ends_with("- Dockerfile: new since main: no base image\n"),
            "{table}"
        );
    }

    #[test]
    fn notes_are_escaped_and_sides_notes_are_listed() {
        let mut c = sample();
        c.to.packages = None;
        c.to.note = Some("no SBOM attestation found: the package count is unknown".into());
        let file = FileComparison {
            path: "Dockerfile".into(),
            image: Some("reg.mini.dev/python:3.13.5".into()),
            twin: Some(c),
            base: None,
            notes: vec!["reg: 500 (@org/team <img src=x> [login](https://x))".into()],
        };
        let table = files_markdown(&[file]);
        // No mention, no HTML, no link: a word joiner after @, backslashes before < and [.
        assert!(table.contains("@\u{2060}org/team"), "{table}");
        assert!(table.contains("\\<img"), "{table}");
        assert!(table.contains("\\[login\\]"), "{table}");
        assert!(
            table.contains("- Dockerfile: reg.mini.dev/python:3.13.5: no SBOM attestation found"),
            "{table}"
        );
    }
}
