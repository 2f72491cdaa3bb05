//! THE registry of diagnostic codes: every code the checker reports, its default severity, its
//! family (the file under `rules/` that reports it), a one-line summary and a longer
//! explanation. Output formats, the language server, suppression and configuration read codes
//! from here only.
//!
//! Codes follow `wippy lint` where the meaning matches (wippy-facts §4.1, go-lua
//! `types/diag/types.go`): `P0001` parse error, `E0000` type mismatch, `E0001` undefined,
//! `E0003` wrong arity, `E0004` no field, `E0008` readonly, `E0019` invalid operand, `E0022` no
//! method, `W0004` unused variable, `W0006` unused import. Codes of our own: `Y00xx` for entry definitions, `D0001` for determinism in
//! workflows, `S0001` for the Wraith handler sandbox, `L0001` for a `goto` that cannot be compiled, `H0001` for editor hints, `H0002` for suppressions that suppress nothing,
//! `C0001` for the lint configuration.

use project::ProblemKind;

use crate::diagnostic::Severity;

macro_rules! codes {
    ($($code:ident: $sev:ident, $family:literal, $summary:literal, $explain:literal;)*) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $summary]
                $code,
            )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written (`E0004`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code)),* }
            }

            /// Its default severity.
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev),* }
            }

            /// The rule family that reports it (a file of `checker/src/rules/`).
            pub fn family(self) -> &'static str {
                match self { $(Code::$code => $family),* }
            }

            /// One-line summary.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary),* }
            }

            /// What it means and what to do about it.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$code => $explain),* }
            }
        }
    };
}

codes! {
    P0001: Error, "syntax", "parse error",
        "The chunk is not valid Wippy Lua (Lua 5.3 syntax with Wippy's type annotations; Luau for twin handlers). Nothing else in it is checked until it parses.";
    E0000: Error, "types", "type mismatch",
        "A value's type does not fit where it is used: an argument of the wrong type (a `number` where an `integer` is required: in Lua 5.3 `/` and `^` give floats), a returned value that contradicts the declared return type, an assignment to an annotated local or a declared field, a table literal missing a required field of the declared record. The message says which field, parameter or union member is at fault.";
    E0001: Error, "globals", "undefined name or module",
        "A global that no environment list, import or assignment defines, or a require() of a module the entry does not list in `modules:`/`imports:`.";
    E0003: Error, "calls", "wrong number of arguments",
        "A call passes fewer arguments than the function requires or more than it accepts (optional and variadic parameters honoured).";
    E0004: Error, "members", "no such field",
        "The receiver's type is fully known and has no member of that name (a module function, a field of a declared or manifest record, an interface field), read or written; or a table literal passed where a record is declared has a field the record lacks, close to one it expects (a typo).";
    E0008: Error, "records", "readonly violation",
        "A field of a `readonly {…}` record is assigned. Build a new table instead, or drop `readonly` from the declaration.";
    E0019: Error, "operators", "invalid operand",
        "An operator is applied to a value that is certainly of the wrong kind: arithmetic or unary minus on a boolean, nil or function, concatenation of a boolean, nil or function, `<`/`>` between a number and a string, `#` of a number or boolean, or `==`/`~=` between values that can never be equal (an `integer` field compared with a string literal).";
    E0022: Error, "members", "no such method",
        "A method call `x:m()` on an object whose type has no method `m`.";
    W0004: Warning, "unused", "unused local variable",
        "A local (or local function) is declared and never read. Prefix it with `_` if that is intended.";
    W0006: Warning, "unused", "unused import",
        "A `local x = require(...)` whose result is never used.";
    D0001: Error, "modules", "non-deterministic module in a workflow",
        "Workflow entries replay deterministically: they may only require modules whose classes include `deterministic` or `workflow` (wippy-facts §2.1).";
    S0001: Error, "globals", "not available in the Wraith handler sandbox",
        "Twin handlers run in a Luau sandbox without io, os, debug, load, loadstring, getmetatable, setmetatable, rawget, rawset and require (seed: Lua handlers for Wraith twins).";
    L0001: Error, "lowering", "goto that cannot be compiled",
        "A `goto` with no visible label, one that jumps into the scope of a local, or one that leaves its function: Lua 5.3 refuses these at compile time (so does the Wippy runtime: \"no visible label\", \"jumps into the scope of local\"), and `wippy pack --bytecode` and `wippy run` cannot lower them to Luau.";
    Y0001: Error, "entries", "YAML syntax error",
        "An entry file (a YAML file with `namespace:`) does not parse or is not UTF-8; its entries are not loaded.";
    Y0002: Error, "entries", "missing required entry field",
        "Every entry needs `name` and `kind`; Lua entries need `source`, and all but libraries need `method`.";
    Y0003: Error, "entries", "source file missing or outside the project",
        "A `source: file://…` that does not exist, cannot be read, is not a regular file, or points outside the project root.";
    Y0004: Error, "modules", "unknown module in modules:",
        "A name in `modules:` (or a bare `imports:` target) that no manifest provides. Add a manifest with `--typedefs DIR` if it is a module of your own runtime.";
    Y0005: Error, "entries", "bad import target",
        "An `imports:` target that does not exist in the project or is not a Lua entry.";
    Y0006: Error, "entries", "duplicate entry id",
        "Two entries of one project have the same `namespace:name`.";
    Y0007: Error, "entries", "method not exported by the source",
        "The entry's `method:` is not a function of the table its source returns.";
    Y0008: Error, "entries", "invalid entry field",
        "An entry field has the wrong shape (e.g. `modules` that is not a list), or two twin handler files share a name.";
    H0001: Hint, "editor", "file not referenced by any entry (editor only)",
        "The language server checks Lua files that no entry or twin uses with the default entry globals.";
    H0002: Hint, "suppress", "suppression that suppresses nothing",
        "A `-- wippy: ignore …` (or `# wippy: ignore …` in YAML) comment matched no diagnostic: the code it names is not reported on that line (any more). Remove it.";
    C0001: Warning, "config", "invalid lint configuration or suppression",
        "The `lint:` section of `.wippy.yaml` has an unknown key, an unknown code or a bad value, (or the file is not valid YAML), or a suppression comment names a code that does not exist.";
}

impl Code {
    /// Whether it is one of the W-rules (style and quality warnings, shown by `wippy lint` only
    /// with `--rules`).
    pub fn is_rule(self) -> bool {
        self.as_str().starts_with('W')
    }

    /// The code named `s` (`"E0004"`), if it exists.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The code of a project load problem.
    pub fn of_problem(kind: ProblemKind) -> Code {
        match kind {
            ProblemKind::Yaml => Code::Y0001,
            ProblemKind::MissingField => Code::Y0002,
            ProblemKind::BadSource => Code::Y0003,
            ProblemKind::BadImport => Code::Y0005,
            ProblemKind::DuplicateId => Code::Y0006,
            ProblemKind::InvalidField => Code::Y0008,
            ProblemKind::Config => Code::C0001,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_families_have_files() {
        for &c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert!(!c.summary().is_empty() && c.explanation().len() > c.summary().len());
            let family = c.family();
            let dir = env!("CARGO_MANIFEST_DIR");
            let rules = format!("{dir}/src/rules/{family}.rs");
            let module = format!("{dir}/src/{family}.rs");
            assert!(
                family == "editor"
                    || std::path::Path::new(&rules).is_file()
                    || std::path::Path::new(&module).is_file(),
                "{c}: no rules file or module for family `{family}`"
            );
        }
    }
}
