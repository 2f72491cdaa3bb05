//! The parser's limits: every one is a parse error that names it, never a stack overflow, an
//! abort or an internal error, and ordinary code far from them is untouched.

use syntax::dialect::{prepare, MAX_CHAIN, MAX_NESTING, MAX_SOURCE_BYTES};
use syntax::{parse_chunk, with_parse_stack, Dialect};
use typedefs::syntax::MAX_TYPE_DEPTH;

fn error(src: &str, dialect: Dialect) -> (std::ops::Range<u32>, String) {
    parse_chunk(src, dialect)
        .ast
        .err()
        .unwrap_or_else(|| panic!("accepted: {}", &src[..src.len().min(80)]))
}

#[test]
fn a_lexer_error_after_an_at_sign_is_a_parse_error() {
    // full_moon 3 panics on it (parse_attributes unwraps the lexer error).
    for dialect in [Dialect::Wippy, Dialect::Luau] {
        let (span, message) = error("@\u{1}", dialect);
        assert_eq!(span.start, 1, "{message}");
        assert!(message.contains("unexpected character"), "{message}");
        assert!(!message.contains("internal error"), "{message}");
    }
    // The same unwrap in Luau type syntax, which the pre-pass leaves to full_moon in handlers.
    let (_, message) = error("type T = (\u{1}", Dialect::Luau);
    assert!(!message.contains("internal error"), "{message}");
}

#[test]
fn function_type_chains_are_depth_limited_in_both_dialects() {
    // 150k `fun():` returns overflowed the stack of check, pack, run and the language server.
    let src = format!("local x: {}number = nil\n", "fun(): ".repeat(150_000));
    let src = &src[..MAX_SOURCE_BYTES - 100];
    for dialect in [Dialect::Wippy, Dialect::Luau] {
        let (_, message) = error(src, dialect);
        assert!(
            message.contains(&format!("nested deeper than {MAX_TYPE_DEPTH} levels")),
            "{message}"
        );
    }
}

#[test]
fn operators_count_along_the_whole_path_of_an_expression() {
    // Parenthesised operands used to reset the count: `(a) .. (a) .. …` passed the pre-pass and
    // overflowed the checker's walk.
    for op in ["..", "+", "^", "and"] {
        let src = format!("local x = {}a\n", format!("(a) {op} ").repeat(20_000));
        let (_, message) = error(&src, Dialect::Wippy);
        assert!(
            message.contains(&format!("more than {MAX_CHAIN} operators")),
            "{op}: {message}"
        );
    }
    // Luau function types our type parser leaves to full_moon (`A...`) nest by `->`.
    let src = format!(
        "local x: (A...) -> {}number = nil\n",
        "() -> ".repeat(20_000)
    );
    let (_, message) = error(&src, Dialect::Luau);
    assert!(message.contains("operators"), "{message}");
}

#[test]
fn oversized_chunks_are_refused_before_parsing() {
    let src = format!("local s = '{}'\n", "x".repeat(MAX_SOURCE_BYTES));
    let p = prepare(&src, Dialect::Wippy);
    let (_, message) = p.error.expect("an oversized chunk was accepted");
    assert!(
        message.contains(&format!("{} KiB limit", MAX_SOURCE_BYTES >> 10)),
        "{message}"
    );
}

#[test]
fn long_ordinary_code_is_not_mistaken_for_deep_code() {
    let mut src = String::from("local i, n, s, t = 0, 10, '', {}\n");
    for _ in 0..3_000 {
        src.push_str("while i < n do i = i + 1 end\n");
        src.push_str("s = s .. i .. ','\n");
        src.push_str("print(s .. i) t[#t + 1] = i * 2\n");
        src.push_str("repeat i = i - 1 until i <= 0 or i > n\n");
    }
    assert!(src.len() < MAX_SOURCE_BYTES);
    let p = with_parse_stack(|| parse_chunk(&src, Dialect::Wippy).ast.map(|_| ()));
    assert_eq!(p, Ok(()));
}

#[test]
fn code_just_inside_the_limits_parses_on_the_parse_stack() {
    let src = format!(
        "local a = 'x'\nlocal s = {}a\nlocal t = {}1{}\nlocal f: {}number = nil\n",
        "(a) .. ".repeat(MAX_CHAIN - 10),
        "{".repeat(MAX_NESTING - 5),
        "}".repeat(MAX_NESTING - 5),
        "fun(): ".repeat(MAX_TYPE_DEPTH - 1),
    );
    let p = with_parse_stack(move || parse_chunk(&src, Dialect::Wippy).ast.map(|_| ()));
    assert_eq!(p, Ok(()));
}

#[test]
fn lowering_runs_deep_chunks_from_any_thread() {
    // `wippy pack --no-check` and `wippy run` lowered on the 8 MiB main thread and overflowed.
    let src = format!(
        "local a = 'x'\nlocal s = {}a\nreturn {{s = s}}\n",
        "(a) .. ".repeat(MAX_CHAIN - 10)
    );
    let out = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || syntax::lower::lower(&src).map(|s| s.len()))
        .expect("thread")
        .join()
        .expect("no panic");
    assert!(out.is_ok(), "{out:?}");
}

#[test]
fn errors_at_the_end_of_input_stay_inside_the_source() {
    for src in ["local x: ", "local x: {a: ", "function f(): ", "type T<"] {
        let (span, message) = error(src, Dialect::Wippy);
        assert!(
            span.end as usize <= src.len(),
            "{src:?}: {span:?} {message}"
        );
        assert!(span.start <= span.end, "{src:?}: {span:?}");
    }
}

#[test]
fn full_moon_error_ranges_are_never_inverted() {
    // Found by the `chunk` fuzz target: full_moon reported 89..3 for a missing `end`.
    let src = include_str!("../../../fuzz/regressions/chunk/inverted_parse_error_span.lua");
    let (span, message) = error(src, Dialect::Wippy);
    assert!(span.start <= span.end, "{span:?}: {message}");
}
