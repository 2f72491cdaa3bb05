//! Call statements that change the flow: `error(…)` ends it, `assert(x, …)` narrows `x` to
//! truthy, and the assertions of test libraries narrow their subject as a failed assertion
//! ends the test: `test.not_nil(x)`, `assert.is_not_nil(x)`, `test.is_true(x)` (truthy),
//! `test.is_nil(err)` (nil: the values of its `(value, error?)` pair are not), and the
//! `expect(x)` chains `expect(x).not_to_be_nil()`, `expect(err).to_be_nil()`,
//! `expect(x).to_be_truthy()`. A local named like a global (`local assert = …`) is the
//! programmer's own function and narrows nothing.

use full_moon::ast::{Call, Expression, FunctionArgs, FunctionCall, Prefix, Suffix};

use super::{ident, Walker};

/// What an assertion proves of its subject.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Proves {
    Truthy,
    NotNil,
    Nil,
}

/// The assertion a test library's function name makes (busted, luassert and the Wippy test
/// framework spell them alike).
fn assertion(name: &str) -> Option<Proves> {
    Some(match name {
        "not_nil" | "is_not_nil" | "assert_not_nil" | "not_to_be_nil" | "to_exist"
        | "to_be_defined" | "notNil" | "is_table" | "is_string" | "is_number" | "is_function"
        | "is_boolean" | "is_userdata" | "to_be_table" | "to_be_string" | "to_be_number"
        | "to_be_a" | "to_be_type" | "is_type" => Proves::NotNil,
        "is_true" | "ok" | "truthy" | "is_truthy" | "assert_true" | "to_be_true"
        | "to_be_truthy" => Proves::Truthy,
        "is_nil" | "assert_nil" | "to_be_nil" | "isNil" => Proves::Nil,
        _ => return None,
    })
}

/// Whether `callee` (a call's path, `test.is_nil`) is a test library's nil or not-nil
/// assertion: its argument is a presence test (a missing member is a probe there).
pub(crate) fn is_nil_assertion(callee: &str) -> bool {
    let name = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    name != callee && matches!(assertion(name), Some(Proves::Nil | Proves::NotNil))
}

/// The first argument of a parenthesised argument list.
fn first_arg(args: &FunctionArgs) -> Option<&Expression> {
    match args {
        FunctionArgs::Parentheses { arguments, .. } => arguments.iter().next(),
        _ => None,
    }
}

impl Walker<'_> {
    /// After call statement `c`: end the flow or narrow by what it asserts.
    pub(crate) fn call_statement_flow(&mut self, c: &FunctionCall) {
        let suffixes: Vec<&Suffix> = c.suffixes().collect();
        if let Prefix::Name(t) = c.prefix() {
            let name = ident(t);
            if let [Suffix::Call(Call::AnonymousCall(args))] = suffixes.as_slice() {
                if self.lookup(name).is_some() {
                    return;
                }
                match name {
                    "error" => self.set_reachable(false),
                    "assert" => self.assert_arg(first_arg(args), Proves::Truthy),
                    _ => {}
                }
                return;
            }
            // `expect(x).not_to_be_nil()`: the subject is `expect`'s argument.
            if let [Suffix::Call(Call::AnonymousCall(args)), Suffix::Index(full_moon::ast::Index::Dot { name: m, .. }), Suffix::Call(_)] =
                suffixes.as_slice()
            {
                if name == "expect" {
                    if let Some(p) = assertion(ident(m)) {
                        self.assert_arg(first_arg(args), p);
                    }
                }
                return;
            }
        }
        // `test.not_nil(x)`, `assert.is_not_nil(x)`, `t:ok(x)`: the subject is the first
        // argument.
        let (name, args) = match suffixes.as_slice() {
            [.., Suffix::Index(full_moon::ast::Index::Dot { name, .. }), Suffix::Call(Call::AnonymousCall(args))] => {
                (ident(name), &**args)
            }
            [.., Suffix::Call(Call::MethodCall(mc))] => (ident(mc.name()), mc.args()),
            _ => return,
        };
        if let Some(p) = assertion(name) {
            self.assert_arg(first_arg(args), p);
        }
    }

    /// Narrow `e` by what an assertion proves of it.
    fn assert_arg(&mut self, e: Option<&Expression>, p: Proves) {
        let Some(e) = e else { return };
        let n = match p {
            Proves::Truthy => self.narrow(e, true),
            Proves::NotNil => self.narrow_nil(e, false),
            Proves::Nil => self.narrow_nil(e, true),
        };
        self.apply(n);
    }
}
