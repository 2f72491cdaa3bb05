//! GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,
//! endLine=…,endColumn=…,title=CODE::message` per diagnostic, which the Actions runner turns
//! into annotations on the pull request. Paths are relative to `base` (the repository root);
//! values are escaped as the Actions toolkit does (`%`, CR, LF in messages; also `:` and `,`
//! in properties).

use std::path::Path;

use super::{locate, View};
use crate::check::Report;
use crate::diagnostic::Severity;

/// Escape message data.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Write one workflow command per diagnostic shown.
pub fn write(
    report: &Report,
    view: &View,
    base: &Path,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for d in view.shown(report) {
        let at = locate(report, d, Some(base));
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "notice",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&at.relative),
            at.line,
            at.column,
            at.end_line,
            at.end_column,
            d.code,
            data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
