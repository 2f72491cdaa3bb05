//! Rendering a [`Report`]: what is shown ([`View`]: level, codes, limit) and where each
//! diagnostic is ([`Located`]: file, 1-based lines and columns counted in Unicode scalar
//! values, end exclusive), then one module per format:
//! - [`text`]: Rust-style text with source snippets (codespan-reporting), the summary line, and
//!   `wippy lint --summary`'s grouping by namespace and code;
//! - [`concise`]: one line per diagnostic;
//! - [`json`]: the document of `wippy lint --json` plus file, end positions and help;
//! - [`sarif`]: SARIF 2.1.0 with the registry as `tool.driver.rules`;
//! - [`github`]: GitHub Actions workflow commands (`::error file=…::…`).
//!
//! Diagnostics come sorted errors first ([`crate::check`]), so every format lists them so.

pub mod concise;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use std::path::Path;

use crate::check::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::Code;

pub use json::{to_json, JsonDiagnostic, JsonReport};
pub use text::{write_summary, write_text};

/// Which diagnostics of a report are shown.
#[derive(Clone, Debug)]
pub struct View {
    /// Lowest severity shown (`--level`).
    pub level: Severity,
    /// Only these codes (`--code`); empty shows every code.
    pub codes: Vec<Code>,
    /// At most this many diagnostics (`--limit`); counts still cover all of them, as in
    /// `wippy lint`.
    pub limit: Option<usize>,
}

impl View {
    /// Everything at or above `level`.
    pub fn at(level: Severity) -> View {
        View {
            level,
            codes: Vec::new(),
            limit: None,
        }
    }

    fn matches(&self, d: &Diagnostic) -> bool {
        d.severity >= self.level && (self.codes.is_empty() || self.codes.contains(&d.code))
    }

    /// The diagnostics shown, in report order.
    pub fn shown<'r>(&self, report: &'r Report) -> Vec<&'r Diagnostic> {
        let all = report.diagnostics.iter().filter(|d| self.matches(d));
        match self.limit {
            Some(n) => all.take(n).collect(),
            None => all.collect(),
        }
    }

    /// Errors, warnings and hints among the diagnostics this view selects (before `limit`).
    pub fn counts(&self, report: &Report) -> Counts {
        let mut c = Counts::default();
        for d in report.diagnostics.iter().filter(|d| self.matches(d)) {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Hint => c.hints += 1,
            }
        }
        c
    }
}

/// Diagnostic counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Hints.
    pub hints: usize,
}

/// `Checked N entries: X errors, Y warnings, Z hints` (the line `wippy lint` ends with).
pub fn summary_line(report: &Report, counts: Counts) -> String {
    format!(
        "Checked {} entries: {} errors, {} warnings, {} hints",
        report.total_entries, counts.errors, counts.warnings, counts.hints
    )
}

/// Where a diagnostic is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The path as shown (relative to the current directory when possible).
    pub display: String,
    /// The path relative to the base directory given (`/`-separated), or absolute.
    pub relative: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column of the end (exclusive).
    pub end_column: usize,
}

/// The position of `d` in `report`, with paths relative to `base` when given.
pub fn locate(report: &Report, d: &Diagnostic, base: Option<&Path>) -> Located {
    let (display, path, text) = report
        .files
        .get(d.file)
        .map_or((String::new(), Path::new(""), ""), |f| {
            (f.display.clone(), f.path.as_path(), &*f.text)
        });
    let (line, column) = project::line_col(text, d.span.start);
    let (end_line, end_column) = project::line_col(text, d.span.end.max(d.span.start));
    let relative = match base {
        Some(b) => project::files::relative_to(Some(b), path),
        None => display.clone(),
    };
    Located {
        display,
        relative,
        line,
        column,
        end_line,
        end_column,
    }
}
