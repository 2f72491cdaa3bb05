//! Document text with a line index: LSP positions (line + UTF-16 or UTF-8 code units) ↔ byte
//! offsets, and incremental edits. full_moon and the checker work in bytes.

/// How LSP positions count characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// Bytes (when the client offers `utf-8`).
    Utf8,
}

/// A document's text (shared: the checker's file table holds the same allocation) and the
/// byte offset of each line start.
#[derive(Clone, Debug, Default)]
pub struct Text {
    text: std::sync::Arc<str>,
    lines: Vec<usize>,
}

/// An LSP position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// 0-based line.
    pub line: u32,
    /// 0-based character, in the negotiated encoding.
    pub character: u32,
}

impl Text {
    /// Index `text`.
    pub fn new(text: impl Into<std::sync::Arc<str>>) -> Text {
        let text = text.into();
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Text { text, lines }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text, shared.
    pub fn shared(&self) -> std::sync::Arc<str> {
        self.text.clone()
    }

    /// Number of lines (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Byte offset where 0-based `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.lines.get(line).copied().unwrap_or(self.text.len())
    }

    /// Byte offset of a position; positions past a line's end clamp to it, past the last line
    /// to the end of the text.
    pub fn offset(&self, p: Pos, enc: Encoding) -> usize {
        let Some(&start) = self.lines.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self
            .lines
            .get(p.line as usize + 1)
            .map_or(self.text.len(), |&e| e - 1);
        let line = &self.text[start..end.max(start)];
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += match enc {
                Encoding::Utf16 => c.len_utf16() as u32,
                Encoding::Utf8 => c.len_utf8() as u32,
            };
        }
        start + line.len()
    }

    /// Position of a byte offset (clamped to the text, and to a character boundary).
    pub fn pos(&self, offset: usize, enc: Encoding) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.partition_point(|&s| s <= offset) - 1;
        let prefix = &self.text[self.lines[line]..offset];
        let character = match enc {
            Encoding::Utf16 => prefix.encode_utf16().count(),
            Encoding::Utf8 => prefix.len(),
        } as u32;
        Pos {
            line: line as u32,
            character,
        }
    }

    /// Replace the text between two positions (an incremental change); `None` replaces all.
    pub fn edit(&mut self, range: Option<(Pos, Pos)>, new: &str, enc: Encoding) {
        match range {
            None => *self = Text::new(new),
            Some((a, b)) => {
                let (s, e) = (self.offset(a, enc), self.offset(b, enc));
                let (s, e) = (s.min(e), s.max(e));
                let mut text = String::with_capacity(self.text.len() + new.len());
                text.push_str(&self.text[..s]);
                text.push_str(new);
                text.push_str(&self.text[e..]);
                *self = Text::new(text);
            }
        }
    }
}

/// How offsets of an older text of a document map into its current text and back: the two
/// texts share a prefix and a suffix, and differ in one region between them (all edits since,
/// merged). Offsets before the region are equal, offsets after it shift by the length change,
/// offsets inside it map to the region's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shift {
    /// Length of the common prefix (bytes).
    prefix: usize,
    /// Length of the common suffix (bytes).
    suffix: usize,
    /// Length of the older text.
    old_len: usize,
    /// Length of the current text.
    new_len: usize,
}

