//! Dockerfile syntax, parsed as BuildKit's parser does.
//!
//! The parser follows BuildKit's `frontend/dockerfile/parser` step for step (directives, line
//! continuations, comments inside continuations, heredocs, per-instruction argument splitting),
//! so that its instructions are the ones `docker build` sees. Unlike BuildKit it does not stop
//! at the first error: a broken instruction becomes a [`SyntaxError`] and parsing goes on with
//! the next one, so rules still see the rest of the file.

mod directives;
mod dump;
mod line_parsers;
mod source;
mod words;

pub use dump::dump;
pub use source::{LogicalLine, Position, SourceMap, Span};

use serde::Serialize;

/// A parsed Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct Dockerfile {
    /// The escape character in force (`\` unless a `# escape=` directive changed it).
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Every comment line, in order (parser directives excluded), for inline ignores.
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// Things BuildKit warns about but accepts (empty continuation lines).
    pub warnings: Vec<SyntaxError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub span: Span,
    pub value_span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// One instruction: BuildKit's AST node, with spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    /// The instruction name in lower case (`from`, `run`, ...), as BuildKit keys it.
    pub keyword: String,
    pub keyword_span: Span,
    /// From the keyword to the end of the instruction, heredoc bodies included.
    pub span: Span,
    pub flags: Vec<Flag>,
    /// The argument nodes BuildKit produces for this instruction (for `ENV`/`LABEL`, triples of
    /// key, value and separator).
    pub args: Vec<Arg>,
    /// The exec (JSON array) form was used.
    pub json: bool,
    /// `ONBUILD`'s instruction.
    pub child: Option<Box<Instruction>>,
    pub heredocs: Vec<Heredoc>,
    /// The logical line after continuations were joined.
    pub original: String,
    /// An instruction name BuildKit does not know (it keeps the line but no arguments).
    pub unknown: bool,
}

impl Instruction {
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The span of all arguments, or the keyword's when there are none.
    pub fn args_span(&self) -> Span {
        match (self.args.first(), self.args.last()) {
            (Some(first), Some(last)) => first.span.cover(last.span),
            _ => self.keyword_span,
        }
    }
}

/// `--name=value` before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    /// The whole flag as BuildKit reports it (`--from=build`).
    pub raw: String,
    pub span: Span,
    pub value_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arg {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    pub name: String,
    pub file_descriptor: u32,
    /// Variables in the body are expanded (the delimiter was not quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are removed.
    pub chomp: bool,
    pub content: String,
    /// The body and the terminator line.
    pub span: Span,
}

/// Parses a Dockerfile. Never fails: problems are in [`Dockerfile::errors`].
pub fn parse(text: &str) -> Dockerfile {
    Parser::new(text).run()
}

struct Parser<'a> {
    text: &'a str,
    map: SourceMap<'a>,
    /// (start offset, line with its ending) for each physical line.
    lines: Vec<(usize, &'a str)>,
    next: usize,
    escape: char,
    directive_parser: directives::DirectiveParser,
    out: Dockerfile,
}

