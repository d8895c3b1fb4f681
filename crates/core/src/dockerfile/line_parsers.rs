//! BuildKit's per-instruction argument parsers (`line_parsers.go`): each instruction name maps
//! to one way of turning the rest of the line into argument nodes.

use super::source::{LogicalLine, SourceMap, Span};
use super::words::{self, JsonArrayError, Word};
use super::{Arg, Flag, Heredoc, Instruction};
use crate::expand::{Env, Lexer};

pub(crate) struct Context<'a> {
    pub line: &'a LogicalLine,
    pub map: &'a SourceMap<'a>,
    pub escape: char,
}

impl Context<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        self.line.span(self.map, start, end)
    }

    fn arg(&self, word: Word) -> Arg {
        Arg {
            span: self.span(word.start, word.end),
            value: word.value,
        }
    }
}

/// How an instruction's arguments are split; BuildKit's dispatch table.
#[derive(Clone, Copy)]
enum Shape {
    MaybeJsonToList,
    NameOrNameVal,
    MaybeJson,
    NameVal(&'static str),
    WhitespaceDelimited,
    HealthConfig,
    String,
    SubCommand,
}

fn shape_of(keyword: &str) -> Option<Shape> {
    Some(match keyword {
        "add" | "copy" | "volume" => Shape::MaybeJsonToList,
        "arg" => Shape::NameOrNameVal,
        "cmd" | "entrypoint" | "run" | "shell" => Shape::MaybeJson,
        "env" => Shape::NameVal("ENV"),
        "label" => Shape::NameVal("LABEL"),
        "expose" | "from" => Shape::WhitespaceDelimited,
        "healthcheck" => Shape::HealthConfig,
        "maintainer" | "stopsignal" | "user" | "workdir" => Shape::String,
        "onbuild" => Shape::SubCommand,
        _ => return None,
    })
}

/// The parsed arguments of one instruction.
#[derive(Default)]
struct Parsed {
    args: Vec<Arg>,
    json: bool,
    child: Option<Box<Instruction>>,
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// BuildKit's `newNodeFromLine`: `text` is a slice of the logical line starting at `base`.
pub(crate) fn node_from_line(
    ctx: &Context<'_>,
    text: &str,
    base: usize,
) -> Result<Instruction, String> {
    let (lead, trimmed) = words::trim_space(text);
    let base = base + lead;
    let (command, rest_start, rest) = match words::split_once_whitespace(trimmed) {
        Some((command, rest_start, rest)) => (command, rest_start, rest),
        None => (trimmed, trimmed.len(), ""),
    };
    let keyword = command.to_lowercase();
    let keyword_span = ctx.span(base, base + command.len());
    let rest_base = base + rest_start;
    let (flag_words, args_offset) = words::extract_builder_flags(rest, rest_base);
    let (args_lead, args) = words::trim_space(&rest[args_offset..]);
    let args_base = rest_base + args_offset + args_lead;

    let flags = flag_words.into_iter().map(|w| flag(ctx, w)).collect();
    let shape = shape_of(&keyword);
    let parsed = match shape {
        None => Parsed::default(),
        Some(shape) => parse_args(ctx, shape, args, args_base)?,
    };
    Ok(Instruction {
        keyword,
        keyword_span,
        span: keyword_span,
        flags,
        args: parsed.args,
        json: parsed.json,
        child: parsed.child,
        heredocs: Vec::new(),
        original: ctx.line.text.clone(),
        unknown: shape.is_none(),
    })
}

fn flag(ctx: &Context<'_>, word: Word) -> Flag {
    let body = word.value.strip_prefix("--").unwrap_or(&word.value);
    let (name, value) = match body.split_once('=') {
        Some((name, value)) => (name.to_string(), Some(value.to_string())),
        None => (body.to_string(), None),
    };
    // The value's span: the part of the raw text after the first `=`.
    let raw = &ctx.line.text[word.start..word.end];
    let value_span = raw
        .find('=')
        .filter(|_| value.is_some())
        .map(|i| ctx.span(word.start + i + 1, word.end));
    Flag {
        name,
        value,
        span: ctx.span(word.start, word.end),
        value_span,
        raw: word.value,
    }
}

fn parse_args(ctx: &Context<'_>, shape: Shape, rest: &str, base: usize) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    match shape {
        Shape::String => {
            if !rest.is_empty() {
                parsed
                    .args
                    .push(ctx.arg(Word::new(rest, base, base + rest.len())));
            }
        }
        Shape::WhitespaceDelimited => {
            if !rest.is_empty() {
                parsed.args = whitespace_args(ctx, rest, base);
            }
        }
        Shape::MaybeJson => {
            if !rest.is_empty() {
                maybe_json(ctx, rest, base, &mut parsed, false)?;
            }
        }
        Shape::MaybeJsonToList => maybe_json(ctx, rest, base, &mut parsed, true)?,
        Shape::NameOrNameVal => {
            parsed.args = words::parse_words(rest, base, ctx.escape)
                .into_iter()
                .map(|w| ctx.arg(w))
                .collect();
        }
        Shape::NameVal(key) => parsed.args = name_val(ctx, rest, base, key)?,
        Shape::HealthConfig => health_config(ctx, rest, base, &mut parsed)?,
        Shape::SubCommand => {
            if !rest.is_empty() {
                let child = node_from_line(ctx, rest, base)?;
                parsed.child = Some(Box::new(child));
            }
        }
    }
    Ok(parsed)
}

fn whitespace_args(ctx: &Context<'_>, rest: &str, base: usize) -> Vec<Arg> {
    words::split_whitespace_delimited(rest, base)
        .into_iter()
        .map(|w| ctx.arg(w))
        .collect()
}

fn maybe_json(
    ctx: &Context<'_>,
    rest: &str,
    base: usize,
    parsed: &mut Parsed,
    to_list: bool,
) -> Result<(), String> {
    match words::parse_json_array(rest, base) {
        Ok(strings) => {
            parsed.json = true;
            parsed.args = strings.into_iter().map(|w| ctx.arg(w)).collect();
        }
        Err(JsonArrayError::NotStrings) => return Err(NOT_STRING_ARRAY.to_string()),
        Err(JsonArrayError::NotJson) if to_list => {
            if !rest.is_empty() {
                parsed.args = whitespace_args(ctx, rest, base);
            }
        }
        Err(JsonArrayError::NotJson) => {
            parsed
                .args
                .push(ctx.arg(Word::new(rest, base, base + rest.len())));
        }
    }
    Ok(())
}

/// `ENV`/`LABEL`: either the old `KEY value...` or `k=v k2=v2`, as (key, value, separator)
/// triples.
fn name_val(ctx: &Context<'_>, rest: &str, base: usize, key: &str) -> Result<Vec<Arg>, String> {
    let words = words::parse_words(rest, base, ctx.escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    let mut args = Vec::new();
    if !first.value.contains('=') {
        let Some((name, value_start, value)) = words::split_once_whitespace(rest) else {
            return Err(format!("{key} must have two arguments"));
        };
        args.push(ctx.arg(Word::new(name, base, base + name.len())));
        let value_base = base + value_start;
        args.push(ctx.arg(Word::new(value, value_base, value_base + value.len())));
        let end = base + rest.len();
        args.push(ctx.arg(Word::new("", end, end)));
        return Ok(args);
    }
    for word in words {
        let Some((name, value)) = word.value.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                word.value
            ));
        };
        // The key never contains quotes before its `=`, so its length in the source is its
        // length in the word.
        let eq = word.start + name.len();
        args.push(ctx.arg(Word::new(name, word.start, eq)));
        args.push(ctx.arg(Word::new(value, eq + 1, word.end)));
        args.push(ctx.arg(Word::new("=", eq, eq + 1)));
    }
    Ok(args)
}

