//! `.minicheck.yaml`: the user's policy. Which findings fail a run (`failure-threshold`), which
//! rules are ignored or given another severity (`ignored`, `override`), and what the catalog
//! should know besides its own data (`trusted-registries`, `mirrors`, `pairs`, `shell-less`).
//! `docs/configuration.md` is the user documentation of every key.
//!
//! [`parse_config`] turns the file's text into a [`Config`] or one [`ConfigError`] that names the
//! line and column of the offending node. The CLI finds the file and reads it; this module does
//! no I/O.
//!
//! The YAML is read by `serde_yaml_ng`, but not into derived structs: every node is read by a
//! hand-written [`DeserializeSeed`] that checks the value while the deserializer still stands on
//! it. An error raised there carries that node's position, which is how "unknown rule at 3:5"
//! points at the rule and not at the start of the file, and the messages are ours, not serde's.

use crate::report::Severity;
use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::cell::RefCell;
use std::fmt;

/// The parsed configuration. `Config::default()` is the policy when no file is found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `failure-threshold`: the lowest severity that fails the run; `None` when not set.
    pub failure_threshold: Option<Threshold>,
    /// `ignored`: rule codes (`MC004`), upper-cased, never reported.
    pub ignored: Vec<String>,
    /// `override`: rule code → severity.
    pub overrides: Vec<(String, Severity)>,
    /// `trusted-registries`: patterns (`ghcr.io/acme`, `*.example.com`, `registry.acme.io/base*`).
    pub trusted_registries: Vec<RegistryPattern>,
    /// `mirrors`: where a vendor's images live now.
    pub mirrors: Vec<Mirror>,
    /// `pairs`: extra dev → production image pairs.
    pub pairs: Vec<ImagePair>,
    /// `shell-less`: images without `/bin/sh`, besides the catalog's.
    pub shell_less: Vec<RegistryPattern>,
    /// `require-digest`: MC004 also fires for a final image not pinned by digest.
    pub require_digest: bool,
    /// `disable-inline-ignores`: `# minicheck ignore=` comments are not honoured.
    pub disable_inline_ignores: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    At(Severity),
    Never,
}

/// A registry path prefix mapped to the vendor whose images it mirrors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    /// `ghcr.io/acme/minimus`
    pub prefix: String,
    /// A catalog vendor id: `minimus`.
    pub vendor: String,
    /// Where the images came from: `reg.mini.dev`.
    pub upstream: String,
}

/// A dev image and the production images that are its runtime twins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagePair {
    pub vendor: String,
    pub dev: String,
    pub production: Vec<String>,
}

/// A registry or repository pattern: an exact prefix at a path boundary (`ghcr.io/acme`),
/// a host wildcard (`*.example.com`), or a prefix wildcard (`registry.acme.io/base*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryPattern(pub String);

impl RegistryPattern {
    /// Whether the image name (`domain/path`, no tag) matches.
    pub fn matches(&self, name: &str) -> bool {
        let pattern = self.0.as_str();
        if let Some(prefix) = pattern.strip_suffix('*') {
            return name.starts_with(prefix);
        }
        if let Some(suffix) = pattern.strip_prefix("*.") {
            let host = name.split('/').next().unwrap_or("");
            return host.ends_with(&format!(".{suffix}"));
        }
        name == pattern || name.starts_with(&format!("{pattern}/"))
    }

    /// A pattern as a user writes it, checked: not empty, no whitespace, no scheme, no tag or
    /// digest, and `*` only as a leading `*.` (then a host without a path) or as the last
    /// character, never both. A plain prefix loses trailing `/`s (`ghcr.io/acme/` is
    /// `ghcr.io/acme`). The error is the reason, for a sentence such as "invalid pattern …: …".
    pub fn parse(text: &str) -> Result<RegistryPattern, String> {
        if text.is_empty() {
            return Err("a pattern must not be empty".into());
        }
        if text.chars().any(char::is_whitespace) {
            return Err("a pattern cannot contain whitespace".into());
        }
        if let Some(end) = text.find("://") {
            return Err(format!(
                "remove `{}`: a pattern names a registry or repository, not a URL",
                &text[..end + 3]
            ));
        }
        let host_wildcard = text.starts_with("*.");
        let prefix_wildcard = text.ends_with('*');
        if host_wildcard && prefix_wildcard {
            return Err("`*` may start a pattern as `*.` or end it, not both".into());
        }
        let body = if host_wildcard {
            &text[2..]
        } else if prefix_wildcard {
            &text[..text.len() - 1]
        } else {
            text.trim_end_matches('/')
        };
        if body.contains('*') {
            return Err(
                "`*` may only start a pattern as `*.` (`*.example.com`) or end it (`ghcr.io/acme/base*`)"
                    .into(),
            );
        }
        if body.is_empty() && (host_wildcard || prefix_wildcard) {
            return Err("a pattern needs a registry or repository besides `*`".into());
        }
        if body.is_empty() {
            return Err("a pattern needs a registry or repository".into());
        }
        if body.starts_with('/') || body.contains("//") {
            return Err(
                "a pattern starts with a registry host and has no empty path segments".into(),
            );
        }
        if host_wildcard && body.contains('/') {
            return Err("a `*.` pattern matches registry hosts and cannot have a path".into());
        }
        if body.contains('@') {
            return Err("a pattern matches image names and cannot have a digest".into());
        }
        if body
            .split_once('/')
            .is_some_and(|(_, path)| path.contains(':'))
        {
            return Err("a pattern matches image names and cannot have a tag".into());
        }
        if host_wildcard || prefix_wildcard {
            Ok(RegistryPattern(text.to_string()))
        } else {
            Ok(RegistryPattern(body.to_string()))
        }
    }
}

/// Why a configuration file was rejected, at the offending node: `path:line:column: message`.
/// Lines and columns are 1-based; columns count characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Parses and checks a configuration file's text.
///
/// `path` is only used in error messages. `known_rule` maps a code or name to the canonical code
/// (e.g. "final-base-unpinned" -> Some("MC004")); `known_vendor` says whether a vendor id exists.
/// An empty file, or one with only comments, is the empty configuration. Never panics; a huge or
/// deeply nested document is rejected or read without recursion.
pub fn parse_config(
    text: &str,
    path: &str,
    known_rule: &dyn Fn(&str) -> Option<&'static str>,
    known_vendor: &dyn Fn(&str) -> bool,
) -> Result<Config, ConfigError> {
    let cx = Cx {
        known_rule,
        known_vendor,
        message: RefCell::new(None),
    };
    let error = |e: serde_yaml_ng::Error| cx.error(&e, text, path);

    // libyaml's scanner does work proportional to the flow nesting depth for every token it
    // reads, so a document costs its length times its depth: 100,000 nested `{a: ` take half a
    // minute in a release build. The depth is at most the number of `[` and `{`, wherever they
    // are, so bounding that number by the length bounds the work before the parser starts.
    let allowed = FLOW_BUDGET / text.len().max(1);
    if let Some((offset, _)) = text.match_indices(['[', '{']).nth(allowed) {
        let (line, column) = line_column(text, offset);
        return Err(ConfigError {
            path: path.to_string(),
            line,
            column,
            message: format!(
                "more than {allowed} `[` and `{{` in a file of {} bytes: write lists and mappings in block style",
                text.len()
            ),
        });
    }

    // First the syntax of the whole stream (without recursion, whatever the nesting), so a
    // syntax error is reported even when a semantic one comes before it; then: one document.
    let mut stream = serde_yaml_ng::Deserializer::from_str(text);
    if let Some(first) = stream.next() {
        IgnoredAny::deserialize(first).map_err(error)?;
    }
    if let Some(second) = stream.next() {
        let node = Node {
            cx: &cx,
            shape: &mut SecondDocument,
        };
        return Err(match node.deserialize(second) {
            Err(e) => error(e),
            // Unreachable: every node of a second document is an error.
            Ok(()) => ConfigError {
                path: path.to_string(),
                line: 1,
                column: 1,
                message: SecondDocument.wrong(Found::Null),
            },
        });
    }

    // Then the meaning of the one document.
    let mut config = Config::default();
    if let Some(document) = serde_yaml_ng::Deserializer::from_str(text).next() {
        let mut top = TopLevel {
            config: &mut config,
            keys: Keys::default(),
        };
        let node = Node {
            cx: &cx,
            shape: &mut top,
        };
        node.deserialize(document).map_err(error)?;
    }
    Ok(config)
}

/// The most work (input length × flow collection openers) the YAML parser is given.
const FLOW_BUDGET: usize = 50_000_000;

