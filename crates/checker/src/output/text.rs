//! Text output: each diagnostic Rust-style through codespan-reporting (`error[E0004]: …`,
//! ` --> file:line:col`, the source line, an underline, `= entry:` and `= help:` notes), then
//! the summary line; and `--summary`, which groups by namespace and by code instead, in the
//! layout of `wippy lint --summary` (runtime `cmd/wippy/cmd/lint.go` `outputSummary`).

use std::collections::BTreeMap;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor, Chars, Config};

use super::{summary_line, View};
use crate::check::Report;
use crate::diagnostic::Severity;

/// Write the diagnostics shown and the summary line.
pub fn write_text(report: &Report, view: &View, out: &mut dyn WriteColor) -> std::io::Result<()> {
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
    for d in view.shown(report) {
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
        let mut notes = Vec::new();
        if let Some(e) = &d.entry_id {
            notes.push(format!("entry: {e}"));
        }
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        let cs = CsDiagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(vec![Label::primary(fid, start..end)])
            .with_notes(notes);
        term::emit_to_write_style(out, &config, &files, &cs).map_err(|e| match e {
            codespan_reporting::files::Error::Io(io) => io,
            other => std::io::Error::other(other.to_string()),
        })?;
    }
    writeln!(out, "{}", summary_line(report, view.counts(report)))
}

/// Write `--summary`: issues by namespace, occurrences by code (most first), the summary line.
pub fn write_summary(
    report: &Report,
    view: &View,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut by_ns: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let mut by_code: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
    let shown = view.shown(report);
    for d in &shown {
        let ns = d
            .entry_id
            .as_deref()
            .and_then(|id| id.split_once(':').map(|(ns, _)| ns))
            .unwrap_or("unknown");
        let slot = match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Hint => 2,
        };
        by_ns.entry(ns).or_default()[slot] += 1;
        let c = by_code.entry(d.code.as_str()).or_insert((d.severity, 0));
        c.1 += 1;
    }
    if !shown.is_empty() {
        let mut namespaces: Vec<_> = by_ns.into_iter().collect();
        namespaces.sort_by_key(|(_, n)| std::cmp::Reverse(n.iter().sum::<usize>()));
        writeln!(out, "\nBy namespace:\n")?;
        for (ns, [e, w, h]) in namespaces {
            let parts: Vec<String> = [(e, "errors"), (w, "warnings"), (h, "hints")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
            writeln!(
                out,
                "  {ns:<30} {} issues ({})",
                e + w + h,
                parts.join(", ")
            )?;
        }
        let mut codes: Vec<_> = by_code.into_iter().collect();
        codes.sort_by_key(|(_, (_, n))| std::cmp::Reverse(*n));
        writeln!(out, "\nBy error code:\n")?;
        for (code, (sev, n)) in codes {
            writeln!(out, "  {code:<8} [{:<7}] {n:>4} occurrences", sev.as_str())?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(report, view.counts(report)))
}
