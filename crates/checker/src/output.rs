//! Rendering diagnostics: Rust-style text through codespan-reporting, and the JSON of
//! `wippy lint --json` (wippy-facts §4.1) plus `file`, `end_line`, `end_column` and `help`.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor, Chars, Config};
use serde::Serialize;

use crate::check::Report;
use crate::diagnostic::{Diagnostic, Severity};
use project::line_col;

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
    /// Diagnostics at or above the level.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Lua entries, twin handlers and twin libraries checked.
    pub total_entries: usize,
    /// Errors among `diagnostics`.
    pub error_count: usize,
    /// Warnings among `diagnostics`.
    pub warning_count: usize,
    /// Hints among `diagnostics`.
    pub hint_count: usize,
}

/// Diagnostics of `report` at or above `level`.
pub fn filtered(report: &Report, level: Severity) -> impl Iterator<Item = &Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(move |d| d.severity >= level)
}

/// Build the JSON report.
pub fn to_json(report: &Report, level: Severity) -> JsonReport {
    let diagnostics: Vec<JsonDiagnostic> = filtered(report, level)
        .map(|d| {
            let (file, text) = report
                .files
                .get(d.file)
                .map_or((String::new(), ""), |f| (f.display.clone(), &*f.text));
            let (line, column) = line_col(text, d.span.start);
            let (end_line, end_column) = line_col(text, d.span.end.max(d.span.start));
            JsonDiagnostic {
                entry_id: d.entry_id.clone().unwrap_or_default(),
                code: d.code.as_str().to_owned(),
                severity: d.severity.as_str().to_owned(),
                message: d.message.clone(),
                file,
                line,
                column,
                end_line,
                end_column,
                help: d.help.clone(),
            }
        })
        .collect();
    let count = |s: &str| diagnostics.iter().filter(|d| d.severity == s).count();
    JsonReport {
        error_count: count("error"),
        warning_count: count("warning"),
        hint_count: count("hint"),
        total_entries: report.total_entries,
        diagnostics,
    }
}

/// Write diagnostics as text (`error[E0004]: …`, ` --> file:line:col`, source, underline, help)
/// followed by a summary line.
pub fn write_text(
    report: &Report,
    level: Severity,
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = report
        .files
        .iter()
        .map(|f| files.add(f.display.clone(), f.text.clone()))
        .collect();
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut counts = [0usize; 3];
    for d in filtered(report, level) {
        counts[d.severity as usize] += 1;
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Hint => CsSeverity::Help,
        };
        let Some(&fid) = ids.get(d.file) else {
            continue;
        };
        let text_len = report.files.get(d.file).map_or(0, |f| f.text.len());
        let start = (d.span.start as usize).min(text_len);
        let end = (d.span.end as usize).clamp(start, text_len);
        let mut cs = CsDiagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(vec![Label::primary(fid, start..end)]);
        let mut notes = Vec::new();
        if let Some(e) = &d.entry_id {
            notes.push(format!("entry: {e}"));
        }
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        cs = cs.with_notes(notes);
        term::emit_to_write_style(out, &config, &files, &cs)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    writeln!(
        out,
        "Checked {} entries: {} errors, {} warnings, {} hints",
        report.total_entries,
        counts[Severity::Error as usize],
        counts[Severity::Warning as usize],
        counts[Severity::Hint as usize]
    )
}
