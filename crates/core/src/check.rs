//! One Dockerfile in, one [`FileReport`] out: parse, resolve the stage graph, run the rules,
//! apply the configuration and inline ignores, and mask secrets.

use crate::catalog::Catalog;
use crate::config::Config;
use crate::dockerfile;
use crate::ignores;
use crate::redact::redact;
use crate::report::{FileReport, Finding};
use crate::rules::{CHECKS, Context};
use crate::stages::{self, BuildOptions};

/// Everything a check needs besides the text.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub build: BuildOptions,
    pub config: Config,
}

/// Checks one Dockerfile. `path` is only carried into the report.
pub fn check_dockerfile(path: &str, text: &str, options: &CheckOptions) -> FileReport {
    let dockerfile = dockerfile::parse(text);
    let graph = stages::resolve(&dockerfile, &options.build);
    let config = &options.config;
    let ctx = Context {
        path,
        dockerfile: &dockerfile,
        graph: &graph,
        config,
        catalog: Catalog::new(config),
    };
    let mut findings = Vec::new();
    for (meta, check) in CHECKS {
        if !config.ignored.iter().any(|c| c == meta.code) {
            check(&ctx, &mut findings);
        }
    }
    if !config.disable_inline_ignores {
        ignores::apply(&dockerfile, &mut findings);
        findings.retain(|f| !config.ignored.iter().any(|c| c == f.code));
    }
    for finding in &mut findings {
        if let Some((_, severity)) = config.overrides.iter().find(|(c, _)| c == finding.code) {
            finding.severity = *severity;
        }
        mask(finding, text);
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message))
    });
    let mut report = FileReport {
        path: path.to_string(),
        source: redact(text).into_owned(),
        dockerfile,
        graph,
        findings,
    };
    mask_graph(&mut report);
    report
}

/// Secrets never leave the core: every string a view may print is masked (same length, so
/// spans still fit).
fn mask(finding: &mut Finding, text: &str) {
    // A fix applied with a masked token would write the asterisks into the file: no fix where a
    // secret is on the lines it changes or in what it writes.
    if let Some(fix) = &finding.fix {
        let lines = fix.span.start.line..=fix.span.end.line;
        let line_of = |offset: usize| 1 + text[..offset].matches('\n').count() as u32;
        let secret_on_its_lines = crate::redact::find_secrets(text)
            .iter()
            .any(|&(start, _)| lines.contains(&line_of(start)));
        if secret_on_its_lines || !crate::redact::find_secrets(&fix.replacement).is_empty() {
            finding.fix = None;
        }
    }
    finding.message = redact(&finding.message).into_owned();
    if let Some(help) = &mut finding.help {
        *help = redact(help).into_owned();
    }
    for related in &mut finding.related {
        related.message = redact(&related.message).into_owned();
    }
    if let Some(fix) = &mut finding.fix {
        fix.replacement = redact(&fix.replacement).into_owned();
        fix.description = redact(&fix.description).into_owned();
    }
}

fn mask_graph(report: &mut FileReport) {
    for stage in &mut report.graph.stages {
        let sources =
            std::iter::once(&mut stage.base).chain(stage.sources.iter_mut().map(|s| &mut s.source));
        for source in sources {
            source.raw = redact(&source.raw).into_owned();
            if let Some(resolved) = &mut source.resolved {
                *resolved = redact(resolved).into_owned();
            }
            if let Some(image) = &mut source.image {
                image.path = redact(&image.path).into_owned();
            }
        }
    }
    for instruction in &mut report.dockerfile.instructions {
        instruction.original = redact(&instruction.original).into_owned();
        for arg in &mut instruction.args {
            arg.value = redact(&arg.value).into_owned();
        }
        for flag in &mut instruction.flags {
            flag.raw = redact(&flag.raw).into_owned();
            if let Some(v) = &mut flag.value {
                *v = redact(v).into_owned();
            }
        }
    }
}

/// The severity at and above which a file's findings fail the run: the host's own setting
/// (`--fail-on`, the action's `fail-on`) wins over the file's `failure-threshold`; with
/// neither, errors fail. `None`: this file never fails the run.
pub fn threshold(
    flag: Option<crate::config::Threshold>,
    config: Option<crate::config::Threshold>,
) -> Option<crate::report::Severity> {
    use crate::config::Threshold;
    match flag.or(config) {
        Some(Threshold::At(severity)) => Some(severity),
        Some(Threshold::Never) => None,
        None => Some(crate::report::Severity::Error),
    }
}

#[cfg(test)]
mod threshold_tests {
    use super::threshold;
    use crate::config::Threshold::{At, Never};
    use crate::report::Severity::{Error, Info, Warning};

    #[test]
    fn the_flag_wins_over_the_file_and_errors_fail_by_default() {
        assert_eq!(threshold(None, None), Some(Error));
        assert_eq!(threshold(None, Some(At(Warning))), Some(Warning));
        assert_eq!(threshold(None, Some(Never)), None);
        assert_eq!(threshold(Some(At(Info)), Some(Never)), Some(Info));
        assert_eq!(threshold(Some(Never), Some(At(Info))), None);
        assert_eq!(threshold(Some(At(Error)), Some(At(Info))), Some(Error));
    }
}
