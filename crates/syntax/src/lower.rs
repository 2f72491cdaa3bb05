//! Lowering Wippy Lua (Lua 5.3 + Wippy types) to Luau source, line for line.
//!
//! Works on text with byte-offset edits computed from the syntax tree, so every line of the
//! output is the line of the same number in the input and tracebacks point at the original:
//! - type syntax is already blanked by the dialect pre-pass ([`crate::dialect`]);
//! - Lua 5.3 bitwise operators become `bit32` calls: `a & b` → `bit32.band(a, b)`, `|` → `bor`,
//!   binary `~` → `bxor`, `<<` → `lshift`, `>>` → `rshift`, unary `~a` → `bit32.bnot(a)`.
//!   Luau's `bit32` works on unsigned 32-bit values: results are in [0, 2^32), operands are taken
//!   modulo 2^32, so `~0` is 4294967295 (not -1 as with 5.3's 64-bit integers), `1 << 32` is 0
//!   (5.3: 4294967296), and negative results of 5.3 (`-1 & -1` = -1) come out as 4294967295;
//! - `type` declarations become run-time type values ([`crate::typevalues`]);
//! - every Lua 5.3 `goto` becomes Luau `continue`/`break` with loops and a flag where needed
//!   ([`crate::goto`]); labels are removed.

use std::ops::Range;

use crate::dialect::Dialect;
use crate::parse::parse_chunk;
use full_moon::ast::{Ast, BinOp, Expression, UnOp};
use full_moon::node::Node;
use full_moon::visitors::Visitor;

/// A lowering failure at a byte range of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerError {
    /// Byte range in the original source.
    pub span: Range<u32>,
    /// What cannot be lowered and why.
    pub message: String,
}

/// One text edit: insert (`start == end`) or replace `[start, end)`; `depth` orders insertions at
/// the same offset (outer expressions open first and close last).
#[derive(Debug)]
struct Edit {
    start: u32,
    end: u32,
    text: String,
    order: i64,
}

fn span(n: &impl Node) -> Range<u32> {
    let s = n.start_position().map_or(0, |p| p.bytes() as u32);
    let e = n.end_position().map_or(s, |p| p.bytes() as u32);
    s..e
}

/// Lower a Wippy chunk to Luau source with the same line structure. Runs on a thread of its
/// own with [`crate::PARSE_STACK`] bytes of stack, so any chunk within the pre-pass limits
/// lowers from any caller's thread.
pub fn lower(src: &str) -> Result<String, LowerError> {
    crate::parse::with_parse_stack(|| lower_here(src))
}

fn lower_here(src: &str) -> Result<String, LowerError> {
    let parsed = parse_chunk(src, Dialect::Wippy);
    let ast = parsed
        .ast
        .map_err(|(span, message)| LowerError { span, message })?;
    let mut v = Lowerer {
        edits: Vec::new(),
        errors: Vec::new(),
        depth: 0,
    };
    v.visit_ast(&ast);
    gotos(&ast, &mut v);
    let (types, scope) = crate::typevalues::edits(src, &parsed.prepared);
    for (start, end, text) in types {
        v.edits.push(Edit {
            start,
            end,
            text,
            order: 0,
        });
    }
    if let Some(scope) = scope {
        v.edits.push(Edit {
            start: 0,
            end: 0,
            text: scope,
            order: -2000,
        });
    }
    if let Some(e) = v.errors.into_iter().min_by_key(|e| e.span.start) {
        return Err(e);
    }
    Ok(apply(&parsed.prepared.text, v.edits))
}

struct Lowerer {
    edits: Vec<Edit>,
    errors: Vec<LowerError>,
    depth: i64,
}

impl Lowerer {
    fn wrap(&mut self, whole: Range<u32>, func: &str, op: Range<u32>, depth: i64) {
        self.edits.push(Edit {
            start: whole.start,
            end: whole.start,
            text: format!("bit32.{func}("),
            order: depth,
        });
        self.edits.push(Edit {
            start: op.start,
            end: op.end,
            text: ",".into(),
            order: 0,
        });
        self.edits.push(Edit {
            start: whole.end,
            end: whole.end,
            text: ")".into(),
            order: -depth,
        });
    }
}

impl Visitor for Lowerer {
    fn visit_expression(&mut self, e: &Expression) {
        self.depth += 1;
        match e {
            Expression::BinaryOperator { binop, .. } => {
                let func = match binop {
                    BinOp::Ampersand(_) => Some("band"),
                    BinOp::Pipe(_) => Some("bor"),
                    BinOp::Tilde(_) => Some("bxor"),
                    BinOp::DoubleLessThan(_) => Some("lshift"),
                    BinOp::DoubleGreaterThan(_) => Some("rshift"),
                    _ => None,
                };
                if let Some(func) = func {
                    let d = self.depth;
                    self.wrap(span(e), func, span(binop.token()), d);
                }
            }
            Expression::UnaryOperator {
                unop: UnOp::Tilde(t),
                expression,
            } => {
                let d = self.depth;
                self.edits.push(Edit {
                    start: span(t).start,
                    end: span(t).end,
                    text: "bit32.bnot(".into(),
                    order: d,
                });
                let end = span(&**expression).end;
                self.edits.push(Edit {
                    start: end,
                    end,
                    text: ")".into(),
                    order: -d,
                });
            }
            _ => {}
        }
    }

    fn visit_expression_end(&mut self, _: &Expression) {
        self.depth -= 1;
    }
}

