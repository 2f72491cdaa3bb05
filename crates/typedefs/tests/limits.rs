//! Type syntax deeper than `MAX_TYPE_DEPTH` is an error naming the limit, never a stack overflow,
//! whatever construct nests (these run on the default 2 MiB test thread stack).

use typedefs::syntax::MAX_TYPE_DEPTH;
use typedefs::{parse_type_str, SyntaxError};

fn too_deep(src: &str) -> SyntaxError {
    let e = parse_type_str(src).expect_err("a type nested too deep was accepted");
    assert!(e.limit, "{e}");
    assert!(
        e.message
            .contains(&format!("nested deeper than {MAX_TYPE_DEPTH} levels")),
        "{e}"
    );
    e
}

#[test]
fn a_long_chain_of_function_returns_is_refused() {
    // 150k `fun():` overflowed the stack of `wippy check`, `pack`, `run` and the language server.
    let src = format!("{}number", "fun(): ".repeat(150_000));
    let e = too_deep(&src);
    assert_eq!(e.offset as usize, "fun(): ".len() * MAX_TYPE_DEPTH);
    too_deep(&format!("{}number", "() -> ".repeat(150_000)));
}

#[test]
fn every_nesting_construct_is_bounded() {
    let n = 10_000;
    too_deep(&format!("{}string{}", "Box<".repeat(n), ">".repeat(n)));
    too_deep(&format!("{}string{}", "{".repeat(n), "}".repeat(n)));
    too_deep(&format!("{}string{}", "(".repeat(n), ")".repeat(n)));
    too_deep(&format!("string{}", "[]".repeat(n)));
    too_deep(&format!("{}string", "asserts x is ".repeat(n)));
    too_deep(&format!("{}string", "{[string]: ".repeat(n)));
}

#[test]
fn nesting_up_to_the_limit_parses() {
    let depth = MAX_TYPE_DEPTH - 1;
    let src = format!("{}number", "fun(): ".repeat(depth));
    assert!(parse_type_str(&src).is_ok());
    assert!(parse_type_str(&format!("string{}", "[]".repeat(depth))).is_ok());
    // Ordinary errors are not limits.
    assert!(!parse_type_str("{a: }").unwrap_err().limit);
}