const TOP_KEYS: &[&str] = &[
    "failure-threshold",
    "ignored",
    "override",
    "trusted-registries",
    "mirrors",
    "pairs",
    "shell-less",
    "require-digest",
    "disable-inline-ignores",
];
const THRESHOLDS: &[&str] = &["error", "warning", "info", "never"];
const SEVERITIES: &[&str] = &["error", "warning", "info"];
const MIRROR_KEYS: &[&str] = &["prefix", "vendor", "upstream"];
const PAIR_KEYS: &[&str] = &["vendor", "dev", "production"];

/// What the checks need, and the message of the error being raised.
///
/// serde_yaml_ng adds the position of the node being read to an error raised while reading it,
/// but its `Display` also adds a path and "at line … column …". The message is kept here as
/// written and taken back with the position in [`Cx::error`].
struct Cx<'a> {
    known_rule: &'a dyn Fn(&str) -> Option<&'static str>,
    known_vendor: &'a dyn Fn(&str) -> bool,
    message: RefCell<Option<String>>,
}

impl Cx<'_> {
    fn fail<E: de::Error>(&self, message: String) -> E {
        let error = E::custom(&message);
        // The first error raised is the one that stops the parse; nothing catches one.
        if let Ok(mut slot) = self.message.try_borrow_mut()
            && slot.is_none()
        {
            *slot = Some(message);
        }
        error
    }

    fn error(&self, e: &serde_yaml_ng::Error, text: &str, path: &str) -> ConfigError {
        let (mut line, mut column) = e
            .location()
            .map_or((1, 1), |l| (to_u32(l.line()), to_u32(l.column())));
        let ours = self
            .message
            .try_borrow_mut()
            .ok()
            .and_then(|mut m| m.take());
        let message = match ours {
            Some(message) => message,
            None => {
                let (message, offset) = yaml_message(&e.to_string());
                if let Some(offset) = offset {
                    (line, column) = line_column(text, offset);
                }
                message
            }
        };
        // libyaml places an error at the end of input one line below a last line without a
        // newline; no editor can go there.
        let end = line_column(text, text.len());
        if (line, column) > end {
            (line, column) = end;
        }
        ConfigError {
            path: path.to_string(),
            line: line.max(1),
            column: column.max(1),
            message,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A message of the YAML library, without the positions it writes into it:
/// `{problem}[ at line L column C| at position N][, {context}[ at line L column C]]`.
/// Returns the byte offset when the position was given only as one (libyaml's reader errors).
fn yaml_message(display: &str) -> (String, Option<usize>) {
    let (problem, context) = match display.split_once(", ") {
        Some((problem, context)) => (problem, Some(context)),
        None => (display, None),
    };
    let mut offset = None;
    let problem = if let Some(i) = problem.find(" at line ") {
        &problem[..i]
    } else if let Some(i) = problem.find(" at position ") {
        offset = problem[i + " at position ".len()..].parse::<usize>().ok();
        &problem[..i]
    } else {
        problem
    };
    let mut message = format!("invalid YAML: {problem}");
    if let Some(context) = context {
        let context = match context.split_once(" at line ") {
            Some((what, at)) => match at.split_once(" column ") {
                Some((l, c)) => format!("{what} at {l}:{c}"),
                None => context.to_string(),
            },
            None => context.to_string(),
        };
        message.push_str(&format!(" ({context})"));
    }
    (message, offset)
}

/// The 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (to_u32(line), to_u32(column))
}

/// A value quoted for a message: in backticks, control characters escaped, long values cut.
fn quote(s: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::from("`");
    for (i, c) in s.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

/// `a, b, c`
fn list(items: &[&str]) -> String {
    items.join(", ")
}

/// ` (did you mean `failure-threshold`?)` when one allowed word is close to what was written.
fn suggestion(written: &str, allowed: &[&str]) -> String {
    if written.chars().count() > 64 {
        return String::new();
    }
    let normal = written.to_ascii_lowercase().replace('_', "-");
    let best = allowed
        .iter()
        .map(|a| (edit_distance(&normal, a), *a))
        .min_by_key(|(d, _)| *d);
    let prefix = allowed
        .iter()
        .find(|a| normal.len() >= 3 && a.starts_with(normal.as_str()));
    match (best, prefix) {
        (Some((d, a)), _) if d <= (a.len() / 3).max(2) => format!(" (did you mean `{a}`?)"),
        (_, Some(a)) => format!(" (did you mean `{a}`?)"),
        _ => String::new(),
    }
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// What a node turned out to be, for "… must be …, found …" messages.
enum Found<'a> {
    Str(&'a str),
    Bool(bool),
    Number,
    Null,
    List,
    Mapping,
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Str(s) => write!(f, "the string {}", quote(s)),
            Found::Bool(b) => write!(f, "the boolean `{b}`"),
            Found::Number => f.write_str("a number"),
            Found::Null => f.write_str("an empty value"),
            Found::List => f.write_str("a list"),
            Found::Mapping => f.write_str("a mapping"),
        }
    }
}

/// One kind of node of the file: what it accepts and how it checks it. A method returns the
/// error message for the node being read; anything a shape does not accept is a type error.
///
/// The shapes are trait objects read by the one visitor [`Node`], so the deserializer is
/// instantiated once, not once per kind of node (that would add tens of KB to the WebAssembly
/// module). Lists and mappings hand out a shape for each element, key and value in turn.
trait Shape {
    /// The first half of a type error: "`ignored` must be a list of rule codes or names".
    fn expected(&self) -> String;

    fn wrong(&self, found: Found<'_>) -> String {
        type_error(&self.expected(), found)
    }

    fn string(&mut self, cx: &Cx<'_>, v: &str) -> Result<(), String> {
        let _ = cx;
        Err(self.wrong(Found::Str(v)))
    }

    fn boolean(&mut self, v: bool) -> Result<(), String> {
        Err(self.wrong(Found::Bool(v)))
    }

    fn number(&mut self) -> Result<(), String> {
        Err(self.wrong(Found::Number))
    }

    fn null(&mut self) -> Result<(), String> {
        Err(self.wrong(Found::Null))
    }

    /// A list starts; [`Shape::element`] is then asked for a shape for each element.
    fn start_list(&mut self) -> Result<(), String> {
        Err(self.wrong(Found::List))
    }

    fn element(&mut self) -> Box<dyn Shape + '_> {
        Box::new(Nothing)
    }

    /// A mapping starts; [`Shape::key`] and [`Shape::value`] are then asked in turn.
    fn start_mapping(&mut self) -> Result<(), String> {
        Err(self.wrong(Found::Mapping))
    }

    fn key(&mut self) -> Box<dyn Shape + '_> {
        Box::new(Nothing)
    }

    fn value(&mut self) -> Box<dyn Shape + '_> {
        Box::new(Nothing)
    }

    /// The list or mapping ended.
    fn end(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// "`ignored` must be a list of rule codes or names, found the string `MC004`"
fn type_error(expected: &str, found: Found<'_>) -> String {
    let hint = match found {
        Found::Bool(_) | Found::Number if expected.contains("string") => {
            " (quote it to write it as text)"
        }
        _ => "",
    };
    format!("{expected}, found {found}{hint}")
}

/// Accepts anything and keeps nothing: what a shape that takes no elements hands out.
struct Nothing;

impl Shape for Nothing {
    fn expected(&self) -> String {
        String::new()
    }

    fn string(&mut self, _: &Cx<'_>, _: &str) -> Result<(), String> {
        Ok(())
    }

    fn boolean(&mut self, _: bool) -> Result<(), String> {
        Ok(())
    }

    fn number(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_list(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_mapping(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// Reads any node into a [`Shape`]. Errors raised here carry the node's position.
struct Node<'a, 's> {
    cx: &'a Cx<'a>,
    shape: &'s mut (dyn Shape + 's),
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Node<'_, '_> {
    fn check<E: de::Error>(&self, result: Result<(), String>) -> Result<(), E> {
        result.map_err(|message| self.cx.fail(message))
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shape.expected())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        let result = self.shape.boolean(v);
        self.check(result)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        let result = self.shape.number();
        self.check(result)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        let result = self.shape.number();
        self.check(result)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        let result = self.shape.number();
        self.check(result)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        let result = self.shape.number();
        self.check(result)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        let result = self.shape.number();
        self.check(result)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        let result = self.shape.string(self.cx, v);
        self.check(result)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        Err(self.cx.fail("binary values are not supported".into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        let result = self.shape.null();
        self.check(result)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        let result = self.shape.null();
        self.check(result)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let cx = self.cx;
        let result = self.shape.start_list();
        self.check(result)?;
        loop {
            let mut element = self.shape.element();
            let node = Node {
                cx,
                shape: &mut *element,
            };
            if seq.next_element_seed(node)?.is_none() {
                break;
            }
        }
        let result = self.shape.end();
        self.check(result)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let cx = self.cx;
        let result = self.shape.start_mapping();
        self.check(result)?;
        loop {
            let mut key = self.shape.key();
            let node = Node {
                cx,
                shape: &mut *key,
            };
            if map.next_key_seed(node)?.is_none() {
                break;
            }
            drop(key);
            let mut value = self.shape.value();
            map.next_value_seed(Node {
                cx,
                shape: &mut *value,
            })?;
        }
        let result = self.shape.end();
        self.check(result)
    }

    /// serde_yaml_ng hands a node with a tag (`!foo x`) over as an enum.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (tag, _) = data.variant::<String>()?;
        let bang = if tag.starts_with('!') { "" } else { "!" };
        Err(self
            .cx
            .fail(format!("YAML tags are not supported: remove `{bang}{tag}`")))
    }
}

/// A document after the first, whatever it holds.
struct SecondDocument;

impl Shape for SecondDocument {
    fn expected(&self) -> String {
        String::new()
    }

    fn wrong(&self, _: Found<'_>) -> String {
        "a second YAML document: the configuration is one document, remove the `---` before this"
            .into()
    }
}

/// A mapping key: one of `allowed`, not one already seen.
struct Key<'k> {
    allowed: &'static [&'static str],
    /// `key` or `severity`.
    noun: &'static str,
    /// `keys` or `severities`.
    nouns: &'static str,
    /// Where, for messages: "" at the top level, " in a mirror", ...
    place: &'static str,
    /// The keys of the mapping so far; the one read is pushed.
    seen: &'k mut Vec<&'static str>,
}

impl Shape for Key<'_> {
    fn expected(&self) -> String {
        format!("a {} must be a string", self.noun)
    }

    fn string(&mut self, _: &Cx<'_>, v: &str) -> Result<(), String> {
        let (noun, nouns, place) = (self.noun, self.nouns, self.place);
        match self.allowed.iter().find(|a| **a == v) {
            Some(key) if self.seen.contains(key) => Err(format!("duplicate {noun} `{key}`{place}")),
            Some(key) => {
                self.seen.push(key);
                Ok(())
            }
            None => Err(format!(
                "unknown {noun} {}{place}{}; the allowed {nouns} are {}",
                quote(v),
                suggestion(v, self.allowed),
                list(self.allowed)
            )),
        }
    }
}

/// The keys of a mapping read so far; the last is the one whose value comes next.
#[derive(Default)]
struct Keys(Vec<&'static str>);

impl Keys {
    fn key(
        &mut self,
        allowed: &'static [&'static str],
        place: &'static str,
    ) -> Box<dyn Shape + '_> {
        Box::new(Key {
            allowed,
            noun: "key",
            nouns: "keys",
            place,
            seen: &mut self.0,
        })
    }

    fn current(&self) -> &'static str {
        self.0.last().copied().unwrap_or("")
    }
}

