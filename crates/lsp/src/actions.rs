//! Code actions for the fixes the checker already knows, read from the analysis's own
//! diagnostics (with their structured help) under the requested range:
//!
//! - a did-you-mean (`E0004`, `E0022`, `Y0004`, …): replace the name with the suggestion;
//! - `E0001` on `require("m")` of a known module: add `m` to the entry's `modules:` in its YAML;
//! - `W0004` unused local: prefix it (declaration and every use) with `_`;
//! - `W0006` unused import: remove its line;
//! - any diagnostic: insert a suppression comment above its line,
//!   `-- wippy: ignore-next-line CODE` (`# …` in YAML), the syntax `wippy check` reads.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use checker::{Code, Diagnostic};

use crate::analysis::Analysis;
use crate::workspace::is_yaml;

/// One text edit: file, byte range in that file's current text, replacement.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The file.
    pub path: PathBuf,
    /// Byte range replaced.
    pub range: Range<usize>,
    /// New text.
    pub text: String,
}

/// A quick fix.
#[derive(Clone, Debug)]
pub struct Action {
    /// Title shown in the editor.
    pub title: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    /// The edits.
    pub edits: Vec<Edit>,
    /// The fix the editor may apply without asking (`isPreferred`).
    pub preferred: bool,
}

fn quoted(help: &str, before: &str, after: &str) -> Option<String> {
    let start = help.find(before)? + before.len();
    let end = start + help[start..].find(after)?;
    Some(help[start..end].to_owned())
}

fn line_bounds(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1);
    start..end
}

/// Quick fixes for the diagnostics of `a` (document `path`) that overlap `range` (bytes of
/// `a`'s text). `read` gives a file's current text (for edits to an entry's YAML).
pub fn actions(
    a: &Analysis,
    path: &Path,
    range: Range<usize>,
    read: &dyn Fn(&Path) -> Option<Arc<str>>,
) -> Vec<Action> {
    let text = a.text.as_str();
    let mut out = Vec::new();
    for d in &a.diagnostics {
        let span = d.span.start as usize..d.span.end as usize;
        let overlaps = span.start <= range.end && range.start <= span.end;
        if !overlaps || span.end > text.len() {
            continue;
        }
        let here = |range: Range<usize>, new: String| Edit {
            path: path.to_path_buf(),
            range,
            text: new,
        };
        let help = d.help.as_deref().unwrap_or("");
        let name = &text[span.clone()];
        if let Some(s) = quoted(help, "did you mean `", "`?") {
            out.push(Action {
                title: format!("Change `{name}` to `{s}`"),
                diagnostic: d.clone(),
                edits: vec![here(span.clone(), s)],
                preferred: true,
            });
        }
        if d.code == Code::E0001 {
            if let Some(edit) = add_module(a, help, read) {
                let module = quoted(help, "add `", "`").unwrap_or_default();
                out.push(Action {
                    title: format!("Add `{module}` to the entry's `modules:`"),
                    diagnostic: d.clone(),
                    edits: vec![edit],
                    preferred: true,
                });
            }
        }
        if d.code == Code::W0004 {
            let edits = match a
                .index
                .as_deref()
                .and_then(|i| Some((i, i.local_at(d.span.start)?)))
            {
                Some((index, id)) => crate::navigate::local_occurrences(index, id)
                    .into_iter()
                    .map(|sp| here(sp.start..sp.start, "_".into()))
                    .collect(),
                None => vec![here(span.start..span.start, "_".into())],
            };
            out.push(Action {
                title: format!("Prefix `{name}` with `_`"),
                diagnostic: d.clone(),
                edits,
                preferred: true,
            });
        }
        if d.code == Code::W0006 {
            let line = line_bounds(text, span.start);
            let statement = text[line.clone()].trim();
            if statement.starts_with("local") && statement.contains("require") {
                out.push(Action {
                    title: format!("Remove the unused import `{name}`"),
                    diagnostic: d.clone(),
                    edits: vec![here(line, String::new())],
                    preferred: true,
                });
            }
        }
        let line = line_bounds(text, span.start);
        let indent: String = text[line.clone()]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let comment = if is_yaml(path) { "#" } else { "--" };
        out.push(Action {
            title: format!("Suppress {} on this line", d.code.as_str()),
            diagnostic: d.clone(),
            edits: vec![here(
                line.start..line.start,
                format!(
                    "{indent}{comment} wippy: ignore-next-line {}\n",
                    d.code.as_str()
                ),
            )],
            preferred: false,
        });
    }
    out
}

/// The edit adding the module an `E0001` help names to the entry's `modules:`.
fn add_module(a: &Analysis, help: &str, read: &dyn Fn(&Path) -> Option<Arc<str>>) -> Option<Edit> {
    if !help.contains("to the entry's `modules:`") {
        return None;
    }
    let module = quoted(help, "add `", "`")?;
    let project = a.project.as_deref()?;
    let entry = a.entry()?;
    let yaml = project.files.get(entry.yaml)?.path.clone();
    let text = read(&yaml)?;
    let (range, new) = crate::yaml::add_module_edit(&text, entry.span.start as usize, &module)?;
    Some(Edit {
        path: yaml,
        range,
        text: new,
    })
}
