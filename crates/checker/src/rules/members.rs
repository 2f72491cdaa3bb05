//! `E0004` no such field, `E0022` no such method: a member the receiver's fully known type does
//! not have (a module function, a record field, an interface method), with a did-you-mean.

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::Walker;

impl Walker<'_> {
    /// `E0004`/`E0022` for a member the receiver's type does not have.
    /// Not reported while probing (then recorded) or inside a block its condition probed.
    pub(crate) fn missing_member(
        &mut self,
        code: Code,
        sp: std::ops::Range<u32>,
        message: String,
        suggestion: Option<String>,
        key: (String, String),
    ) {
        if self.probing > 0 {
            self.probed.push(key);
            return;
        }
        if self.guards.contains(&key) {
            return;
        }
        let mut d = Diagnostic::new(code, self.file, sp, message);
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.report(d);
    }
}