/// The whole document: a mapping of the top-level keys, or nothing at all.
struct TopLevel<'c> {
    config: &'c mut Config,
    keys: Keys,
}

impl Shape for TopLevel<'_> {
    fn expected(&self) -> String {
        format!(
            "the configuration must be a mapping of keys ({}) to values",
            list(TOP_KEYS)
        )
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_mapping(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn key(&mut self) -> Box<dyn Shape + '_> {
        self.keys.key(TOP_KEYS, "")
    }

    fn value(&mut self) -> Box<dyn Shape + '_> {
        let config = &mut *self.config;
        match self.keys.current() {
            "failure-threshold" => Box::new(ThresholdShape(&mut config.failure_threshold)),
            "ignored" => Box::new(RuleList {
                place: "`ignored`",
                sink: Sink::Ignored(&mut config.ignored),
            }),
            "override" => Box::new(Override {
                overrides: &mut config.overrides,
                keys: Keys::default(),
            }),
            "trusted-registries" => Box::new(PatternList {
                key: "trusted-registries",
                out: &mut config.trusted_registries,
            }),
            "shell-less" => Box::new(PatternList {
                key: "shell-less",
                out: &mut config.shell_less,
            }),
            "mirrors" => Box::new(MirrorList(&mut config.mirrors)),
            "pairs" => Box::new(PairList(&mut config.pairs)),
            "require-digest" => Box::new(Flag {
                key: "require-digest",
                out: &mut config.require_digest,
            }),
            _ => Box::new(Flag {
                key: "disable-inline-ignores",
                out: &mut config.disable_inline_ignores,
            }),
        }
    }
}

/// `failure-threshold`.
struct ThresholdShape<'o>(&'o mut Option<Threshold>);

impl Shape for ThresholdShape<'_> {
    fn expected(&self) -> String {
        format!("`failure-threshold` must be one of {}", list(THRESHOLDS))
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn string(&mut self, _: &Cx<'_>, v: &str) -> Result<(), String> {
        *self.0 = match (v, Severity::parse(v)) {
            ("never", _) => Some(Threshold::Never),
            (_, Some(severity)) => Some(Threshold::At(severity)),
            (_, None) => {
                return Err(format!(
                    "unknown failure-threshold {}{}; expected one of {}",
                    quote(v),
                    suggestion(v, THRESHOLDS),
                    list(THRESHOLDS)
                ));
            }
        };
        Ok(())
    }
}

/// Where the rules of a rule list go.
enum Sink<'o> {
    Ignored(&'o mut Vec<String>),
    Override(Severity, &'o mut Vec<(String, Severity)>),
}

/// A list of rule codes or names: `ignored`, or one severity of `override`.
struct RuleList<'o> {
    place: &'static str,
    sink: Sink<'o>,
}

impl Shape for RuleList<'_> {
    fn expected(&self) -> String {
        format!("{} must be a list of rule codes or names", self.place)
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn string(&mut self, _: &Cx<'_>, v: &str) -> Result<(), String> {
        Err(format!(
            "{}, found the string {} (write a list: `[{}]`)",
            self.expected(),
            quote(v),
            v.chars().take(60).collect::<String>()
        ))
    }

    fn start_list(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn element(&mut self) -> Box<dyn Shape + '_> {
        Box::new(Rule {
            place: self.place,
            sink: &mut self.sink,
        })
    }
}

/// One rule code or name.
struct Rule<'s, 'o> {
    place: &'static str,
    sink: &'s mut Sink<'o>,
}

impl Shape for Rule<'_, '_> {
    fn expected(&self) -> String {
        format!(
            "each entry of {} must be a rule code or name (a string)",
            self.place
        )
    }

    fn string(&mut self, cx: &Cx<'_>, v: &str) -> Result<(), String> {
        let Some(code) = (cx.known_rule)(v) else {
            return Err(format!("unknown rule {} in {}", quote(v), self.place));
        };
        match &mut *self.sink {
            Sink::Ignored(ignored) => {
                if !ignored.iter().any(|c| c == code) {
                    ignored.push(code.to_string());
                }
            }
            Sink::Override(severity, overrides) => {
                match overrides.iter().find(|(c, _)| c == code) {
                    Some((_, before)) if *before != *severity => {
                        return Err(format!(
                            "rule {code} is overridden twice, to `{}` and to `{}`",
                            before.as_str(),
                            severity.as_str()
                        ));
                    }
                    Some(_) => {}
                    None => overrides.push((code.to_string(), *severity)),
                }
            }
        }
        Ok(())
    }
}

/// `override`: a mapping from severities to rule lists.
struct Override<'o> {
    overrides: &'o mut Vec<(String, Severity)>,
    keys: Keys,
}

impl Shape for Override<'_> {
    fn expected(&self) -> String {
        format!(
            "`override` must be a mapping from severities ({}) to lists of rules",
            list(SEVERITIES)
        )
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_mapping(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn key(&mut self) -> Box<dyn Shape + '_> {
        Box::new(Key {
            allowed: SEVERITIES,
            noun: "severity",
            nouns: "severities",
            place: " in `override`",
            seen: &mut self.keys.0,
        })
    }

    fn value(&mut self) -> Box<dyn Shape + '_> {
        let (severity, place) = match self.keys.current() {
            "error" => (Severity::Error, "`override.error`"),
            "warning" => (Severity::Warning, "`override.warning`"),
            _ => (Severity::Info, "`override.info`"),
        };
        Box::new(RuleList {
            place,
            sink: Sink::Override(severity, &mut *self.overrides),
        })
    }
}

/// `trusted-registries` or `shell-less`: a list of [`RegistryPattern`]s.
struct PatternList<'o> {
    key: &'static str,
    out: &'o mut Vec<RegistryPattern>,
}

impl Shape for PatternList<'_> {
    fn expected(&self) -> String {
        format!("`{}` must be a list of registry patterns", self.key)
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_list(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn element(&mut self) -> Box<dyn Shape + '_> {
        Box::new(Pattern {
            key: self.key,
            out: &mut *self.out,
        })
    }
}

