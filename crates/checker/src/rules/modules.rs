//! What an entry may load: `E0001` a `require("x")` the entry does not declare in `modules:` or
//! `imports:` (docs `en/guides/linter.md`), `D0001` a non-deterministic module in a workflow
//! (wippy-facts §2.1), `E0001` a `wraith.import` of a library the twin lacks, and `Y0004` a
//! `modules:` name no manifest provides.

use full_moon::ast::{Expression, FunctionArgs};
use project::{ChunkKind, Project};
use typedefs::{ModuleSet, Type};

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::call::string_literal;
use crate::walk::{span, Walker};

impl Walker<'_> {
    /// `require("name")`: a module listed in `modules:`, an `imports:` alias, or a global module.
    pub(crate) fn require(&mut self, args: &FunctionArgs) -> Type {
        let arg = match args {
            FunctionArgs::Parentheses { arguments, .. } if arguments.len() == 1 => {
                arguments.iter().next().and_then(|e| match e {
                    Expression::String(s) => Some((string_literal(s), span(e))),
                    _ => None,
                })
            }
            FunctionArgs::String(s) => Some((string_literal(s), span(s))),
            _ => None,
        };
        if let FunctionArgs::Parentheses { arguments, .. } = args {
            for e in arguments {
                if !matches!(e, Expression::String(_)) {
                    self.expr(e);
                }
            }
        }
        let Some((name, sp)) = arg else {
            return Type::Any;
        };
        if let Some(import) = self.env.imports.get(&name) {
            return import.clone().unwrap_or(Type::Any);
        }
        let module = self.env.modules.get(&name).cloned();
        let declared =
            self.env.allowed_modules.contains(&name) || self.env.modules.is_ambient(&name);
        if !declared {
            let mut d = Diagnostic::new(
                Code::E0001,
                self.file,
                sp.start..sp.end,
                format!("require(\"{name}\") is not declared in _index.yaml imports or modules"),
            );
            d = match &module {
                Some(_) => d.with_help(format!("add `{name}` to the entry's `modules:`")),
                None => d.with_help(format!("add `{name}` to `modules:` if it is a module, or an import `{name}: namespace:library`")),
            };
            self.report(d);
        }
        let Some(module) = module else {
            return Type::Any;
        };
        if self.env.kind == ChunkKind::Workflow && !module.workflow_safe() {
            self.diag(
                Code::D0001,
                sp,
                format!("module `{name}` ({}) cannot be used in a workflow: workflows only get deterministic or workflow modules", module.classes.join(", ")),
            );
        }
        module.value_type()
    }

    /// `wraith.import("name")` in twin code: the library's exports.
    pub(crate) fn wraith_import(&mut self, args: &FunctionArgs) -> Type {
        let name = match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                arguments.iter().next().and_then(|e| match e {
                    Expression::String(s) => Some((string_literal(s), span(e))),
                    _ => None,
                })
            }
            FunctionArgs::String(s) => Some((string_literal(s), span(s))),
            _ => None,
        };
        let Some((name, sp)) = name else {
            return Type::Any;
        };
        match self.env.twin_libs.get(&name) {
            Some(t) => t.clone(),
            None => {
                let mut known: Vec<&String> = self.env.twin_libs.keys().collect();
                known.sort();
                let list = known
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.diag(Code::E0001, sp, format!("wraith.import(\"{name}\"): no library `lua/lib/{name}.lua` in this twin (have: {list})"));
                Type::Any
            }
        }
    }
}

/// `Y0004`: a `modules:` name (or bare `imports:` target) no manifest provides.
pub(crate) fn unknown_modules(project: &Project, modules: &ModuleSet) -> Vec<Diagnostic> {
    let names: Vec<String> = modules.iter().map(|m| m.name.clone()).collect();
    let mut out = Vec::new();
    for e in project.entries.iter().filter(|e| e.is_lua()) {
        let bare_imports = e
            .imports
            .iter()
            .filter(|i| i.module().is_some())
            .map(|i| &i.target);
        for m in e.modules.iter().chain(bare_imports) {
            if modules.get(&m.value).is_none() {
                let mut d = Diagnostic::new(
                    Code::Y0004,
                    e.yaml,
                    m.span.clone(),
                    format!("unknown module `{}` in `modules:` of `{}`", m.value, e.id),
                );
                if let Some(s) = typedefs::suggest(&m.value, &names) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else {
                    d = d.with_help("add a manifest for it with `--typedefs DIR`");
                }
                d.entry_id = Some(e.id.clone());
                out.push(d);
            }
        }
    }
    out
}
