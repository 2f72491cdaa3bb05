//! Lua 5.3 `goto` lowered to Luau, which has `continue` and `break` but no `goto`.
//!
//! Per function body (and the chunk), each `goto` is resolved to its visible label (Lua 5.3
//! manual §3.3.4: the innermost enclosing block that defines it), then:
//! - a label that ends the body of a loop (last statement, or last in a branch of a trailing
//!   `if`/`do`) is that loop's `continue`: a jump to it from the same loop is `continue`, from
//!   an inner loop a jump out through the loops in between;
//! - any other label `L` gets a loop of its own, `while true do … break end`, from the first
//!   statement that jumps forward to it (or from the label) to the end of its block: the code
//!   before the label runs only while the flag `__wippy_goto` is not `L`'s number, the label
//!   clears it, and `goto L` — forward or back — sets it and restarts that loop. Labels of one
//!   block whose loops would overlap share one loop, its stretches between labels guarded
//!   alike;
//! - a jump that must leave loops in between (an inner real loop, another label's loop, or a
//!   `break` inside a label's loop) sets the flag, `break`s, and each loop it leaves checks the
//!   flag after its `end` and passes the jump on.
//!
//! Locals keep their Lua scopes: the stretch before a label is one block, and a jump over a
//! local into its scope is a Lua error anyway. The one shape refused (with a message) is a
//! local declared between two labels of one shared loop, which the guard would hide from the
//! code after the second label. All edits are insertions and same-line replacements, so line
//! numbers never move.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use full_moon::ast::{Ast, Block, FunctionBody, LastStmt, Stmt};
use full_moon::node::Node;
use full_moon::visitors::Visitor;

use crate::lower::LowerError;

/// The flag variable the lowering declares in each function that needs it.
pub const FLAG: &str = "__wippy_goto";

/// A text edit: insert (`start == end`) or replace; `order` sorts insertions at one offset.
#[derive(Debug)]
pub(crate) struct Edit {
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub order: i64,
}

fn span(n: &impl Node) -> Range<u32> {
    let s = n.start_position().map_or(0, |p| p.bytes() as u32);
    let e = n.end_position().map_or(s, |p| p.bytes() as u32);
    s..e
}

/// Edits that lower every `goto` and label of `ast`, or what cannot be lowered.
pub(crate) fn lower(ast: &Ast) -> (Vec<Edit>, Vec<LowerError>) {
    let mut edits = Vec::new();
    let mut errors = Vec::new();
    let mut bodies = Bodies(Vec::new());
    bodies.visit_ast(ast);
    let mut f = Function::default();
    f.walk(ast.nodes(), None, &mut Vec::new());
    f.lower(0, &mut edits, &mut errors);
    for (body, at) in bodies.0 {
        let mut f = Function::default();
        f.walk(&body, None, &mut Vec::new());
        f.lower(at, &mut edits, &mut errors);
    }
    (edits, errors)
}

/// Every function body: its block and where its parameter list ends.
struct Bodies(Vec<(Block, u32)>);

impl Visitor for Bodies {
    fn visit_function_body(&mut self, b: &FunctionBody) {
        self.0
            .push((b.block().clone(), span(b.parameters_parentheses()).end));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Label,
    Local,
    Branching,
    Other,
}

#[derive(Debug)]
struct StmtInfo {
    span: Range<u32>,
    kind: Kind,
    label: Option<String>,
    /// For a local statement: the first name it declares.
    local: Option<String>,
    /// The loop this statement is (a construct id).
    loop_cons: Option<usize>,
    /// Blocks of an `if` or `do`.
    children: Vec<usize>,
}

#[derive(Debug, Default)]
struct BlockInfo {
    stmts: Vec<StmtInfo>,
    /// Span of the `return`/`break` ending the block, if any.
    last: Option<(Range<u32>, bool)>,
    /// Where the block's statements end.
    end: u32,
    /// The loop whose body this is.
    loop_of: Option<usize>,
}

#[derive(Debug)]
enum Target {
    Goto(String),
    Break,
}

#[derive(Debug)]
struct Jump {
    span: Range<u32>,
    target: Target,
    /// `(block, statement index)` from the function's block down to the jump.
    path: Vec<(usize, usize)>,
}

/// A loop a jump may have to leave: a real one (ends at `after`) or a label's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cons {
    Real { after: u32 },
    Unit { block: usize, unit: usize },
}

