//! `P0001` parse error: the first syntax error of a chunk (go-lua's `wippy lint` reports one per
//! entry, wippy-facts §4.1).

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;

/// The diagnostic for a chunk that does not parse.
pub fn parse_error(
    file: usize,
    span: Range<u32>,
    message: &str,
    entry_id: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(Code::P0001, file, span, message.trim().to_owned());
    d.entry_id = entry_id.map(str::to_owned);
    d
}