/// The `goto`s of a parsed chunk that Luau cannot express, each with its span and message
/// (see [`crate::goto`]: only a jump to a label that is not visible, or a local between two
/// labels that jumps cross both ways). The checker reports them, so what `wippy pack
/// --bytecode` and `wippy run` would refuse shows in `wippy check` and the editor first.
pub fn goto_problems(ast: &Ast) -> Vec<LowerError> {
    crate::goto::lower(ast).1
}

/// Lower every `goto` and label (see [`crate::goto`]).
fn gotos(ast: &Ast, v: &mut Lowerer) {
    let (edits, errors) = crate::goto::lower(ast);
    v.edits.extend(edits.into_iter().map(|e| Edit {
        start: e.start,
        end: e.end,
        text: e.text,
        order: e.order,
    }));
    v.errors.extend(errors);
}

/// Apply edits to `text` (positions are offsets into `text`, which has the source's offsets).
fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    // At one offset: insertions before a replacement; outer openings before inner ones and
    // inner closings before outer ones (`order` is +depth for openings, -depth for closings).
    edits.sort_by_key(|e| (e.start, e.end != e.start, e.order));
    let mut out = String::with_capacity(text.len() + edits.len() * 12);
    let mut pos = 0usize;
    for e in edits {
        let (s, end) = (e.start as usize, e.end as usize);
        if s < pos {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.text);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luau_ok(src: &str) {
        let r = full_moon::parse_fallible(src, full_moon::LuaVersion::luau());
        assert!(r.errors().is_empty(), "not Luau: {:?}\n{src}", r.errors());
    }

    #[test]
    fn bitwise_operators_become_bit32_calls() {
        let out = lower("local x = a & b | c ~ d << 1 >> 2\nlocal y = ~x & 0xff\n").unwrap();
        assert_eq!(out.lines().next().unwrap().trim_end(), "local x = bit32.bor(bit32.band(a , b) , bit32.bxor(c , bit32.rshift(bit32.lshift(d , 1) , 2)))");
        assert!(out.contains("bit32.band(bit32.bnot(x) , 0xff)"), "{out}");
        luau_ok(&out);
    }

    #[test]
    fn types_vanish_and_lines_stay() {
        let src = "local function f(a: number,\n  b: string?): (number, string)\n  return a, b as string\nend\ntype T = {x: number}\nreturn f\n";
        let out = lower(src).unwrap();
        assert_eq!(out.lines().count(), src.lines().count());
        let lines: Vec<&str> = out.lines().collect();
        assert!(!lines[..4].iter().any(|l| l.contains("number")), "{out}");
        // A declared type becomes a run-time value where it stands.
        assert!(
            lines[4].contains(r#"T = __wippy_type_scope("type T = {x: number}", {})"#),
            "{out}"
        );
        assert!(
            lines[0].starts_with("local __wippy_type_scope = __wippy_types();"),
            "{out}"
        );
        luau_ok(&out);
    }

    #[test]
    fn goto_continue_becomes_continue() {
        let src = "for i = 1, 3 do\n  if i == 2 then goto continue end\n  print(i)\n  ::continue::\nend\n";
        let out = lower(src).unwrap();
        assert!(out.contains("if i == 2 then do continue end end"), "{out}");
        assert!(
            !out.contains("::") && !out.contains(crate::goto::FLAG),
            "{out}"
        );
        luau_ok(&out);
    }

    #[test]
    fn every_goto_lowers_to_luau_with_the_same_lines() {
        for src in [
            // continue of an outer loop from an inner one
            "for i = 1, 3 do\n  for j = 1, 3 do\n    goto continue\n  end\n  ::continue::\nend\n",
            // forward to the end of a function
            "local function f(x)\n  if x then goto done end\n  print(1)\n  ::done::\nend\n",
            // backward (a retry loop), with a break inside the label's loop
            "local n = 0\n ::again::\nn = n + 1\nwhile true do\n  if n < 3 then goto again end\n  break\nend\n",
            // two labels in one block, jumps both ways
            "local i = 0\ngoto b\n ::a::\ni = i + 1\n ::b::\nif i < 3 then goto a end\nreturn i\n",
            // a label at the start of a loop body ("redo"), a break that must leave its loop
            "while x do\n  ::top::\n  if y then goto top end\n  if z then break end\nend\n",
        ] {
            let out = lower(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
            assert_eq!(out.lines().count(), src.lines().count(), "{out}");
            let plain = out.replace(crate::goto::FLAG, "");
            assert!(!plain.contains("goto") && !plain.contains("::"), "{out}");
            luau_ok(&out);
        }
    }

    #[test]
    fn unlowerable_gotos_are_errors_with_position() {
        let e = lower("goto nowhere\n").unwrap_err();
        assert!(e.message.contains("no visible label"), "{e:?}");
        assert_eq!(e.span, 0..12);
        // Lua 5.3 refuses a forward jump into a local's scope ("jumps into the scope of
        // local 'v'"), unless the label ends its block.
        let src = "goto b\n ::a::\nlocal v = 1\n ::b::\nprint(v)\ngoto a\n";
        let e = lower(src).unwrap_err();
        assert_eq!(&src[e.span.start as usize..e.span.end as usize], "goto b");
        assert!(
            e.message.contains("jumps into the scope of local `v`"),
            "{e:?}"
        );
        let at_end = "do\n  goto done\n  local x = 1\n  print(x)\n  ::done::\nend\n";
        luau_ok(&lower(at_end).unwrap_or_else(|e| panic!("{e:?}")));
    }
}
