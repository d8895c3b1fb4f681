//! BuildKit's shell word lexer: quote removal, escapes and `$VAR` / `${VAR…}` expansion.
//!
//! This is a port of `frontend/dockerfile/shell/lex.go` from moby/buildkit, the code every
//! Dockerfile instruction that expands variables goes through (`FROM`, `ARG`, `ENV`, `COPY`, …).
//! It follows BuildKit's Unix behaviour, quirks included, because minicheck must see the same
//! words BuildKit would build with. The quirks worth knowing:
//!
//! - Variable names are case-sensitive, and a variable that is set to the empty string counts as
//!   set (`${X-d}` keeps the empty value, `${X:-d}` does not).
//! - Names are made of Unicode letters (`L*`), decimal digits (`Nd`) and `_`, exactly like Go's
//!   `unicode.IsLetter` / `unicode.IsDigit` (tables at the bottom of this file). A name starting
//!   with a digit is positional (`$12` is the variable `12`), and `@ * # ? - $ ! 0` are
//!   one-character special parameters; none of them is set unless the environment says so.
//! - Supported operators: `-` `+` `?` (each optionally with `:`), `#` `##` `%` `%%` (never with
//!   `:`), `/` and `//`. Anything else is "unsupported modifier".
//! - In patterns, `*` and `?` never match a newline, because BuildKit turns them into Go regular
//!   expressions where `.` excludes `\n`.
//! - In `${VAR//pattern/replacement}` the replacement goes through Go's `Regexp.ReplaceAllString`
//!   template expansion: `$0` / `${0}` insert the matched text, `$$` is a lone `$`, and any other
//!   `$name` vanishes. The single-replacement form `${VAR/pattern/replacement}` inserts the
//!   replacement literally.
//! - [`Lexer::process_words`] keeps one partial-word buffer for all nesting levels, as BuildKit has
//!   since it started reusing that buffer: every `${VAR<op>…}` (any form with an operator) drops
//!   the unfinished word that preceded it, so `ab${X:-y}c` splits to `["yc"]` while
//!   [`Lexer::process_word`] gives `abyc`. Plain `$VAR` and `${VAR}` are not affected.
//! - A U+FEFF byte-order mark at the very start of a word is dropped (Go's `text/scanner` does it).
//!
//! One deliberate difference: expansions nested deeper than [`MAX_NESTING`] levels are rejected
//! instead of recursing without bound, so hostile input cannot overflow the stack. BuildKit's
//! `SkipProcessQuotes` switch (quotes treated as plain characters) is not ported.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hash};

/// How deeply `${…}` operands and quotes may nest before the lexer gives up. BuildKit has no such
/// limit (Go stacks grow), but real Dockerfiles never come close, and a bound keeps the recursion
/// safe on small stacks such as WebAssembly's.
pub const MAX_NESTING: usize = 128;

/// Go renders the end-of-input rune (-1) as U+FFFD when it ends up in a message.
const REPLACEMENT_CHAR: char = '\u{FFFD}';

const MISSING_CLOSING_BRACE: &str = "syntax error: missing '}'";

/// Variable lookup. Unix semantics: names are case-sensitive.
pub trait Env {
    /// The value of `name`, or `None` when it is not set. `Some("")` means set but empty.
    fn get(&self, name: &str) -> Option<&str>;
}

impl<T: Env + ?Sized> Env for &T {
    fn get(&self, name: &str) -> Option<&str> {
        T::get(self, name)
    }
}

/// A list of pairs behaves like BuildKit's `EnvsFromSlice`: a later entry overrides an earlier one.
impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(key, _)| key.as_ref() == name)
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl<K: Borrow<str> + Hash + Eq, V: AsRef<str>, S: BuildHasher> Env for HashMap<K, V, S> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(AsRef::as_ref)
    }
}

impl<K: Borrow<str> + Ord, V: AsRef<str>> Env for BTreeMap<K, V> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(AsRef::as_ref)
    }
}

/// The result of expanding one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The processed word: quotes removed, escapes processed, variables substituted.
    pub value: String,
    /// Variables the word looked up that were set (possibly to ""), deduplicated, in lookup order.
    pub matched: Vec<String>,
    /// Variables the word looked up that were not set, deduplicated, in lookup order.
    pub unmatched: Vec<String>,
    /// Unset variables whose (empty) value went into the result: `$A`, `${A}`, `${A%x}`, but
    /// not `${A:-x}`, nor a reference inside an operand that was not used. These are the
    /// variables a caller must set for the word to mean what its author intended.
    pub missing: Vec<String>,
}

/// Why a word could not be expanded. `message` is the complete text, worded as BuildKit words
/// it, e.g. `failed to process "${FOO:-x": syntax error: missing '}'` or
/// `failed to process "${FOO?}": FOO: is not allowed to be unset`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExpandError {
    pub message: String,
}

impl ExpandError {
    /// Wraps a lexer failure the way BuildKit does (`errors.Wrapf(err, "failed to process %q")`).
    fn wrap(source: &str, reason: &str) -> Self {
        ExpandError {
            message: format!("failed to process {}: {reason}", go_quote(source)),
        }
    }
}

/// BuildKit's `shell.Lex`: the escape character plus the switches the Dockerfile frontend sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexer {
    /// The escape character, `\` unless the `# escape=` directive picked `` ` ``.
    pub escape: char,
    /// Keep the quote characters in the output instead of removing them.
    pub raw_quotes: bool,
    /// Keep escape characters in the output instead of consuming them.
    pub raw_escapes: bool,
    /// Leave references to unset variables as written (`$X`, `${X}`, `${X:-d}`, …).
    pub skip_unset_env: bool,
}

impl Default for Lexer {
    fn default() -> Self {
        Lexer::new('\\')
    }
}

impl Lexer {
    /// A lexer with the given escape character and every other switch off.
    #[must_use]
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
        }
    }

    /// BuildKit's `ProcessWordWithMatches`: expands `word` as a single word (no splitting) and
    /// reports which variables it looked up.
    ///
    /// # Errors
    ///
    /// Unterminated quotes or `${`, unsupported operators, invalid patterns, and `${VAR?…}` /
    /// `${VAR:?…}` on an unset (or empty) variable.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<Expanded, ExpandError> {
        let mut state = WordState::new(self, word, env);
        let (value, _) = state.expand_all(word)?;
        Ok(Expanded {
            value,
            matched: state.matched,
            unmatched: state.unmatched,
            missing: state.missing,
        })
    }

    /// BuildKit's `ProcessWords`: expands `word` and splits the result on unquoted whitespace.
    /// Whitespace that comes from a variable's value splits too; quoted or escaped whitespace
    /// does not. Empty words are dropped.
    ///
    /// # Errors
    ///
    /// The same as [`Lexer::process_word`].
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        let mut state = WordState::new(self, word, env);
        let (_, words) = state.expand_all(word)?;
        Ok(words)
    }
}

/// A cursor over the word, with Go `text/scanner`'s one quirk that matters here: a byte-order
/// mark at the very start is skipped.
struct Scanner<'a> {
    chars: std::str::Chars<'a>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        Scanner {
            chars: text.chars(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.clone().next()
    }

    fn next(&mut self) -> Option<char> {
        self.chars.next()
    }
}

/// Collects whitespace-separated words for [`Lexer::process_words`]. The unfinished word lives in
/// a buffer owned by [`WordState`] and shared by every nesting level, which is what makes nested
/// operators drop it (see the module docs).
#[derive(Default)]
struct WordSplitter {
    words: Vec<String>,
    in_word: bool,
}

impl WordSplitter {
    /// Adds a character whose whitespace separates words (unquoted text, variable values).
    fn add_char(&mut self, pending: &mut String, ch: char) {
        if !ch.is_whitespace() {
            self.add_raw_char(pending, ch);
        } else if self.in_word && !pending.is_empty() {
            self.words.push(std::mem::take(pending));
            self.in_word = false;
        }
    }

    /// Adds a character that belongs to the current word even if it is whitespace (escaped).
    fn add_raw_char(&mut self, pending: &mut String, ch: char) {
        pending.push(ch);
        self.in_word = true;
    }

    fn add_str(&mut self, pending: &mut String, text: &str) {
        for ch in text.chars() {
            self.add_char(pending, ch);
        }
    }

    /// Adds quoted text: it joins the current word whole, whitespace and all.
    fn add_raw_str(&mut self, pending: &mut String, text: &str) {
        pending.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self, pending: &mut String) -> Vec<String> {
        if !pending.is_empty() {
            self.words.push(std::mem::take(pending));
        }
        self.words
    }
}

/// The state of one expansion: BuildKit's `shellWord`.
struct WordState<'a> {
    lexer: &'a Lexer,
    env: &'a dyn Env,
    scanner: Scanner<'a>,
    /// Whether escapes are currently kept; pattern operands turn this on temporarily.
    raw_escapes: bool,
    /// How many `process_until` calls are active, bounded by [`MAX_NESTING`].
    depth: usize,
    /// The unfinished word of [`WordSplitter`], shared across nesting levels like BuildKit's.
    pending_word: String,
    matched: Vec<String>,
    unmatched: Vec<String>,
    missing: Vec<String>,
}

/// Inner failures carry BuildKit's bare message; [`ExpandError::wrap`] adds the context.
type Step<T> = Result<T, String>;

impl<'a> WordState<'a> {
    fn new(lexer: &'a Lexer, word: &'a str, env: &'a dyn Env) -> Self {
        WordState {
            lexer,
            env,
            scanner: Scanner::new(word),
            raw_escapes: lexer.raw_escapes,
            depth: 0,
            pending_word: String::new(),
            matched: Vec::new(),
            unmatched: Vec::new(),
            missing: Vec::new(),
        }
    }

    fn expand_all(&mut self, source: &str) -> Result<(String, Vec<String>), ExpandError> {
        let raw_escapes = self.lexer.raw_escapes;
        self.process_until(None, raw_escapes)
            .map_err(|reason| ExpandError::wrap(source, &reason))
    }

