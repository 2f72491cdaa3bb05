//! Totals of what a module declares, for `wippy typedefs list` and the tests that pin them.

use crate::manifest::Module;
use crate::types::{MemberKind, TableDef, TypeDef};

/// What a module declares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Functions, including those of nested tables.
    pub functions: usize,
    /// Methods of named interface types.
    pub methods: usize,
    /// Named types (aliases and interfaces).
    pub types: usize,
    /// Constants, including those of nested tables.
    pub constants: usize,
    /// Nested tables.
    pub tables: usize,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            functions: self.functions + o.functions,
            methods: self.methods + o.methods,
            types: self.types + o.types,
            constants: self.constants + o.constants,
            tables: self.tables + o.tables,
        }
    }
}

fn table(t: &TableDef, c: &mut Counts) {
    for m in t.members.values() {
        match &m.kind {
            MemberKind::Function(_) => c.functions += 1,
            MemberKind::Constant(..) => c.constants += 1,
            MemberKind::Table(sub) => {
                c.tables += 1;
                table(sub, c);
            }
        }
    }
}

impl Module {
    /// Count functions, methods, named types, constants and nested tables.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            types: self.types.len(),
            ..Counts::default()
        };
        table(&self.table, &mut c);
        for t in self.types.values() {
            if let TypeDef::Interface(i) = t {
                c.methods += i.methods.len();
            }
        }
        c
    }
}
