//! Lexer for the Wippy Lua dialect (Lua 5.3 tokens plus Wippy's type-syntax punctuation).
//!
//! Used twice: on a type string of a manifest (`"(string, error?)"`), and on a whole Lua chunk by
//! the checker's dialect pre-pass. Tokens carry byte offsets into the source; comments and
//! whitespace are skipped. The lexer never fails: an unterminated string or long comment runs to
//! the end of input, and a stray character becomes a [`TokenKind::Unknown`] token, leaving the
//! error to the parser that sees it (rules: wippy-facts §1.1, lexer quirks).

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A name or keyword (`local`, `x`, `as`).
    Name,
    /// A numeric literal.
    Number,
    /// A quoted string `"…"`/`'…'`, a long string `[[…]]`, or a Luau backtick string.
    String,
    /// Punctuation or an operator (`::`, `->`, `?:`, `==`, `(` …).
    Symbol,
    /// A character no Lua token starts with.
    Unknown,
}

/// One token: kind and byte range `[start, end)` in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// Whether a newline separates this token from the previous one.
    pub newline_before: bool,
}

impl Token {
    /// The token's text in `src`.
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

const SYMBOLS3: [&str; 3] = ["...", "..=", "//="];
const SYMBOLS2: [&str; 20] = [
    "..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::", "->", "?:", "+=", "-=", "*=", "/=", "%=",
    "^=", "!=", "&&", "||",
];

/// Tokenize `src`. Offsets are bytes; the result never includes comments.
pub fn lex(src: &str) -> Vec<Token> {
    let b = src.as_bytes();
    let mut toks = Vec::with_capacity(src.len() / 4);
    let mut i = 0usize;
    let mut newline = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                newline = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let from = i;
                i = skip_comment(b, i + 2);
                newline |= b[from..i].contains(&b'\n');
                continue;
            }
            _ => {}
        }
        let start = i;
        let kind = if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            TokenKind::Name
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i = scan_number(b, i);
            TokenKind::Number
        } else if c == b'"' || c == b'\'' || c == b'`' {
            i = scan_quoted(b, i);
            TokenKind::String
        } else if c == b'[' && long_bracket_level(b, i).is_some() {
            let level = long_bracket_level(b, i).unwrap_or(0);
            i = scan_long(b, i + level + 2, level);
            TokenKind::String
        } else if let Some(n) = symbol_len(b, i) {
            i += n;
            TokenKind::Symbol
        } else {
            // One UTF-8 character.
            i += utf8_len(c);
            TokenKind::Unknown
        };
        toks.push(Token {
            kind,
            start: start as u32,
            end: i.min(b.len()) as u32,
            newline_before: newline,
        });
        newline = false;
    }
    toks
}

