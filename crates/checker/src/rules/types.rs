//! `E0000` type mismatch in assignments and returns: a value stored in an annotated local or
//! returned from a function with declared returns must fit the declared type.

use std::ops::Range;

use typedefs::Type;

use crate::registry::Code;
use crate::walk::Walker;

impl Walker<'_> {
    /// `E0000` with `message(value)` when `value` does not fit `declared`.
    fn mismatch(
        &mut self,
        value: &Type,
        declared: &Type,
        sp: Range<u32>,
        message: impl Fn(Type) -> String,
    ) {
        if !typedefs::fits(value, declared, self.env.modules, Some(&self.local_types)) {
            self.diag(Code::E0000, sp, message(value.widen()));
        }
    }

    /// `E0000` when a value of type `value` cannot be stored in `name` declared as `declared`.
    pub(crate) fn check_assignable(
        &mut self,
        value: &Type,
        declared: &Type,
        name: &str,
        sp: Range<u32>,
    ) {
        self.mismatch(value, declared, sp, |v| {
            format!("cannot assign {v} to `{name}`, declared {declared}")
        });
    }

    /// `E0000` when returned value `i` (0-based) of type `value` does not fit the declared
    /// return type `declared`.
    pub(crate) fn check_returned(
        &mut self,
        value: &Type,
        declared: &Type,
        i: usize,
        sp: Range<u32>,
    ) {
        self.mismatch(value, declared, sp, |v| {
            format!("returned value {} is {v}, expected {declared}", i + 1)
        });
    }
}