/// Go's `bytes.TrimRight(line, "\r\n")`.
fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut lines = Vec::new();
        let mut start = 0;
        for piece in text.split_inclusive('\n') {
            lines.push((start, piece));
            start += piece.len();
        }
        Parser {
            text,
            map: SourceMap::new(text),
            lines,
            next: 0,
            escape: '\\',
            directive_parser: directives::DirectiveParser::default(),
            out: Dockerfile {
                escape: '\\',
                directives: Vec::new(),
                instructions: Vec::new(),
                comments: Vec::new(),
                errors: Vec::new(),
                warnings: Vec::new(),
            },
        }
    }

    fn line_span(&self, first: usize, last: usize) -> Span {
        let start = self.lines.get(first).map_or(self.text.len(), |l| l.0);
        let end = self
            .lines
            .get(last)
            .map_or(self.text.len(), |(s, l)| s + trim_newline(l).len());
        self.map.span(start, end)
    }

    /// BuildKit's `processLine`: strips the line ending (and, for the first line of an
    /// instruction, leading white space), feeds the directive parser, and blanks comments.
    /// Returns the remaining text and its offset.
    fn process_line(&mut self, index: usize, strip_left: bool) -> (usize, &'a str) {
        let (start, raw) = self.lines[index];
        let mut content = trim_newline(raw);
        let mut offset = start;
        if strip_left {
            let trimmed = content.trim_start();
            offset += content.len() - trimmed.len();
            content = trimmed;
        }
        match self.directive_parser.parse_line(content) {
            Ok(Some(d)) => self.apply_directive(d, index, offset, content),
            Ok(None) => {
                if is_comment(content) {
                    self.record_comment(index);
                }
            }
            Err(message) => {
                let span = self.line_span(index, index);
                self.out.errors.push(SyntaxError { message, span });
            }
        }
        if is_comment(content) {
            (offset, "")
        } else {
            (offset, content)
        }
    }

    fn record_comment(&mut self, index: usize) {
        let (start, raw) = self.lines[index];
        let content = trim_newline(raw);
        let lead = content.len() - content.trim_start().len();
        let text = content.trim_start()[1..].trim().to_string();
        let span = self.map.span(start + lead, start + content.len());
        self.out.comments.push(Comment { text, span });
    }

    fn apply_directive(
        &mut self,
        d: directives::ParsedDirective,
        index: usize,
        offset: usize,
        content: &str,
    ) {
        let span = self.map.span(offset, offset + content.len());
        let value_span = self
            .map
            .span(offset + d.value_range.0, offset + d.value_range.1);
        if d.name == "escape" {
            match d.value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => {
                    self.out.errors.push(SyntaxError {
                        message: format!("invalid escape token '{other}' does not match ` or \\"),
                        span: self.line_span(index, index),
                    });
                    return;
                }
            }
        }
        self.out.directives.push(Directive {
            name: d.name,
            value: d.value,
            span,
            value_span,
        });
    }

    fn run(mut self) -> Dockerfile {
        while self.next < self.lines.len() {
            let first = self.next;
            self.next += 1;
            let (offset, content) = self.process_line(first, true);
            let mut logical = LogicalLine::default();
            let mut end_of_line = true;
            match directives::strip_continuation(content, self.escape) {
                Some(piece) => {
                    end_of_line = false;
                    logical.push(piece, offset);
                }
                None => logical.push(content, offset),
            }
            if end_of_line && logical.text.is_empty() {
                continue;
            }

            let mut has_empty_continuation = false;
            while !end_of_line && self.next < self.lines.len() {
                let index = self.next;
                self.next += 1;
                let (offset, content) = self.process_line(index, false);
                if is_comment(self.lines[index].1) {
                    continue;
                }
                if content.trim_start().is_empty() {
                    has_empty_continuation = true;
                    continue;
                }
                match directives::strip_continuation(content, self.escape) {
                    Some(piece) => logical.push(piece, offset),
                    None => {
                        end_of_line = true;
                        logical.push(content, offset);
                    }
                }
            }
            let last = self.next - 1;
            if has_empty_continuation {
                self.out.warnings.push(SyntaxError {
                    message: format!("empty continuation line found in: {}", logical.text),
                    span: self.line_span(first, last),
                });
            }
            self.finish_instruction(logical, first, last);
        }
        self.out.escape = self.escape;
        if self.out.instructions.is_empty() && self.out.errors.is_empty() {
            let end = self.map.position(self.text.len());
            self.out.errors.push(SyntaxError {
                message: "file with no instructions".to_string(),
                span: Span { start: end, end },
            });
        }
        self.out
    }

    fn finish_instruction(&mut self, logical: LogicalLine, first: usize, last: usize) {
        let ctx = line_parsers::Context {
            line: &logical,
            map: &self.map,
            escape: self.escape,
        };
        let mut instruction = match line_parsers::node_from_line(&ctx, &logical.text, 0) {
            Ok(instruction) => instruction,
            Err(message) => {
                let span = self.line_span(first, last);
                self.out.errors.push(SyntaxError { message, span });
                return;
            }
        };
        if line_parsers::can_contain_heredoc(&instruction) && logical.text.contains("<<") {
            match line_parsers::heredocs_from_line(&logical.text) {
                Ok(heredocs) => {
                    for heredoc in heredocs {
                        if let Err(message) = self.read_heredoc(heredoc, &mut instruction) {
                            let span = self.line_span(first, self.next.saturating_sub(1));
                            self.out.errors.push(SyntaxError { message, span });
                            return;
                        }
                    }
                }
                Err(message) => {
                    let span = self.line_span(first, last);
                    self.out.errors.push(SyntaxError { message, span });
                    return;
                }
            }
        }
        let end_line = self.next.saturating_sub(1).max(last);
        let whole = self.line_span(first, end_line);
        instruction.span = Span {
            start: instruction.keyword_span.start,
            end: whole.end,
        };
        self.out.instructions.push(instruction);
    }

    /// Reads a heredoc body up to its terminator line.
    fn read_heredoc(
        &mut self,
        mut heredoc: Heredoc,
        instruction: &mut Instruction,
    ) -> Result<(), String> {
        let body_start = self.next;
        while self.next < self.lines.len() {
            let (_, raw) = self.lines[self.next];
            self.next += 1;
            let mut candidate = trim_newline(raw);
            if heredoc.chomp {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == heredoc.name {
                heredoc.span = self.line_span(body_start, self.next - 1);
                instruction.heredocs.push(heredoc);
                return Ok(());
            }
            heredoc.content.push_str(raw);
        }
        Err(format!("unterminated heredoc {}", heredoc.name))
    }
}

#[cfg(test)]
mod tests;
