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
//! - `goto L` where `::L::` is the last statement of the innermost enclosing loop body becomes
//!   `continue` (Luau's), and the label is removed; any other `goto` is an error.

use std::ops::Range;

use crate::dialect::Dialect;
use crate::parse::parse_chunk;
use full_moon::ast::{Ast, BinOp, Block, Expression, Stmt, UnOp};
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

/// The `goto`s of a parsed chunk that Luau cannot express (every one but a jump to a label that
/// ends the enclosing loop body), each with its span and message. The checker reports them, so
/// what `wippy pack --bytecode` and `wippy run` would refuse shows in `wippy check` and the
/// editor first.
pub fn goto_problems(ast: &Ast) -> Vec<LowerError> {
    let mut v = Lowerer {
        edits: Vec::new(),
        errors: Vec::new(),
        depth: 0,
    };
    gotos(ast, &mut v);
    v.errors
}

/// Turn `goto L` to a label closing its loop body into `continue`; report every other `goto`.
fn gotos(ast: &Ast, v: &mut Lowerer) {
    let mut g = Gotos {
        lower: v,
        loops: Vec::new(),
    };
    g.visit_ast(ast);
}

/// Walks the tree keeping, for the innermost enclosing loop (or function, which stops `goto`),
/// the labels that end its body.
struct Gotos<'a> {
    lower: &'a mut Lowerer,
    loops: Vec<Vec<String>>,
}

impl Gotos<'_> {
    fn enter_loop(&mut self, body: &Block) {
        let mut labels = Vec::new();
        tail_labels(body, &mut labels);
        self.loops.push(labels);
    }
}

impl Visitor for Gotos<'_> {
    fn visit_while(&mut self, w: &full_moon::ast::While) {
        self.enter_loop(w.block());
    }
    fn visit_while_end(&mut self, _: &full_moon::ast::While) {
        self.loops.pop();
    }
    fn visit_repeat(&mut self, r: &full_moon::ast::Repeat) {
        self.enter_loop(r.block());
    }
    fn visit_repeat_end(&mut self, _: &full_moon::ast::Repeat) {
        self.loops.pop();
    }
    fn visit_numeric_for(&mut self, f: &full_moon::ast::NumericFor) {
        self.enter_loop(f.block());
    }
    fn visit_numeric_for_end(&mut self, _: &full_moon::ast::NumericFor) {
        self.loops.pop();
    }
    fn visit_generic_for(&mut self, f: &full_moon::ast::GenericFor) {
        self.enter_loop(f.block());
    }
    fn visit_generic_for_end(&mut self, _: &full_moon::ast::GenericFor) {
        self.loops.pop();
    }
    fn visit_function_body(&mut self, _: &full_moon::ast::FunctionBody) {
        self.loops.push(Vec::new());
    }
    fn visit_function_body_end(&mut self, _: &full_moon::ast::FunctionBody) {
        self.loops.pop();
    }
    fn visit_goto(&mut self, g: &full_moon::ast::lua52::Goto) {
        let name = g.label_name().token().to_string();
        let sp = span(g);
        if self
            .loops
            .last()
            .is_some_and(|labels| labels.contains(&name))
        {
            let text = pad("continue", (sp.end - sp.start) as usize);
            self.lower.edits.push(Edit {
                start: sp.start,
                end: sp.end,
                text,
                order: 0,
            });
        } else {
            self.lower.errors.push(LowerError {
                span: sp,
                message: format!("`goto {name}` cannot be lowered to Luau: only a jump to a label that ends the enclosing loop body (`continue`) can"),
            });
        }
    }
    fn visit_label(&mut self, l: &full_moon::ast::lua52::Label) {
        // Luau has no labels: a loop-closing one is `continue`'s implicit target, and any other
        // is unreachable once every other `goto` is an error.
        let sp = span(l);
        self.lower.edits.push(Edit {
            start: sp.start,
            end: sp.end,
            text: String::new(),
            order: 0,
        });
    }
}

/// Labels after which control reaches the end of `b` with nothing run: a last-statement label,
/// or one that ends a branch of a last-statement `if` or `do` (gotos to it can only come from
/// inside that branch, so they all mean "next iteration").
fn tail_labels(b: &Block, out: &mut Vec<String>) {
    if b.last_stmt().is_some() {
        return;
    }
    match b.stmts().last() {
        Some(Stmt::Label(l)) => out.push(l.name().token().to_string()),
        Some(Stmt::If(i)) => {
            tail_labels(i.block(), out);
            for ei in i.else_if().into_iter().flatten() {
                tail_labels(ei.block(), out);
            }
            if let Some(e) = i.else_block() {
                tail_labels(e, out);
            }
        }
        Some(Stmt::Do(d)) => tail_labels(d.block(), out),
        _ => {}
    }
}

fn pad(s: &str, len: usize) -> String {
    format!("{s:<len$}")
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
        assert!(!out.contains("number") && !out.contains("type T"), "{out}");
        luau_ok(&out);
    }

    #[test]
    fn goto_continue_becomes_continue() {
        let src = "for i = 1, 3 do\n  if i == 2 then goto continue end\n  print(i)\n  ::continue::\nend\n";
        let out = lower(src).unwrap();
        assert!(out.contains("if i == 2 then continue      end"), "{out}");
        assert!(!out.contains("::"), "{out}");
        luau_ok(&out);
    }

    #[test]
    fn other_gotos_are_errors_with_position() {
        let src =
            "for i = 1, 3 do\n  for j = 1, 3 do\n    goto continue\n  end\n  ::continue::\nend\n";
        let e = lower(src).unwrap_err();
        assert_eq!(
            &src[e.span.start as usize..e.span.end as usize],
            "goto continue"
        );
        let e = lower("goto done\nprint(1)\n::done::\n").unwrap_err();
        assert!(e.message.contains("goto done"), "{e:?}");
    }
}
