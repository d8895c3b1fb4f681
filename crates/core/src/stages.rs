//! The stage graph: which image every stage really runs on, as `docker build` would decide it.
//!
//! Global `ARG`s (with `--build-arg` overrides and BuildKit's automatic platform ARGs) are
//! expanded into each `FROM`; `FROM <stage>` chains are followed to the real image; `--target`
//! picks the final stage; `COPY --from` and `RUN --mount=from=` edges are recorded so rules can
//! see images used outside `FROM`. A reference that depends on an ARG nobody set is reported as
//! unresolved, never guessed.

use crate::dockerfile::{Dockerfile, Flag, Instruction, Span};
use crate::expand::{Env, Lexer};
use crate::platform::Platform;
use crate::reference::ImageRef;
use serde::Serialize;

/// What the user would pass to `docker build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    pub platform: Platform,
    pub build_platform: Platform,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            build_args: Vec::new(),
            target: None,
            platform: Platform::linux_amd64(),
            build_platform: Platform::linux_amd64(),
        }
    }
}

impl BuildOptions {
    fn build_arg(&self, name: &str) -> Option<&str> {
        self.build_args
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StageGraph {
    /// The global ARGs declared before the first `FROM`, with the value each ended up with.
    pub meta_args: Vec<MetaArg>,
    pub stages: Vec<Stage>,
    /// The stage that is built: `--target`, or the last one.
    pub final_stage: Option<usize>,
    /// Problems `docker build` would stop on, found while building the graph.
    pub errors: Vec<GraphError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphError {
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaArg {
    pub name: String,
    /// `None`: declared without a default and not given with `--build-arg`.
    pub value: Option<String>,
    pub from_build_arg: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub index: usize,
    /// The stage name, lower-cased as BuildKit compares it.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// Index of the `FROM` in [`Dockerfile::instructions`].
    pub from_instruction: usize,
    pub from_span: Span,
    /// `--platform` after expansion, else the target platform.
    pub platform: String,
    pub base: ImageSource,
    /// Indices of the instructions that belong to this stage, `FROM` excluded.
    pub instructions: Vec<usize>,
    /// Filesystems this stage reads from other stages or images.
    pub sources: Vec<Source>,
}

/// Where a stage starts from, or where a `COPY --from` / `RUN --mount=from=` reads.
#[derive(Debug, Clone, Serialize)]
pub struct ImageSource {
    /// Exactly as written.
    pub raw: String,
    pub span: Span,
    /// After ARG expansion; `None` when unresolved.
    pub resolved: Option<String>,
    pub kind: SourceKind,
    /// The stage referred to, for [`SourceKind::Stage`].
    pub stage: Option<usize>,
    /// The real image: the reference itself, or the image at the end of a stage chain.
    pub image: Option<ImageRef>,
    /// ARGs that would have to be set for this to resolve.
    pub missing_args: Vec<MissingArg>,
    /// Why a resolved value is not a valid image reference.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Image,
    Stage,
    Scratch,
    Unresolved,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingArg {
    pub name: String,
    /// Declared with `ARG` (without a default) rather than not declared at all.
    pub declared: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub via: SourceVia,
    /// Index of the instruction in [`Dockerfile::instructions`].
    pub instruction: usize,
    pub source: ImageSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceVia {
    CopyFrom,
    MountFrom,
}

impl StageGraph {
    pub fn final_stage(&self) -> Option<&Stage> {
        self.final_stage.and_then(|i| self.stages.get(i))
    }

    /// The chain of stages from `index` down to the one that starts from an image or scratch:
    /// `[app, base]` for `FROM base AS app` after `FROM python AS base`.
    pub fn chain(&self, index: usize) -> Vec<usize> {
        let mut chain = vec![index];
        let mut current = index;
        while let Some(next) = self.stages.get(current).and_then(|s| s.base.stage) {
            if chain.contains(&next) {
                break;
            }
            chain.push(next);
            current = next;
        }
        chain
    }

    /// Stages the final stage depends on (through `FROM` and `--from` edges), itself included.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.stages.len()];
        let mut todo: Vec<usize> = self.final_stage.into_iter().collect();
        while let Some(i) = todo.pop() {
            if seen[i] {
                continue;
            }
            seen[i] = true;
            let stage = &self.stages[i];
            todo.extend(stage.base.stage);
            todo.extend(stage.sources.iter().filter_map(|s| s.source.stage));
        }
        seen
    }
}

/// Variables visible to an expansion, last definition winning.
#[derive(Debug, Clone, Default)]
struct Vars(Vec<(String, String)>);

impl Vars {
    fn set(&mut self, name: &str, value: String) {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value));
    }
}

impl Env for Vars {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Builds the stage graph of a parsed Dockerfile.
pub fn resolve(dockerfile: &Dockerfile, options: &BuildOptions) -> StageGraph {
    Resolver::new(dockerfile, options).run()
}

struct Resolver<'a> {
    dockerfile: &'a Dockerfile,
    options: &'a BuildOptions,
    lexer: Lexer,
    graph: StageGraph,
    /// Global scope: automatic platform ARGs and the meta ARGs.
    meta: Vars,
    /// Names declared as global ARGs, with or without a value.
    declared: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn new(dockerfile: &'a Dockerfile, options: &'a BuildOptions) -> Self {
        let mut meta = Vars::default();
        for (name, value) in options
            .build_platform
            .args("BUILD")
            .into_iter()
            .chain(options.platform.args("TARGET"))
        {
            meta.set(&name, value);
        }
        Resolver {
            dockerfile,
            options,
            lexer: Lexer::new(dockerfile.escape),
            graph: StageGraph {
                meta_args: Vec::new(),
                stages: Vec::new(),
                final_stage: None,
                errors: Vec::new(),
            },
            meta,
            declared: Vec::new(),
        }
    }

    fn error(&mut self, message: impl Into<String>, span: Span) {
        self.graph.errors.push(GraphError {
            message: message.into(),
            span,
        });
    }

    fn run(mut self) -> StageGraph {
        let mut stage_vars = Vars::default();
        for (index, instruction) in self.dockerfile.instructions.iter().enumerate() {
            self.check_instruction(instruction);
            if instruction.is("from") {
                self.add_stage(index, instruction);
                stage_vars = Vars::default();
                continue;
            }
            if self.graph.stages.is_empty() {
                if instruction.is("arg") {
                    self.add_meta_args(instruction);
                } else if !instruction.unknown {
                    self.error("no build stage in current context", instruction.span);
                }
                continue;
            }
            let stage_index = self.graph.stages.len() - 1;
            self.graph.stages[stage_index].instructions.push(index);
            match instruction.keyword.as_str() {
                "arg" => self.stage_args(instruction, &mut stage_vars),
                "env" => self.stage_env(instruction, &mut stage_vars),
                "copy" | "add" => {
                    if let Some(flag) = instruction.flag("from") {
                        self.add_source(index, flag, SourceVia::CopyFrom, &stage_vars);
                    }
                }
                "run" => {
                    for flag in instruction.flags.iter().filter(|f| f.name == "mount") {
                        self.add_mount_source(index, flag, &stage_vars);
                    }
                }
                _ => {}
            }
        }
        self.pick_final_stage();
        self.graph
    }

    /// The checks BuildKit's instruction layer makes on every instruction.
    fn check_instruction(&mut self, instruction: &Instruction) {
        if instruction.unknown {
            let written = instruction.original.split_whitespace().next().unwrap_or("");
            let message = match suggest_keyword(&instruction.keyword) {
                Some(s) => format!("unknown instruction: {written} (did you mean {s}?)"),
                None => format!("unknown instruction: {written}"),
            };
            self.error(message, instruction.keyword_span);
            return;
        }
        let target = instruction.child.as_deref().unwrap_or(instruction);
        if instruction.is("onbuild") {
            if let Some(flag) = instruction.flags.first() {
                self.error(format!("unknown flag: {}", flag.name), flag.span);
            }
            match target.keyword.as_str() {
                "onbuild" | "from" | "maintainer" => self.error(
                    format!(
                        "{} isn't allowed as an ONBUILD trigger",
                        target.keyword.to_uppercase()
                    ),
                    target.keyword_span,
                ),
                _ if target.unknown => {
                    let written = target.original.split_whitespace().nth(1).unwrap_or("");
                    self.error(
                        format!("unknown instruction: {written}"),
                        target.keyword_span,
                    );
                }
                _ => {}
            }
        }
        let allowed = allowed_flags(&target.keyword);
        for flag in &target.flags {
            if !allowed.contains(&flag.name.as_str()) {
                self.error(format!("unknown flag: {}", flag.name), flag.span);
            }
        }
    }

    fn add_meta_args(&mut self, instruction: &Instruction) {
        for arg in &instruction.args {
            let (name, default) = split_arg(&arg.value);
            self.declared.push(name.to_string());
            let (value, from_build_arg) = match self.options.build_arg(name) {
                Some(v) => (Some(v.to_string()), true),
                None => (
                    default.map(|d| self.expand_quiet(d, &self.meta.clone())),
                    false,
                ),
            };
            match &value {
                Some(v) => self.meta.set(name, v.clone()),
                None => self.meta.0.retain(|(n, _)| n != name),
            }
            self.graph.meta_args.push(MetaArg {
                name: name.to_string(),
                value,
                from_build_arg,
                span: arg.span,
            });
        }
    }

    /// `ARG` inside a stage: a build arg wins, then the default, then the global value.
    fn stage_args(&mut self, instruction: &Instruction, vars: &mut Vars) {
        for arg in &instruction.args {
            let (name, default) = split_arg(&arg.value);
            let value = match self.options.build_arg(name) {
                Some(v) => Some(v.to_string()),
                None => match default {
                    Some(d) => Some(self.expand_quiet(d, vars)),
                    None => self.meta.get(name).map(str::to_string),
                },
            };
            if let Some(value) = value {
                vars.set(name, value);
            }
        }
    }

    fn stage_env(&mut self, instruction: &Instruction, vars: &mut Vars) {
        for triple in instruction.args.chunks(3) {
            if let [key, value, _] = triple {
                let expanded = self.expand_quiet(&value.value, vars);
                vars.set(&key.value, expanded);
            }
        }
    }

    fn expand_quiet(&self, word: &str, vars: &Vars) -> String {
        self.lexer
            .process_word(word, vars)
            .map(|e| e.value)
            .unwrap_or_else(|_| word.to_string())
    }

    fn add_stage(&mut self, index: usize, instruction: &Instruction) {
        let args = &instruction.args;
        let mut name = None;
        let mut name_span = None;
        match args.len() {
            1 => {}
            3 if args[1].value.eq_ignore_ascii_case("as") => {
                let lower = args[2].value.to_lowercase();
                if is_valid_stage_name(&lower) {
                    name = Some(lower);
                } else {
                    self.error(
                        format!(
                            "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                            args[2].value
                        ),
                        args[2].span,
                    );
                }
                name_span = Some(args[2].span);
            }
            _ => self.error(
                "FROM requires either one or three arguments",
                instruction.span,
            ),
        }
        let platform = match instruction.flag("platform").and_then(|f| f.value.as_ref()) {
            Some(raw) => {
                let meta = self.meta.clone();
                self.expand_quiet(raw, &meta)
            }
            None => self.options.platform.to_string(),
        };
        let base = match args.first() {
            Some(arg) => self.resolve_base(&arg.value, arg.span),
            None => ImageSource {
                raw: String::new(),
                span: instruction.keyword_span,
                resolved: None,
                kind: SourceKind::Unresolved,
                stage: None,
                image: None,
                missing_args: Vec::new(),
                error: Some("FROM names no image".into()),
            },
        };
        if let Some(n) = name.as_ref().filter(|n| self.find_stage(n).is_some()) {
            self.error(
                format!("duplicate stage name {n:?}"),
                name_span.unwrap_or(instruction.span),
            );
        }
        self.graph.stages.push(Stage {
            index: self.graph.stages.len(),
            name,
            name_span,
            from_instruction: index,
            from_span: instruction.span,
            platform,
            base,
            instructions: Vec::new(),
            sources: Vec::new(),
        });
    }

    fn find_stage(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        self.graph
            .stages
            .iter()
            .position(|s| s.name.as_deref() == Some(lower.as_str()))
    }

    /// Expands a `FROM` argument with the global scope and decides what it names.
    fn resolve_base(&mut self, raw: &str, span: Span) -> ImageSource {
        let meta = self.meta.clone();
        let mut source = self.expand_source(raw, span, &meta);
        let Some(resolved) = source.resolved.clone() else {
            return source;
        };
        if resolved.is_empty() {
            source.kind = SourceKind::Unresolved;
            source.error = Some(format!("base name ({raw}) should not be blank"));
            self.error(format!("base name ({raw}) should not be blank"), span);
            return source;
        }
        if resolved.eq_ignore_ascii_case("scratch") {
            source.kind = SourceKind::Scratch;
        } else if let Some(stage) = self.find_stage(&resolved) {
            source.kind = SourceKind::Stage;
            source.stage = Some(stage);
            source.image = self.graph.stages[stage].base.image.clone();
        } else {
            self.set_image(&mut source, &resolved, span);
        }
        source
    }

    fn set_image(&mut self, source: &mut ImageSource, resolved: &str, span: Span) {
        match ImageRef::parse(resolved) {
            Ok(image) => {
                source.kind = SourceKind::Image;
                source.image = Some(image);
            }
            Err(e) => {
                source.kind = SourceKind::Unresolved;
                let message = format!("{resolved:?} is not a valid image reference: {e}");
                source.error = Some(message.clone());
                self.error(message, span);
            }
        }
    }

    /// Expands a reference; unresolved when an ARG without value went into it (`$A`, `${A}`;
    /// not `${A:-x}`, which has a fallback).
    fn expand_source(&mut self, raw: &str, span: Span, vars: &Vars) -> ImageSource {
        let mut source = ImageSource {
            raw: raw.to_string(),
            span,
            resolved: None,
            kind: SourceKind::Unresolved,
            stage: None,
            image: None,
            missing_args: Vec::new(),
            error: None,
        };
        match self.lexer.process_word(raw, vars) {
            Ok(expanded) => {
                source.missing_args = expanded
                    .missing
                    .iter()
                    .map(|name| MissingArg {
                        name: name.clone(),
                        declared: self.declared.contains(name),
                    })
                    .collect();
                if source.missing_args.is_empty() {
                    source.resolved = Some(expanded.value);
                }
            }
            Err(e) => {
                let message = format!("cannot expand {raw:?}: {e}");
                source.error = Some(message.clone());
                self.error(message, span);
            }
        }
        source
    }

    fn add_source(&mut self, instruction: usize, flag: &Flag, via: SourceVia, vars: &Vars) {
        let raw = flag.value.clone().unwrap_or_default();
        let span = flag.value_span.unwrap_or(flag.span);
        let source = self.resolve_from(&raw, span, vars);
        let stage = self.graph.stages.len() - 1;
        self.graph.stages[stage].sources.push(Source {
            via,
            instruction,
            source,
        });
    }

    fn add_mount_source(&mut self, instruction: usize, flag: &Flag, vars: &Vars) {
        let Some(value) = &flag.value else { return };
        for field in split_csv(value) {
            if let Some(from) = field.strip_prefix("from=") {
                // Point at the whole flag value: the mount string is one token.
                let span = flag.value_span.unwrap_or(flag.span);
                let source = self.resolve_from(from, span, vars);
                let stage = self.graph.stages.len() - 1;
                self.graph.stages[stage].sources.push(Source {
                    via: SourceVia::MountFrom,
                    instruction,
                    source,
                });
            }
        }
    }

    /// `--from=` names an earlier stage, a stage index, or an image.
    fn resolve_from(&mut self, raw: &str, span: Span, vars: &Vars) -> ImageSource {
        let mut source = self.expand_source(raw, span, vars);
        let Some(resolved) = source.resolved.clone() else {
            return source;
        };
        let current = self.graph.stages.len() - 1;
        if let Ok(index) = resolved.parse::<usize>() {
            if index < current {
                source.kind = SourceKind::Stage;
                source.stage = Some(index);
                source.image = self.graph.stages[index].base.image.clone();
            } else {
                let message = format!(
                    "invalid from flag value {index} refers to current or future build stage"
                );
                source.error = Some(message.clone());
                self.error(message, span);
            }
            return source;
        }
        if resolved.eq_ignore_ascii_case("scratch") {
            source.kind = SourceKind::Scratch;
        } else if let Some(stage) = self.find_stage(&resolved).filter(|&s| s < current) {
            source.kind = SourceKind::Stage;
            source.stage = Some(stage);
            source.image = self.graph.stages[stage].base.image.clone();
        } else if self.find_stage(&resolved) == Some(current) {
            let message = format!("{resolved:?} refers to the stage it is used in");
            source.error = Some(message.clone());
            self.error(message, span);
        } else {
            self.set_image(&mut source, &resolved, span);
        }
        source
    }

    fn pick_final_stage(&mut self) {
        if self.graph.stages.is_empty() {
            if !self.dockerfile.instructions.is_empty() {
                let span = self.dockerfile.instructions[0].span;
                self.error(
                    "no FROM instruction: the Dockerfile has no build stage",
                    span,
                );
            }
            return;
        }
        match &self.options.target {
            None => self.graph.final_stage = Some(self.graph.stages.len() - 1),
            Some(target) => match self.find_stage(target) {
                Some(i) => self.graph.final_stage = Some(i),
                None => {
                    let span = self.graph.stages[self.graph.stages.len() - 1].from_span;
                    self.error(format!("target stage {target:?} could not be found"), span);
                }
            },
        }
    }
}

/// `NAME` or `NAME=default` (the default still quoted, as written).
fn split_arg(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((name, default)) => (name, Some(default)),
        None => (word, None),
    }
}

/// BuildKit's `^[a-z][a-z0-9-_.]*$` for stage names.
fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// Splits `RUN --mount` options on commas outside double quotes, removing the quotes, as the
/// CSV reader BuildKit uses does.
fn split_csv(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The flags BuildKit (stable and labs syntax) accepts on each instruction.
fn allowed_flags(keyword: &str) -> &'static [&'static str] {
    match keyword {
        "from" => &["platform"],
        "run" => &["mount", "network", "security", "device"],
        "copy" => &["from", "chown", "chmod", "link", "parents", "exclude"],
        "add" => &[
            "chown",
            "chmod",
            "link",
            "keep-git-dir",
            "checksum",
            "exclude",
            "unpack",
            "parents",
        ],
        "healthcheck" => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        _ => &[],
    }
}

const KEYWORDS: [&str; 18] = [
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// The closest instruction name within two edits, upper-cased, for "did you mean".
fn suggest_keyword(word: &str) -> Option<String> {
    KEYWORDS
        .iter()
        .map(|k| (edit_distance(word, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_uppercase())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests;
