//! Inline suppression, applied once after every rule has run (so no rule needs to know).
//!
//! In Lua:
//! - `-- wippy: ignore E0004` — diagnostics with these codes on this line;
//! - `-- wippy: ignore-next-line E0004, W0006` — on the next line;
//! - `-- wippy: ignore-file W0004` — anywhere in the file;
//! - without codes, every code; codes are separated by commas or spaces, and anything after
//!   them is a free-text reason (`-- wippy: ignore E0001 -- set by the host`);
//! - lua-language-server's `---@diagnostic disable-next-line: …`, `disable-line: …` and
//!   `disable: …` / `enable: …` ranges, for the diagnostics both tools report (LuaLS names
//!   mapped to codes by [`LUALS_NAMES`]).
//!
//! In YAML entry files, the same `wippy:` forms after `#`.
//!
//! A `wippy:` suppression that suppresses nothing is itself an `H0002` hint, and a code that
//! does not exist a `C0001` warning. LuaLS directives are never reported unused: they may be
//! there for diagnostics only LuaLS gives.

use std::collections::HashSet;
use std::ops::Range;

use project::Files;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;

/// lua-language-server diagnostic names and the code each corresponds to.
pub const LUALS_NAMES: &[(&str, Code)] = &[
    ("undefined-global", Code::E0001),
    ("undefined-field", Code::E0004),
    ("inject-field", Code::E0004),
    ("unused-local", Code::W0004),
    ("unused-function", Code::W0004),
    ("missing-parameter", Code::E0003),
    ("redundant-parameter", Code::E0003),
    ("param-type-mismatch", Code::E0000),
    ("assign-type-mismatch", Code::E0000),
    ("return-type-mismatch", Code::E0000),
    ("cast-local-type", Code::E0000),
];

/// Which lines a directive covers.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Lines {
    /// One line (1-based).
    One(usize),
    /// From a line to another (inclusive).
    Range(usize, usize),
    /// The whole file.
    File,
}

/// One suppression comment.
#[derive(Debug)]
struct Directive {
    /// The codes; `None` for all.
    codes: Option<Vec<Code>>,
    lines: Lines,
    /// The comment's byte range.
    span: Range<u32>,
    /// The comment as written (for the unused hint).
    text: String,
    /// A `wippy:` directive (reported when unused), not a LuaLS one.
    ours: bool,
    used: bool,
}

impl Directive {
    fn covers(&self, line: usize, code: Code) -> bool {
        let on_line = match self.lines {
            Lines::One(l) => l == line,
            Lines::Range(a, b) => (a..=b).contains(&line),
            Lines::File => true,
        };
        on_line && self.codes.as_ref().is_none_or(|c| c.contains(&code))
    }
}

/// A comment found in a file: its byte range, its text after the comment marker, its line,
/// and whether code precedes it on that line.
struct Comment {
    span: Range<u32>,
    body: String,
    line: usize,
}

/// Remove the diagnostics that a suppression comment in their file covers; add `H0002` for
/// `wippy:` suppressions of `checked` files that covered nothing and `C0001` for unknown codes.
pub fn apply(files: &Files, checked: &HashSet<usize>, diagnostics: &mut Vec<Diagnostic>) {
    let mut added = Vec::new();
    let mut by_file: Vec<(usize, Vec<Directive>, Vec<usize>)> = Vec::new();
    for &file in checked {
        let Some(src) = files.get(file) else { continue };
        let text = &*src.text;
        if !text.contains("wippy:") && !text.contains("@diagnostic") {
            continue;
        }
        let yaml = src
            .path
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml");
        let comments = if yaml {
            yaml_comments(text)
        } else {
            lua_comments(text)
        };
        let marker = if yaml { "#" } else { "--" };
        let directives = directives(&comments, file, marker, &mut added);
        if !directives.is_empty() {
            by_file.push((file, directives, line_starts(text)));
        }
    }
    if by_file.is_empty() {
        diagnostics.append(&mut added);
        return;
    }
    diagnostics.retain(|d| {
        let Some((_, dirs, starts)) = by_file.iter_mut().find(|(f, _, _)| *f == d.file) else {
            return true;
        };
        let line = starts.partition_point(|&s| s <= d.span.start as usize);
        let mut keep = true;
        for dir in dirs.iter_mut().filter(|x| x.covers(line, d.code)) {
            dir.used = true;
            keep = false;
        }
        keep
    });
    for (file, dirs, _) in by_file {
        for d in dirs.into_iter().filter(|d| d.ours && !d.used) {
            added.push(
                Diagnostic::new(
                    Code::H0002,
                    file,
                    d.span,
                    format!("`{}` suppresses nothing", d.text.trim()),
                )
                .with_help("remove the comment, or name the code reported on its line"),
            );
        }
    }
    diagnostics.append(&mut added);
}

/// Byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The directives among `comments`; unknown codes become `C0001` in `problems`.
fn directives(
    comments: &[Comment],
    file: usize,
    marker: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Directive> {
    let mut out: Vec<Directive> = Vec::new();
    let mut open: Vec<(usize, Option<Vec<Code>>, Range<u32>)> = Vec::new();
    for c in comments {
        let body = c.body.trim();
        if let Some(rest) = body.strip_prefix("wippy:") {
            let rest = rest.trim_start();
            let (verb, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let lines = match verb {
                "ignore" => Lines::One(c.line),
                "ignore-next-line" => Lines::One(c.line + 1),
                "ignore-file" => Lines::File,
                _ => continue,
            };
            let codes = wippy_codes(args, file, &c.span, problems);
            out.push(Directive {
                codes,
                lines,
                span: c.span.clone(),
                text: format!("{marker} wippy: {verb} {args}"),
                ours: true,
                used: false,
            });
        } else if let Some(rest) = body.strip_prefix("-@diagnostic") {
            let rest = rest.trim();
            let (verb, names) = rest.split_once(':').unwrap_or((rest, ""));
            let codes = luals_codes(names);
            if codes.as_ref().is_some_and(Vec::is_empty) {
                continue;
            }
            let lines = match verb.trim() {
                "disable-next-line" => Lines::One(c.line + 1),
                "disable-line" => Lines::One(c.line),
                "disable" => {
                    open.push((c.line, codes, c.span.clone()));
                    continue;
                }
                "enable" => {
                    if let Some((from, codes, span)) = open.pop() {
                        out.push(luals(codes, Lines::Range(from, c.line), span));
                    }
                    continue;
                }
                _ => continue,
            };
            out.push(luals(codes, lines, c.span.clone()));
        }
    }
    for (from, codes, span) in open {
        out.push(luals(codes, Lines::Range(from, usize::MAX), span));
    }
    out
}

fn luals(codes: Option<Vec<Code>>, lines: Lines, span: Range<u32>) -> Directive {
    Directive {
        codes,
        lines,
        span,
        text: String::new(),
        ours: false,
        used: false,
    }
}

/// The leading code tokens of a `wippy:` directive; `None` (all codes) when none is named.
fn wippy_codes(
    args: &str,
    file: usize,
    span: &Range<u32>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<Code>> {
    let mut codes = Vec::new();
    let mut named = false;
    for token in args.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
        let looks_like_code = token.len() == 5
            && token.starts_with(|c: char| c.is_ascii_uppercase())
            && token[1..].bytes().all(|b| b.is_ascii_digit());
        if !looks_like_code {
            break;
        }
        named = true;
        match Code::parse(token) {
            Some(c) => codes.push(c),
            None => problems.push(Diagnostic::new(
                Code::C0001,
                file,
                span.clone(),
                format!("suppression names `{token}`, which is not a wippy diagnostic code"),
            )),
        }
    }
    // Codes were named (even if none exists): only those; none named: every code.
    named.then_some(codes)
}

/// LuaLS names mapped to codes: `None` for all (no names), names we do not report dropped.
fn luals_codes(names: &str) -> Option<Vec<Code>> {
    let names: Vec<&str> = names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return None;
    }
    let mut codes: Vec<Code> = names
        .iter()
        .filter_map(|n| LUALS_NAMES.iter().find(|(l, _)| l == n).map(|(_, c)| *c))
        .collect();
    codes.dedup();
    Some(codes)
}

/// Lua comments (`--…` and `--[[…]]`), skipping strings and long strings.
fn lua_comments(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1usize);
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'"' | b'\'' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'[' if long_bracket(b, i).is_some() => {
                let level = long_bracket(b, i).unwrap_or(0);
                let end = long_end(b, i, level);
                line += b[i..end].iter().filter(|&&c| c == b'\n').count();
                i = end;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let start = i;
                let (end, body) = match long_bracket(b, i + 2) {
                    Some(level) => {
                        let end = long_end(b, i + 2, level);
                        (end, text[i + 2..end].to_owned())
                    }
                    None => {
                        let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                        (end, text[i + 2..end].to_owned())
                    }
                };
                out.push(Comment {
                    span: start as u32..end as u32,
                    body,
                    line,
                });
                line += b[start..end].iter().filter(|&&c| c == b'\n').count();
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// The level of a long bracket `[==[` starting at `i`, if one does.
fn long_bracket(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let mut j = i + 1;
    while b.get(j) == Some(&b'=') {
        j += 1;
    }
    (b.get(j) == Some(&b'[')).then_some(j - i - 1)
}

/// The offset just past the long bracket closing the one at `i` (or the end of the text).
fn long_end(b: &[u8], i: usize, level: usize) -> usize {
    let close: Vec<u8> = std::iter::once(b']')
        .chain(std::iter::repeat_n(b'=', level))
        .chain(std::iter::once(b']'))
        .collect();
    let from = i + level + 2;
    b.get(from..)
        .and_then(|rest| {
            rest.windows(close.len())
                .position(|w| w == close.as_slice())
        })
        .map_or(b.len(), |p| from + p + close.len())
}

/// YAML comments: `#` at the start of a line or after whitespace, outside quotes.
fn yaml_comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let mut quote = None;
        let mut prev_space = true;
        for (i, ch) in line.char_indices() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if prev_space => quote = Some(ch),
                (None, '#') if prev_space => {
                    let body = line[i + 1..].trim_end_matches(['\n', '\r']);
                    out.push(Comment {
                        span: (offset + i) as u32..(offset + i + 1 + body.len()) as u32,
                        body: body.to_owned(),
                        line: n + 1,
                    });
                    break;
                }
                _ => {}
            }
            prev_space = ch.is_whitespace() || (quote.is_none() && matches!(ch, '-' | ':' | '['));
        }
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lua_comments_skip_strings() {
        let src = "local s = \"-- not\" -- yes\nlocal t = [[\n-- no ]] --[[ block\n]] x\n";
        let c = lua_comments(src);
        let bodies: Vec<(&str, usize)> = c.iter().map(|c| (c.body.as_str(), c.line)).collect();
        assert_eq!(bodies, [(" yes", 1), ("[[ block\n]]", 3)]);
    }

    #[test]
    fn yaml_comments_skip_quotes() {
        let src = "a: \"x # y\" # wippy: ignore\n# top\nb: c#d\n";
        let c = yaml_comments(src);
        let bodies: Vec<(&str, usize)> = c.iter().map(|c| (c.body.as_str(), c.line)).collect();
        assert_eq!(bodies, [(" wippy: ignore", 1), (" top", 2)]);
    }
}