/// The labels of one block that share one loop.
#[derive(Debug)]
struct Unit {
    start: usize,
    /// `(statement index, flag number)` by index.
    labels: Vec<(usize, u32)>,
    cons: usize,
}

#[derive(Default)]
struct Function {
    blocks: Vec<BlockInfo>,
    jumps: Vec<Jump>,
    cons: Vec<Cons>,
}

impl Function {
    fn walk(
        &mut self,
        block: &Block,
        loop_of: Option<usize>,
        path: &mut Vec<(usize, usize)>,
    ) -> usize {
        let id = self.blocks.len();
        self.blocks.push(BlockInfo {
            loop_of,
            ..BlockInfo::default()
        });
        let mut end = 0;
        for (i, stmt) in block.stmts().enumerate() {
            let sp = span(stmt);
            end = sp.end;
            path.push((id, i));
            let mut info = StmtInfo {
                span: sp.clone(),
                kind: Kind::Other,
                label: None,
                local: None,
                loop_cons: None,
                children: Vec::new(),
            };
            let body = |f: &mut Function, b: &Block, path: &mut Vec<(usize, usize)>| {
                let c = f.cons.len();
                f.cons.push(Cons::Real { after: sp.end });
                f.walk(b, Some(c), path);
                c
            };
            match stmt {
                Stmt::Goto(g) => self.jumps.push(Jump {
                    span: sp.clone(),
                    target: Target::Goto(g.label_name().token().to_string()),
                    path: path.clone(),
                }),
                Stmt::Label(l) => {
                    info.kind = Kind::Label;
                    info.label = Some(l.name().token().to_string());
                }
                Stmt::LocalAssignment(a) => {
                    info.kind = Kind::Local;
                    info.local = a.names().iter().next().map(|n| n.token().to_string());
                }
                Stmt::LocalFunction(f) => {
                    info.kind = Kind::Local;
                    info.local = Some(f.name().token().to_string());
                }
                Stmt::Do(d) => {
                    info.kind = Kind::Branching;
                    info.children.push(self.walk(d.block(), None, path));
                }
                Stmt::If(f) => {
                    info.kind = Kind::Branching;
                    info.children.push(self.walk(f.block(), None, path));
                    for ei in f.else_if().into_iter().flatten() {
                        info.children.push(self.walk(ei.block(), None, path));
                    }
                    if let Some(e) = f.else_block() {
                        info.children.push(self.walk(e, None, path));
                    }
                }
                Stmt::While(w) => info.loop_cons = Some(body(self, w.block(), path)),
                Stmt::Repeat(r) => info.loop_cons = Some(body(self, r.block(), path)),
                Stmt::NumericFor(n) => info.loop_cons = Some(body(self, n.block(), path)),
                Stmt::GenericFor(g) => info.loop_cons = Some(body(self, g.block(), path)),
                _ => {}
            }
            path.pop();
            self.blocks[id].stmts.push(info);
        }
        if let Some(last) = block.last_stmt() {
            let sp = span(last);
            end = sp.end;
            let n = self.blocks[id].stmts.len();
            let is_break = matches!(last, LastStmt::Break(_));
            if is_break {
                path.push((id, n));
                self.jumps.push(Jump {
                    span: sp.clone(),
                    target: Target::Break,
                    path: path.clone(),
                });
                path.pop();
            }
            self.blocks[id].last = Some((sp, is_break));
        }
        self.blocks[id].end = end;
        id
    }

    /// Labels after which control reaches the end of block `b` with nothing run.
    fn tails(&self, b: usize, out: &mut Vec<(usize, usize)>) {
        let block = &self.blocks[b];
        if block.last.is_some() {
            return;
        }
        let Some((i, s)) = block.stmts.iter().enumerate().next_back() else {
            return;
        };
        match s.kind {
            Kind::Label => out.push((b, i)),
            Kind::Branching => {
                for c in &s.children {
                    self.tails(*c, out);
                }
            }
            _ => {}
        }
    }