/// One registry pattern.
struct Pattern<'o> {
    key: &'static str,
    out: &'o mut Vec<RegistryPattern>,
}

impl Shape for Pattern<'_> {
    fn expected(&self) -> String {
        format!("each entry of `{}` must be a pattern (a string)", self.key)
    }

    fn string(&mut self, _: &Cx<'_>, v: &str) -> Result<(), String> {
        match RegistryPattern::parse(v) {
            Ok(pattern) => {
                self.out.push(pattern);
                Ok(())
            }
            Err(_) if v.is_empty() => Err(format!("empty pattern in `{}`", self.key)),
            Err(reason) => Err(format!(
                "invalid pattern {} in `{}`: {reason}",
                quote(v),
                self.key
            )),
        }
    }
}

/// `mirrors`.
struct MirrorList<'o>(&'o mut Vec<Mirror>);

impl Shape for MirrorList<'_> {
    fn expected(&self) -> String {
        "`mirrors` must be a list of mappings with `prefix`, `vendor` and `upstream`".into()
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_list(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn element(&mut self) -> Box<dyn Shape + '_> {
        Box::new(MirrorShape {
            out: &mut *self.0,
            fields: [None, None, None],
            keys: Keys::default(),
        })
    }
}

/// One mirror; `fields` in the order of [`MIRROR_KEYS`].
struct MirrorShape<'o> {
    out: &'o mut Vec<Mirror>,
    fields: [Option<String>; 3],
    keys: Keys,
}

impl Shape for MirrorShape<'_> {
    fn expected(&self) -> String {
        "each mirror must be a mapping with `prefix`, `vendor` and `upstream`".into()
    }

    fn start_mapping(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn key(&mut self) -> Box<dyn Shape + '_> {
        self.keys.key(MIRROR_KEYS, " in a mirror")
    }

    fn value(&mut self) -> Box<dyn Shape + '_> {
        let [prefix, vendor, upstream] = &mut self.fields;
        match self.keys.current() {
            "prefix" => Box::new(Text {
                key: "prefix",
                kind: TextKind::Location,
                out: prefix,
            }),
            "vendor" => Box::new(Text {
                key: "vendor",
                kind: TextKind::Vendor,
                out: vendor,
            }),
            _ => Box::new(Text {
                key: "upstream",
                kind: TextKind::Location,
                out: upstream,
            }),
        }
    }

    fn end(&mut self) -> Result<(), String> {
        match &mut self.fields {
            [Some(prefix), Some(vendor), Some(upstream)] => {
                self.out.push(Mirror {
                    prefix: std::mem::take(prefix),
                    vendor: std::mem::take(vendor),
                    upstream: std::mem::take(upstream),
                });
                Ok(())
            }
            fields => Err(missing("mirror", MIRROR_KEYS, fields)),
        }
    }
}

/// `pairs`.
struct PairList<'o>(&'o mut Vec<ImagePair>);

impl Shape for PairList<'_> {
    fn expected(&self) -> String {
        "`pairs` must be a list of mappings with `vendor`, `dev` and `production`".into()
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn start_list(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn element(&mut self) -> Box<dyn Shape + '_> {
        Box::new(PairShape {
            out: &mut *self.0,
            vendor: None,
            dev: None,
            production: None,
            keys: Keys::default(),
        })
    }
}

/// One pair.
struct PairShape<'o> {
    out: &'o mut Vec<ImagePair>,
    vendor: Option<String>,
    dev: Option<String>,
    production: Option<Vec<String>>,
    keys: Keys,
}

impl Shape for PairShape<'_> {
    fn expected(&self) -> String {
        "each pair must be a mapping with `vendor`, `dev` and `production`".into()
    }

    fn start_mapping(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn key(&mut self) -> Box<dyn Shape + '_> {
        self.keys.key(PAIR_KEYS, " in a pair")
    }

    fn value(&mut self) -> Box<dyn Shape + '_> {
        match self.keys.current() {
            "vendor" => Box::new(Text {
                key: "vendor",
                kind: TextKind::Vendor,
                out: &mut self.vendor,
            }),
            "dev" => Box::new(Text {
                key: "dev",
                kind: TextKind::ImageName,
                out: &mut self.dev,
            }),
            _ => Box::new(ProductionList(self.production.insert(Vec::new()))),
        }
    }

    fn end(&mut self) -> Result<(), String> {
        match (&mut self.vendor, &mut self.dev, &mut self.production) {
            (Some(vendor), Some(dev), Some(production)) => {
                self.out.push(ImagePair {
                    vendor: std::mem::take(vendor),
                    dev: std::mem::take(dev),
                    production: std::mem::take(production),
                });
                Ok(())
            }
            (vendor, dev, production) => Err(missing(
                "pair",
                PAIR_KEYS,
                &[
                    vendor.is_some().then(String::new),
                    dev.is_some().then(String::new),
                    production.is_some().then(String::new),
                ],
            )),
        }
    }
}

/// A pair's `production`: a non-empty list of image names.
struct ProductionList<'o>(&'o mut Vec<String>);

impl Shape for ProductionList<'_> {
    fn expected(&self) -> String {
        "`production` must be a list of image names".into()
    }

    fn start_list(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn element(&mut self) -> Box<dyn Shape + '_> {
        Box::new(ProductionName(&mut *self.0))
    }

    fn end(&mut self) -> Result<(), String> {
        if self.0.is_empty() {
            return Err("`production` must name at least one image".into());
        }
        Ok(())
    }
}

/// One entry of `production`.
struct ProductionName<'o>(&'o mut Vec<String>);

impl Shape for ProductionName<'_> {
    fn expected(&self) -> String {
        "each entry of `production` must be an image name (a string)".into()
    }

    fn string(&mut self, _: &Cx<'_>, v: &str) -> Result<(), String> {
        self.0.push(image_name("each entry of `production`", v)?);
        Ok(())
    }
}

/// An image's short name in a pair: `go`, `static`.
fn image_name(place: &str, v: &str) -> Result<String, String> {
    if v.is_empty() {
        return Err(format!("{place} must not be empty"));
    }
    if v.chars()
        .any(|c| c.is_whitespace() || matches!(c, '/' | ':' | '@'))
    {
        return Err(format!(
            "{place} must be an image name without registry, path, tag or digest (like `python`), found {}",
            quote(v)
        ));
    }
    Ok(v.to_string())
}

#[derive(Clone, Copy)]
enum TextKind {
    /// A catalog vendor id.
    Vendor,
    /// A mirror's `prefix` or `upstream`: a registry and optional path, without wildcards.
    Location,
    /// A pair's `dev`.
    ImageName,
}

/// A string field of a mirror or a pair.
struct Text<'o> {
    key: &'static str,
    kind: TextKind,
    out: &'o mut Option<String>,
}

impl Shape for Text<'_> {
    fn expected(&self) -> String {
        let what = match self.kind {
            TextKind::Vendor => "a catalog vendor id",
            TextKind::Location => "a registry or repository",
            TextKind::ImageName => "an image name",
        };
        format!("`{}` must be {what} (a string)", self.key)
    }

    fn string(&mut self, cx: &Cx<'_>, v: &str) -> Result<(), String> {
        let key = self.key;
        match self.kind {
            TextKind::Vendor if !(cx.known_vendor)(v) => {
                return Err(format!("unknown vendor {}", quote(v)));
            }
            TextKind::Vendor => {}
            TextKind::ImageName => {
                image_name(&format!("`{key}`"), v)?;
            }
            TextKind::Location if v.is_empty() => {
                return Err(format!("`{key}` must not be empty"));
            }
            TextKind::Location => {
                let reason = if v.contains('*') {
                    Some("wildcards are not allowed here".to_string())
                } else {
                    RegistryPattern::parse(v)
                        .err()
                        .map(|reason| reason.replace("a pattern", &format!("`{key}`")))
                };
                if let Some(reason) = reason {
                    return Err(format!("invalid `{key}` {}: {reason}", quote(v)));
                }
            }
        }
        *self.out = Some(v.to_string());
        Ok(())
    }
}

/// `require-digest` or `disable-inline-ignores`.
struct Flag<'o> {
    key: &'static str,
    out: &'o mut bool,
}

