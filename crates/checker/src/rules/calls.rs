//! Calls against their signatures — manifest functions and methods, the chunk's own functions,
//! imported libraries' exports: `E0003` wrong number of arguments (optional and variadic
//! parameters honoured, a parameter without annotation may be omitted, a multi-value last
//! argument may fill the rest), `E0000` an argument of the wrong type (`rules/types.rs`), a
//! generic's binding outside its bound, and a method reached with `.` without its receiver.

use std::sync::Arc;

use typedefs::generics::{BoundViolation, Solution};
use typedefs::{FunctionType, Type};

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::rules::types::Site;
use crate::walk::call::{self_is, Args};
use crate::walk::{span, Cur, Walker};

impl Walker<'_> {
    /// Check a call of `callee` (type `f`) with `args`; `colon` when written `recv:m(…)`;
    /// `solution` binds `f`'s type parameters, `violations` are the bindings outside their
    /// bounds.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn check_call(
        &mut self,
        callee: &Cur,
        f: &Arc<FunctionType>,
        args: &Args<'_>,
        colon: bool,
        recv: &Type,
        solution: &Solution,
        violations: &[BoundViolation],
    ) {
        if let (Some((owner, recv_ty)), false) = (&callee.dot_method, colon) {
            let first_fits = args.types.first().is_some_and(|t: &Type| {
                if matches!(t, Type::Any | Type::Unknown) {
                    !args.exprs.is_empty()
                } else {
                    self.rel().fits(t, recv_ty)
                }
            });
            if !first_fits {
                let method = callee.path.rsplit('.').next().unwrap_or("");
                let obj = callee.path.rsplit_once('.').map_or("obj", |(o, _)| o);
                let d = Diagnostic::new(
                    Code::E0000,
                    self.file,
                    args.span.clone(),
                    format!("`{method}` is a method of {owner} and must be called with `:`"),
                )
                .with_help(format!("write `{obj}:{method}(…)`"));
                self.report(d);
                return;
            }
        }
        self.check_arity(callee, f, args, colon);
        for v in violations {
            self.diag(
                Code::E0000,
                args.span.clone(),
                format!(
                    "`{}` needs its type parameter {} to be {}, but the arguments make it {}",
                    callee.path, v.param, v.bound, v.binding
                ),
            );
        }
        let params = f.call_params(colon);
        for (i, at) in args.types.iter().enumerate() {
            let (pname, pty) = match params.get(i) {
                Some(p) => (p.name.as_deref(), &p.ty),
                None => match &f.variadic {
                    Some(v) => (None, v),
                    None => break,
                },
            };
            let pty = solution.apply(&self_is(pty.clone(), recv));
            let expr = args.exprs.get(i).copied();
            let sp = expr.map_or(args.span.clone(), span);
            let site = Site::Argument {
                index: i,
                name: pname,
                callee: &callee.path,
                signature: f,
            };
            self.check_value(site, at, &pty, sp, expr);
        }
    }

    /// `E0003` when the argument count is outside what `f` accepts.
    fn check_arity(&mut self, callee: &Cur, f: &FunctionType, args: &Args<'_>, colon: bool) {
        let (min, max) = f.arity(colon);
        let n = args.types.len();
        let too_few = n < min && !(args.last_multi && n > 0);
        let too_many = max.is_some_and(|m| n > m && !(args.last_multi && n - 1 <= m));
        if !(too_few || too_many) {
            return;
        }
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
        let d = Diagnostic::new(
            Code::E0003,
            self.file,
            args.span.clone(),
            format!("`{}` expects {expect} {plural}, got {n}", callee.path),
        )
        .with_help(format!(
            "`{}` is {}",
            callee.path,
            Type::Function(Arc::new(f.clone()))
        ));
        self.report(d);
    }
}
