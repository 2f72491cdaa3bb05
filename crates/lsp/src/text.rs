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

/// A document's text and the byte offset of each line start.
#[derive(Clone, Debug, Default)]
pub struct Text {
    text: String,
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
    pub fn new(text: String) -> Text {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Text { text, lines }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
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
            None => *self = Text::new(new.to_owned()),
            Some((a, b)) => {
                let (s, e) = (self.offset(a, enc), self.offset(b, enc));
                let (s, e) = (s.min(e), s.max(e));
                let mut text = std::mem::take(&mut self.text);
                text.replace_range(s..e, new);
                *self = Text::new(text);
            }
        }
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
