//! Positions in the original text, and logical lines built from several physical lines.
//!
//! BuildKit joins continuation lines into one logical line before it splits words, so every
//! offset a word splitter produces is an offset into that joined string. `LogicalLine` remembers
//! which slice of the source each piece came from, so that any logical offset maps back to the
//! exact line and column a user sees in an editor.

use serde::Serialize;

/// A point in the source: 1-based line, 1-based column counted in characters, and the byte
/// offset from the start of the text (after a byte-order mark, if any, was removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

/// A half-open range of source text: `end` is the position just after the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Line starts of a text, to turn byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text).map(|i| i + 1));
        SourceMap { text, line_starts }
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; offsets inside a
    /// multi-byte character move back to its start.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        Position {
            line: to_u32(line_index + 1),
            column: to_u32(column),
            offset,
        }
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.position(start),
            end: self.position(end.max(start)),
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> Option<&'a str> {
        let index = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\r', '\n']))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One logical line: the text BuildKit parses, and where each piece of it came from.
#[derive(Debug, Clone, Default)]
pub struct LogicalLine {
    pub text: String,
    /// (offset in `text`, offset in the source) for the start of each piece, in order.
    pieces: Vec<(usize, usize)>,
}

impl LogicalLine {
    pub fn push(&mut self, piece: &str, source_offset: usize) {
        if piece.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), source_offset));
        self.text.push_str(piece);
    }

    /// The source offset of a logical offset. An offset that ends a piece maps to the end of
    /// that piece, not to the start of the next line, so spans never run onto the next line
    /// when a word ends just before a continuation.
    pub fn source_offset(&self, logical: usize, is_end: bool) -> usize {
        if self.pieces.is_empty() {
            return 0;
        }
        let index = match self.pieces.binary_search_by(|&(l, _)| l.cmp(&logical)) {
            Ok(i) if is_end && i > 0 => i - 1,
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (piece_logical, piece_source) = self.pieces[index];
        piece_source + logical.saturating_sub(piece_logical)
    }

    pub fn span(&self, map: &SourceMap<'_>, start: usize, end: usize) -> Span {
        let s = self.source_offset(start, false);
        let e = if end > start {
            self.source_offset(end, true)
        } else {
            s
        };
        map.span(s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let map = SourceMap::new("FROM a\nLABEL x=\"♥\" y=1\n");
        let p = map.position("FROM a\nLABEL x=\"♥\" ".len());
        assert_eq!((p.line, p.column), (2, 13));
        assert_eq!(map.line_text(2), Some("LABEL x=\"♥\" y=1"));
        assert_eq!(map.line_text(4), None);
    }

    #[test]
    fn logical_offsets_map_back_across_continuations() {
        let src = "RUN a \\\n  b\n";
        let map = SourceMap::new(src);
        let mut line = LogicalLine::default();
        line.push("RUN a ", 0);
        line.push("  b", 8);
        assert_eq!(line.text, "RUN a   b");
        let span = line.span(&map, 8, 9);
        assert_eq!((span.start.line, span.start.column), (2, 3));
        // A word ending exactly at the end of the first piece stays on line 1.
        let span = line.span(&map, 4, 6);
        assert_eq!((span.end.line, span.end.column), (1, 7));
    }
}
