//! The word splitters of BuildKit's line parsers, each returning where every word lies in the
//! logical line so that findings can point at it.

/// A piece of a logical line: its value after the splitter's own processing, and its byte range
/// in the logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

impl Word {
    pub fn new(value: impl Into<String>, start: usize, end: usize) -> Self {
        Word {
            value: value.into(),
            start,
            end,
        }
    }
}

/// BuildKit's `tokenWhitespace` / `reWhitespace`: `[\t\v\f\r ]+`.
pub fn is_token_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ')
}

/// Go's `strings.TrimSpace`, returning the trimmed slice's offset too.
pub fn trim_space(s: &str) -> (usize, &str) {
    let start = s.len() - s.trim_start().len();
    (start, s.trim())
}

/// Splits on runs of `[\t\v\f\r ]`, as `regexp.Split(rest, -1)` does (so a leading or trailing
/// run yields an empty word, exactly like Go).
pub fn split_whitespace_delimited(rest: &str, base: usize) -> Vec<Word> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_token_whitespace(c) {
            words.push(Word::new(&rest[start..i], base + start, base + i));
            let mut next = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !is_token_whitespace(d) {
                    break;
                }
                next = j + d.len_utf8();
                chars.next();
            }
            start = next;
        }
    }
    words.push(Word::new(&rest[start..], base + start, base + rest.len()));
    words
}

/// Splits `s` in two at the first run of `[\t\v\f\r ]`, as `regexp.Split(s, 2)` does.
pub fn split_once_whitespace(s: &str) -> Option<(&str, usize, &str)> {
    let i = s.find(is_token_whitespace)?;
    let rest_start = s[i..]
        .find(|c: char| !is_token_whitespace(c))
        .map_or(s.len(), |j| i + j);
    Some((&s[..i], rest_start, &s[rest_start..]))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// BuildKit's `parseWords`: splits on whitespace outside quotes, keeping the quotes and escape
/// characters in the words (they are removed later, when the words are expanded).
pub fn parse_words(rest: &str, base: usize, escape: char) -> Vec<Word> {
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut chars = rest.char_indices().peekable();

    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
                words.push(Word::new(word, base + word_start, base + rest.len()));
            }
            break;
        };
        let at_last = chars.peek().is_none();
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(Word::new(
                        std::mem::take(&mut word),
                        base + word_start,
                        base + pos,
                    ));
                }
                word.clear();
                blank_ok = false;
                continue;
            }
            let mut ch = ch;
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if at_last {
                    continue; // an escape token at the end of the line is dropped
                }
                // Outside quotes an escape keeps itself and the next character, even a quote.
                word.push(ch);
                if let Some((_, next)) = chars.next() {
                    ch = next;
                }
            }
            word.push(ch);
            continue;
        }
        // Inside quotes.
        let mut ch = ch;
        if ch == quote {
            phase = Phase::Word;
        }
        // Nothing can be escaped inside single quotes.
        if ch == escape && quote != '\'' {
            if at_last {
                phase = Phase::Word;
                continue;
            }
            word.push(ch);
            if let Some((_, next)) = chars.next() {
                ch = next;
            }
        }
        word.push(ch);
    }
    words
}

/// BuildKit's `extractBuilderFlags`: the leading `--flag[=value]` words of an instruction.
/// Returns the flags and the offset (within `line`) where the arguments start; `line.len()`
/// when the line held nothing but flags. Quotes and backslashes are processed inside flags.
pub fn extract_builder_flags(line: &str, base: usize) -> (Vec<Word>, usize) {
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let bytes = line.as_bytes();
    let mut chars = line.char_indices().peekable();

    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && word != "--" && (blank_ok || !word.is_empty()) {
                words.push(Word::new(word, base + word_start, base + line.len()));
            }
            return (words, line.len());
        };
        let at_last = chars.peek().is_none();
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            // Only a word starting with "--" is a flag.
            if ch != '-' || bytes.get(pos + 1) != Some(&b'-') {
                return (words, pos);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return (words, pos);
                }
                if blank_ok || !word.is_empty() {
                    words.push(Word::new(
                        std::mem::take(&mut word),
                        base + word_start,
                        base + pos,
                    ));
                }
                word.clear();
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                continue;
            }
            let mut ch = ch;
            if ch == '\\' {
                if at_last {
                    continue;
                }
                if let Some((_, next)) = chars.next() {
                    ch = next;
                }
            }
            word.push(ch);
            continue;
        }
        if ch == quote {
            phase = Phase::Word;
            continue;
        }
        let mut ch = ch;
        if ch == '\\' {
            if at_last {
                phase = Phase::Word;
                continue;
            }
            if let Some((_, next)) = chars.next() {
                ch = next;
            }
        }
        word.push(ch);
    }
}

