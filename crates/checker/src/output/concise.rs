//! One line per diagnostic, `path:line:col: severity[CODE]: message` (the form compilers use,
//! so editors and `grep` read it), then the summary line.

use super::{locate, summary_line, View};
use crate::check::Report;

/// Write the concise form.
pub fn write(report: &Report, view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for d in view.shown(report) {
        let at = locate(report, d, None);
        write!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            at.display,
            at.line,
            at.column,
            d.severity.as_str(),
            d.code,
            d.message
        )?;
        match &d.help {
            Some(h) => writeln!(out, " (help: {h})")?,
            None => writeln!(out)?,
        }
    }
    writeln!(out, "{}", summary_line(report, view.counts(report)))
}