    /// Processes text up to `stop` (consumed) or, when `stop` is `None`, to the end of the word.
    /// Returns the processed text and the words it splits into.
    fn process_until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Step<(String, Vec<String>)> {
        if self.depth >= MAX_NESTING {
            return Err(format!(
                "syntax error: expansions nested more than {MAX_NESTING} levels deep"
            ));
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let outcome = self.scan_until(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        outcome
    }

    fn scan_until(&mut self, stop: Option<char>) -> Step<(String, Vec<String>)> {
        let mut result = String::new();
        // BuildKit resets its shared partial-word buffer on entry to every level.
        self.pending_word.clear();
        let mut words = WordSplitter::default();

        while let Some(ch) = self.scanner.peek() {
            if stop == Some(ch) {
                self.scanner.next();
                return Ok((result, words.finish(&mut self.pending_word)));
            }
            match ch {
                '$' => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                    words.add_str(&mut self.pending_word, &value);
                }
                '\'' => {
                    let value = self.process_single_quote()?;
                    result.push_str(&value);
                    words.add_raw_str(&mut self.pending_word, &value);
                }
                '"' => {
                    let value = self.process_double_quote()?;
                    result.push_str(&value);
                    words.add_raw_str(&mut self.pending_word, &value);
                }
                _ => {
                    self.scanner.next();
                    let mut ch = ch;
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            words.add_raw_char(&mut self.pending_word, ch);
                            result.push(ch);
                        }
                        // An escape at the very end of the word escapes nothing and vanishes.
                        let Some(escaped) = self.scanner.next() else {
                            break;
                        };
                        ch = escaped;
                        words.add_raw_char(&mut self.pending_word, ch);
                    } else {
                        words.add_char(&mut self.pending_word, ch);
                    }
                    result.push(ch);
                }
            }
        }

        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, words.finish(&mut self.pending_word)))
    }

    /// Single quotes keep everything literally; there is no way to escape a `'` inside them.
    fn process_single_quote(&mut self) -> Step<String> {
        let mut result = String::new();
        self.scanner.next();
        if self.lexer.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.scanner.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_owned(),
                    );
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    /// Double quotes keep everything but `$` expansions, and the escape character only escapes
    /// `"`, `$` and itself; before anything else it stays as written.
    fn process_double_quote(&mut self) -> Step<String> {
        let mut result = String::new();
        self.scanner.next();
        if self.lexer.raw_quotes {
            result.push('"');
        }
        loop {
            match self.scanner.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .to_owned(),
                    );
                }
                Some('"') => {
                    self.scanner.next();
                    if self.lexer.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(ch) => {
                    self.scanner.next();
                    let mut ch = ch;
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            // BuildKit writes the escape here and, when it escapes nothing,
                            // once more below.
                            result.push(ch);
                        }
                        match self.scanner.peek() {
                            // Dropped; the missing closing quote is reported next time round.
                            None => continue,
                            Some(next)
                                if next == '"' || next == '$' || next == self.lexer.escape =>
                            {
                                self.scanner.next();
                                ch = next;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// Expands the `$…` at the cursor.
    fn process_dollar(&mut self) -> Step<String> {
        self.scanner.next();

        if self.scanner.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                // A `$` not followed by a name is literal: `$.`, `$/`, a trailing `$`.
                return Ok("$".to_owned());
            }
            return Ok(match self.lookup(&name) {
                Some(value) => value,
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => self.substituted_unset(&name),
            });
        }

        self.scanner.next();
        match self.scanner.peek() {
            None => return Err(MISSING_CLOSING_BRACE.to_owned()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_owned()),
            Some(_) => {}
        }
        let name = self.process_name();
        let operator = self.scanner.next();
        let mut operator_text = String::from(operator.unwrap_or(REPLACEMENT_CHAR));

        match operator {
            Some('}') => Ok(match self.lookup(&name) {
                Some(value) => value,
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => self.substituted_unset(&name),
            }),
            Some(':') => {
                // Whatever follows the colon is taken as the operator; unknown ones are only
                // rejected after their operand has been read.
                let operator = self.scanner.next();
                operator_text.push(operator.unwrap_or(REPLACEMENT_CHAR));
                self.apply_operator(&name, operator, true, &operator_text)
            }
            Some(op @ ('+' | '-' | '?' | '#' | '%')) => {
                self.apply_operator(&name, Some(op), false, &operator_text)
            }
            Some('/') => self.substitute(&name),
            _ => Err(unsupported_modifier(&operator_text)),
        }
    }

    /// `${name<op>word}` for `-`, `+`, `?`, `#`, `%` (and their `:` forms, where `colon` makes an
    /// empty value count as unset).
    fn apply_operator(
        &mut self,
        name: &str,
        operator: Option<char>,
        colon: bool,
        operator_text: &str,
    ) -> Step<String> {
        let is_pattern = matches!(operator, Some('#' | '%'));
        if colon && is_pattern {
            return Err(unsupported_modifier(operator_text));
        }
        let missing_before = self.missing.len();
        // Pattern operands keep their escapes so the pattern compiler can tell `\*` from `*`.
        let word = match self.process_until(Some('}'), is_pattern) {
            Ok((word, _)) => word,
            Err(reason) => return Err(self.unterminated_or(reason, MISSING_CLOSING_BRACE)),
        };

        let value = self.lookup(name);
        if value.is_none() && self.lexer.skip_unset_env {
            return Ok(format!("${{{name}{operator_text}{word}}}"));
        }
        let set = value.is_some();
        let value = value.unwrap_or_default();
        let unset_or_null = !set || (colon && value.is_empty());
        // Variables referenced in an operand that is thrown away were never needed.
        let operand_used = match operator {
            Some('-') => unset_or_null,
            Some('+') => !unset_or_null,
            Some('#' | '%') => true,
            _ => false,
        };
        if !operand_used {
            self.missing.truncate(missing_before);
        }
        if is_pattern && !set {
            self.substituted_unset(name);
        }

        match operator {
            Some('-') => Ok(if unset_or_null { word } else { value }),
            Some('+') => Ok(if unset_or_null { String::new() } else { word }),
            Some('?') if !set => Err(required_message(name, &word, "is not allowed to be unset")),
            Some('?') if unset_or_null => {
                Err(required_message(name, &word, "is not allowed to be empty"))
            }
            Some('?') => Ok(value),
            Some(op @ ('#' | '%')) => {
                // A doubled operator (`##`, `%%`) removes the longest match, not the shortest.
                let (pattern, longest) = match word.strip_prefix(op) {
                    Some(rest) => (rest, true),
                    None => (word.as_str(), false),
                };
                if op == '#' {
                    trim_prefix(pattern, &value, longest)
                } else {
                    trim_suffix(pattern, &value, longest)
                }
            }
            _ => Err(unsupported_modifier(operator_text)),
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn substitute(&mut self, name: &str) -> Step<String> {
        let replace_all = self.scanner.peek() == Some('/');
        if replace_all {
            self.scanner.next();
        }
        let pattern = match self.process_until(Some('/'), true) {
            Ok((pattern, _)) => pattern,
            Err(reason) => {
                return Err(self.unterminated_or(reason, "syntax error: missing '/' in ${}"));
            }
        };
        let replacement = match self.process_until(Some('}'), true) {
            Ok((replacement, _)) => replacement,
            Err(reason) => return Err(self.unterminated_or(reason, MISSING_CLOSING_BRACE)),
        };

        let value = match self.lookup(name) {
            Some(value) => value,
            // BuildKit rebuilds the reference with a single `/` even for `//`.
            None if self.lexer.skip_unset_env => {
                return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
            }
            None => self.substituted_unset(name),
        };

        let matcher = ShellPattern::compile(&pattern, true, false)
            .map_err(|err| format!("invalid pattern ({pattern}) in substitution: {err}"))?;
        let text: Vec<char> = value.chars().collect();
        if replace_all {
            Ok(matcher.replace_all(&text, &replacement))
        } else {
            Ok(match matcher.find_at(&text, 0) {
                Some((start, end)) => {
                    let mut out = collect(&text, 0, start);
                    out.push_str(&replacement);
                    out.push_str(&collect(&text, end, text.len()));
                    out
                }
                None => value,
            })
        }
    }

    /// When an operand ran off the end of the word, BuildKit reports the missing delimiter rather
    /// than whatever failed inside the operand.
    fn unterminated_or(&self, reason: String, at_end: &str) -> String {
        if self.scanner.peek().is_none() {
            at_end.to_owned()
        } else {
            reason
        }
    }

    /// Reads a variable name: a run of digits (positional), one special-parameter character, or
    /// letters, digits and underscores. Returns "" when none of these starts here.
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.scanner.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(digit) = self.scanner.peek().filter(|&c| is_go_digit(c)) {
                    self.scanner.next();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.scanner.next();
                name.push(ch);
                return name;
            }
            if !is_go_letter(ch) && !is_go_digit(ch) && ch != '_' {
                break;
            }
            self.scanner.next();
            name.push(ch);
        }
        name
    }

    /// Records that an unset variable's empty value went into the result.
    fn substituted_unset(&mut self, name: &str) -> String {
        if !self.missing.iter().any(|known| known == name) {
            self.missing.push(name.to_owned());
        }
        String::new()
    }

    /// Looks `name` up and records it as matched or unmatched.
    fn lookup(&mut self, name: &str) -> Option<String> {
        let value = self.env.get(name).map(str::to_owned);
        let seen = if value.is_some() {
            &mut self.matched
        } else {
            &mut self.unmatched
        };
        if !seen.iter().any(|known| known == name) {
            seen.push(name.to_owned());
        }
        value
    }
}

/// POSIX special parameters; a Dockerfile never sets them, but they parse as names.
fn is_special_param(ch: char) -> bool {
    matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

fn unsupported_modifier(operator_text: &str) -> String {
    format!("unsupported modifier ({operator_text}) in substitution")
}

/// The `?` operator's error: the operand is the message when there is one.
fn required_message(name: &str, word: &str, default: &str) -> String {
    let message = if word.is_empty() { default } else { word };
    format!("{name}: {message}")
}

fn collect(text: &[char], start: usize, end: usize) -> String {
    text.get(start..end).unwrap_or_default().iter().collect()
}

/// `${VAR#pattern}` / `${VAR##pattern}`: removes the shortest (or longest) matching prefix.
fn trim_prefix(pattern: &str, value: &str, longest: bool) -> Step<String> {
    let matcher = ShellPattern::compile(pattern, longest, true)
        .map_err(|err| format!("invalid pattern ({pattern}) in substitution: {err}"))?;
    let text: Vec<char> = value.chars().collect();
    Ok(match matcher.find_at(&text, 0) {
        Some((_, end)) => collect(&text, end, text.len()),
        None => value.to_owned(),
    })
}

/// `${VAR%pattern}` / `${VAR%%pattern}`: removes the shortest (or longest) matching suffix.
/// Like BuildKit, it reverses both the pattern and the value and trims a prefix, since a leftmost
/// search cannot find the shortest rightmost match. An invalid pattern is therefore reported
/// reversed, as BuildKit reports it.
fn trim_suffix(pattern: &str, value: &str, longest: bool) -> Step<String> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, longest)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern while keeping each backslash in front of the character it escapes
/// (`a\*c` becomes `c\*a`). A trailing lone backslash is just a character.
fn reverse_pattern(pattern: &str) -> String {
    let mut units: Vec<(char, Option<char>)> = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        let escaped = if ch == '\\' { chars.next() } else { None };
        units.push((ch, escaped));
    }
    let mut out = String::with_capacity(pattern.len());
    for (ch, escaped) in units.into_iter().rev() {
        out.push(ch);
        out.extend(escaped);
    }
    out
}

/// One instruction of a compiled shell pattern.
#[derive(Debug, Clone, Copy)]
enum Inst {
    Char(char),
    /// Go's `.`: any character except a newline.
    AnyButNewline,
    /// Try both targets, the first with higher priority.
    Split(usize, usize),
    Jump(usize),
    Match,
}

/// A shell wildcard pattern (`*`, `?`, `\` escapes; no bracket expressions), matched with the
/// semantics of the Go regular expression BuildKit builds from it: leftmost match, with `*`
/// preferring the longest run (`.*`) or the shortest (`.*?`). It runs as a Pike VM, so matching
/// is linear in the text and never backtracks.
#[derive(Debug)]
struct ShellPattern {
    program: Vec<Inst>,
    /// Only match at the start of the text (`^`).
    anchored: bool,
}