impl Shape for Flag<'_> {
    fn expected(&self) -> String {
        format!("`{}` must be `true` or `false`", self.key)
    }

    fn boolean(&mut self, v: bool) -> Result<(), String> {
        *self.out = v;
        Ok(())
    }

    fn null(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// "mirror is missing `vendor` and `upstream`"
fn missing<T>(what: &str, names: &[&str], fields: &[Option<T>]) -> String {
    let absent: Vec<String> = names
        .iter()
        .zip(fields)
        .filter(|(_, field)| field.is_none())
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    let names = match absent.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("{what} is missing {names}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules as `crate::rules::lookup` knows them: code in any case, or kebab name.
    fn known_rule(s: &str) -> Option<&'static str> {
        const RULES: &[(&str, &str)] = &[
            ("MC001", "final-stage-dev-image"),
            ("MC002", "final-stage-not-hardened"),
            ("MC004", "final-base-unpinned"),
            ("MC007", "retired-registry"),
        ];
        RULES
            .iter()
            .find(|(code, name)| code.eq_ignore_ascii_case(s) || *name == s)
            .map(|(code, _)| *code)
    }

    fn known_vendor(s: &str) -> bool {
        matches!(s, "minimus" | "chainguard")
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        parse_config(text, ".minicheck.yaml", &known_rule, &known_vendor)
    }

    /// `line:column: message` of the error.
    fn error(text: &str) -> String {
        match parse(text) {
            Ok(config) => panic!("expected an error for {text:?}, got {config:?}"),
            Err(e) => {
                assert_eq!(e.path, ".minicheck.yaml");
                format!("{}:{}: {}", e.line, e.column, e.message)
            }
        }
    }

    fn pattern(s: &str) -> RegistryPattern {
        RegistryPattern(s.to_string())
    }

    const EXAMPLE: &str = r#"failure-threshold: warning        # error | warning | info | never
ignored: [MC004, final-base-unpinned]   # rule codes or kebab names
override:                         # severity per rule
  error: [MC002]
  warning: [MC007]
  info: []
trusted-registries:               # images from these count as hardened (rule MC002)
  - ghcr.io/acme                  # a registry or repository prefix (at a path boundary)
  - "*.example.com"               # any host under example.com
  - registry.acme.io/base*        # a plain prefix
mirrors:
  - prefix: ghcr.io/acme/minimus  # where the images live now
    vendor: minimus               # a catalog vendor id
    upstream: reg.mini.dev        # where they came from
pairs:                            # extra dev -> production pairs
  - vendor: minimus
    dev: go
    production: [static, glibc-dynamic]
shell-less:                       # images without /bin/sh, besides the catalog's
  - ghcr.io/acme/runtime*
require-digest: false
disable-inline-ignores: false
"#;

    #[test]
    fn the_example_parses_into_the_expected_config() {
        let expected = Config {
            failure_threshold: Some(Threshold::At(Severity::Warning)),
            ignored: vec!["MC004".into()],
            overrides: vec![
                ("MC002".into(), Severity::Error),
                ("MC007".into(), Severity::Warning),
            ],
            trusted_registries: vec![
                pattern("ghcr.io/acme"),
                pattern("*.example.com"),
                pattern("registry.acme.io/base*"),
            ],
            mirrors: vec![Mirror {
                prefix: "ghcr.io/acme/minimus".into(),
                vendor: "minimus".into(),
                upstream: "reg.mini.dev".into(),
            }],
            pairs: vec![ImagePair {
                vendor: "minimus".into(),
                dev: "go".into(),
                production: vec!["static".into(), "glibc-dynamic".into()],
            }],
            shell_less: vec![pattern("ghcr.io/acme/runtime*")],
            require_digest: false,
            disable_inline_ignores: false,
        };
        assert_eq!(parse(EXAMPLE), Ok(expected));
    }

    #[test]
    fn empty_files_are_the_empty_config() {
        for text in [
            "",
            "\n\n",
            "   \n \n",
            "# only a comment",
            "# comments\n\n# and more comments\n",
            "---\n",
            "--- # an empty document\n...\n",
            "~\n",
            "null",
            "{}",
            "\u{feff}# a byte-order mark and a comment\n",
        ] {
            assert_eq!(parse(text), Ok(Config::default()), "{text:?}");
        }
    }

    #[test]
    fn failure_threshold() {
        for (text, expected) in [
            ("error", Some(Threshold::At(Severity::Error))),
            ("warning", Some(Threshold::At(Severity::Warning))),
            ("info", Some(Threshold::At(Severity::Info))),
            ("never", Some(Threshold::Never)),
            ("'never'", Some(Threshold::Never)),
            ("", None),
            ("~", None),
        ] {
            let config = parse(&format!("failure-threshold: {text}\n")).unwrap();
            assert_eq!(config.failure_threshold, expected, "{text:?}");
        }
    }

    #[test]
    fn ignored_holds_canonical_codes_once() {
        let config = parse("ignored:\n  - mc004\n  - final-base-unpinned\n  - MC001\n  - MC004\n");
        assert_eq!(config.unwrap().ignored, ["MC004", "MC001"]);
        assert_eq!(parse("ignored: []").unwrap().ignored, Vec::<String>::new());
        assert_eq!(parse("ignored:").unwrap().ignored, Vec::<String>::new());
    }

    #[test]
    fn overrides_in_file_order_with_canonical_codes() {
        let config = parse(
            "override:\n  info: [retired-registry]\n  error: [mc002, final-stage-dev-image]\n  warning:\n",
        )
        .unwrap();
        assert_eq!(
            config.overrides,
            [
                ("MC007".to_string(), Severity::Info),
                ("MC002".to_string(), Severity::Error),
                ("MC001".to_string(), Severity::Error),
            ]
        );
        // Ignored and overridden: both kept (ignoring wins where it is applied).
        let config = parse("ignored: [MC002]\noverride: {error: [MC002]}").unwrap();
        assert_eq!(config.ignored, ["MC002"]);
        assert_eq!(config.overrides, [("MC002".to_string(), Severity::Error)]);
        // The same rule to the same severity twice is one override.
        let config = parse("override:\n  error: [MC002, final-stage-not-hardened]").unwrap();
        assert_eq!(config.overrides, [("MC002".to_string(), Severity::Error)]);
        assert_eq!(parse("override:").unwrap().overrides, []);
        assert_eq!(parse("override: {}").unwrap().overrides, []);
    }

    #[test]
    fn pattern_lists() {
        let config = parse(
            "trusted-registries: [ghcr.io/acme/, '*.example.com', 'localhost:5000/team*']\nshell-less:\n  - gcr.io/distroless\n",
        )
        .unwrap();
        assert_eq!(
            config.trusted_registries,
            [
                pattern("ghcr.io/acme"),
                pattern("*.example.com"),
                pattern("localhost:5000/team*")
            ]
        );
        assert_eq!(config.shell_less, [pattern("gcr.io/distroless")]);
        assert_eq!(parse("shell-less:").unwrap().shell_less, []);
    }

    #[test]
    fn mirrors_and_pairs_in_flow_style() {
        let config = parse(
            "mirrors: [{vendor: chainguard, upstream: cgr.dev/chainguard, prefix: 'r.acme.io/cg'}]\npairs: [{production: [jre], dev: jdk, vendor: chainguard}]\n",
        )
        .unwrap();
        assert_eq!(
            config.mirrors,
            [Mirror {
                prefix: "r.acme.io/cg".into(),
                vendor: "chainguard".into(),
                upstream: "cgr.dev/chainguard".into(),
            }]
        );
        assert_eq!(
            config.pairs,
            [ImagePair {
                vendor: "chainguard".into(),
                dev: "jdk".into(),
                production: vec!["jre".into()],
            }]
        );
        assert_eq!(parse("mirrors:\npairs: []").unwrap(), Config::default());
    }

    #[test]
    fn flags() {
        let config = parse("require-digest: true\ndisable-inline-ignores: True\n").unwrap();
        assert!(config.require_digest);
        assert!(config.disable_inline_ignores);
        let config = parse("require-digest: false\ndisable-inline-ignores:\n").unwrap();
        assert!(!config.require_digest);
        assert!(!config.disable_inline_ignores);
    }

    #[test]
    fn anchors_and_aliases_are_followed() {
        let config = parse("ignored: &rules [MC004]\noverride: {info: *rules}\n").unwrap();
        assert_eq!(config.ignored, ["MC004"]);
        assert_eq!(config.overrides, [("MC004".to_string(), Severity::Info)]);
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(
            error("ignored: [MC004\n"),
            "2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 1:10)"
        );
        // Without a final newline the end of the input is still on the last line.
        assert_eq!(
            error("a: [b"),
            "1:6: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 1:4)"
        );
        assert_eq!(
            error("ignored: 'MC004\n"),
            "2:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at 1:10)"
        );
        assert_eq!(
            error("ignored: [MC004]\n\tpairs: []\n"),
            "2:1: invalid YAML: found character that cannot start any token (while scanning for the next token)"
        );
        assert_eq!(
            error("override:\n  error: [MC002]\n warning: [MC007]\n"),
            "3:2: invalid YAML: did not find expected key (while parsing a block mapping)"
        );
        assert_eq!(
            error("ignored: [*rules]\n"),
            "1:11: invalid YAML: unknown anchor"
        );
        // A syntax error anywhere wins over a problem with the meaning before it.
        assert_eq!(
            error("unknown-key: 1\nignored: [\n"),
            "3:1: invalid YAML: did not find expected node content (while parsing a flow node)"
        );
    }

    #[test]
    fn control_characters_are_placed_from_their_offset() {
        assert_eq!(
            error("ignored: [MC004]\npairs: [\u{1}]\n"),
            "2:9: invalid YAML: control characters are not allowed"
        );
    }

    #[test]
    fn unknown_and_duplicate_keys() {
        assert_eq!(
            error("failure_threshold: warning\n"),
            "1:1: unknown key `failure_threshold` (did you mean `failure-threshold`?); the allowed keys are failure-threshold, ignored, override, trusted-registries, mirrors, pairs, shell-less, require-digest, disable-inline-ignores"
        );
        assert_eq!(
            error("require-digest: true\nignore: [MC004]\n"),
            "2:1: unknown key `ignore` (did you mean `ignored`?); the allowed keys are failure-threshold, ignored, override, trusted-registries, mirrors, pairs, shell-less, require-digest, disable-inline-ignores"
        );
        assert_eq!(
            error("color: red\n"),
            "1:1: unknown key `color`; the allowed keys are failure-threshold, ignored, override, trusted-registries, mirrors, pairs, shell-less, require-digest, disable-inline-ignores"
        );
        assert_eq!(
            error("<<: {ignored: []}\n"),
            "1:1: unknown key `<<`; the allowed keys are failure-threshold, ignored, override, trusted-registries, mirrors, pairs, shell-less, require-digest, disable-inline-ignores"
        );
        assert_eq!(
            error("ignored: [MC004]\nrequire-digest: true\nignored: []\n"),
            "3:1: duplicate key `ignored`"
        );
        assert_eq!(
            error("mirrors:\n  - prefix: a\n    vendr: minimus\n"),
            "3:5: unknown key `vendr` in a mirror (did you mean `vendor`?); the allowed keys are prefix, vendor, upstream"
        );
        assert_eq!(
            error("mirrors:\n  - prefix: a\n    prefix: b\n"),
            "3:5: duplicate key `prefix` in a mirror"
        );
        assert_eq!(
            error("pairs:\n  - vendor: minimus\n    devel: go\n"),
            "3:5: unknown key `devel` in a pair (did you mean `dev`?); the allowed keys are vendor, dev, production"
        );
        assert_eq!(
            error("pairs: [{dev: go, dev: go}]"),
            "1:19: duplicate key `dev` in a pair"
        );
        assert_eq!(
            error("override:\n  err: [MC002]\n"),
            "2:3: unknown severity `err` in `override` (did you mean `error`?); the allowed severities are error, warning, info"
        );
        assert_eq!(
            error("override:\n  Warning: [MC002]\n"),
            "2:3: unknown severity `Warning` in `override` (did you mean `warning`?); the allowed severities are error, warning, info"
        );
        assert_eq!(
            error("override:\n  info: [MC002]\n  info: [MC004]\n"),
            "3:3: duplicate severity `info` in `override`"
        );
    }

    #[test]
    fn keys_must_be_strings() {
        assert_eq!(
            error("ignored: []\n1: x\n"),
            "2:1: a key must be a string, found a number (quote it to write it as text)"
        );
        assert_eq!(
            error("? [a]\n: b\n"),
            "1:3: a key must be a string, found a list"
        );
        assert_eq!(
            error("null: b\n"),
            "1:1: a key must be a string, found an empty value"
        );
    }

    #[test]
    fn wrong_types() {
        let top = "the configuration must be a mapping of keys (failure-threshold, ignored, override, trusted-registries, mirrors, pairs, shell-less, require-digest, disable-inline-ignores) to values";
        assert_eq!(error("- MC004\n"), format!("1:1: {top}, found a list"));
        assert_eq!(
            error("MC004\n"),
            format!("1:1: {top}, found the string `MC004`")
        );
        assert_eq!(
            error("\n\n  true\n"),
            format!("3:3: {top}, found the boolean `true`")
        );
        for (text, expected) in [
            (
                "ignored: MC004",
                "1:10: `ignored` must be a list of rule codes or names, found the string `MC004` (write a list: `[MC004]`)",
            ),
            (
                "ignored: {MC004: true}",
                "1:10: `ignored` must be a list of rule codes or names, found a mapping",
            ),
            (
                "ignored:\n  - [MC004]",
                "2:5: each entry of `ignored` must be a rule code or name (a string), found a list",
            ),
            (
                "ignored: [MC004, 4]",
                "1:18: each entry of `ignored` must be a rule code or name (a string), found a number (quote it to write it as text)",
            ),
            (
                "failure-threshold: [error]",
                "1:20: `failure-threshold` must be one of error, warning, info, never, found a list",
            ),
            (
                "failure-threshold: 1",
                "1:20: `failure-threshold` must be one of error, warning, info, never, found a number",
            ),
            (
                "override: [MC002]",
                "1:11: `override` must be a mapping from severities (error, warning, info) to lists of rules, found a list",
            ),
            (
                "override:\n  error: MC002",
                "2:10: `override.error` must be a list of rule codes or names, found the string `MC002` (write a list: `[MC002]`)",
            ),
            (
                "trusted-registries: ghcr.io/acme",
                "1:21: `trusted-registries` must be a list of registry patterns, found the string `ghcr.io/acme`",
            ),
            (
                "shell-less: [[a]]",
                "1:14: each entry of `shell-less` must be a pattern (a string), found a list",
            ),
            (
                "trusted-registries:\n  -\n",
                "2:4: each entry of `trusted-registries` must be a pattern (a string), found an empty value",
            ),
            (
                "mirrors: {prefix: a}",
                "1:10: `mirrors` must be a list of mappings with `prefix`, `vendor` and `upstream`, found a mapping",
            ),
            (
                "mirrors: [ghcr.io/acme]",
                "1:11: each mirror must be a mapping with `prefix`, `vendor` and `upstream`, found the string `ghcr.io/acme`",
            ),
            (
                "mirrors: [{prefix: [a]}]",
                "1:20: `prefix` must be a registry or repository (a string), found a list",
            ),
            (
                "mirrors: [{vendor: 3}]",
                "1:20: `vendor` must be a catalog vendor id (a string), found a number (quote it to write it as text)",
            ),
            (
                "pairs: [{production: static}]",
                "1:22: `production` must be a list of image names, found the string `static`",
            ),
            (
                "pairs: [{production: [1.5]}]",
                "1:23: each entry of `production` must be an image name (a string), found a number (quote it to write it as text)",
            ),
            (
                "pairs: [{dev: }]",
                "1:15: `dev` must be an image name (a string), found an empty value",
            ),
            (
                "require-digest: yes",
                "1:17: `require-digest` must be `true` or `false`, found the string `yes`",
            ),
            (
                "disable-inline-ignores: 0",
                "1:25: `disable-inline-ignores` must be `true` or `false`, found a number",
            ),
            (
                "disable-inline-ignores: [true]",
                "1:25: `disable-inline-ignores` must be `true` or `false`, found a list",
            ),
        ] {
            assert_eq!(error(text), expected, "{text:?}");
        }
    }

    #[test]
    fn tags_are_rejected() {
        assert_eq!(
            error("ignored: !rules [MC004]\n"),
            "1:10: YAML tags are not supported: remove `!rules`"
        );
        assert_eq!(
            error("!config\nignored: []\n"),
            "1:1: YAML tags are not supported: remove `!config`"
        );
        assert_eq!(
            error("ignored: ! [MC004]\n"),
            "1:10: YAML tags are not supported: remove `!`"
        );
        // The standard ones resolve as usual.
        assert_eq!(parse("ignored: [!!str MC004]").unwrap().ignored, ["MC004"]);
    }

    #[test]
    fn unknown_values() {
        assert_eq!(
            error("failure-threshold: warn\n"),
            "1:20: unknown failure-threshold `warn` (did you mean `warning`?); expected one of error, warning, info, never"
        );
        assert_eq!(
            error("failure-threshold: always\n"),
            "1:20: unknown failure-threshold `always`; expected one of error, warning, info, never"
        );
        assert_eq!(
            error("ignored:\n  - MC004\n  - MC999\n"),
            "3:5: unknown rule `MC999` in `ignored`"
        );
        assert_eq!(
            error("override:\n  warning: [MC004, final-base-pinned]\n"),
            "2:20: unknown rule `final-base-pinned` in `override.warning`"
        );
        assert_eq!(
            error(
                "mirrors:\n  - prefix: ghcr.io/acme\n    vendor: minimu\n    upstream: reg.mini.dev\n"
            ),
            "3:13: unknown vendor `minimu`"
        );
        assert_eq!(
            error("pairs:\n  - vendor: acme\n    dev: go\n    production: [static]\n"),
            "2:13: unknown vendor `acme`"
        );
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(
            error("ignored: [\"é€\", MC999]\n"),
            "1:11: unknown rule `é€` in `ignored`"
        );
        assert_eq!(
            error("# é€ 😀\nignored: [é€😀, MC999]\n"),
            "2:11: unknown rule `é€😀` in `ignored`"
        );
        assert_eq!(
            error("ignored: [é€😀, MC999]\n"),
            "1:11: unknown rule `é€😀` in `ignored`"
        );
        // 32 characters in, 38 bytes.
        assert_eq!(
            error("trusted-registries: [\"é€😀.io\", \"*\"]\n"),
            "1:32: invalid pattern `*` in `trusted-registries`: a pattern needs a registry or repository besides `*`"
        );
    }

    #[test]
    fn the_same_rule_overridden_to_two_severities() {
        assert_eq!(
            error("override:\n  error: [MC002]\n  warning: [MC007, final-stage-not-hardened]\n"),
            "3:20: rule MC002 is overridden twice, to `error` and to `warning`"
        );
        assert_eq!(
            error("override: {info: [mc004], error: [MC004]}"),
            "1:35: rule MC004 is overridden twice, to `info` and to `error`"
        );
    }

    #[test]
    fn missing_fields() {
        assert_eq!(
            error("mirrors:\n  - prefix: ghcr.io/acme/minimus\n    vendor: minimus\n"),
            "2:5: mirror is missing `upstream`"
        );
        assert_eq!(
            error("mirrors:\n  - vendor: minimus\n"),
            "2:5: mirror is missing `prefix` and `upstream`"
        );
        assert_eq!(
            error("mirrors: [{}]"),
            "1:11: mirror is missing `prefix`, `vendor` and `upstream`"
        );
        assert_eq!(
            error("pairs:\n  - vendor: minimus\n    dev: go\n"),
            "2:5: pair is missing `production`"
        );
        assert_eq!(
            error("mirrors:\n  -\n"),
            "2:4: each mirror must be a mapping with `prefix`, `vendor` and `upstream`, found an empty value"
        );
    }

    #[test]
    fn malformed_patterns() {
        for (text, expected) in [
            ("''", "1:22: empty pattern in `trusted-registries`"),
            (
                "'ghcr.io/ acme'",
                "1:22: invalid pattern `ghcr.io/ acme` in `trusted-registries`: a pattern cannot contain whitespace",
            ),
            (
                "https://ghcr.io/acme",
                "1:22: invalid pattern `https://ghcr.io/acme` in `trusted-registries`: remove `https://`: a pattern names a registry or repository, not a URL",
            ),
            (
                "'*'",
                "1:22: invalid pattern `*` in `trusted-registries`: a pattern needs a registry or repository besides `*`",
            ),
            (
                "'*.'",
                "1:22: invalid pattern `*.` in `trusted-registries`: a pattern needs a registry or repository besides `*`",
            ),
            (
                "'*.example.com*'",
                "1:22: invalid pattern `*.example.com*` in `trusted-registries`: `*` may start a pattern as `*.` or end it, not both",
            ),
            (
                "'ghcr.io/*/base'",
                "1:22: invalid pattern `ghcr.io/*/base` in `trusted-registries`: `*` may only start a pattern as `*.` (`*.example.com`) or end it (`ghcr.io/acme/base*`)",
            ),
            (
                "'*example.com'",
                "1:22: invalid pattern `*example.com` in `trusted-registries`: `*` may only start a pattern as `*.` (`*.example.com`) or end it (`ghcr.io/acme/base*`)",
            ),
            (
                "'*.example.com/team'",
                "1:22: invalid pattern `*.example.com/team` in `trusted-registries`: a `*.` pattern matches registry hosts and cannot have a path",
            ),
            (
                "ghcr.io/acme/python:3",
                "1:22: invalid pattern `ghcr.io/acme/python:3` in `trusted-registries`: a pattern matches image names and cannot have a tag",
            ),
            (
                "ghcr.io/acme/python@sha256:abc",
                "1:22: invalid pattern `ghcr.io/acme/python@sha256:abc` in `trusted-registries`: a pattern matches image names and cannot have a digest",
            ),
            (
                "ghcr.io//acme",
                "1:22: invalid pattern `ghcr.io//acme` in `trusted-registries`: a pattern starts with a registry host and has no empty path segments",
            ),
        ] {
            assert_eq!(
                error(&format!("trusted-registries: [{text}]")),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            error("shell-less:\n  - ok.io/a\n  - '*'\n"),
            "3:5: invalid pattern `*` in `shell-less`: a pattern needs a registry or repository besides `*`"
        );
    }

    #[test]
    fn malformed_mirror_locations_and_pair_names() {
        for (text, expected) in [
            (
                "mirrors: [{prefix: ''}]",
                "1:20: `prefix` must not be empty",
            ),
            (
                "mirrors: [{prefix: 'ghcr.io/acme/*'}]",
                "1:20: invalid `prefix` `ghcr.io/acme/*`: wildcards are not allowed here",
            ),
            (
                "mirrors: [{upstream: 'https://reg.mini.dev'}]",
                "1:22: invalid `upstream` `https://reg.mini.dev`: remove `https://`: `upstream` names a registry or repository, not a URL",
            ),
            (
                "mirrors: [{upstream: 'reg.mini.dev /x'}]",
                "1:22: invalid `upstream` `reg.mini.dev /x`: `upstream` cannot contain whitespace",
            ),
            ("pairs: [{dev: ''}]", "1:15: `dev` must not be empty"),
            (
                "pairs: [{dev: 'reg.mini.dev/go'}]",
                "1:15: `dev` must be an image name without registry, path, tag or digest (like `python`), found `reg.mini.dev/go`",
            ),
            (
                "pairs: [{production: [static, 'go:1']}]",
                "1:31: each entry of `production` must be an image name without registry, path, tag or digest (like `python`), found `go:1`",
            ),
            (
                "pairs: [{vendor: minimus, dev: go, production: []}]",
                "1:48: `production` must name at least one image",
            ),
        ] {
            assert_eq!(error(text), expected, "{text}");
        }
    }

    #[test]
    fn one_document_only() {
        assert_eq!(
            error("ignored: [MC004]\n---\nignored: [MC001]\n"),
            "3:1: a second YAML document: the configuration is one document, remove the `---` before this"
        );
        assert_eq!(
            error("ignored: []\n--- x\n"),
            "2:5: a second YAML document: the configuration is one document, remove the `---` before this"
        );
        // A document end marker alone is fine.
        assert_eq!(parse("ignored: []\n...\n"), Ok(Config::default()));
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(500);
        let message = error(&format!("ignored: [{long}]"));
        assert_eq!(
            message,
            format!("1:11: unknown rule `{}…` in `ignored`", "x".repeat(60))
        );
        assert_eq!(
            error("ignored: [\"a\\tb\"]"),
            "1:11: unknown rule `a\\tb` in `ignored`"
        );
    }

    #[test]
    fn error_display_names_file_line_and_column() {
        let e = parse_config(
            "ignored: [MC999]",
            "sub/.minicheck.yml",
            &known_rule,
            &known_vendor,
        )
        .unwrap_err();
        assert_eq!(
            e,
            ConfigError {
                path: "sub/.minicheck.yml".into(),
                line: 1,
                column: 11,
                message: "unknown rule `MC999` in `ignored`".into(),
            }
        );
        assert_eq!(
            e.to_string(),
            "sub/.minicheck.yml:1:11: unknown rule `MC999` in `ignored`"
        );
    }

    #[test]
    fn registry_pattern_matches() {
        let exact = pattern("ghcr.io/acme");
        assert!(exact.matches("ghcr.io/acme"));
        assert!(exact.matches("ghcr.io/acme/x"));
        assert!(exact.matches("ghcr.io/acme/x/y"));
        assert!(!exact.matches("ghcr.io/acmex/y"));
        assert!(!exact.matches("ghcr.io/acmex"));
        assert!(!exact.matches("ghcr.io"));
        assert!(!exact.matches("docker.io/ghcr.io/acme"));

        let host = pattern("*.example.com");
        assert!(host.matches("r.example.com/x"));
        assert!(host.matches("a.b.example.com/x/y"));
        assert!(!host.matches("example.com/x"));
        assert!(!host.matches("badexample.com/x"));
        assert!(!host.matches("r.example.com.evil.io/x"));
        assert!(!host.matches("docker.io/r.example.com/x"));

        let prefix = pattern("registry.acme.io/base*");
        assert!(prefix.matches("registry.acme.io/base-python"));
        assert!(prefix.matches("registry.acme.io/base"));
        assert!(prefix.matches("registry.acme.io/base/go"));
        assert!(!prefix.matches("registry.acme.io/bas"));
        assert!(!prefix.matches("registry.acme.io/other/base-python"));
    }

    #[test]
    fn registry_pattern_parse() {
        for (written, stored) in [
            ("ghcr.io/acme", "ghcr.io/acme"),
            ("ghcr.io/acme/", "ghcr.io/acme"),
            ("ghcr.io", "ghcr.io"),
            ("localhost:5000/team", "localhost:5000/team"),
            ("*.example.com", "*.example.com"),
            ("registry.acme.io/base*", "registry.acme.io/base*"),
            ("registry.acme.io/base/*", "registry.acme.io/base/*"),
            ("ghcr.io*", "ghcr.io*"),
        ] {
            assert_eq!(
                RegistryPattern::parse(written),
                Ok(pattern(stored)),
                "{written}"
            );
        }
        for bad in [
            "",
            " ",
            "*",
            "**",
            "*.",
            "*.*",
            "*.a*",
            "a*b",
            "/a",
            "a//b",
            "http://a",
            "a b",
            "*.a/b",
            "a/b:1",
            "a@sha256:0",
        ] {
            assert!(RegistryPattern::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggestion("failure_threshold", TOP_KEYS),
            " (did you mean `failure-threshold`?)"
        );
        assert_eq!(
            suggestion("Ignored", TOP_KEYS),
            " (did you mean `ignored`?)"
        );
        assert_eq!(
            suggestion("overrides", TOP_KEYS),
            " (did you mean `override`?)"
        );
        assert_eq!(
            suggestion("trusted-registry", TOP_KEYS),
            " (did you mean `trusted-registries`?)"
        );
        assert_eq!(
            suggestion("shellless", TOP_KEYS),
            " (did you mean `shell-less`?)"
        );
        assert_eq!(suggestion("warn", THRESHOLDS), " (did you mean `warning`?)");
        assert_eq!(suggestion("colour", TOP_KEYS), "");
        assert_eq!(suggestion("x", SEVERITIES), "");
        assert_eq!(suggestion(&"a".repeat(10_000), TOP_KEYS), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    /// 100,000 nested `[` (open, closed, as a value and as a key), `{` and `- `: an error, in
    /// well under a second, and no stack overflow.
    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let n = 100_000;
        let open = "[".repeat(n);
        let closed = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let braces = format!("{}{}", "{a: ".repeat(n), "}".repeat(n));
        for text in [
            open.clone(),
            closed.clone(),
            format!("ignored: {open}"),
            format!("ignored: {closed}"),
            format!("override: {{error: {closed}}}"),
            format!("? {closed}\n: x\n"),
            braces.clone(),
            format!("mirrors: [{braces}]"),
        ] {
            let e = parse(&text).unwrap_err();
            assert!(e.message.starts_with("more than "), "{e}");
        }
        assert_eq!(
            error(&open),
            "1:501: more than 500 `[` and `{` in a file of 100000 bytes: write lists and mappings in block style"
        );
        assert_eq!(
            error(&format!("ignored: {closed}")),
            "1:259: more than 249 `[` and `{` in a file of 200009 bytes: write lists and mappings in block style"
        );
        // Deep, but within the bound: through the parser, which does not recurse.
        let top = "the configuration must be a mapping of keys (failure-threshold, ignored, override, trusted-registries, mirrors, pairs, shell-less, require-digest, disable-inline-ignores) to values, found a list";
        let thousand = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert_eq!(error(&thousand), format!("1:1: {top}"));
        assert_eq!(
            error(&format!("ignored: {thousand}")),
            "1:11: each entry of `ignored` must be a rule code or name (a string), found a list"
        );
        assert_eq!(
            error(&format!("ignored: {}", "[".repeat(1000))),
            "1:1010: invalid YAML: did not find expected node content (while parsing a flow node)"
        );
        // Block nesting has no brackets to count: 100,000 levels of `- ` go through the parser.
        assert_eq!(error(&"- ".repeat(n)), format!("1:1: {top}"));
        assert_eq!(
            error(&format!("ignored:\n  - {}", "- ".repeat(n))),
            "2:5: each entry of `ignored` must be a rule code or name (a string), found a list"
        );
    }

    /// A 5 MB file: valid, or with its problem at the very end.
    #[test]
    fn a_five_megabyte_file() {
        let mut text = String::from("# a big one\nignored:\n");
        while text.len() < 5_000_000 {
            text.push_str("  - MC004\n  - final-base-unpinned\n");
        }
        assert_eq!(parse(&text).unwrap().ignored, ["MC004"]);
        let lines = text.lines().count();
        text.push_str("  - MC999\n");
        assert_eq!(
            error(&text),
            format!("{}:5: unknown rule `MC999` in `ignored`", lines + 1)
        );
        // One 5 MB scalar, and 5 MB of unclosed flow sequences.
        let big = format!("ignored: [{}]", "a".repeat(5_000_000));
        assert!(error(&big).starts_with("1:11: unknown rule `aaaa"));
        let garbage = "[".repeat(5_000_000);
        assert_eq!(
            error(&garbage),
            "1:11: more than 10 `[` and `{` in a file of 5000000 bytes: write lists and mappings in block style"
        );
        // As deep as a 1 MB file may be, then tokens at that depth to the end: the most work
        // the parser is given for that size.
        let mut deep = format!("ignored: {}", "[".repeat(50));
        while deep.len() < 1_000_000 - 200 {
            deep.push_str("a, ");
        }
        deep.push_str(&"]".repeat(50));
        assert_eq!(
            error(&deep),
            "1:11: each entry of `ignored` must be a rule code or name (a string), found a list"
        );
    }

    /// Random snippets of configuration and random characters: never a panic, and every
    /// error is placed inside the text.
    #[test]
    fn fuzz_never_panics() {
        const PIECES: &[&str] = &[
            "failure-threshold",
            "ignored",
            "override",
            "trusted-registries",
            "mirrors",
            "pairs",
            "shell-less",
            "require-digest",
            "disable-inline-ignores",
            "prefix",
            "vendor",
            "upstream",
            "dev",
            "production",
            "error",
            "warning",
            "info",
            "never",
            "minimus",
            "MC004",
            "final-base-unpinned",
            "MC999",
            "ghcr.io/acme",
            "*.example.com",
            "base*",
            "https://",
            ": ",
            ":",
            "- ",
            "-",
            "[",
            "]",
            "{",
            "}",
            ",",
            "\n",
            "\n  ",
            "\n    ",
            "  ",
            "\t",
            "#",
            "'",
            "\"",
            "\\",
            "&a ",
            "*a",
            "!t ",
            "!!str ",
            "? ",
            "|",
            ">",
            "---",
            "...",
            "%YAML 1.2\n",
            "~",
            "null",
            "true",
            "1",
            "0x1F",
            "1e9",
            ".nan",
            "é",
            "😀",
            "\u{0}",
            "\u{1}",
            "\u{feff}",
            "\r\n",
            "\r",
            "<<: ",
            "@",
            "%",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..6_000 {
            let mut text = String::new();
            if round % 2 == 0 {
                // Snippets strung together.
                for _ in 0..next() % 24 {
                    let r = next();
                    if r % 5 == 0 {
                        text.push(char::from_u32((r >> 8) as u32 % 0x3000).unwrap_or('?'));
                    } else {
                        text.push_str(PIECES[(r >> 8) as usize % PIECES.len()]);
                    }
                }
            } else {
                // The example with a few edits: deeper into the checks.
                let mut chars: Vec<char> = EXAMPLE.chars().collect();
                for _ in 0..1 + next() % 4 {
                    let at = next() as usize % (chars.len() + 1);
                    match next() % 3 {
                        0 => {
                            let piece = PIECES[next() as usize % PIECES.len()];
                            chars.splice(at..at, piece.chars());
                        }
                        1 => {
                            let end = (at + 1 + next() as usize % 8).min(chars.len());
                            chars.drain(at.min(end)..end);
                        }
                        _ => {
                            let c = char::from_u32(next() as u32 % 0x80).unwrap_or(' ');
                            chars.insert(at, c);
                        }
                    }
                }
                text = chars.into_iter().collect();
            }
            match parse(&text) {
                Ok(_) => {}
                Err(e) => {
                    let end = line_column(&text, text.len());
                    assert!(
                        e.line >= 1 && e.column >= 1 && (e.line, e.column) <= end,
                        "{text:?}: {e}"
                    );
                    assert!(!e.message.is_empty(), "{text:?}");
                }
            }
        }
    }
}