fn utf8_len(c: u8) -> usize {
    match c {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn symbol_len(b: &[u8], i: usize) -> Option<usize> {
    let rest = &b[i..];
    if SYMBOLS3.iter().any(|s| rest.starts_with(s.as_bytes())) {
        return Some(3);
    }
    if SYMBOLS2.iter().any(|s| rest.starts_with(s.as_bytes())) {
        return Some(2);
    }
    b"+-*/%^#&~|<>=(){}[];:,.!@?".contains(&b[i]).then_some(1)
}

/// `[[` → Some(0), `[==[` → Some(2), otherwise None.
fn long_bracket_level(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while b.get(j) == Some(&b'=') {
        j += 1;
    }
    (b.get(j) == Some(&b'[')).then_some(j - i - 1)
}

/// Scan to the end of a long bracket body of `level` starting at `i`; returns the offset after it.
fn scan_long(b: &[u8], mut i: usize, level: usize) -> usize {
    while i < b.len() {
        if b[i] == b']' {
            let mut j = i + 1;
            while b.get(j) == Some(&b'=') {
                j += 1;
            }
            if j - i - 1 == level && b.get(j) == Some(&b']') {
                return j + 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    b.len()
}

fn skip_comment(b: &[u8], i: usize) -> usize {
    if b.get(i) == Some(&b'[') {
        if let Some(level) = long_bracket_level(b, i) {
            return scan_long(b, i + level + 2, level);
        }
    }
    let mut j = i;
    while j < b.len() && b[j] != b'\n' {
        j += 1;
    }
    j
}

fn scan_quoted(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' if quote != b'`' => return j,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

fn scan_number(b: &[u8], i: usize) -> usize {
    let hex = b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X'));
    let mut j = i;
    while j < b.len() {
        let c = b[j];
        let exp = if hex {
            matches!(c, b'p' | b'P')
        } else {
            matches!(c, b'e' | b'E')
        };
        if exp && matches!(b.get(j + 1), Some(b'+' | b'-')) {
            j += 2;
        } else if c.is_ascii_alphanumeric()
            || c == b'_'
            || (c == b'.' && b.get(j + 1) != Some(&b'.'))
        {
            j += 1;
        } else {
            break;
        }
    }
    j
}

/// The value of a Lua numeric literal: `Ok(Integer)` for integral decimal/hex without `.`/exponent.
pub fn parse_number(text: &str) -> Option<NumberValue> {
    let t = text.replace('_', "");
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        if hex.chars().all(|c| c.is_ascii_hexdigit()) {
            // Lua wraps hex integers modulo 2^64.
            let v = hex.chars().fold(0u64, |acc, c| {
                acc.wrapping_mul(16)
                    .wrapping_add(c.to_digit(16).unwrap_or(0) as u64)
            });
            return Some(NumberValue::Integer(v as i64));
        }
        return Some(NumberValue::Float(0.0));
    }
    if let Some(bin) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return i64::from_str_radix(bin, 2).ok().map(NumberValue::Integer);
    }
    if t.bytes().all(|c| c.is_ascii_digit()) {
        return Some(
            t.parse::<i64>()
                .map(NumberValue::Integer)
                .unwrap_or(NumberValue::Float(t.parse().unwrap_or(0.0))),
        );
    }
    t.parse::<f64>().ok().map(NumberValue::Float)
}

/// A numeric literal's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumberValue {
    /// An integer literal.
    Integer(i64),
    /// A float literal.
    Float(f64),
}

/// The contents of a quoted or long string token, with Lua escapes decoded (lossy on bad escapes).
pub fn string_value(text: &str) -> String {
    let b = text.as_bytes();
    if b.first() == Some(&b'[') {
        let level = long_bracket_level(b, 0).unwrap_or(0);
        let open = level + 2;
        let body = text
            .get(open..text.len().saturating_sub(open))
            .unwrap_or("");
        return body.strip_prefix('\n').unwrap_or(body).to_owned();
    }
    let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(d) if d.is_ascii_digit() => {
                let mut n = d.to_digit(10).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(10)) {
                        Some(v) => {
                            n = n * 10 + v;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(n.min(255)).unwrap_or('?'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        lex(src).iter().map(|t| t.text(src)).collect()
    }

    #[test]
    fn lexes_type_punctuation() {
        assert_eq!(
            texts("{a?: T} -> (x) :: y!"),
            ["{", "a", "?:", "T", "}", "->", "(", "x", ")", "::", "y", "!"]
        );
    }

    #[test]
    fn skips_comments_and_keeps_offsets() {
        let src = "local x --[[ c ]] = [==[ a ]] ]==] -- end\n 'q\\'s' 0x1F 1e-3";
        let toks = lex(src);
        assert_eq!(
            texts(src),
            [
                "local",
                "x",
                "=",
                "[==[ a ]] ]==]",
                "'q\\'s'",
                "0x1F",
                "1e-3"
            ]
        );
        assert!(toks[4].newline_before);
        assert_eq!(toks[1].start, 6);
    }

    #[test]
    fn never_fails_on_garbage() {
        let src = "\"unterminated\n $ é [=[ open";
        let toks = lex(src);
        assert!(toks.iter().any(|t| t.kind == TokenKind::Unknown));
        assert_eq!(toks.last().map(|t| t.end as usize), Some(src.len()));
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(parse_number("42"), Some(NumberValue::Integer(42)));
        assert_eq!(parse_number("0xff"), Some(NumberValue::Integer(255)));
        assert_eq!(parse_number("1.5"), Some(NumberValue::Float(1.5)));
        assert_eq!(string_value(r#""a\n\65""#), "a\nA");
        assert_eq!(string_value("[[\nx]]"), "x");
    }
}
