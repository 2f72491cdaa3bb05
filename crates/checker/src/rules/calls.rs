//! Calls against their signatures (manifest functions and methods): `E0003` wrong number of
//! arguments (optional and variadic parameters honoured, a multi-value last argument may fill
//! the rest), `E0000` an argument of the wrong type, and `E0000` a method reached with `.`
//! without its receiver.

use std::ops::Range;
use std::sync::Arc;

use full_moon::ast::Expression;
use typedefs::manifest::map_type;
use typedefs::{FunctionType, Type};

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::call::Cur;
use crate::walk::{span, Walker};

impl Walker<'_> {
    /// Check a call of `callee` (type `f`) with `arg_types`; `colon` when written `recv:m(…)`.
    /// Returns `false` when the call is so wrong that its arguments were not checked further.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn check_call(
        &mut self,
        callee: &Cur,
        f: &Arc<FunctionType>,
        arg_types: &mut Vec<Type>,
        arg_exprs: &[&Expression],
        colon: bool,
        recv: &Type,
        last_multi: bool,
        call_span: Range<u32>,
    ) -> bool {
        if let (Some((owner, recv_ty)), false) = (&callee.dot_method, colon) {
            let first_fits = arg_types.first().is_some_and(|t| {
                typedefs::fits(t, recv_ty, self.env.modules, Some(&self.local_types))
                    && !matches!(t, Type::Any | Type::Unknown)
                    || matches!(t, Type::Any | Type::Unknown) && !arg_exprs.is_empty()
            });
            if !first_fits {
                let method = callee.path.rsplit('.').next().unwrap_or("");
                let obj = callee.path.rsplit_once('.').map_or("obj", |(o, _)| o);
                let d = Diagnostic::new(
                    Code::E0000,
                    self.file,
                    call_span.clone(),
                    format!("`{method}` is a method of {owner} and must be called with `:`"),
                )
                .with_help(format!("write `{obj}:{method}(…)`"));
                self.report(d);
                return false;
            }
        }
        if callee.strict {
            let (min, max) = f.arity(colon);
            let n = arg_types.len();
            let too_few = n < min && !(last_multi && n > 0);
            let too_many = max.is_some_and(|m| n > m && !(last_multi && n - 1 <= m));
            if too_few || too_many {
                let expect = match max {
                    Some(m) if m == min => format!("{min}"),
                    Some(m) => format!("{min} to {m}"),
                    None => format!("at least {min}"),
                };
                let plural = if expect == "1" || expect == "at least 1" {
                    "argument"
                } else {
                    "arguments"
                };
                self.diag(
                    Code::E0003,
                    call_span.clone(),
                    format!("`{}` expects {expect} {plural}, got {n}", callee.path),
                );
            }
        }
        {
            let params = f.call_params(colon);
            if last_multi {
                arg_types.pop();
            }
            for (i, at) in arg_types.iter().enumerate() {
                let (pname, pty) = match params.get(i) {
                    Some(p) => (p.name.clone(), p.ty.clone()),
                    None => match &f.variadic {
                        Some(v) => (None, v.clone()),
                        None => break,
                    },
                };
                let pty = map_type(pty, &mut |t| {
                    matches!(t, Type::SelfType).then(|| recv.clone())
                });
                if !typedefs::fits(at, &pty, self.env.modules, Some(&self.local_types)) {
                    let name = pname.map_or(String::new(), |n| format!(" (`{n}`)"));
                    let sp = arg_exprs.get(i).map_or(call_span.clone(), |e| span(*e));
                    self.diag(
                        Code::E0000,
                        sp,
                        format!(
                            "argument {}{name} of `{}` is {}, expected {pty}",
                            i + 1,
                            callee.path,
                            at.widen()
                        ),
                    );
                }
            }
        }
        true
    }
}