    /// The local a forward jump from statement `at` to label `l` (`(block, index)`) would
    /// enter the scope of (Lua 5.3 manual §3.3.4), if any. A label followed by nothing but
    /// other labels up to the end of its block is outside every local's scope ("void
    /// statements"), as Lua defines it.
    fn entered_local(&self, l: (usize, usize), at: usize) -> Option<&str> {
        let block = &self.blocks[l.0];
        if at >= l.1 {
            return None;
        }
        let at_end =
            block.last.is_none() && block.stmts[l.1 + 1..].iter().all(|s| s.kind == Kind::Label);
        if at_end {
            return None;
        }
        block.stmts[at + 1..l.1]
            .iter()
            .find(|s| s.kind == Kind::Local)
            .and_then(|s| s.local.as_deref())
    }

    /// The label a goto jumps to: `(block, index)`.
    fn resolve(&self, j: &Jump, name: &str) -> Option<(usize, usize)> {
        j.path.iter().rev().find_map(|(b, _)| {
            self.blocks[*b]
                .stmts
                .iter()
                .position(|s| s.label.as_deref() == Some(name))
                .map(|i| (*b, i))
        })
    }

    fn lower(&mut self, decl_at: u32, edits: &mut Vec<Edit>, errors: &mut Vec<LowerError>) {
        // Labels that are a loop's `continue`.
        let mut continues: HashMap<(usize, usize), usize> = HashMap::new();
        for (b, block) in self.blocks.iter().enumerate() {
            if let Some(c) = block.loop_of {
                let mut t = Vec::new();
                self.tails(b, &mut t);
                for l in t {
                    continues.insert(l, c);
                }
            }
        }
        // Resolve gotos; collect forward-jump starts of the other labels.
        let mut resolved: Vec<Option<(usize, usize)>> = Vec::new();
        let mut wrapped: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for j in &self.jumps {
            let Target::Goto(name) = &j.target else {
                resolved.push(None);
                continue;
            };
            match self.resolve(j, name) {
                None => {
                    errors.push(LowerError {
                        span: j.span.clone(),
                        message: format!("`goto {name}` has no visible label `{name}`"),
                    });
                    resolved.push(None);
                }
                Some(l) => {
                    let at = j
                        .path
                        .iter()
                        .find(|(b, _)| *b == l.0)
                        .map_or(l.1, |(_, i)| *i);
                    if let Some(local) = self.entered_local(l, at) {
                        errors.push(LowerError {
                            span: j.span.clone(),
                            message: format!(
                                "`goto {name}` jumps into the scope of local `{local}`"
                            ),
                        });
                        resolved.push(None);
                        continue;
                    }
                    resolved.push(Some(l));
                    if !continues.contains_key(&l) {
                        let start = wrapped.entry(l).or_insert(l.1);
                        *start = (*start).min(at);
                    }
                }
            }
        }
        // Group each block's wrapped labels into loops.
        let mut next_flag = 0u32;
        let mut units: HashMap<usize, Vec<Unit>> = HashMap::new();
        let mut flag_of: HashMap<(usize, usize), (usize, u32)> = HashMap::new();
        let mut by_block: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        for (&(b, i), &start) in &wrapped {
            by_block.entry(b).or_default().push((start, i));
        }
        for (b, mut labels) in by_block {
            labels.sort();
            let list = units.entry(b).or_default();
            for (start, i) in labels {
                next_flag += 1;
                let merge = list
                    .last()
                    .is_some_and(|u| start <= u.labels.iter().map(|l| l.0).max().unwrap_or(0));
                if merge {
                    let u = list.last_mut().expect("unit");
                    u.start = u.start.min(start);
                    u.labels.push((i, next_flag));
                    u.labels.sort();
                } else {
                    let cons = self.cons.len();
                    self.cons.push(Cons::Unit {
                        block: b,
                        unit: list.len(),
                    });
                    list.push(Unit {
                        start,
                        labels: vec![(i, next_flag)],
                        cons,
                    });
                }
            }
            for (u, unit) in list.iter().enumerate() {
                for (i, f) in &unit.labels {
                    flag_of.insert((b, *i), (u, *f));
                }
            }
        }
        // A local between two labels of one loop would lose its scope.
        let mut refused: HashSet<(usize, usize)> = HashSet::new();
        for (b, list) in &units {
            for unit in list {
                if unit.labels.len() < 2 {
                    continue;
                }
                let last = unit.labels.last().map_or(0, |l| l.0);
                let block = &self.blocks[*b];
                if let Some(local) =
                    (unit.start..last).find(|i| block.stmts[*i].kind == Kind::Local)
                {
                    let names: Vec<&str> = unit
                        .labels
                        .iter()
                        .filter_map(|(i, _)| block.stmts[*i].label.as_deref())
                        .collect();
                    errors.push(LowerError {
                        span: block.stmts[local].span.clone(),
                        message: format!(
                            "this local is declared between labels {} that jumps cross both ways; the lowering to Luau cannot keep it in scope (declare it before the first of them)",
                            names.join(", ")
                        ),
                    });
                    for (i, _) in &unit.labels {
                        refused.insert((*b, *i));
                    }
                }
            }
        }
        let mut checks: BTreeMap<(usize, u32), String> = BTreeMap::new();
        let mut break_flags: HashMap<usize, u32> = HashMap::new();
        let mut continue_flags: HashMap<usize, u32> = HashMap::new();
        let mut flagged = !units.is_empty();
        for (ji, j) in self.jumps.iter().enumerate() {
            let chain = self.chain(j, &units);
            // The construct the jump lands in, its final action, and the flag number.
            let (target, action, flag) = match (&j.target, resolved[ji]) {
                (Target::Goto(_), Some(l)) if refused.contains(&l) => continue,
                (Target::Goto(_), Some(l)) => match continues.get(&l) {
                    Some(&c) => {
                        let f = *continue_flags.entry(c).or_insert_with(|| {
                            next_flag += 1;
                            next_flag
                        });
                        (c, Action::Continue, f)
                    }
                    None => {
                        let (u, f) = flag_of[&l];
                        (units[&l.0][u].cons, Action::Restart, f)
                    }
                },
                (Target::Goto(_), None) => continue,
                (Target::Break, _) => {
                    let Some(&c) = chain
                        .iter()
                        .rev()
                        .find(|c| matches!(self.cons[**c], Cons::Real { .. }))
                    else {
                        continue;
                    };
                    let f = *break_flags.entry(c).or_insert_with(|| {
                        next_flag += 1;
                        next_flag
                    });
                    (c, Action::Break, f)
                }
            };
            let Some(pos) = chain.iter().position(|c| *c == target) else {
                errors.push(LowerError {
                    span: j.span.clone(),
                    message: "this jump leaves its function".into(),
                });
                continue;
            };
            let between: Vec<usize> = chain[pos + 1..].iter().rev().copied().collect();
            let text = if between.is_empty() {
                match action {
                    Action::Break => continue,
                    Action::Continue => "do continue end".to_owned(),
                    Action::Restart => format!("do {FLAG} = {flag} continue end"),
                }
            } else {
                flagged = true;
                for (k, c) in between.iter().enumerate() {
                    let pass = if k + 1 < between.len() {
                        "break".to_owned()
                    } else {
                        match action {
                            Action::Break => format!("{FLAG} = nil break"),
                            Action::Continue => format!("{FLAG} = nil continue"),
                            Action::Restart => "continue".to_owned(),
                        }
                    };
                    checks.insert((*c, flag), format!(" if {FLAG} == {flag} then {pass} end"));
                }
                format!("do {FLAG} = {flag} break end")
            };
            edits.push(Edit {
                start: j.span.start,
                end: j.span.end,
                text,
                order: 0,
            });
        }
        self.emit_units(&units, &checks, edits);
        for ((c, _), text) in &checks {
            if let Cons::Real { after } = self.cons[*c] {
                edits.push(Edit {
                    start: after,
                    end: after,
                    text: text.clone(),
                    order: 100,
                });
            }
        }
        // Labels that need nothing more vanish (Luau has none).
        for (b, block) in self.blocks.iter().enumerate() {
            for (i, s) in block.stmts.iter().enumerate() {
                if s.kind == Kind::Label && !flag_of.contains_key(&(b, i)) {
                    edits.push(Edit {
                        start: s.span.start,
                        end: s.span.end,
                        text: String::new(),
                        order: 0,
                    });
                }
            }
        }
        if flagged {
            edits.push(Edit {
                start: decl_at,
                end: decl_at,
                text: format!(" local {FLAG};"),
                order: -1000,
            });
        }
    }

