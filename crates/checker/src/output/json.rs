//! The JSON of `wippy lint --json` (wippy-facts §4.1: `diagnostics[{entry_id, code, severity,
//! message, line, column}]`, `total_entries`, `error_count`, `warning_count`, `hint_count`)
//! plus `file`, `end_line`, `end_column` and `help` on each diagnostic.

use serde::Serialize;

use super::{locate, View};
use crate::check::Report;

/// One diagnostic as JSON.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// `ns:name` of the entry, or `twin:<twin>/<handler>`; empty for file-level problems.
    pub entry_id: String,
    /// Code.
    pub code: String,
    /// `error`, `warning` or `hint`.
    pub severity: String,
    /// Message.
    pub message: String,
    /// File path as shown.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (Unicode scalar values).
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column of the end (exclusive).
    pub end_column: usize,
    /// The suggestion shown as `= help:` in text output, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// The JSON document of `wippy check --format json`.
#[derive(Serialize, Debug)]
pub struct JsonReport {
    /// Diagnostics shown.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Lua entries, twin handlers and twin libraries checked and reported.
    pub total_entries: usize,
    /// Errors selected (before `--limit`).
    pub error_count: usize,
    /// Warnings selected.
    pub warning_count: usize,
    /// Hints selected.
    pub hint_count: usize,
}

/// Build the JSON report.
pub fn to_json(report: &Report, view: &View) -> JsonReport {
    let diagnostics = view
        .shown(report)
        .into_iter()
        .map(|d| {
            let at = locate(report, d, None);
            JsonDiagnostic {
                entry_id: d.entry_id.clone().unwrap_or_default(),
                code: d.code.as_str().to_owned(),
                severity: d.severity.as_str().to_owned(),
                message: d.message.clone(),
                file: at.display,
                line: at.line,
                column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
                help: d.help.clone(),
            }
        })
        .collect();
    let counts = view.counts(report);
    JsonReport {
        error_count: counts.errors,
        warning_count: counts.warnings,
        hint_count: counts.hints,
        total_entries: report.total_entries,
        diagnostics,
    }
}
