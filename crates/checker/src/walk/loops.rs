//! Loops: `while`, `repeat`, numeric and generic `for`, with `break` and `goto continue`.
//!
//! The state at a loop's head is the join of the state on entry and the states at the end of
//! the body (and at each `goto` to a label ending it). The body is walked with the entry
//! state; if the state at its end adds nothing to the head (the common case: narrowings only
//! narrow, and most assignments keep a local's type), that walk stands. Otherwise what it
//! reported is dropped, the head is widened by the join, and the body is walked again; from the
//! third round on, changed locals take their type over their whole scope (and field paths
//! their declared type), so the walk always ends, after at most [`MAX_ROUNDS`] rounds per loop.

use typedefs::Type;

use super::flow::{join_vals, Capture, Val};
use super::narrow::Narrowing;
use super::Walker;

/// Rounds of a loop body before the head is widened to whole-scope types.
const MAX_ROUNDS: usize = 4;

/// Extra rounds (walks of a loop body after its first) one chunk may spend in all: nested
/// loops multiply their rounds, so past this budget every loop keeps its first walk (its head
/// joined with what the body assigns, as after the last round), and a chunk's walk stays
/// linear in its size whatever its nesting.
pub(crate) const ROUND_BUDGET: u32 = 4096;

/// An enclosing loop (or function body, for `goto`s outside loops).
#[derive(Debug)]
pub(crate) struct LoopCtx {
    /// Trail mark of the loop's entry: captures are relative to it.
    pub(crate) mark: usize,
    /// A function body, not a loop: `break` does not stop here.
    pub(crate) function: bool,
    /// States at each `break`.
    pub(crate) breaks: Vec<Capture>,
    /// States at each `goto`, by label.
    pub(crate) gotos: Vec<(String, Capture)>,
}

/// Lengths of what a walk appends to, to drop a round's output.
struct Output {
    diags: usize,
    locals: usize,
    uses: usize,
    use_types: usize,
    members: usize,
    seen: Option<usize>,
}

impl Walker<'_> {
    fn output(&self) -> Output {
        Output {
            diags: self.diags.len(),
            locals: self.locals.len(),
            uses: self.uses.len(),
            use_types: self.use_types.len(),
            members: self.members.len(),
            seen: self.frames.last().map(|f| f.seen.len()),
        }
    }

    fn drop_output(&mut self, o: &Output) {
        self.diags.truncate(o.diags);
        self.locals.truncate(o.locals);
        self.uses.truncate(o.uses);
        self.use_types.truncate(o.use_types);
        self.members.truncate(o.members);
        if let (Some(n), Some(f)) = (o.seen, self.frames.last_mut()) {
            f.seen.truncate(n);
        }
    }

    /// Walk a loop whose body (`round`, walked once per round from the head state) may run
    /// repeatedly; returns the state after the loop. `round` returns the narrowing that holds
    /// when the loop ends at the end of its body (`repeat … until c`: `c` true), `None` when
    /// the loop ends at its head (`while`, `for`): then `exit` narrows the head state.
    pub(crate) fn walk_loop(
        &mut self,
        mut round: impl FnMut(&mut Self) -> Option<Narrowing>,
        exit: Narrowing,
    ) {
        let entry = self.mark();
        let out = self.output();
        for n in 0..MAX_ROUNDS {
            let head = self.mark();
            self.loops.push(LoopCtx {
                mark: entry,
                function: false,
                breaks: Vec::new(),
                gotos: Vec::new(),
            });
            let at_end = round(self);
            let back = self.capture(entry);
            let ctx = self.loops.pop();
            let breaks = ctx.map(|c| c.breaks).unwrap_or_default();
            let widen = self.back_edge(&back, out.locals, head);
            let last = n + 1 == MAX_ROUNDS || self.round_budget == 0;
            if widen.is_empty() || last {
                match at_end {
                    Some(until) => {
                        self.apply(until);
                    }
                    None => {
                        self.rollback(head);
                        // Past the last round, the head still joins what the body assigns.
                        for (id, v) in widen {
                            self.set_flow(id, v);
                        }
                        self.apply(exit);
                    }
                }
                self.merge(entry, breaks);
                return;
            }
            self.round_budget -= 1;
            self.drop_output(&out);
            self.rollback(head);
            for (id, v) in widen {
                let v = if n >= 2 { self.whole_scope_val(id) } else { v };
                self.set_flow(id, v);
            }
            if n >= 2 {
                // Field paths narrowed in the body fall back to their declared types.
                let paths: Vec<_> = self.flow.paths.keys().cloned().collect();
                for k in paths {
                    self.set_path(k, None);
                }
            }
        }
    }

    /// The locals (declared before the loop: ids below `outer`) whose value at the end of
    /// the body (`back`) is not within their value at the head: each with the join.
    fn back_edge(&self, back: &Capture, outer: usize, head: usize) -> Vec<(usize, Val)> {
        if !back.reachable {
            return Vec::new();
        }
        let at_head = self.values_at(head);
        let mut out = Vec::new();
        for (id, v) in &back.locals {
            if *id >= outer {
                continue;
            }
            let h = at_head
                .get(id)
                .cloned()
                .unwrap_or_else(|| self.locals[*id].flow.clone());
            let joined = join_vals([&h, v]);
            if !same(&joined, &h) {
                out.push((*id, joined));
            }
        }
        out
    }

    /// `break`: the state here joins the loop's exit.
    pub(crate) fn break_loop(&mut self) {
        if let Some(i) = self.loops.iter().rposition(|l| !l.function) {
            let c = self.capture(self.loops[i].mark);
            self.loops[i].breaks.push(c);
        }
        self.set_reachable(false);
    }

    /// `goto name`: the state here joins the state at the label.
    pub(crate) fn goto(&mut self, name: &str) {
        if let Some(i) = self.loops.len().checked_sub(1) {
            let c = self.capture(self.loops[i].mark);
            self.loops[i].gotos.push((name.to_owned(), c));
        }
        self.set_reachable(false);
    }

    /// `::name::`: joins the states of the `goto`s seen so far that jump to it.
    pub(crate) fn label(&mut self, name: &str) {
        let Some(ctx) = self.loops.last_mut() else {
            self.set_reachable(true);
            return;
        };
        let mark = ctx.mark;
        let (to_here, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut ctx.gotos)
            .into_iter()
            .partition(|(n, _)| n == name);
        ctx.gotos = rest;
        let captures: Vec<Capture> = to_here.into_iter().map(|(_, c)| c).collect();
        if !self.reachable() && captures.iter().all(|c| !c.reachable) {
            // Reached by a jump the walk does not follow (backwards): go on from here.
            self.set_reachable(true);
        }
        self.merge(mark, captures);
    }
}

/// Two values equal for the fixpoint (types and nil-ness; origins may differ).
fn same(a: &Val, b: &Val) -> bool {
    a.ty == b.ty && a.unassigned == b.unassigned
}

/// A loop variable's type from the range of a numeric `for` (Lua 5.3: integers when the
/// start and the step are integers).
pub(crate) fn numeric_for_type(start: &Type, step: Option<&Type>) -> Type {
    let int = |t: &Type| matches!(t.widen(), Type::Integer);
    if int(start) && step.is_none_or(int) {
        Type::Integer
    } else {
        Type::Number
    }
}