    /// The loops around jump `j`, outermost first.
    fn chain(&self, j: &Jump, units: &HashMap<usize, Vec<Unit>>) -> Vec<usize> {
        let mut out = Vec::new();
        for (k, (b, i)) in j.path.iter().enumerate() {
            if let Some(list) = units.get(b) {
                for u in list {
                    if *i >= u.start {
                        out.push(u.cons);
                    }
                }
            }
            if k + 1 < j.path.len() {
                if let Some(c) = self.blocks[*b].stmts[*i].loop_cons {
                    out.push(c);
                }
            }
        }
        out
    }

    /// The loops of the labels: open, guards, label replacements, close.
    fn emit_units(
        &self,
        units: &HashMap<usize, Vec<Unit>>,
        checks: &BTreeMap<(usize, u32), String>,
        edits: &mut Vec<Edit>,
    ) {
        for (b, list) in units {
            let block = &self.blocks[*b];
            for (lvl, unit) in list.iter().enumerate() {
                let first = unit.labels[0].0;
                let single = unit.labels.len() == 1;
                let mut open = "while true do ".to_owned();
                if unit.start < first {
                    open.push_str(&if single {
                        format!("if {FLAG} ~= {} then ", unit.labels[0].1)
                    } else {
                        format!("if {FLAG} == nil then ")
                    });
                }
                edits.push(Edit {
                    start: block.stmts[unit.start].span.start,
                    end: block.stmts[unit.start].span.start,
                    text: open,
                    order: lvl as i64,
                });
                for (n, (i, flag)) in unit.labels.iter().enumerate() {
                    let guarded_before = if n == 0 {
                        unit.start < first
                    } else {
                        unit.labels[n - 1].0 + 1 < *i
                    };
                    let mut text = String::new();
                    if guarded_before {
                        text.push_str("end ");
                    }
                    if single {
                        text.push_str(&format!("{FLAG} = nil "));
                    } else {
                        text.push_str(&format!("if {FLAG} == {flag} then {FLAG} = nil end "));
                        if let Some((next, _)) = unit.labels.get(n + 1) {
                            if i + 1 < *next {
                                text.push_str(&format!("if {FLAG} == nil then "));
                            }
                        }
                    }
                    let s = &block.stmts[*i].span;
                    edits.push(Edit {
                        start: s.start,
                        end: s.end,
                        text,
                        order: 1,
                    });
                }
                let close_order = 1000 - 10 * lvl as i64;
                if let Some((last, false)) = &block.last {
                    if lvl == 0 {
                        edits.push(Edit {
                            start: last.start,
                            end: last.start,
                            text: "do ".into(),
                            order: 0,
                        });
                        edits.push(Edit {
                            start: last.end,
                            end: last.end,
                            text: " end".into(),
                            order: 200,
                        });
                    }
                }
                edits.push(Edit {
                    start: block.end,
                    end: block.end,
                    text: " break end".into(),
                    order: close_order,
                });
                for text in checks
                    .range((unit.cons, 0)..=(unit.cons, u32::MAX))
                    .map(|(_, t)| t)
                {
                    edits.push(Edit {
                        start: block.end,
                        end: block.end,
                        text: text.clone(),
                        order: close_order + 5,
                    });
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Action {
    /// Leave the label's loop to its top (the flag says where to go on).
    Restart,
    /// `continue` a real loop.
    Continue,
    /// `break` a real loop.
    Break,
}
