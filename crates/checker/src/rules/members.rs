//! `E0004` no such field, `E0022` no such method: a member the receiver's fully known type does
//! not have (a module function, a record field, an interface method), with a did-you-mean, or
//! that a member of a union lacks (the union must be narrowed first).

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::{Cur, Walker};

impl Walker<'_> {
    /// `E0004`/`E0022` for a member the receiver's type does not have.
    /// Not reported while probing (then recorded) or inside a block its condition probed.
    pub(crate) fn missing_member(
        &mut self,
        code: Code,
        sp: std::ops::Range<u32>,
        message: String,
        suggestion: Option<String>,
        key: (String, String),
    ) {
        if self.probing > 0 {
            self.probed.push(key);
            return;
        }
        if self.guards.contains(&key) {
            return;
        }
        let mut d = Diagnostic::new(code, self.file, sp, message);
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.report(d);
    }
}

impl Walker<'_> {
    /// `x.name` / `x:name` on a union (`Ok | Err`, `string | integer`) whose members' types
    /// are all known: `None` when `cur` is not such a union (the plain lookup applies);
    /// `Some(Some(t))` when every member has it (their types joined); `Some(None)` when some
    /// member lacks it — `E0004` (`E0022` for a method) naming the member and the union: the
    /// value must be narrowed first (`if x.kind == "ok" then`, `type(x) == "string"`).
    pub(crate) fn union_member(
        &mut self,
        cur: &Cur,
        name: &str,
        colon: bool,
        sp: std::ops::Range<u32>,
    ) -> Option<Option<typedefs::Type>> {
        use typedefs::{Lookup, Type};
        let members: Vec<Type> = self
            .members(&cur.ty)
            .into_iter()
            .filter(|m| !matches!(m, Type::Nil))
            .collect();
        if members.len() < 2 {
            return None;
        }
        let mut found = Vec::new();
        let mut missing: Option<String> = None;
        for m in &members {
            let scalar = matches!(m.widen(), Type::Number | Type::Integer | Type::Boolean);
            if scalar {
                missing.get_or_insert_with(|| m.widen().to_string());
                continue;
            }
            match self
                .env
                .modules
                .member(m, name, colon, Some(&self.local_types))
            {
                Lookup::Found { ty, .. } => found.push(ty),
                Lookup::Method { func, .. } => found.push(Type::Function(func)),
                Lookup::Missing { owner, .. } => {
                    missing.get_or_insert(owner);
                }
                Lookup::Unknown => return None,
            }
        }
        let Some(owner) = missing else {
            return Some(Some(typedefs::join(found)));
        };
        let what = if colon { "method" } else { "field" };
        let code = if colon { Code::E0022 } else { Code::E0004 };
        let message = format!(
            "no {what} `{name}` in {owner}, a member of {}: narrow `{}` first",
            cur.ty.non_nil(),
            cur.path
        );
        self.missing_member(code, sp, message, None, (cur.path.clone(), name.to_owned()));
        Some(None)
    }
}