impl Shift {
    /// The mapping between `old` and `new`.
    pub fn between(old: &str, new: &str) -> Shift {
        if std::ptr::eq(old, new) || old == new {
            return Shift {
                prefix: old.len(),
                suffix: 0,
                old_len: old.len(),
                new_len: new.len(),
            };
        }
        let mut prefix = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(x, y)| x == y)
            .count();
        while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let max_suffix = old.len().min(new.len()) - prefix;
        let mut suffix = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(max_suffix)
            .take_while(|(x, y)| x == y)
            .count();
        while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix)
        {
            suffix -= 1;
        }
        Shift {
            prefix,
            suffix,
            old_len: old.len(),
            new_len: new.len(),
        }
    }

    /// Whether the two texts are the same.
    pub fn is_identity(&self) -> bool {
        self.prefix == self.old_len && self.old_len == self.new_len
    }

    /// An offset of the current text in the older one.
    pub fn to_old(&self, offset: usize) -> usize {
        map(
            offset,
            self.prefix,
            self.suffix,
            self.new_len,
            self.old_len,
            false,
        )
    }

    /// An offset of the older text in the current one (an offset where text was inserted
    /// maps to after the insertion).
    pub fn to_new(&self, offset: usize) -> usize {
        map(
            offset,
            self.prefix,
            self.suffix,
            self.old_len,
            self.new_len,
            true,
        )
    }

    /// A byte range of the older text in the current one; `None` when it touches the edited
    /// region (its text may have changed).
    pub fn span_to_new(&self, span: &std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        let edited = self.prefix..self.old_len - self.suffix;
        let touches = if edited.is_empty() {
            // Text inserted at one point: only a span around that point changed.
            !self.is_identity() && span.start < edited.start && edited.start < span.end
        } else {
            span.start < edited.end && span.end > edited.start
        };
        (!touches).then(|| {
            let start = self.to_new(span.start);
            let end = map(
                span.end,
                self.prefix,
                self.suffix,
                self.old_len,
                self.new_len,
                false,
            );
            start..end.max(start)
        })
    }
}

/// Map `offset` of a text of `from_len` bytes into one of `to_len` sharing `prefix` and
/// `suffix`; at an offset both in the prefix and the suffix, `suffix_first` picks the suffix.
fn map(
    offset: usize,
    prefix: usize,
    suffix: usize,
    from_len: usize,
    to_len: usize,
    suffix_first: bool,
) -> usize {
    let in_suffix = offset >= from_len - suffix;
    if in_suffix && (suffix_first || offset > prefix) {
        offset + to_len - from_len
    } else if offset <= prefix {
        offset.min(to_len)
    } else {
        to_len - suffix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_positions_round_trip() {
        let t = Text::new("local a = \"é😀\"\nx = 1\n".to_owned());
        let emoji = t.as_str().find('😀').unwrap();
        assert_eq!(
            t.pos(emoji, Encoding::Utf16),
            Pos {
                line: 0,
                character: 12
            }
        );
        assert_eq!(
            t.pos(emoji, Encoding::Utf8),
            Pos {
                line: 0,
                character: 13
            }
        );
        assert_eq!(
            t.offset(
                Pos {
                    line: 0,
                    character: 12
                },
                Encoding::Utf16
            ),
            emoji
        );
        assert_eq!(
            t.offset(
                Pos {
                    line: 1,
                    character: 99
                },
                Encoding::Utf16
            ),
            t.as_str().len() - 1
        );
        assert_eq!(
            t.offset(
                Pos {
                    line: 40,
                    character: 0
                },
                Encoding::Utf16
            ),
            t.as_str().len()
        );
    }

    #[test]
    fn offsets_map_between_an_older_text_and_the_current_one() {
        let old = "local a = 1\nlocal b = a\nreturn b\n";
        let new = "local a = 1\nlocal xyz = 2\nlocal b = a\nreturn b\n";
        let s = Shift::between(old, new);
        assert_eq!(s.to_old(6), 6);
        let b_new = new.find("b = a").unwrap();
        let b_old = old.find("b = a").unwrap();
        assert_eq!(s.to_old(b_new), b_old);
        assert_eq!(s.to_new(b_old), b_new);
        assert_eq!(s.span_to_new(&(b_old..b_old + 1)), Some(b_new..b_new + 1));
        assert!(Shift::between(old, old).is_identity());
        // A span in the edited region has no image.
        let t = Shift::between("abc def", "abc xyz");
        assert_eq!(t.span_to_new(&(4..7)), None);
        assert_eq!(t.span_to_new(&(0..3)), Some(0..3));
    }

    #[test]
    fn incremental_edits_apply() {
        let mut t = Text::new("local x = 1\nreturn x\n".to_owned());
        t.edit(
            Some((
                Pos {
                    line: 0,
                    character: 10,
                },
                Pos {
                    line: 0,
                    character: 11,
                },
            )),
            "42",
            Encoding::Utf16,
        );
        t.edit(
            Some((
                Pos {
                    line: 1,
                    character: 8,
                },
                Pos {
                    line: 1,
                    character: 8,
                },
            )),
            " + 1",
            Encoding::Utf16,
        );
        assert_eq!(t.as_str(), "local x = 42\nreturn x + 1\n");
    }
}