/// `HEALTHCHECK [flags] TYPE rest`: the type, then the rest as `CMD` would take it.
fn health_config(
    ctx: &Context<'_>,
    rest: &str,
    base: usize,
    parsed: &mut Parsed,
) -> Result<(), String> {
    let sep = rest
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(rest.len());
    if sep == 0 {
        return Ok(());
    }
    let next = rest[sep..]
        .find(|c: char| !c.is_ascii_whitespace())
        .map_or(rest.len(), |i| sep + i);
    parsed
        .args
        .push(ctx.arg(Word::new(&rest[..sep], base, base + sep)));
    let command = &rest[next..];
    if !command.is_empty() {
        let mut inner = Parsed::default();
        maybe_json(ctx, command, base + next, &mut inner, false)?;
        parsed.json = inner.json;
        parsed.args.extend(inner.args);
    }
    Ok(())
}

/// Only `RUN`, `COPY` and `ADD` in shell form (also under `ONBUILD`) take heredocs.
pub(crate) fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match (&instruction.keyword[..], &instruction.child) {
        ("onbuild", Some(child)) => child,
        _ => instruction,
    };
    matches!(target.keyword.as_str(), "run" | "copy" | "add") && !target.json
}

struct NoEnv;

impl Env for NoEnv {
    fn get(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// BuildKit's `heredocsFromLine`: every word of the line that reads `[n]<<[-]WORD`.
pub(crate) fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    let mut lexer = Lexer::new('\\');
    lexer.raw_quotes = true;
    lexer.raw_escapes = true;
    lexer.skip_unset_env = true;
    let words = lexer.process_words(line, &NoEnv).unwrap_or_default();
    let mut heredocs = Vec::new();
    for word in words {
        if let Some(heredoc) = parse_heredoc(&word)? {
            heredocs.push(heredoc);
        }
    }
    Ok(heredocs)
}

/// `^(\d*)<<(-?)([^<]*)$`, then the delimiter word: quoted anywhere means no expansion.
fn parse_heredoc(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let file_descriptor = word[..digits].parse().unwrap_or(0);
    let mut lexer = Lexer::new('\\');
    lexer.skip_unset_env = true;
    let words = lexer
        .process_words(rest, &NoEnv)
        .map_err(|e| e.to_string())?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    lexer.raw_quotes = true;
    let raw = lexer
        .process_words(rest, &NoEnv)
        .map_err(|e| e.to_string())?;
    let [raw_name] = raw.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    Ok(Some(Heredoc {
        name: name.clone(),
        file_descriptor,
        expand: quotes(name) == quotes(raw_name),
        chomp,
        content: String::new(),
        span: Span::default(),
    }))
}
