//! SARIF 2.1.0 (OASIS, errata 01), the format code-scanning services read: one run whose
//! `tool.driver.rules` is the whole registry (id, name, short and full description, default
//! level, help), and one result per diagnostic shown with `ruleId`, `ruleIndex`, `level`
//! (`error`, `warning`, `note` for hints), the message (and help) and a region whose columns
//! count Unicode code points (`columnKind`). File URIs are relative to the base directory (the
//! repository root) through `uriBaseId: SRCROOT`; files outside it get absolute `file://`
//! URIs. `crates/checker/tests/sarif.rs` validates the output against the official schema.

use std::path::Path;

use serde_json::{json, Value};

use super::{locate, View};
use crate::check::Report;
use crate::diagnostic::Severity;
use crate::registry::Code;

/// The schema a SARIF log names.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    }
}

/// `no such field` → `NoSuchField`.
fn rule_name(summary: &str) -> String {
    summary
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Percent-encode a path for a URI (RFC 3986 unreserved characters and `/` stay).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file://` URI of an absolute path (a directory ends with `/`).
fn file_uri(path: &Path, dir: bool) -> String {
    let mut s = path.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if dir && !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", encode(&s))
}

/// The registry as `tool.driver.rules`.
pub fn rules() -> Vec<Value> {
    Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": rule_name(c.summary()),
                "shortDescription": { "text": c.summary() },
                "fullDescription": { "text": c.explanation() },
                "defaultConfiguration": { "level": level(c.severity()) },
                "help": { "text": format!("{} ({}: {})", c.explanation(), c.as_str(), c.summary()) },
                "properties": { "tags": [c.family()] },
            })
        })
        .collect()
}

/// The SARIF log of the diagnostics `view` shows; URIs relative to `base`.
pub fn to_sarif(report: &Report, view: &View, base: &Path) -> Value {
    let results: Vec<Value> = view
        .shown(report)
        .into_iter()
        .map(|d| {
            let at = locate(report, d, Some(base));
            let under_base = report
                .files
                .get(d.file)
                .is_some_and(|f| f.path.starts_with(base));
            let artifact = if under_base {
                json!({ "uri": encode(&at.relative), "uriBaseId": "SRCROOT" })
            } else {
                let path = report.files.get(d.file).map(|f| f.path.clone());
                json!({ "uri": path.map_or_else(String::new, |p| file_uri(&p, false)) })
            };
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": at.line,
                        "startColumn": at.column,
                        "endLine": at.end_line,
                        "endColumn": at.end_column,
                    }
                }
            });
            if let Some(id) = &d.entry_id {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": id, "kind": "module" }]);
            }
            json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location],
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "wippy",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules(),
                }
            },
            "originalUriBaseIds": { "SRCROOT": { "uri": file_uri(base, true) } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_uris() {
        assert_eq!(super::rule_name("no such field"), "NoSuchField");
        assert_eq!(super::encode("a b/ü.lua"), "a%20b/%C3%BC.lua");
        assert_eq!(
            super::file_uri(std::path::Path::new("/r/x y"), true),
            "file:///r/x%20y/"
        );
    }
}