#[derive(Debug, Clone, Copy)]
struct Thread {
    pc: usize,
    start: usize,
}

/// The threads alive at one text position, in priority order, each program counter at most once.
struct ThreadList {
    threads: Vec<Thread>,
    on_list: Vec<bool>,
}

impl ThreadList {
    fn new(program_len: usize) -> Self {
        ThreadList {
            threads: Vec::new(),
            on_list: vec![false; program_len],
        }
    }

    /// Marks `pc` as present; false when it already was.
    fn mark(&mut self, pc: usize) -> bool {
        match self.on_list.get_mut(pc) {
            Some(slot) if !*slot => {
                *slot = true;
                true
            }
            _ => false,
        }
    }

    fn clear(&mut self) {
        self.threads.clear();
        self.on_list.fill(false);
    }
}

impl ShellPattern {
    /// BuildKit's `convertShellPatternToRegex`. `greedy` picks `.*` over `.*?` for `*`.
    fn compile(pattern: &str, greedy: bool, anchored: bool) -> Result<Self, String> {
        let mut program = Vec::new();
        // BuildKit scans the pattern with a fresh text/scanner, which drops a leading BOM too.
        let pattern = pattern.strip_prefix('\u{FEFF}').unwrap_or(pattern);
        let mut chars = pattern.chars().peekable();
        while let Some(tok) = chars.next() {
            let literal = match tok {
                '*' => {
                    let split = program.len();
                    let (body, exit) = (split + 1, split + 3);
                    program.push(if greedy {
                        Inst::Split(body, exit)
                    } else {
                        Inst::Split(exit, body)
                    });
                    program.push(Inst::AnyButNewline);
                    program.push(Inst::Jump(split));
                    continue;
                }
                '?' => {
                    program.push(Inst::AnyButNewline);
                    continue;
                }
                '\\' => {
                    // `\}` and `\/` only keep the delimiter out of `${…}`; the backslash is not
                    // part of the pattern.
                    if matches!(chars.peek(), Some('}' | '/')) {
                        continue;
                    }
                    match chars.next() {
                        Some(escaped @ ('*' | '?' | '\\')) => escaped,
                        other => {
                            return Err(format!(
                                "invalid escape '\\{}'",
                                other.unwrap_or(REPLACEMENT_CHAR)
                            ));
                        }
                    }
                }
                other => other,
            };
            program.push(Inst::Char(literal));
        }
        program.push(Inst::Match);
        Ok(ShellPattern { program, anchored })
    }

    /// Adds the thread at `pc` to `list`, following jumps and splits in priority order.
    fn add_thread(&self, list: &mut ThreadList, pc: usize, start: usize) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if !list.mark(pc) {
                continue;
            }
            match self.program.get(pc) {
                Some(Inst::Jump(target)) => stack.push(*target),
                Some(Inst::Split(first, second)) => {
                    stack.push(*second);
                    stack.push(*first);
                }
                Some(_) => list.threads.push(Thread { pc, start }),
                None => {}
            }
        }
    }

    /// The leftmost match starting at or after character `from`, as character positions
    /// `(start, end)`, like Go's `FindStringIndex` from that position.
    fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        let mut current = ThreadList::new(self.program.len());
        let mut next = ThreadList::new(self.program.len());
        let mut found = None;
        let mut pos = from;
        loop {
            // A new attempt starts here with the lowest priority, unless a match already began
            // further left or the pattern is anchored to the start of the text.
            if found.is_none() && (!self.anchored || pos == 0) {
                self.add_thread(&mut current, 0, pos);
            }
            if current.threads.is_empty() {
                break;
            }
            let ch = text.get(pos).copied();
            for thread in &current.threads {
                let advances = match self.program.get(thread.pc) {
                    Some(Inst::Match) => {
                        // Threads after this one have lower priority: drop them.
                        found = Some((thread.start, pos));
                        break;
                    }
                    Some(Inst::Char(expected)) => ch == Some(*expected),
                    Some(Inst::AnyButNewline) => ch.is_some_and(|c| c != '\n'),
                    _ => false,
                };
                if advances {
                    self.add_thread(&mut next, thread.pc + 1, thread.start);
                }
            }
            if pos >= text.len() {
                break;
            }
            pos += 1;
            std::mem::swap(&mut current, &mut next);
            next.clear();
        }
        found
    }

    /// Go's `Regexp.ReplaceAllString`: every non-overlapping match is replaced by the expanded
    /// template; an empty match right after a previous match is skipped.
    fn replace_all(&self, text: &[char], template: &str) -> String {
        let mut out = String::new();
        let mut last_end = 0;
        let mut search = 0;
        while search <= text.len() {
            let Some((start, end)) = self.find_at(text, search) else {
                break;
            };
            out.push_str(&collect(text, last_end, start));
            if end > last_end || start == 0 {
                expand_template(template, &collect(text, start, end), &mut out);
            }
            last_end = end;
            // Always move forward, by one character after an empty match.
            search = if end > search { end } else { search + 1 };
        }
        out.push_str(&collect(text, last_end, text.len()));
        out
    }
}

/// Go's `Regexp.Expand` for a pattern without capture groups: `$0` / `${0}` is the whole match,
/// `$$` is `$`, any other well-formed `$name` / `${name}` is empty, and a malformed `$` is
/// literal.
fn expand_template(template: &str, whole_match: &str, out: &mut String) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(rest.get(..dollar).unwrap_or_default());
        rest = rest.get(dollar + 1..).unwrap_or_default();
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_reference(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(whole_match);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// Parses the name after a template `$`, returning it and the text after the reference.
fn template_reference(text: &str) -> Option<(&str, &str)> {
    let (braced, body) = match text.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let name_len = body
        .char_indices()
        .find(|&(_, c)| !(is_go_letter(c) || is_go_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let (name, mut after) = body.split_at(name_len);
    if braced {
        after = after.strip_prefix('}')?;
    }
    Some((name, after))
}

/// Go's `%q`, used for the word in error messages. Go escapes non-printable characters using
/// Unicode tables std does not expose; this escapes control characters, non-space whitespace and
/// the common invisible format characters, which covers what a Dockerfile line can realistically
/// contain.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            _ if is_go_printable(ch) => out.push(ch),
            // Writing to a String cannot fail.
            _ if (ch as u32) < 0x80 => _ = write!(out, "\\x{:02x}", ch as u32),
            _ if (ch as u32) < 0x1_0000 => _ = write!(out, "\\u{:04x}", ch as u32),
            _ => _ = write!(out, "\\U{:08x}", ch as u32),
        }
    }
    out.push('"');
    out
}

fn is_go_printable(ch: char) -> bool {
    let invisible_format = matches!(
        ch,
        '\u{AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    );
    !(ch.is_control() || (ch.is_whitespace() && ch != ' ') || invisible_format)
}

/// Go's `unicode.IsLetter`: general category L (Lu, Ll, Lt, Lm, Lo).
fn is_go_letter(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_alphabetic()
    } else {
        in_ranges(LETTER_RANGES, ch)
    }
}

/// Go's `unicode.IsDigit`: general category Nd.
fn is_go_digit(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_digit()
    } else {
        in_ranges(DIGIT_RANGES, ch)
    }
}

/// Binary search in a flat, sorted list of inclusive `start, end` pairs.
fn in_ranges(table: &[u32], ch: char) -> bool {
    let cp = ch as u32;
    let (mut low, mut high) = (0, table.len() / 2);
    while low < high {
        let mid = low + (high - low) / 2;
        let (Some(&start), Some(&end)) = (table.get(2 * mid), table.get(2 * mid + 1)) else {
            return false;
        };
        if cp < start {
            high = mid;
        } else if cp > end {
            low = mid + 1;
        } else {
            return true;
        }
    }
    false
}

// Non-ASCII ranges of Unicode 15.0 (the version Go's `unicode` package implements) as flat
// inclusive `start, end` pairs, generated from the Unicode Character Database.

