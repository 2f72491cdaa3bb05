//! Parsing a chunk: the dialect pre-pass, then full_moon 3 with `LuaVersion::new()`.
//!
//! full_moon's recursive-descent parser and the tree's recursive `Drop` use stack in proportion to
//! nesting; the pre-pass refuses anything deeper than [`crate::dialect::MAX_NESTING`] (and
//! longer operator paths than [`crate::dialect::MAX_CHAIN`], chunks larger than
//! [`crate::dialect::MAX_SOURCE_BYTES`]), and callers run parsing on threads with
//! [`PARSE_STACK`] bytes of stack (see `check.rs`). Any panic inside full_moon (anchors-lsp §3
//! lists two; a lexer error right after Luau's `@` is a third) is caught, kept off stderr, and
//! becomes a parse error at the first token full_moon's lexer refuses.

use std::cell::Cell;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use full_moon::ast::Ast;
use full_moon::node::Node;
use full_moon::LuaVersion;

use crate::dialect::{prepare, Dialect, Prepared};

/// Stack size for threads that parse and walk syntax trees.
pub const PARSE_STACK: usize = 256 << 20;

/// Run `f` on a new thread with [`PARSE_STACK`] bytes of stack and return what it returns (a
/// panic in `f` is resumed here). For callers that parse or walk a tree on a thread of unknown
/// stack size (the main thread has 8 MiB; deep trees within the pre-pass limits need more).
/// If no thread can be started, `f` runs on the caller's thread.
pub fn with_parse_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let job = std::sync::Mutex::new(Some(f));
    let take = || job.lock().unwrap_or_else(|p| p.into_inner()).take();
    let out = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("wippy-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, || take().map(|f| f()));
        match handle.map(|h| h.join()) {
            Ok(Ok(out)) => out,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => None,
        }
    });
    match out {
        Some(out) => out,
        // Spawning failed: the job was never taken.
        None => match take() {
            Some(f) => f(),
            None => unreachable!("a job that ran returned its result"),
        },
    }
}

/// A parsed chunk: the tree and the pre-pass tables; or the first syntax error.
pub struct Parsed {
    /// The pre-pass output (annotation tables keyed by byte offset).
    pub prepared: Prepared,
    /// The syntax tree, or the first syntax error (byte range, message).
    pub ast: Result<Ast, (Range<u32>, String)>,
}

/// A full_moon error as (byte range, message). full_moon's range can end before it starts (a
/// block's `for` to where the missing `end` was expected): the error is then at the start.
fn error_at(e: &full_moon::Error) -> (Range<u32>, String) {
    let (s, e2) = e.range();
    let start = s.bytes() as u32;
    (
        start..(e2.bytes() as u32).max(start),
        e.error_message().to_string(),
    )
}

/// Parse `src` in `dialect`.
pub fn parse_chunk(src: &str, dialect: Dialect) -> Parsed {
    let prepared = prepare(src, dialect);
    if let Some(err) = prepared.error.clone() {
        return Parsed {
            prepared,
            ast: Err(err),
        };
    }
    let result =
        quietly(|| full_moon::parse_fallible(&prepared.text, LuaVersion::new()).into_result());
    let ast = match result {
        Ok(Ok(ast)) => Ok(ast),
        Ok(Err(errors)) => Err(errors
            .iter()
            .map(error_at)
            .min_by_key(|(r, _)| r.start)
            .unwrap_or((0..0, "syntax error".into()))),
        Err(()) => Err(lexer_error(&prepared.text).unwrap_or((
            0..0,
            "the parser failed on this file (internal error); please report it".into(),
        ))),
    };
    let ast = ast.and_then(|ast| match luau_only_syntax(&ast, dialect) {
        Some(err) => Err(err),
        None => Ok(ast),
    });
    Parsed { prepared, ast }
}

