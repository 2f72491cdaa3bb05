//! The boundary between LSP and the checker: URIs ↔ canonical paths, positions ↔ byte
//! offsets (in the negotiated encoding), byte ranges → LSP ranges, checker diagnostics → LSP
//! diagnostics. Nothing inside the server works in LSP positions.

use std::ops::Range as Bytes;
use std::path::{Path, PathBuf};

use checker::Severity;
use tower_lsp::lsp_types::{
    Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range, TextEdit, Url,
};

use crate::text::{Encoding, Pos, Text};
use crate::workspace::canonical;

/// The canonical path of a `file:` URI.
pub fn path_of(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok().map(|p| canonical(&p))
}

/// The `file:` URI of a path.
pub fn uri_of(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

/// An LSP position as the text module takes it.
pub fn pos(p: Position) -> Pos {
    Pos {
        line: p.line,
        character: p.character,
    }
}

/// The LSP position of byte `offset` of `text`.
pub fn position(text: &Text, offset: usize, enc: Encoding) -> Position {
    let p = text.pos(offset, enc);
    Position::new(p.line, p.character)
}

/// The LSP range of bytes `span` of `text`.
pub fn range(text: &Text, span: &Bytes<usize>, enc: Encoding) -> Range {
    Range {
        start: position(text, span.start, enc),
        end: position(text, span.end, enc),
    }
}

/// The bytes of an LSP range of `text`.
pub fn bytes(text: &Text, r: &Range, enc: Encoding) -> Bytes<usize> {
    text.offset(pos(r.start), enc)..text.offset(pos(r.end), enc)
}

/// A text edit replacing bytes `span` of `text`.
pub fn edit(text: &Text, span: &Bytes<usize>, new: String, enc: Encoding) -> TextEdit {
    TextEdit {
        range: range(text, span, enc),
        new_text: new,
    }
}

/// A checker diagnostic as LSP shows it: the help line under the message, the code, source
/// `wippy`.
pub fn diagnostic(text: &Text, d: &checker::Diagnostic, enc: Encoding) -> Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Hint => DiagnosticSeverity::HINT,
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    Diagnostic {
        range: range(text, &(d.span.start as usize..d.span.end as usize), enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some("wippy".into()),
        message,
        ..Diagnostic::default()
    }
}