const LETTER_RANGES: &[u32] = &[
    0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2C1, 0x2C6, 0x2D1, 0x2E0,
    0x2E4, 0x2EC, 0x2EC, 0x2EE, 0x2EE, 0x370, 0x374, 0x376, 0x377, 0x37A, 0x37D, 0x37F, 0x37F,
    0x386, 0x386, 0x388, 0x38A, 0x38C, 0x38C, 0x38E, 0x3A1, 0x3A3, 0x3F5, 0x3F7, 0x481, 0x48A,
    0x52F, 0x531, 0x556, 0x559, 0x559, 0x560, 0x588, 0x5D0, 0x5EA, 0x5EF, 0x5F2, 0x620, 0x64A,
    0x66E, 0x66F, 0x671, 0x6D3, 0x6D5, 0x6D5, 0x6E5, 0x6E6, 0x6EE, 0x6EF, 0x6FA, 0x6FC, 0x6FF,
    0x6FF, 0x710, 0x710, 0x712, 0x72F, 0x74D, 0x7A5, 0x7B1, 0x7B1, 0x7CA, 0x7EA, 0x7F4, 0x7F5,
    0x7FA, 0x7FA, 0x800, 0x815, 0x81A, 0x81A, 0x824, 0x824, 0x828, 0x828, 0x840, 0x858, 0x860,
    0x86A, 0x870, 0x887, 0x889, 0x88E, 0x8A0, 0x8C9, 0x904, 0x939, 0x93D, 0x93D, 0x950, 0x950,
    0x958, 0x961, 0x971, 0x980, 0x985, 0x98C, 0x98F, 0x990, 0x993, 0x9A8, 0x9AA, 0x9B0, 0x9B2,
    0x9B2, 0x9B6, 0x9B9, 0x9BD, 0x9BD, 0x9CE, 0x9CE, 0x9DC, 0x9DD, 0x9DF, 0x9E1, 0x9F0, 0x9F1,
    0x9FC, 0x9FC, 0xA05, 0xA0A, 0xA0F, 0xA10, 0xA13, 0xA28, 0xA2A, 0xA30, 0xA32, 0xA33, 0xA35,
    0xA36, 0xA38, 0xA39, 0xA59, 0xA5C, 0xA5E, 0xA5E, 0xA72, 0xA74, 0xA85, 0xA8D, 0xA8F, 0xA91,
    0xA93, 0xAA8, 0xAAA, 0xAB0, 0xAB2, 0xAB3, 0xAB5, 0xAB9, 0xABD, 0xABD, 0xAD0, 0xAD0, 0xAE0,
    0xAE1, 0xAF9, 0xAF9, 0xB05, 0xB0C, 0xB0F, 0xB10, 0xB13, 0xB28, 0xB2A, 0xB30, 0xB32, 0xB33,
    0xB35, 0xB39, 0xB3D, 0xB3D, 0xB5C, 0xB5D, 0xB5F, 0xB61, 0xB71, 0xB71, 0xB83, 0xB83, 0xB85,
    0xB8A, 0xB8E, 0xB90, 0xB92, 0xB95, 0xB99, 0xB9A, 0xB9C, 0xB9C, 0xB9E, 0xB9F, 0xBA3, 0xBA4,
    0xBA8, 0xBAA, 0xBAE, 0xBB9, 0xBD0, 0xBD0, 0xC05, 0xC0C, 0xC0E, 0xC10, 0xC12, 0xC28, 0xC2A,
    0xC39, 0xC3D, 0xC3D, 0xC58, 0xC5A, 0xC5D, 0xC5D, 0xC60, 0xC61, 0xC80, 0xC80, 0xC85, 0xC8C,
    0xC8E, 0xC90, 0xC92, 0xCA8, 0xCAA, 0xCB3, 0xCB5, 0xCB9, 0xCBD, 0xCBD, 0xCDD, 0xCDE, 0xCE0,
    0xCE1, 0xCF1, 0xCF2, 0xD04, 0xD0C, 0xD0E, 0xD10, 0xD12, 0xD3A, 0xD3D, 0xD3D, 0xD4E, 0xD4E,
    0xD54, 0xD56, 0xD5F, 0xD61, 0xD7A, 0xD7F, 0xD85, 0xD96, 0xD9A, 0xDB1, 0xDB3, 0xDBB, 0xDBD,
    0xDBD, 0xDC0, 0xDC6, 0xE01, 0xE30, 0xE32, 0xE33, 0xE40, 0xE46, 0xE81, 0xE82, 0xE84, 0xE84,
    0xE86, 0xE8A, 0xE8C, 0xEA3, 0xEA5, 0xEA5, 0xEA7, 0xEB0, 0xEB2, 0xEB3, 0xEBD, 0xEBD, 0xEC0,
    0xEC4, 0xEC6, 0xEC6, 0xEDC, 0xEDF, 0xF00, 0xF00, 0xF40, 0xF47, 0xF49, 0xF6C, 0xF88, 0xF8C,
    0x1000, 0x102A, 0x103F, 0x103F, 0x1050, 0x1055, 0x105A, 0x105D, 0x1061, 0x1061, 0x1065, 0x1066,
    0x106E, 0x1070, 0x1075, 0x1081, 0x108E, 0x108E, 0x10A0, 0x10C5, 0x10C7, 0x10C7, 0x10CD, 0x10CD,
    0x10D0, 0x10FA, 0x10FC, 0x1248, 0x124A, 0x124D, 0x1250, 0x1256, 0x1258, 0x1258, 0x125A, 0x125D,
    0x1260, 0x1288, 0x128A, 0x128D, 0x1290, 0x12B0, 0x12B2, 0x12B5, 0x12B8, 0x12BE, 0x12C0, 0x12C0,
    0x12C2, 0x12C5, 0x12C8, 0x12D6, 0x12D8, 0x1310, 0x1312, 0x1315, 0x1318, 0x135A, 0x1380, 0x138F,
    0x13A0, 0x13F5, 0x13F8, 0x13FD, 0x1401, 0x166C, 0x166F, 0x167F, 0x1681, 0x169A, 0x16A0, 0x16EA,
    0x16F1, 0x16F8, 0x1700, 0x1711, 0x171F, 0x1731, 0x1740, 0x1751, 0x1760, 0x176C, 0x176E, 0x1770,
    0x1780, 0x17B3, 0x17D7, 0x17D7, 0x17DC, 0x17DC, 0x1820, 0x1878, 0x1880, 0x1884, 0x1887, 0x18A8,
    0x18AA, 0x18AA, 0x18B0, 0x18F5, 0x1900, 0x191E, 0x1950, 0x196D, 0x1970, 0x1974, 0x1980, 0x19AB,
    0x19B0, 0x19C9, 0x1A00, 0x1A16, 0x1A20, 0x1A54, 0x1AA7, 0x1AA7, 0x1B05, 0x1B33, 0x1B45, 0x1B4C,
    0x1B83, 0x1BA0, 0x1BAE, 0x1BAF, 0x1BBA, 0x1BE5, 0x1C00, 0x1C23, 0x1C4D, 0x1C4F, 0x1C5A, 0x1C7D,
    0x1C80, 0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CBF, 0x1CE9, 0x1CEC, 0x1CEE, 0x1CF3, 0x1CF5, 0x1CF6,
    0x1CFA, 0x1CFA, 0x1D00, 0x1DBF, 0x1E00, 0x1F15, 0x1F18, 0x1F1D, 0x1F20, 0x1F45, 0x1F48, 0x1F4D,
    0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B, 0x1F5B, 0x1F5D, 0x1F5D, 0x1F5F, 0x1F7D, 0x1F80, 0x1FB4,
    0x1FB6, 0x1FBC, 0x1FBE, 0x1FBE, 0x1FC2, 0x1FC4, 0x1FC6, 0x1FCC, 0x1FD0, 0x1FD3, 0x1FD6, 0x1FDB,
    0x1FE0, 0x1FEC, 0x1FF2, 0x1FF4, 0x1FF6, 0x1FFC, 0x2071, 0x2071, 0x207F, 0x207F, 0x2090, 0x209C,
    0x2102, 0x2102, 0x2107, 0x2107, 0x210A, 0x2113, 0x2115, 0x2115, 0x2119, 0x211D, 0x2124, 0x2124,
    0x2126, 0x2126, 0x2128, 0x2128, 0x212A, 0x212D, 0x212F, 0x2139, 0x213C, 0x213F, 0x2145, 0x2149,
    0x214E, 0x214E, 0x2183, 0x2184, 0x2C00, 0x2CE4, 0x2CEB, 0x2CEE, 0x2CF2, 0x2CF3, 0x2D00, 0x2D25,
    0x2D27, 0x2D27, 0x2D2D, 0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D6F, 0x2D80, 0x2D96, 0x2DA0, 0x2DA6,
    0x2DA8, 0x2DAE, 0x2DB0, 0x2DB6, 0x2DB8, 0x2DBE, 0x2DC0, 0x2DC6, 0x2DC8, 0x2DCE, 0x2DD0, 0x2DD6,
    0x2DD8, 0x2DDE, 0x2E2F, 0x2E2F, 0x3005, 0x3006, 0x3031, 0x3035, 0x303B, 0x303C, 0x3041, 0x3096,
    0x309D, 0x309F, 0x30A1, 0x30FA, 0x30FC, 0x30FF, 0x3105, 0x312F, 0x3131, 0x318E, 0x31A0, 0x31BF,
    0x31F0, 0x31FF, 0x3400, 0x4DBF, 0x4E00, 0xA48C, 0xA4D0, 0xA4FD, 0xA500, 0xA60C, 0xA610, 0xA61F,
    0xA62A, 0xA62B, 0xA640, 0xA66E, 0xA67F, 0xA69D, 0xA6A0, 0xA6E5, 0xA717, 0xA71F, 0xA722, 0xA788,
    0xA78B, 0xA7CA, 0xA7D0, 0xA7D1, 0xA7D3, 0xA7D3, 0xA7D5, 0xA7D9, 0xA7F2, 0xA801, 0xA803, 0xA805,
    0xA807, 0xA80A, 0xA80C, 0xA822, 0xA840, 0xA873, 0xA882, 0xA8B3, 0xA8F2, 0xA8F7, 0xA8FB, 0xA8FB,
    0xA8FD, 0xA8FE, 0xA90A, 0xA925, 0xA930, 0xA946, 0xA960, 0xA97C, 0xA984, 0xA9B2, 0xA9CF, 0xA9CF,
    0xA9E0, 0xA9E4, 0xA9E6, 0xA9EF, 0xA9FA, 0xA9FE, 0xAA00, 0xAA28, 0xAA40, 0xAA42, 0xAA44, 0xAA4B,
    0xAA60, 0xAA76, 0xAA7A, 0xAA7A, 0xAA7E, 0xAAAF, 0xAAB1, 0xAAB1, 0xAAB5, 0xAAB6, 0xAAB9, 0xAABD,
    0xAAC0, 0xAAC0, 0xAAC2, 0xAAC2, 0xAADB, 0xAADD, 0xAAE0, 0xAAEA, 0xAAF2, 0xAAF4, 0xAB01, 0xAB06,
    0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28, 0xAB2E, 0xAB30, 0xAB5A, 0xAB5C, 0xAB69,
    0xAB70, 0xABE2, 0xAC00, 0xD7A3, 0xD7B0, 0xD7C6, 0xD7CB, 0xD7FB, 0xF900, 0xFA6D, 0xFA70, 0xFAD9,
    0xFB00, 0xFB06, 0xFB13, 0xFB17, 0xFB1D, 0xFB1D, 0xFB1F, 0xFB28, 0xFB2A, 0xFB36, 0xFB38, 0xFB3C,
    0xFB3E, 0xFB3E, 0xFB40, 0xFB41, 0xFB43, 0xFB44, 0xFB46, 0xFBB1, 0xFBD3, 0xFD3D, 0xFD50, 0xFD8F,
    0xFD92, 0xFDC7, 0xFDF0, 0xFDFB, 0xFE70, 0xFE74, 0xFE76, 0xFEFC, 0xFF21, 0xFF3A, 0xFF41, 0xFF5A,
    0xFF66, 0xFFBE, 0xFFC2, 0xFFC7, 0xFFCA, 0xFFCF, 0xFFD2, 0xFFD7, 0xFFDA, 0xFFDC, 0x10000,
    0x1000B, 0x1000D, 0x10026, 0x10028, 0x1003A, 0x1003C, 0x1003D, 0x1003F, 0x1004D, 0x10050,
    0x1005D, 0x10080, 0x100FA, 0x10280, 0x1029C, 0x102A0, 0x102D0, 0x10300, 0x1031F, 0x1032D,
    0x10340, 0x10342, 0x10349, 0x10350, 0x10375, 0x10380, 0x1039D, 0x103A0, 0x103C3, 0x103C8,
    0x103CF, 0x10400, 0x1049D, 0x104B0, 0x104D3, 0x104D8, 0x104FB, 0x10500, 0x10527, 0x10530,
    0x10563, 0x10570, 0x1057A, 0x1057C, 0x1058A, 0x1058C, 0x10592, 0x10594, 0x10595, 0x10597,
    0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9, 0x105BB, 0x105BC, 0x10600, 0x10736, 0x10740,
    0x10755, 0x10760, 0x10767, 0x10780, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10800,
    0x10805, 0x10808, 0x10808, 0x1080A, 0x10835, 0x10837, 0x10838, 0x1083C, 0x1083C, 0x1083F,
    0x10855, 0x10860, 0x10876, 0x10880, 0x1089E, 0x108E0, 0x108F2, 0x108F4, 0x108F5, 0x10900,
    0x10915, 0x10920, 0x10939, 0x10980, 0x109B7, 0x109BE, 0x109BF, 0x10A00, 0x10A00, 0x10A10,
    0x10A13, 0x10A15, 0x10A17, 0x10A19, 0x10A35, 0x10A60, 0x10A7C, 0x10A80, 0x10A9C, 0x10AC0,
    0x10AC7, 0x10AC9, 0x10AE4, 0x10B00, 0x10B35, 0x10B40, 0x10B55, 0x10B60, 0x10B72, 0x10B80,
    0x10B91, 0x10C00, 0x10C48, 0x10C80, 0x10CB2, 0x10CC0, 0x10CF2, 0x10D00, 0x10D23, 0x10E80,
    0x10EA9, 0x10EB0, 0x10EB1, 0x10F00, 0x10F1C, 0x10F27, 0x10F27, 0x10F30, 0x10F45, 0x10F70,
    0x10F81, 0x10FB0, 0x10FC4, 0x10FE0, 0x10FF6, 0x11003, 0x11037, 0x11071, 0x11072, 0x11075,
    0x11075, 0x11083, 0x110AF, 0x110D0, 0x110E8, 0x11103, 0x11126, 0x11144, 0x11144, 0x11147,
    0x11147, 0x11150, 0x11172, 0x11176, 0x11176, 0x11183, 0x111B2, 0x111C1, 0x111C4, 0x111DA,
    0x111DA, 0x111DC, 0x111DC, 0x11200, 0x11211, 0x11213, 0x1122B, 0x1123F, 0x11240, 0x11280,
    0x11286, 0x11288, 0x11288, 0x1128A, 0x1128D, 0x1128F, 0x1129D, 0x1129F, 0x112A8, 0x112B0,
    0x112DE, 0x11305, 0x1130C, 0x1130F, 0x11310, 0x11313, 0x11328, 0x1132A, 0x11330, 0x11332,
    0x11333, 0x11335, 0x11339, 0x1133D, 0x1133D, 0x11350, 0x11350, 0x1135D, 0x11361, 0x11400,
    0x11434, 0x11447, 0x1144A, 0x1145F, 0x11461, 0x11480, 0x114AF, 0x114C4, 0x114C5, 0x114C7,
    0x114C7, 0x11580, 0x115AE, 0x115D8, 0x115DB, 0x11600, 0x1162F, 0x11644, 0x11644, 0x11680,
    0x116AA, 0x116B8, 0x116B8, 0x11700, 0x1171A, 0x11740, 0x11746, 0x11800, 0x1182B, 0x118A0,
    0x118DF, 0x118FF, 0x11906, 0x11909, 0x11909, 0x1190C, 0x11913, 0x11915, 0x11916, 0x11918,
    0x1192F, 0x1193F, 0x1193F, 0x11941, 0x11941, 0x119A0, 0x119A7, 0x119AA, 0x119D0, 0x119E1,
    0x119E1, 0x119E3, 0x119E3, 0x11A00, 0x11A00, 0x11A0B, 0x11A32, 0x11A3A, 0x11A3A, 0x11A50,
    0x11A50, 0x11A5C, 0x11A89, 0x11A9D, 0x11A9D, 0x11AB0, 0x11AF8, 0x11C00, 0x11C08, 0x11C0A,
    0x11C2E, 0x11C40, 0x11C40, 0x11C72, 0x11C8F, 0x11D00, 0x11D06, 0x11D08, 0x11D09, 0x11D0B,
    0x11D30, 0x11D46, 0x11D46, 0x11D60, 0x11D65, 0x11D67, 0x11D68, 0x11D6A, 0x11D89, 0x11D98,
    0x11D98, 0x11EE0, 0x11EF2, 0x11F02, 0x11F02, 0x11F04, 0x11F10, 0x11F12, 0x11F33, 0x11FB0,
    0x11FB0, 0x12000, 0x12399, 0x12480, 0x12543, 0x12F90, 0x12FF0, 0x13000, 0x1342F, 0x13441,
    0x13446, 0x14400, 0x14646, 0x16800, 0x16A38, 0x16A40, 0x16A5E, 0x16A70, 0x16ABE, 0x16AD0,
    0x16AED, 0x16B00, 0x16B2F, 0x16B40, 0x16B43, 0x16B63, 0x16B77, 0x16B7D, 0x16B8F, 0x16E40,
    0x16E7F, 0x16F00, 0x16F4A, 0x16F50, 0x16F50, 0x16F93, 0x16F9F, 0x16FE0, 0x16FE1, 0x16FE3,
    0x16FE3, 0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3, 0x1AFF5,
    0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B132, 0x1B132, 0x1B150, 0x1B152, 0x1B155,
    0x1B155, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB, 0x1BC00, 0x1BC6A, 0x1BC70, 0x1BC7C, 0x1BC80,
    0x1BC88, 0x1BC90, 0x1BC99, 0x1D400, 0x1D454, 0x1D456, 0x1D49C, 0x1D49E, 0x1D49F, 0x1D4A2,
    0x1D4A2, 0x1D4A5, 0x1D4A6, 0x1D4A9, 0x1D4AC, 0x1D4AE, 0x1D4B9, 0x1D4BB, 0x1D4BB, 0x1D4BD,
    0x1D4C3, 0x1D4C5, 0x1D505, 0x1D507, 0x1D50A, 0x1D50D, 0x1D514, 0x1D516, 0x1D51C, 0x1D51E,
    0x1D539, 0x1D53B, 0x1D53E, 0x1D540, 0x1D544, 0x1D546, 0x1D546, 0x1D54A, 0x1D550, 0x1D552,
    0x1D6A5, 0x1D6A8, 0x1D6C0, 0x1D6C2, 0x1D6DA, 0x1D6DC, 0x1D6FA, 0x1D6FC, 0x1D714, 0x1D716,
    0x1D734, 0x1D736, 0x1D74E, 0x1D750, 0x1D76E, 0x1D770, 0x1D788, 0x1D78A, 0x1D7A8, 0x1D7AA,
    0x1D7C2, 0x1D7C4, 0x1D7CB, 0x1DF00, 0x1DF1E, 0x1DF25, 0x1DF2A, 0x1E030, 0x1E06D, 0x1E100,
    0x1E12C, 0x1E137, 0x1E13D, 0x1E14E, 0x1E14E, 0x1E290, 0x1E2AD, 0x1E2C0, 0x1E2EB, 0x1E4D0,
    0x1E4EB, 0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE, 0x1E7F0, 0x1E7FE, 0x1E800,
    0x1E8C4, 0x1E900, 0x1E943, 0x1E94B, 0x1E94B, 0x1EE00, 0x1EE03, 0x1EE05, 0x1EE1F, 0x1EE21,
    0x1EE22, 0x1EE24, 0x1EE24, 0x1EE27, 0x1EE27, 0x1EE29, 0x1EE32, 0x1EE34, 0x1EE37, 0x1EE39,
    0x1EE39, 0x1EE3B, 0x1EE3B, 0x1EE42, 0x1EE42, 0x1EE47, 0x1EE47, 0x1EE49, 0x1EE49, 0x1EE4B,
    0x1EE4B, 0x1EE4D, 0x1EE4F, 0x1EE51, 0x1EE52, 0x1EE54, 0x1EE54, 0x1EE57, 0x1EE57, 0x1EE59,
    0x1EE59, 0x1EE5B, 0x1EE5B, 0x1EE5D, 0x1EE5D, 0x1EE5F, 0x1EE5F, 0x1EE61, 0x1EE62, 0x1EE64,
    0x1EE64, 0x1EE67, 0x1EE6A, 0x1EE6C, 0x1EE72, 0x1EE74, 0x1EE77, 0x1EE79, 0x1EE7C, 0x1EE7E,
    0x1EE7E, 0x1EE80, 0x1EE89, 0x1EE8B, 0x1EE9B, 0x1EEA1, 0x1EEA3, 0x1EEA5, 0x1EEA9, 0x1EEAB,
    0x1EEBB, 0x20000, 0x2A6DF, 0x2A700, 0x2B739, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0,
    0x2EBE0, 0x2F800, 0x2FA1D, 0x30000, 0x3134A, 0x31350, 0x323AF,
];
const DIGIT_RANGES: &[u32] = &[
    0x660, 0x669, 0x6F0, 0x6F9, 0x7C0, 0x7C9, 0x966, 0x96F, 0x9E6, 0x9EF, 0xA66, 0xA6F, 0xAE6,
    0xAEF, 0xB66, 0xB6F, 0xBE6, 0xBEF, 0xC66, 0xC6F, 0xCE6, 0xCEF, 0xD66, 0xD6F, 0xDE6, 0xDEF,
    0xE50, 0xE59, 0xED0, 0xED9, 0xF20, 0xF29, 0x1040, 0x1049, 0x1090, 0x1099, 0x17E0, 0x17E9,
    0x1810, 0x1819, 0x1946, 0x194F, 0x19D0, 0x19D9, 0x1A80, 0x1A89, 0x1A90, 0x1A99, 0x1B50, 0x1B59,
    0x1BB0, 0x1BB9, 0x1C40, 0x1C49, 0x1C50, 0x1C59, 0xA620, 0xA629, 0xA8D0, 0xA8D9, 0xA900, 0xA909,
    0xA9D0, 0xA9D9, 0xA9F0, 0xA9F9, 0xAA50, 0xAA59, 0xABF0, 0xABF9, 0xFF10, 0xFF19, 0x104A0,
    0x104A9, 0x10D30, 0x10D39, 0x11066, 0x1106F, 0x110F0, 0x110F9, 0x11136, 0x1113F, 0x111D0,
    0x111D9, 0x112F0, 0x112F9, 0x11450, 0x11459, 0x114D0, 0x114D9, 0x11650, 0x11659, 0x116C0,
    0x116C9, 0x11730, 0x11739, 0x118E0, 0x118E9, 0x11950, 0x11959, 0x11C50, 0x11C59, 0x11D50,
    0x11D59, 0x11DA0, 0x11DA9, 0x11F50, 0x11F59, 0x16A60, 0x16A69, 0x16AC0, 0x16AC9, 0x16B50,
    0x16B59, 0x1D7CE, 0x1D7FF, 0x1E140, 0x1E149, 0x1E2F0, 0x1E2F9, 0x1E4F0, 0x1E4F9, 0x1E950,
    0x1E959, 0x1FBF0, 0x1FBF9,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// BuildKit's test tables, in the shared corpus beside the repository.
    const CORPUS_DIR: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dockerfiles/buildkit-parser/shell-lexer"
    );

    fn read_table(name: &str) -> String {
        let path = format!("{CORPUS_DIR}/{name}");
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
    }

    fn expand_with(lexer: Lexer, word: &str, env: &dyn Env) -> Result<String, String> {
        lexer
            .process_word(word, env)
            .map(|expanded| expanded.value)
            .map_err(|err| err.message)
    }

    fn expand(word: &str, env: &dyn Env) -> Result<String, String> {
        expand_with(Lexer::default(), word, env)
    }

    fn ok(value: &str) -> Result<String, String> {
        Ok(value.to_owned())
    }

    /// Checks `(word, expected)` pairs, reporting every mismatch at once.
    fn check_all(lexer: Lexer, env: &dyn Env, cases: &[(&str, Result<&str, &str>)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|&(word, want)| {
                let got = expand_with(lexer, word, env);
                let want = want.map(str::to_owned).map_err(str::to_owned);
                (got != want).then(|| format!("{word:?}: expected {want:?}, got {got:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// lex_test.go's TestShellParser4EnvVars: every `A` and `U` row of `envVarTest` goes through
    /// `ProcessWord` with a `\` lexer and PWD, SHELL, KOREAN and NULL set; "error" means the word
    /// must fail.
    #[test]
    fn buildkit_env_var_table() {
        let env = [
            ("PWD", "/home"),
            ("SHELL", "bash"),
            ("KOREAN", "한국어"),
            ("NULL", ""),
        ];
        let lexer = Lexer::new('\\');
        let table = read_table("envVarTest");
        let mut ran = 0;
        let mut failures = Vec::new();
        for (index, raw) in table.lines().enumerate() {
            let line_no = index + 1;
            if raw.starts_with('#') {
                continue;
            }
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('|').collect();
            let [platform, input, expected] = fields.as_slice() else {
                failures.push(format!("line {line_no}: not 3 fields: {line:?}"));
                continue;
            };
            let (input, expected) = (input.trim(), expected.trim());
            match platform.trim() {
                "W" => continue,
                "A" | "U" => {}
                other => {
                    failures.push(format!("line {line_no}: unknown platform {other:?}"));
                    continue;
                }
            }
            ran += 1;
            let got = lexer.process_word(input, &env);
            let passed = match &got {
                Err(_) => expected == "error",
                Ok(expanded) => expected != "error" && expanded.value == expected,
            };
            if !passed {
                failures.push(format!(
                    "line {line_no}: input {input:?}: expected {expected:?}, got {got:?}"
                ));
            }
        }
        assert!(ran > 0, "no envVarTest row ran");
        assert!(
            failures.is_empty(),
            "{} of {ran} envVarTest rows failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// lex_test.go's TestShellParser4Words: `ENV k=v` lines add to the environment, every other
    /// line is `input | comma-separated words` through `ProcessWords`, and a failure must read as
    /// the single word "error". (BuildKit's loop also has a raw-quotes / skip-unset pass, but it
    /// reuses the already exhausted file scanner, so only this normal pass ever runs there.)
    #[test]
    fn buildkit_words_table() {
        let lexer = Lexer::new('\\');
        let table = read_table("wordsTest");
        let mut env: Vec<(String, String)> = Vec::new();
        let mut ran = 0;
        let mut failures = Vec::new();
        for (index, line) in table.lines().enumerate() {
            let line_no = index + 1;
            if line.starts_with('#') {
                continue;
            }
            if let Some(entry) = line.strip_prefix("ENV ") {
                let entry = entry.trim_start_matches(' ');
                let (key, value) = entry.split_once('=').unwrap_or((entry, ""));
                env.push((key.to_owned(), value.to_owned()));
                continue;
            }
            let fields: Vec<&str> = line.split('|').collect();
            let [input, expected] = fields.as_slice() else {
                failures.push(format!("line {line_no}: not exactly one '|': {line:?}"));
                continue;
            };
            let input = input.trim();
            let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
            ran += 1;
            let got = lexer
                .process_words(input, &env)
                .unwrap_or_else(|_| vec!["error".to_owned()]);
            if got != expected {
                failures.push(format!(
                    "line {line_no}: input {input:?}: expected {expected:?}, got {got:?}"
                ));
            }
        }
        assert!(ran > 0, "no wordsTest row ran");
        assert!(
            failures.is_empty(),
            "{} of {ran} wordsTest rows failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn plain_references() {
        let env = [("FOO", "foo"), ("EMPTY", ""), ("안녕", "hi")];
        check_all(
            Lexer::default(),
            &env,
            &[
                ("$FOO", Ok("foo")),
                ("${FOO}", Ok("foo")),
                ("a${FOO}b", Ok("afoob")),
                ("$FOO_x", Ok("")),
                ("${FOO}_x", Ok("foo_x")),
                ("$FOO-x", Ok("foo-x")),
                ("$EMPTY", Ok("")),
                ("$UNSET", Ok("")),
                ("$", Ok("$")),
                ("a$", Ok("a$")),
                ("$.x", Ok("$.x")),
                ("$/", Ok("$/")),
                ("$안녕", Ok("hi")),
                // Names follow Go's unicode.IsLetter / IsDigit: `²` is not a decimal digit and
                // a Devanagari vowel sign is not a letter, so both end the name.
                ("$FOO²", Ok("foo²")),
                ("$1", Ok("")),
                ("$12x", Ok("x")),
            ],
        );
    }

    #[test]
    fn default_and_alternative_operators() {
        let env = [("FOO", "foo"), ("EMPTY", "")];
        check_all(
            Lexer::default(),
            &env,
            &[
                ("${FOO:-d}", Ok("foo")),
                ("${EMPTY:-d}", Ok("d")),
                ("${UNSET:-d}", Ok("d")),
                ("${FOO-d}", Ok("foo")),
                ("${EMPTY-d}", Ok("")),
                ("${UNSET-d}", Ok("d")),
                ("${FOO:+alt}", Ok("alt")),
                ("${EMPTY:+alt}", Ok("")),
                ("${UNSET:+alt}", Ok("")),
                ("${FOO+alt}", Ok("alt")),
                ("${EMPTY+alt}", Ok("alt")),
                ("${UNSET+alt}", Ok("")),
                ("${UNSET:-${FOO}-x}", Ok("foo-x")),
                ("${UNSET:-$FOO}", Ok("foo")),
                ("${UNSET:-'a b'}", Ok("a b")),
                ("${UNSET:-\"}\"}", Ok("}")),
                ("${UNSET:-a\\}b}", Ok("a}b")),
                ("${UNSET:-}", Ok("")),
            ],
        );
    }

    #[test]
    fn required_operator_errors() {
        let env = [("FOO", "foo"), ("EMPTY", "")];
        check_all(
            Lexer::default(),
            &env,
            &[
                ("${FOO:?}", Ok("foo")),
                ("${FOO?}", Ok("foo")),
                ("${EMPTY?}", Ok("")),
                (
                    "${EMPTY:?}",
                    Err(r#"failed to process "${EMPTY:?}": EMPTY: is not allowed to be empty"#),
                ),
                (
                    "${UNSET?}",
                    Err(r#"failed to process "${UNSET?}": UNSET: is not allowed to be unset"#),
                ),
                (
                    "${UNSET:?}",
                    Err(r#"failed to process "${UNSET:?}": UNSET: is not allowed to be unset"#),
                ),
                (
                    "x ${UNSET:?set it to $FOO}",
                    Err(r#"failed to process "x ${UNSET:?set it to $FOO}": UNSET: set it to foo"#),
                ),
            ],
        );
    }

    /// lex_test.go's TestShellParserMandatoryEnvVars.
    #[test]
    fn mandatory_variables() {
        let set = [("VAR", "plain"), ("ARG", "x")];
        let empty = [("VAR", ""), ("ARG", "x")];
        let unset = [("ARG", "x")];
        let no_empty = "${VAR:?message here$ARG}";
        let no_unset = "${VAR?message here$ARG}";

        assert_eq!(expand(no_empty, &set), ok("plain"));
        assert!(expand(no_empty, &empty).is_err_and(|e| e.contains("message herex")));
        assert!(expand(no_empty, &unset).is_err_and(|e| e.contains("message herex")));
        assert_eq!(expand(no_unset, &set), ok("plain"));
        assert_eq!(expand(no_unset, &empty), ok(""));
        assert!(expand(no_unset, &unset).is_err_and(|e| e.contains("message herex")));
    }

    #[test]
    fn syntax_errors_use_buildkit_wording() {
        let env = [("FOO", "foo")];
        check_all(
            Lexer::default(),
            &env,
            &[
                (
                    "${",
                    Err(r#"failed to process "${": syntax error: missing '}'"#),
                ),
                (
                    "${FOO:-x",
                    Err(r#"failed to process "${FOO:-x": syntax error: missing '}'"#),
                ),
                // The end of input stands where the operator should be; Go prints it as U+FFFD.
                (
                    "${FOO",
                    Err(
                        "failed to process \"${FOO\": unsupported modifier (\u{FFFD}) in substitution",
                    ),
                ),
                (
                    "${}",
                    Err(r#"failed to process "${}": syntax error: bad substitution"#),
                ),
                (
                    "${:-x}",
                    Err(r#"failed to process "${:-x}": syntax error: bad substitution"#),
                ),
                (
                    "${{x}",
                    Err(r#"failed to process "${{x}": syntax error: bad substitution"#),
                ),
                (
                    "${.}",
                    Err(r#"failed to process "${.}": unsupported modifier (.) in substitution"#),
                ),
                (
                    "${FOO=x}",
                    Err(
                        r#"failed to process "${FOO=x}": unsupported modifier (=) in substitution"#,
                    ),
                ),
                (
                    "${FOO:=x}",
                    Err(
                        r#"failed to process "${FOO:=x}": unsupported modifier (:=) in substitution"#,
                    ),
                ),
                (
                    "${FOO:#x}",
                    Err(
                        r#"failed to process "${FOO:#x}": unsupported modifier (:#) in substitution"#,
                    ),
                ),
                (
                    "${FOO:%%x}",
                    Err(
                        r#"failed to process "${FOO:%%x}": unsupported modifier (:%) in substitution"#,
                    ),
                ),
                (
                    "${FOO/x",
                    Err(r#"failed to process "${FOO/x": syntax error: missing '/' in ${}"#),
                ),
                (
                    "${FOO/x/y",
                    Err(r#"failed to process "${FOO/x/y": syntax error: missing '}'"#),
                ),
                (
                    "'abc",
                    Err(
                        r#"failed to process "'abc": unexpected end of statement while looking for matching single-quote"#,
                    ),
                ),
                (
                    "\"abc",
                    Err(
                        r#"failed to process "\"abc": unexpected end of statement while looking for matching double-quote"#,
                    ),
                ),
                (
                    r"${FOO#\x}",
                    Err(
                        r#"failed to process "${FOO#\\x}": invalid pattern (\x) in substitution: invalid escape '\x'"#,
                    ),
                ),
                // `%` works on the reversed pattern, and BuildKit reports that one.
                (
                    r"${FOO%a\xb}",
                    Err(
                        r#"failed to process "${FOO%a\\xb}": invalid pattern (b\xa) in substitution: invalid escape '\x'"#,
                    ),
                ),
                (
                    r"${FOO#a\}",
                    Err(r#"failed to process "${FOO#a\\}": syntax error: missing '}'"#),
                ),
            ],
        );
    }

    #[test]
    fn backslash_escapes() {
        let env = [("FOO", "foo")];
        check_all(
            Lexer::new('\\'),
            &env,
            &[
                (r"a\ b", Ok("a b")),
                (r"a\$FOO", Ok("a$FOO")),
                (r"a\\$FOO", Ok(r"a\foo")),
                (r"a\\", Ok(r"a\")),
                (r"abc\", Ok("abc")),
                (r"a\tb", Ok("atb")),
                (r#"\""#, Ok("\"")),
                (r#""a\tb""#, Ok(r"a\tb")),
                (r#""a\"b""#, Ok("a\"b")),
                (r#""a\$FOO""#, Ok("a$FOO")),
                (r#""a\\b""#, Ok(r"a\b")),
                (r"'a\b'", Ok(r"a\b")),
                (r"'a\'", Ok(r"a\")),
                ("a`b", Ok("a`b")),
            ],
        );
    }

    #[test]
    fn backtick_escapes() {
        let env = [("FOO", "foo")];
        check_all(
            Lexer::new('`'),
            &env,
            &[
                ("a`$FOO", Ok("a$FOO")),
                ("a` b", Ok("a b")),
                ("a``b", Ok("a`b")),
                ("abc`", Ok("abc")),
                (r"C:\path\to", Ok(r"C:\path\to")),
                (r"C:\$FOO", Ok(r"C:\foo")),
                ("\"a`\"b\"", Ok("a\"b")),
                ("\"a`$FOO\"", Ok("a$FOO")),
                ("\"a``b\"", Ok("a`b")),
                ("\"a`tb\"", Ok("a`tb")),
                (
                    r#""a\"b""#,
                    Err(
                        r#"failed to process "\"a\\\"b\"": unexpected end of statement while looking for matching double-quote"#,
                    ),
                ),
                ("${UNSET:-a`}b}", Ok("a}b")),
            ],
        );
    }

    #[test]
    fn quotes() {
        let env = [("FOO", "foo")];
        check_all(
            Lexer::default(),
            &env,
            &[
                ("'$FOO'", Ok("$FOO")),
                ("\"$FOO\"", Ok("foo")),
                ("\"'$FOO'\"", Ok("'foo'")),
                ("'\"'", Ok("\"")),
                ("a'b c'd", Ok("ab cd")),
                ("\"\"", Ok("")),
                ("''", Ok("")),
                ("\"${FOO}\"'${FOO}'", Ok("foo${FOO}")),
            ],
        );
    }

    #[test]
    fn raw_quotes_raw_escapes_and_skip_unset() {
        let env = [("FOO", "foo")];
        let raw_quotes = Lexer {
            raw_quotes: true,
            ..Lexer::default()
        };
        check_all(
            raw_quotes,
            &env,
            &[("'a' \"b\"", Ok("'a' \"b\"")), ("\"$FOO\"", Ok("\"foo\""))],
        );

        let raw_escapes = Lexer {
            raw_escapes: true,
            ..Lexer::default()
        };
        check_all(
            raw_escapes,
            &env,
            &[
                (r"a\ b", Ok(r"a\ b")),
                (r"a\$FOO", Ok(r"a\$FOO")),
                (r#""a\"b""#, Ok(r#"a\"b"#)),
                // BuildKit writes a kept escape twice when it escapes nothing inside quotes.
                (r#""a\tb""#, Ok(r"a\\tb")),
            ],
        );

        let skip_unset = Lexer {
            skip_unset_env: true,
            ..Lexer::default()
        };
        check_all(
            skip_unset,
            &env,
            &[
                ("$UNSET", Ok("$UNSET")),
                ("${UNSET}", Ok("${UNSET}")),
                ("${UNSET:-d}", Ok("${UNSET:-d}")),
                ("${UNSET?no}", Ok("${UNSET?no}")),
                ("${UNSET##*/}", Ok("${UNSET##*/}")),
                // `=` is rejected before the unset check; after a colon it is not.
                (
                    "${UNSET=x}",
                    Err(
                        r#"failed to process "${UNSET=x}": unsupported modifier (=) in substitution"#,
                    ),
                ),
                ("${UNSET:=x}", Ok("${UNSET:=x}")),
                // The rebuilt reference has one `/` even for `//`.
                ("${UNSET//a/b}", Ok("${UNSET/a/b}")),
                ("$FOO ${FOO:-d}", Ok("foo foo")),
            ],
        );
    }

    #[test]
    fn tracks_matched_and_unmatched_names_in_lookup_order() {
        let env = [("A", "1"), ("EMPTY", "")];
        let expanded = Lexer::default()
            .process_word("${B:-$A}$A$C${B}$EMPTY$1", &env)
            .expect("expands");
        assert_eq!(expanded.value, "11");
        // The operand of `${B:-…}` is read before B itself is looked up.
        assert_eq!(expanded.matched, ["A", "EMPTY"]);
        assert_eq!(expanded.unmatched, ["B", "C", "1"]);
        assert_eq!(expanded.missing, ["C", "B", "1"]);

        let nothing = Lexer::default()
            .process_word("plain 'text' \\$A", &env)
            .expect("expands");
        assert_eq!(
            nothing,
            Expanded {
                value: "plain text $A".to_owned(),
                matched: vec![],
                unmatched: vec![],
                missing: vec![],
            }
        );
    }

    type MatchCase<'a> = (
        &'a str,
        &'a [(&'a str, &'a str)],
        Option<&'a str>,
        &'a [&'a str],
        &'a [&'a str],
    );

    /// lex_test.go's TestProcessWithMatches: `(input, env, expected value or None for an error,
    /// matched, unmatched)`.
    #[test]
    fn buildkit_matches_table() {
        let foo_bar: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];
        let cases: &[MatchCase] = &[
            ("x", &[("DUMMY", "dummy")], Some("x"), &[], &[]),
            (
                "x ${UNUSED}",
                &[("DUMMY", "dummy")],
                Some("x "),
                &[],
                &["UNUSED"],
            ),
            ("x ${FOO}", &[("FOO", "y")], Some("x y"), &["FOO"], &[]),
            (
                "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}",
                foo_bar,
                Some("xxx  ccc"),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            (
                "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
                foo_bar,
                Some("xxx bbb ccc"),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            ("${FOO:-}", foo_bar, Some("xxx"), &["FOO"], &[]),
            ("${FOO:-}", &[], Some(""), &[], &["FOO"]),
            (
                "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}",
                foo_bar,
                Some("aaa bbb "),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            (
                "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}",
                foo_bar,
                Some("aaa  "),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            ("${FOO?aaa}", foo_bar, Some("xxx"), &["FOO"], &[]),
            ("${BAR?bbb}", foo_bar, Some(""), &["BAR"], &[]),
            ("${BAZ?ccc}", foo_bar, None, &[], &[]),
            ("${FOO:?aaa}", foo_bar, Some("xxx"), &["FOO"], &[]),
            ("${BAR:?bbb}", foo_bar, None, &[], &[]),
            ("${BAZ:?ccc}", foo_bar, None, &[], &[]),
            ("${BAZ:?}", foo_bar, None, &[], &[]),
            ("${FOO=aaa}", foo_bar, None, &[], &[]),
            ("${FOO=:aaa}", foo_bar, None, &[], &[]),
            ("${FOO=}", &[], None, &[], &[]),
            (
                r"${FOO#()[]{\}^$.\*\?|\\}",
                &[("FOO", r"()[]{}^$.*?|\x")],
                Some("x"),
                &["FOO"],
                &[],
            ),
            (
                r"${FOO%%\**}",
                &[("FOO", "xx**")],
                Some("xx"),
                &["FOO"],
                &[],
            ),
            ("${FOO#*x*y}", &[("FOO", "xxyy")], Some("y"), &["FOO"], &[]),
            ("${FOO#*}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            (
                "${FOO#$BAR}",
                &[("FOO", "xxyy"), ("BAR", "x")],
                Some("xyy"),
                &["FOO", "BAR"],
                &[],
            ),
            (
                "${FOO#$BAR}",
                &[("FOO", "xxyy"), ("BAR", "")],
                Some("xxyy"),
                &["FOO", "BAR"],
                &[],
            ),
            ("${FOO#}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO##*x}", &[("FOO", "xxyy")], Some("yy"), &["FOO"], &[]),
            ("${FOO##}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            (r"${FOO#?\?}", &[("FOO", "???y")], Some("?y"), &["FOO"], &[]),
            (
                "${ABC:-.}${FOO%x}${ABC:-.}",
                &[("FOO", "xxyy")],
                Some(".xxyy."),
                &["FOO"],
                &["ABC"],
            ),
            (
                r"${FOO%%\**\*}",
                &[("FOO", "a***yy*")],
                Some("a"),
                &["FOO"],
                &[],
            ),
            ("${FOO%}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            (
                "${FOO%%$BAR}",
                &[("FOO", "xxyy"), ("BAR", "")],
                Some("xxyy"),
                &["FOO", "BAR"],
                &[],
            ),
            ("${FOO:#}", &[], None, &[], &[]),
            ("${FOO:##}", &[], None, &[], &[]),
            ("${FOO:%}", &[], None, &[], &[]),
            ("${FOO:%%}", &[], None, &[], &[]),
            (
                "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
                &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", r"\*/")],
                Some("/foo.*/*.txt - /foo..*.txt"),
                &["FOO", "NEEDLE"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
                Some("/tmp/bar.txt - /bar.txt"),
                &["FOO", "NEEDLE"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
                &[
                    ("FOO", "/a/foo/b/c.txt"),
                    ("NEEDLE", "/?/"),
                    ("REPLACEMENT", "/"),
                ],
                Some("/foo/b/c.txt - /foo/c.txt"),
                &["FOO", "NEEDLE", "REPLACEMENT"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/$REPLACEMENT}",
                &[
                    ("FOO", "http://google.de"),
                    ("NEEDLE", "http://"),
                    ("REPLACEMENT", "https://"),
                ],
                Some("https://google.de"),
                &["FOO", "NEEDLE", "REPLACEMENT"],
                &[],
            ),
            (
                r"${FOO//\//\/}",
                &[("FOO", "/tmp/foo.txt")],
                Some(r"\/tmp\/foo.txt"),
                &["FOO"],
                &[],
            ),
            (
                "${FOO/$BAR/ww}",
                &[("FOO", "xxyy"), ("BAR", "")],
                Some("wwxxyy"),
                &["FOO", "BAR"],
                &[],
            ),
            ("${FOO//ww}", &[("FOO", "xxyy")], None, &[], &[]),
            ("${FOO//}", &[("FOO", "xxyy")], None, &[], &[]),
            ("${FOO///}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO///}", &[], Some(""), &[], &["FOO"]),
        ];

        let mut failures = Vec::new();
        for &(input, env, expected, matched, unmatched) in cases {
            let got = Lexer::default().process_word(input, &env);
            let passed = match (&got, expected) {
                (Err(_), None) => true,
                (Ok(result), Some(value)) => {
                    let mut got_matched = result.matched.clone();
                    let mut got_unmatched = result.unmatched.clone();
                    let (mut want_matched, mut want_unmatched) =
                        (matched.to_vec(), unmatched.to_vec());
                    got_matched.sort();
                    got_unmatched.sort();
                    want_matched.sort();
                    want_unmatched.sort();
                    result.value == value
                        && got_matched == want_matched
                        && got_unmatched == want_unmatched
                }
                _ => false,
            };
            if !passed {
                failures.push(format!(
                    "{input:?}: expected {expected:?} matched {matched:?} unmatched {unmatched:?}, got {got:?}"
                ));
            }
        }
        assert!(!cases.is_empty());
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// lex_test.go's TestProcessWithMatchesPlatform.
    #[test]
    fn release_file_name() {
        let word = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        let base = [("VERSION", "v1.2.3"), ("TARGETOS", "linux")];
        let arm_v7 = [
            base[0],
            base[1],
            ("TARGETARCH", "arm"),
            ("TARGETVARIANT", "v7"),
        ];
        let arm64_empty = [
            base[0],
            base[1],
            ("TARGETARCH", "arm64"),
            ("TARGETVARIANT", ""),
        ];
        let arm64_unset = [base[0], base[1], ("TARGETARCH", "arm64")];
        assert_eq!(
            expand(word, &arm_v7),
            ok("something-v1.2.3.linux-arm-v7.tar.gz")
        );
        assert_eq!(
            expand(word, &arm64_empty),
            ok("something-v1.2.3.linux-arm64.tar.gz")
        );
        assert_eq!(
            expand(word, &arm64_unset),
            ok("something-v1.2.3.linux-arm64.tar.gz")
        );
    }

    #[test]
    fn pattern_operators() {
        let env = [
            ("VERSION", "1.2.3"),
            ("IMAGE", "docker.io/library/alpine:3.19"),
            ("MULTI", "a\nb.c"),
            ("DOLLAR", "$0"),
            ("TEMPLATE", "<$0|${0}|$$|$x|${x}|$1|${|$>"),
        ];
        check_all(
            Lexer::default(),
            &env,
            &[
                ("${VERSION%.*}", Ok("1.2")),
                ("${VERSION%%.*}", Ok("1")),
                ("${VERSION#*.}", Ok("2.3")),
                ("${VERSION##*.}", Ok("3")),
                ("${VERSION#?.}", Ok("2.3")),
                ("${VERSION#x}", Ok("1.2.3")),
                ("${IMAGE##*/}", Ok("alpine:3.19")),
                ("${IMAGE%:*}", Ok("docker.io/library/alpine")),
                ("${IMAGE/:/@}", Ok("docker.io/library/alpine@3.19")),
                ("${IMAGE//./_}", Ok("docker_io/library/alpine:3_19")),
                ("${IMAGE/#docker/x}", Ok("docker.io/library/alpine:3.19")),
                ("${UNSET#*}", Ok("")),
                ("${UNSET//a/b}", Ok("")),
                // `*` and `?` do not cross a newline.
                ("${MULTI#*.}", Ok("a\nb.c")),
                ("${MULTI%.*}", Ok("a\nb")),
                ("${MULTI//?/x}", Ok("x\nxxx")),
                // `//` expands the replacement as a Go regexp template; `/` does not.
                ("${VERSION//./$DOLLAR}", Ok("1.2.3")),
                ("${VERSION/./$DOLLAR}", Ok("1$02.3")),
                (
                    "${VERSION//./$TEMPLATE}",
                    Ok("1<.|.|$||||${|$>2<.|.|$||||${|$>3"),
                ),
                (r"${VERSION//./\$0}", Ok(r"1\.2\.3")),
                // An empty pattern matches between characters.
                ("${VERSION//$UNSET/-}", Ok("-1-.-2-.-3-")),
                ("${VERSION//*/x}", Ok("x")),
                ("${VERSION//2*/x}", Ok("1.x")),
            ],
        );
    }

    #[test]
    fn process_words_splits_like_buildkit() {
        let env = [("SPACE", "a b"), ("FOO", "foo")];
        let lexer = Lexer::default();
        let words = |word: &str| lexer.process_words(word, &env).expect("expands");
        assert_eq!(words("x${SPACE}y"), ["xa", "by"]);
        assert_eq!(words("x\"${SPACE}\"y"), ["xa by"]);
        assert_eq!(words(r"a\ b  c"), ["a b", "c"]);
        assert_eq!(words("'' \"\""), Vec::<String>::new());
        assert_eq!(words("ab${FOO}c d"), ["abfooc", "d"]);
        // BuildKit's shared partial-word buffer: an operator drops the unfinished word before
        // it, while the single-word result keeps it.
        assert_eq!(words("ab${UNSET:-y}c d"), ["yc", "d"]);
        assert_eq!(words("ab\"${UNSET:-y}\"c"), ["yc"]);
        assert_eq!(words("ab ${UNSET:-y}c"), ["ab", "yc"]);
        assert_eq!(
            lexer
                .process_word("ab${UNSET:-y}c d", &env)
                .map(|e| e.value),
            Ok("abyc d".to_owned())
        );
        assert!(lexer.process_words("${", &env).is_err());
    }

    #[test]
    fn leading_byte_order_mark_is_dropped() {
        let env = [("FOO", "foo")];
        assert_eq!(expand("\u{FEFF}$FOO", &env), ok("foo"));
        assert_eq!(expand("a\u{FEFF}", &env), ok("a\u{FEFF}"));
    }

    #[test]
    fn nesting_is_bounded() {
        let nested = |depth: usize| format!("{}x{}", "${A:-".repeat(depth), "}".repeat(depth));
        // The top level counts as one level.
        assert_eq!(expand(&nested(MAX_NESTING - 1), &[("B", "")]), ok("x"));
        let too_deep = expand(&nested(MAX_NESTING), &[("B", "")]);
        assert!(too_deep.is_err_and(|e| e.contains("nested more than")));
        // The deepest accepted word, with quotes adding frames at every level, fits in 1 MiB
        // (WebAssembly's default stack) even unoptimised; hostile depth fails cleanly.
        let quoted = |depth: usize| format!("{}x{}", "\"${A:-".repeat(depth), "}\"".repeat(depth));
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                let deepest = expand(&quoted(MAX_NESTING - 1), &[("B", "")]);
                let hostile = expand(&quoted(100_000), &[("B", "")]);
                (deepest, hostile.is_err())
            })
            .expect("spawns");
        assert_eq!(handle.join().expect("no overflow"), (ok("x"), true));
    }

    #[test]
    fn env_implementations() {
        let slice: &[(&str, &str)] = &[("A", "1"), ("A", "2")];
        assert_eq!(Env::get(slice, "A"), Some("2"));
        assert_eq!(Env::get(slice, "a"), None);
        let array = [("A", "1")];
        assert_eq!(Env::get(&array, "A"), Some("1"));
        let vec = vec![
            ("A".to_owned(), "1".to_owned()),
            ("A".to_owned(), String::new()),
        ];
        assert_eq!(Env::get(&vec, "A"), Some(""));
        let hash: HashMap<String, String> = [("A".to_owned(), "1".to_owned())].into();
        assert_eq!(Env::get(&hash, "A"), Some("1"));
        let btree: BTreeMap<String, String> = [("A".to_owned(), "1".to_owned())].into();
        assert_eq!(Env::get(&btree, "A"), Some("1"));
        assert_eq!(Env::get(&btree, "B"), None);
        let by_ref: &dyn Env = &btree;
        assert_eq!(expand("$A", &by_ref), ok("1"));
    }

    /// lex_test.go's TestReversePattern.
    #[test]
    fn reverse_pattern_keeps_escapes_in_front() {
        for (pattern, reversed) in [
            (r"a\*c", r"c\*a"),
            (r"\\\ab", r"b\a\\"),
            (r"ab\", r"\ba"),
            (r"👽\🚀🖖", r"🖖\🚀👽"),
            (r"\\b", r"b\\"),
            ("", ""),
        ] {
            assert_eq!(reverse_pattern(pattern), reversed, "{pattern:?}");
        }
    }

    /// lex_test.go's TestConvertShellPatternToRegex, checked by behaviour instead of regex text.
    #[test]
    fn pattern_compilation() {
        let matches = |pattern: &str, text: &str| {
            let compiled = ShellPattern::compile(pattern, true, true).expect("valid pattern");
            let chars: Vec<char> = text.chars().collect();
            compiled.find_at(&chars, 0)
        };
        assert_eq!(matches("*", "abc"), Some((0, 3)));
        assert_eq!(matches("?", "abc"), Some((0, 1)));
        assert_eq!(matches(r"\*", "*x"), Some((0, 1)));
        assert_eq!(matches(r"\*", "x*"), None);
        assert_eq!(
            matches(r"(()[]{\}^$.\*\?|\\", r"(()[]{}^$.*?|\tail"),
            Some((0, 14))
        );
        for invalid in [r"\", r"\x", r"\\\"] {
            assert!(
                ShellPattern::compile(invalid, true, true).is_err(),
                "{invalid:?}"
            );
        }
        let lazy = ShellPattern::compile("a*b", false, false).expect("valid pattern");
        let chars: Vec<char> = "xxab_ab".chars().collect();
        assert_eq!(lazy.find_at(&chars, 0), Some((2, 4)));
        assert_eq!(lazy.find_at(&chars, 3), Some((5, 7)));
        let greedy = ShellPattern::compile("a*b", true, false).expect("valid pattern");
        assert_eq!(greedy.find_at(&chars, 0), Some((2, 7)));
    }

    #[test]
    fn go_quoting() {
        assert_eq!(go_quote(r#"a"b\"#), r#""a\"b\\""#);
        assert_eq!(go_quote("\n\t\u{0}\u{7f}"), r#""\n\t\x00\x7f""#);
        assert_eq!(go_quote("\u{a0}\u{200b}한"), r#""\u00a0\u200b한""#);
        assert_eq!(go_quote("\u{E0001}"), r#""\U000e0001""#);
    }

    #[test]
    fn go_character_classes() {
        assert!(is_go_letter('a') && is_go_letter('é') && is_go_letter('안') && is_go_letter('ª'));
        assert!(!is_go_letter('1') && !is_go_letter('\u{93E}') && !is_go_letter('Ⅻ'));
        assert!(is_go_digit('7') && is_go_digit('٣') && is_go_digit('\u{1E4F0}'));
        assert!(!is_go_digit('²') && !is_go_digit('a'));
        let env = [("न", "n"), ("٣", "three")];
        assert_eq!(expand("$नाम", &env), ok("nाम"));
        assert_eq!(expand("$٣x", &env), ok("threex"));
    }

    /// Every short word over the lexer's special characters, under every switch, must come back
    /// as a value or an error, never a panic.
    #[test]
    fn never_panics_on_short_inputs() {
        let alphabet = [
            '$', '{', '}', ':', '-', '+', '?', '#', '%', '/', '\\', '`', '\'', '"', '*', 'A', ' ',
        ];
        let lexers = [
            Lexer::new('\\'),
            Lexer::new('`'),
            Lexer {
                raw_quotes: true,
                raw_escapes: true,
                skip_unset_env: true,
                ..Lexer::new('\\')
            },
            Lexer {
                skip_unset_env: true,
                ..Lexer::new('`')
            },
        ];
        let env = [("A", "a b*")];
        let mut words = vec![String::new()];
        for _ in 0..4 {
            words = words
                .iter()
                .flat_map(|prefix| alphabet.iter().map(move |c| format!("{prefix}{c}")))
                .collect();
            for word in &words {
                for lexer in &lexers {
                    let _ = lexer.process_word(word, &env);
                    let _ = lexer.process_words(word, &env);
                }
            }
        }
    }
}

#[cfg(test)]
mod missing_tests {
    use super::*;

    fn missing(word: &str, env: &[(&str, &str)]) -> Vec<String> {
        Lexer::new('\\').process_word(word, &env).unwrap().missing
    }

    #[test]
    fn missing_names_only_what_went_into_the_result() {
        assert_eq!(missing("$A${B}c", &[]), ["A", "B"]);
        assert_eq!(missing("${A:-x}", &[]), Vec::<String>::new());
        assert_eq!(missing("${A:-$B}", &[]), ["B"]);
        assert_eq!(missing("${A:-$B}", &[("A", "1")]), Vec::<String>::new());
        assert_eq!(missing("${S:+-$S}", &[]), Vec::<String>::new());
        assert_eq!(missing("${S:+$T}", &[("S", "1")]), ["T"]);
        assert_eq!(missing("${A%.*}", &[]), ["A"]);
        assert_eq!(missing("${A/x/y}", &[]), ["A"]);
        assert_eq!(missing("$A", &[("A", "")]), Vec::<String>::new());
    }
}
