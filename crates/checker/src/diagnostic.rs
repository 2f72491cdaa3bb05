//! Diagnostics: a [`Code`] from the registry, a severity and a byte span. Lines and columns
//! are computed only when a diagnostic is rendered (see `output.rs`).

use std::ops::Range;

use project::Problem;

use crate::registry::Code;

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

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Code, e.g. [`Code::E0004`].
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// One-line message (paths in it are relative to the project root).
    pub message: String,
    /// Index of the file in [`project::Files`].
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
    pub fn new(code: Code, file: usize, span: Range<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
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

impl From<&Problem> for Diagnostic {
    fn from(p: &Problem) -> Diagnostic {
        Diagnostic {
            entry_id: p.entry_id.clone(),
            help: p.help.clone(),
            ..Diagnostic::new(
                Code::of_problem(p.kind),
                p.file,
                p.span.clone(),
                p.message.clone(),
            )
        }
    }
}
