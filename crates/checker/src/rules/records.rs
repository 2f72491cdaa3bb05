//! Writes to fields of declared records (annotations, `type` declarations, manifest records):
//! `E0008` any field of a `readonly {…}` record (go-lua's `ErrReadonly`), `E0004` a field the
//! record does not declare (with a did-you-mean), and `E0000` a value that does not fit the
//! field's type. Tables built in code gain the fields written to them instead (`walk/table.rs`).

use std::ops::Range;

use full_moon::ast::Expression;
use typedefs::{Lookup, Shape, Type};

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::rules::types::Site;
use crate::walk::{span, Walker};

impl Walker<'_> {
    /// Check `recv.name = value` (`sp`: the field name; `expr`: the value's expression).
    pub(crate) fn check_field_write(
        &mut self,
        recv: &Type,
        name: &str,
        value: &Type,
        sp: Range<u32>,
        expr: Option<&Expression>,
    ) {
        let recv = recv.non_nil();
        let record = match &recv {
            Type::Record(r) => Some(r.clone()),
            Type::Named(_) => match self.rel().alias(&recv) {
                Some(Type::Record(r)) => Some(r),
                _ => None,
            },
            _ => None,
        };
        let at = expr.map_or(sp.clone(), span);
        let (owner, field_type) = match record {
            Some(r) => {
                let owner = r.display();
                if r.readonly {
                    self.diag(
                        Code::E0008,
                        sp,
                        format!("cannot assign to field `{name}` of readonly {owner}"),
                    );
                    return;
                }
                if r.shape != Shape::Declared {
                    return;
                }
                match r.field(name) {
                    Some(f) => (owner, f.read_type()),
                    None => return self.unknown_field_write(name, &r, sp),
                }
            }
            // An interface's declared field still checks the value.
            None => match self
                .env
                .modules
                .member(&recv, name, false, Some(&self.local_types))
            {
                Lookup::Found { ty, .. } if matches!(recv, Type::Named(_)) => {
                    (recv.to_string(), ty)
                }
                _ => return,
            },
        };
        let site = Site::Field {
            name,
            owner: &owner,
        };
        self.check_value(site, value, &field_type, at, expr);
    }

    /// `E0004` for writing field `name`, which the declared record `r` lacks.
    fn unknown_field_write(&mut self, name: &str, r: &typedefs::Record, sp: Range<u32>) {
        let owner = r.display();
        let mut d = Diagnostic::new(
            Code::E0004,
            self.file,
            sp,
            format!("no field `{name}` in {owner}"),
        );
        if let Some(s) = typedefs::suggest(name, r.fields.iter().map(|f| &f.name)) {
            d.message.push_str(&format!("; did you mean `{s}`?"));
            d = d.with_help(format!("{owner} declares `{s}`"));
        }
        self.report(d);
    }
}