/// Why a JSON-looking argument was not taken as the exec form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonArrayError {
    /// Not a JSON array at all: the argument is the shell form.
    NotJson,
    /// A valid JSON array holding something other than strings: BuildKit rejects the line.
    NotStrings,
}

/// BuildKit's `parseJSON`: a JSON array of strings, with the span of each string (quotes
/// included).
pub fn parse_json_array(rest: &str, base: usize) -> Result<Vec<Word>, JsonArrayError> {
    let lead = rest.len() - rest.trim_start().len();
    let body = &rest[lead..];
    if !body.starts_with('[') {
        return Err(JsonArrayError::NotJson);
    }
    let values: Vec<serde_json::Value> =
        serde_json::from_str(body).map_err(|_| JsonArrayError::NotJson)?;
    let mut strings = Vec::with_capacity(values.len());
    for value in values {
        match value {
            serde_json::Value::String(s) => strings.push(s),
            _ => return Err(JsonArrayError::NotStrings),
        }
    }
    // The array is valid, so each string token can be found by scanning for its quotes.
    let bytes = body.as_bytes();
    let mut words = Vec::with_capacity(strings.len());
    let mut i = 0;
    for value in strings {
        while i < bytes.len() && bytes[i] != b'"' {
            i += 1;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        i += 1;
        let end = i.min(bytes.len());
        words.push(Word::new(value, base + lead + start, base + lead + end));
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.value.as_str()).collect()
    }

    #[test]
    fn parse_words_keeps_quotes_and_escapes() {
        let words = parse_words(r#"name="a b" x=c\ d  'e'"#, 0, '\\');
        assert_eq!(values(&words), [r#"name="a b""#, r"x=c\ d", "'e'"]);
        assert_eq!((words[0].start, words[0].end), (0, 10));
        assert_eq!((words[2].start, words[2].end), (19, 22));
    }

    #[test]
    fn parse_words_keeps_unterminated_quote() {
        assert_eq!(values(&parse_words("a 'b c", 0, '\\')), ["a", "'b c"]);
    }

    #[test]
    fn builder_flags_stop_at_first_non_flag() {
        let line = r#"--from=build --chmod="7 55" -- src dst"#;
        let (flags, rest) = extract_builder_flags(line, 0);
        assert_eq!(values(&flags), ["--from=build", "--chmod=7 55"]);
        assert_eq!(&line[rest..], " src dst");
        let (flags, rest) = extract_builder_flags("--a --b", 0);
        assert_eq!(values(&flags), ["--a", "--b"]);
        assert_eq!(rest, 7);
    }

    #[test]
    fn whitespace_split_matches_go_regexp_split() {
        assert_eq!(
            values(&split_whitespace_delimited("a  b\tc", 0)),
            ["a", "b", "c"]
        );
        assert_eq!(
            split_once_whitespace("KEY  some value"),
            Some(("KEY", 5, "some value"))
        );
    }

    #[test]
    fn json_arrays_with_spans() {
        let words = parse_json_array(r#" [ "a", "b\"c" ]"#, 10).unwrap();
        assert_eq!(values(&words), ["a", "b\"c"]);
        assert_eq!((words[1].start, words[1].end), (18, 24));
        assert_eq!(parse_json_array("[1]", 0), Err(JsonArrayError::NotStrings));
        assert_eq!(parse_json_array("['a']", 0), Err(JsonArrayError::NotJson));
        assert_eq!(
            parse_json_array(r#"["a"] x"#, 0),
            Err(JsonArrayError::NotJson)
        );
    }
}
