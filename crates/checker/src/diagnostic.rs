//! Diagnostics: codes, severities and byte spans. Lines and columns are computed only when a
//! diagnostic is rendered (see `output.rs`).
//!
//! Codes follow `wippy lint` where the meaning matches (wippy-facts §4.1): `P0001` parse error,
//! `E0000` type mismatch, `E0001` undefined, `E0003` wrong arity, `E0004` no field, `E0022` no
//! method, `W0004` unused variable, `W0006` unused import. Codes of our own: `Y00xx` for entry
//! definitions in YAML, `D0001` for determinism in workflows, `S0001` for the Wraith handler
//! sandbox. The full table is [`CODES`].

use std::ops::Range;

/// How serious a diagnostic is. Ordered: `Error` > `Warning` > `Hint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational.
    Hint,
    /// Probably a mistake; does not fail `wippy check`.
    Warning,
    /// A certain mistake; `wippy check` exits 1.
    Error,
}

impl Severity {
    /// Lowercase name as in `wippy lint --json`: `error`, `warning`, `hint`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
        }
    }
}

/// Every code this checker reports: (code, default severity, short name).
pub const CODES: &[(&str, Severity, &str)] = &[
    ("P0001", Severity::Error, "parse error"),
    ("E0000", Severity::Error, "type mismatch"),
    ("E0001", Severity::Error, "undefined name or module"),
    ("E0003", Severity::Error, "wrong number of arguments"),
    ("E0004", Severity::Error, "no such field"),
    ("E0022", Severity::Error, "no such method"),
    ("W0004", Severity::Warning, "unused local variable"),
    ("W0006", Severity::Warning, "unused import"),
    (
        "D0001",
        Severity::Error,
        "non-deterministic module in a workflow",
    ),
    (
        "S0001",
        Severity::Error,
        "not available in the Wraith handler sandbox",
    ),
    ("Y0001", Severity::Error, "YAML syntax error"),
    ("Y0002", Severity::Error, "missing required entry field"),
    (
        "Y0003",
        Severity::Error,
        "source file missing or outside the project",
    ),
    ("Y0004", Severity::Error, "unknown module in modules:"),
    ("Y0005", Severity::Error, "bad import target"),
    ("Y0006", Severity::Error, "duplicate entry id"),
    (
        "Y0007",
        Severity::Error,
        "method not exported by the source",
    ),
    ("Y0008", Severity::Error, "invalid entry field"),
    (
        "H0001",
        Severity::Hint,
        "file not referenced by any entry (editor only)",
    ),
];

/// The default severity of a code (error for unknown codes).
pub fn severity_of(code: &str) -> Severity {
    CODES
        .iter()
        .find(|c| c.0 == code)
        .map_or(Severity::Error, |c| c.1)
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Code, e.g. `E0004`.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// Index of the file in [`crate::Files`].
    pub file: usize,
    /// Byte range in that file.
    pub span: Range<u32>,
    /// The entry (`ns:name`) or twin handler it belongs to, if any.
    pub entry_id: Option<String>,
    /// A suggestion shown as `= help: …`.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(
        code: &'static str,
        file: usize,
        span: Range<u32>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: severity_of(code),
            message: message.into(),
            file,
            span,
            entry_id: None,
            help: None,
        }
    }

    /// Add a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