thread_local! {
    /// Whether this thread is inside [`quietly`] (its panics are expected and not printed).
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`, catching a panic; while it runs, this thread's panics are not printed (the process
/// panic hook, installed once, defers to the previous hook for every other panic).
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, ()> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let out = catch_unwind(AssertUnwindSafe(f)).map_err(|_| ());
    QUIET.with(|q| q.set(was));
    out
}

/// The first error of full_moon's own lexer in `text` (full_moon's parser panics on some of
/// them instead of reporting them): byte range and message.
fn lexer_error(text: &str) -> Option<(Range<u32>, String)> {
    use full_moon::tokenizer::{Lexer, LexerResult, TokenizerErrorType};
    let errors = quietly(|| match Lexer::new(text, LuaVersion::new()).collect() {
        LexerResult::Ok(_) => Vec::new(),
        LexerResult::Fatal(e) | LexerResult::Recovered(_, e) => e,
    })
    .ok()?;
    let first = errors.iter().min_by_key(|e| e.range().0.bytes())?;
    let (s, e) = first.range();
    let start = s.bytes() as u32;
    let message = match first.error() {
        TokenizerErrorType::UnexpectedToken(c) => {
            format!("unexpected character `{}`", c.escape_debug())
        }
        other => other.to_string(),
    };
    Some((start..(e.bytes() as u32).max(start + 1), message))
}

/// A chunk parsed for an editor: the pre-pass tables and the tree full_moon recovered, even
/// when the text has syntax errors (`errors` lists them, byte range and message).
pub struct Recovered {
    /// The pre-pass output.
    pub prepared: Prepared,
    /// The recovered tree: statements the parser could not read are dropped and missing tokens
    /// (a `)`, an `end`) are phantoms without a position, so spans of nodes ending in one may
    /// end early. `None` when the pre-pass refused the text (type syntax, nesting) or the
    /// parser panicked.
    pub ast: Option<Ast>,
    /// Every syntax error (byte range, message), in source order.
    pub errors: Vec<(Range<u32>, String)>,
}

/// Parse `src` in `dialect` keeping full_moon's recovered tree ([`full_moon::parse_fallible`]),
/// for editor features that must work while the code is being typed. [`parse_chunk`] is what
/// diagnostics use; this never changes them.
pub fn parse_chunk_recovering(src: &str, dialect: Dialect) -> Recovered {
    let prepared = prepare(src, dialect);
    if let Some(err) = prepared.error.clone() {
        return Recovered {
            prepared,
            ast: None,
            errors: vec![err],
        };
    }
    let result = quietly(|| {
        let mut text = prepared.text.clone();
        let mut first: Option<Vec<(Range<u32>, String)>> = None;
        let mut attempts = 0;
        loop {
            let r = full_moon::parse_fallible(&text, LuaVersion::new());
            let mut errors: Vec<(Range<u32>, String)> = r.errors().iter().map(error_at).collect();
            errors.sort_by_key(|(r, _)| r.start);
            // A tokenizer error (an unfinished string) leaves no tree: blank the rest of its
            // line, at the same offsets, and parse again.
            let token_error = r.errors().iter().find_map(|e| match e {
                full_moon::Error::TokenizerError(t) => Some(t.range().0.bytes()),
                _ => None,
            });
            let errors = first.get_or_insert(errors).clone();
            match token_error {
                Some(at) if attempts < 8 && text.is_char_boundary(at) => {
                    attempts += 1;
                    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                    let blank = " ".repeat(end - at);
                    text.replace_range(at..end, &blank);
                }
                _ => return (r.into_ast(), errors),
            }
        }
    });
    match result {
        Ok((ast, errors)) => Recovered {
            prepared,
            ast: Some(ast),
            errors,
        },
        Err(()) => {
            let error = lexer_error(&prepared.text).unwrap_or((
                0..0,
                "the parser failed on this file (internal error); please report it".into(),
            ));
            Recovered {
                prepared,
                ast: None,
                errors: vec![error],
            }
        }
    }
}

/// In Wippy Lua, full_moon's Luau-only statements are errors: the Wippy VM does not run them
/// (wippy-facts §1.1: no `continue`, `+=`, if-expressions, string interpolation).
fn luau_only_syntax(ast: &Ast, dialect: Dialect) -> Option<(Range<u32>, String)> {
    use full_moon::ast::{Expression, LastStmt, Stmt};
    use full_moon::visitors::Visitor;
    if dialect == Dialect::Luau {
        return None;
    }
    struct Finder(Option<(Range<u32>, String)>);
    fn span(n: &impl Node) -> Range<u32> {
        let s = n.start_position().map_or(0, |p| p.bytes() as u32);
        let e = n.end_position().map_or(s, |p| p.bytes() as u32);
        s..e
    }
    impl Finder {
        fn found(&mut self, r: Range<u32>, what: &str) {
            if self.0.as_ref().is_none_or(|(old, _)| r.start < old.start) {
                self.0 = Some((
                    r,
                    format!("{what} is Luau syntax; Wippy Lua (5.3) does not accept it"),
                ));
            }
        }
    }
    impl Visitor for Finder {
        fn visit_stmt(&mut self, s: &Stmt) {
            match s {
                Stmt::CompoundAssignment(c) => self.found(span(c), "compound assignment"),
                Stmt::ConstAssignment(c) => self.found(span(c), "`const`"),
                Stmt::ConstFunction(c) => self.found(span(c.as_ref()), "`const function`"),
                _ => {}
            }
        }
        fn visit_last_stmt(&mut self, s: &LastStmt) {
            if let LastStmt::Continue(t) = s {
                self.found(span(t), "`continue`");
            }
        }
        fn visit_expression(&mut self, e: &Expression) {
            match e {
                Expression::IfExpression(x) => self.found(span(x.as_ref()), "an if-expression"),
                Expression::InterpolatedString(x) => {
                    self.found(span(x.as_ref()), "a backtick string")
                }
                _ => {}
            }
        }
    }
    let mut f = Finder(None);
    f.visit_ast(ast);
    f.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wippy_dialect() {
        let src = "local x: number = 1 & 2 // 3\nlocal y = x as integer\nfor i = 1, 2 do\n  if i then goto continue end\n  print(i) ::continue::\nend\n";
        let p = parse_chunk(src, Dialect::Wippy);
        assert!(p.ast.is_ok(), "{:?}", p.ast.err());
    }

    #[test]
    fn reports_first_error_with_span() {
        let p = parse_chunk("local x = \nlocal y = = 2", Dialect::Wippy);
        let (span, msg) = p.ast.err().unwrap();
        assert!(
            span.start >= 8 && msg.contains("expected"),
            "{span:?} {msg}"
        );
    }

    #[test]
    fn luau_syntax_is_wippy_error_but_fine_in_handlers() {
        let src = "local n = 0\nn += 1\n";
        assert!(parse_chunk(src, Dialect::Wippy).ast.is_err());
        assert!(parse_chunk(src, Dialect::Luau).ast.is_ok());
    }

    #[test]
    fn recovering_keeps_the_statements_around_an_error() {
        let src = "local json = require(\"json\")\nlocal x = json.\nlocal y = 1\nreturn y\n";
        assert!(parse_chunk(src, Dialect::Wippy).ast.is_err());
        let r = parse_chunk_recovering(src, Dialect::Wippy);
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        let ast = r.ast.expect("a recovered tree");
        assert!(ast.nodes().stmts().count() >= 3);
        // An unfinished string: the rest of its line is dropped, the rest of the file kept.
        let src = "local function f(a)\n    local s = require(\"\n    return a\nend\nreturn f\n";
        let r = parse_chunk_recovering(src, Dialect::Wippy);
        let ast = r.ast.expect("a recovered tree");
        assert!(ast.nodes().stmts().count() >= 1 && !r.errors.is_empty());
        assert!(ast.to_string().contains("return a"));
        let deep = format!("local t = {}1{}", "{".repeat(1000), "}".repeat(1000));
        assert!(parse_chunk_recovering(&deep, Dialect::Wippy).ast.is_none());
    }

    #[test]
    fn backtick_in_source_does_not_panic() {
        let _ = parse_chunk("local s = `a{b}`", Dialect::Wippy);
        let _ = parse_chunk("local s = `", Dialect::Wippy);
    }
}
