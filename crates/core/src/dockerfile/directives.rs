//! Parser directives (`# syntax=`, `# escape=`, `# check=`), honoured only where BuildKit
//! honours them: in the comment lines at the very top, before any blank line, other comment or
//! instruction.

/// BuildKit's recognised directive names; any other `# key=value` ends the directive block.
const KNOWN: [&str; 3] = ["syntax", "escape", "check"];

#[derive(Debug, Default)]
pub(crate) struct DirectiveParser {
    done: bool,
    seen: Vec<String>,
}

/// What one line said, if it was a directive.
pub(crate) struct ParsedDirective {
    pub name: String,
    pub value: String,
    /// Byte range of the value within the line.
    pub value_range: (usize, usize),
}

impl DirectiveParser {
    /// Looks at one line (line ending removed). Returns the directive it holds, or an error
    /// for a directive given twice. Once a line is not a directive, no later line is.
    pub(crate) fn parse_line(&mut self, line: &str) -> Result<Option<ParsedDirective>, String> {
        if self.done {
            return Ok(None);
        }
        let Some(parsed) = match_directive(line) else {
            self.done = true;
            return Ok(None);
        };
        if !KNOWN.contains(&parsed.name.as_str()) {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&parsed.name) {
            return Err(format!(
                "only one {} parser directive can be used",
                parsed.name
            ));
        }
        self.seen.push(parsed.name.clone());
        Ok(Some(parsed))
    }
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, by hand. `\s` in Go's RE2 is ASCII
/// whitespace: space, \t, \n, \f, \r (not \v).
fn match_directive(line: &str) -> Option<ParsedDirective> {
    let is_s = |c: char| matches!(c, ' ' | '\t' | '\n' | '\u{0C}' | '\r');
    let rest = line.strip_prefix('#')?;
    let rest_trim = rest.trim_start_matches(is_s);
    let mut chars = rest_trim.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() => {}
        _ => return None,
    }
    let name_len = rest_trim
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest_trim.len());
    let name = &rest_trim[..name_len];
    let after_name = rest_trim[name_len..].trim_start_matches(is_s);
    let after_eq = after_name.strip_prefix('=')?;
    let value_part = after_eq.trim_start_matches(is_s);
    let value = value_part.trim_end_matches(is_s);
    if value.is_empty() {
        return None;
    }
    let value_start = line.len() - value_part.len();
    Some(ParsedDirective {
        name: name.to_ascii_lowercase(),
        value: value.to_string(),
        value_range: (value_start, value_start + value.len()),
    })
}

/// The line-continuation test for an escape character: BuildKit's
/// `([^E])E[ \t]*$|^E[ \t]*$`. Returns the line without the continuation, or `None` when the
/// line does not continue.
pub(crate) fn strip_continuation(line: &str, escape: char) -> Option<&str> {
    let body = line.trim_end_matches([' ', '\t']);
    let before = body.strip_suffix(escape)?;
    if before.is_empty() {
        return Some("");
    }
    if before.ends_with(escape) {
        // An escaped escape character does not continue the line.
        return None;
    }
    Some(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_only_at_the_top() {
        let mut p = DirectiveParser::default();
        let d = p.parse_line("# escape = `  ").unwrap().unwrap();
        assert_eq!((d.name.as_str(), d.value.as_str()), ("escape", "`"));
        assert_eq!(d.value_range, (11, 12));
        let d = p
            .parse_line("#SYNTAX=docker/dockerfile:1")
            .unwrap()
            .unwrap();
        assert_eq!(d.name, "syntax");
        assert!(p.parse_line("# escape=\\").is_err(), "repeated directive");
        assert!(p.parse_line("# a comment").unwrap().is_none());
        assert!(
            p.parse_line("# check=skip=all").unwrap().is_none(),
            "too late"
        );
    }

    #[test]
    fn unknown_directive_ends_the_block() {
        let mut p = DirectiveParser::default();
        assert!(p.parse_line("# foo=bar").unwrap().is_none());
        assert!(p.parse_line("# escape=`").unwrap().is_none());
    }

    #[test]
    fn continuation_rules() {
        assert_eq!(strip_continuation("a \\", '\\'), Some("a "));
        assert_eq!(strip_continuation("a\\  \t", '\\'), Some("a"));
        assert_eq!(strip_continuation("\\", '\\'), Some(""));
        assert_eq!(strip_continuation("a\\\\", '\\'), None);
        assert_eq!(strip_continuation("a `", '`'), Some("a "));
        assert_eq!(strip_continuation("a \\", '`'), None);
    }
}
