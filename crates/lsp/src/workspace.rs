//! The server's view of the workspace: the project loaded with the spine's loader (open
//! buffers overlaid), the open documents, and the analysis of a document — exactly the checks
//! `wippy check` runs for that file, plus the editor index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use checker::check::{check_focus, check_loose, Focus, FocusedReport};
use checker::walk::index::ChunkIndex;
use checker::Diagnostic;
use project::env::{ChunkKind, Environment};
use project::{load_project_with, Entry, Files, Project};
use typedefs::ModuleSet;

use crate::text::{Encoding, Text};

/// An open document.
#[derive(Clone, Debug)]
pub struct Doc {
    /// Current text.
    pub text: Text,
    /// Client version.
    pub version: i32,
}

/// What a document is to the project.
#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// The source of these entries (indexes into `project.entries`).
    Entry(Vec<usize>),
    /// A handler of twin `twin` (index into `project.twins`).
    Handler(usize),
    /// A `lua/lib/` library of twin `twin`.
    TwinLib(usize),
    /// An entry YAML file.
    Yaml,
    /// A Lua file nothing references.
    Loose,
}

/// One analysed document.
#[derive(Clone)]
pub struct Analysis {
    /// Its text when analysed.
    pub text: Text,
    /// Diagnostics for it.
    pub diagnostics: Vec<Diagnostic>,
    /// The editor index (Lua files that parsed).
    pub index: Option<Arc<ChunkIndex>>,
    /// What the chunk returns (an entry's exports), when known.
    pub exports: Option<typedefs::Type>,
    /// What it is to the project.
    pub role: Role,
}

/// Workspace state.
pub struct Workspace {
    /// Workspace root.
    pub root: Option<PathBuf>,
    /// The manifests.
    pub modules: &'static ModuleSet,
    /// The loaded project (open buffers overlaid).
    pub project: Project,
    /// Open documents by canonical path.
    pub docs: HashMap<PathBuf, Doc>,
    /// Negotiated position encoding.
    pub encoding: Encoding,
    /// The last analysis of each document whose text parsed (completion answers from it
    /// without re-walking the buffer; see [`Workspace::cached`]).
    pub last: HashMap<PathBuf, Analysis>,
}

/// A path as the project keys it (canonical when the file exists).
pub fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Whether a path is an entry YAML file the loader reads.
pub fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

impl Workspace {
    /// An empty workspace (no root yet).
    pub fn new() -> Workspace {
        Workspace {
            root: None,
            modules: ModuleSet::bundled(),
            project: Project::default(),
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            last: HashMap::new(),
        }
    }

    /// (Re)load the project under the root, with open buffers standing in for their files.
    /// A root that cannot be read leaves an empty project (documents are then loose files).
    pub fn reload(&mut self) {
        let Some(root) = &self.root else { return };
        let overlay = self
            .docs
            .iter()
            .map(|(p, d)| (p.clone(), Arc::<str>::from(d.text.as_str())))
            .collect();
        self.project = load_project_with(root, overlay).unwrap_or_default();
    }

    /// Put a document's current text into the loaded project.
    fn sync_text(&mut self, path: &Path) {
        if let (Some(idx), Some(doc)) = (self.project.files.find(path), self.docs.get(path)) {
            self.project.files.set_text(idx, doc.text.as_str());
        }
    }

    /// Open or replace a document.
    pub fn open(&mut self, path: PathBuf, text: String, version: i32) {
        self.docs.insert(
            path.clone(),
            Doc {
                text: Text::new(text),
                version,
            },
        );
        if is_yaml(&path) {
            self.reload();
        } else {
            self.sync_text(&path);
        }
    }

    /// After a document's text changed: YAML re-resolves the entries, Lua updates the buffer.
    pub fn changed(&mut self, path: &Path) {
        if is_yaml(path) {
            self.reload();
        } else {
            self.sync_text(path);
        }
    }

    /// Close a document: the file on disk counts again.
    pub fn close(&mut self, path: &Path) {
        self.docs.remove(path);
        self.last.remove(path);
        if let Some(idx) = self.project.files.find(path) {
            match std::fs::read_to_string(path) {
                Ok(t) => self.project.files.set_text(idx, t),
                Err(_) => self.reload(),
            }
        }
    }

    /// What `path` is to the project.
    pub fn role(&self, path: &Path) -> Role {
        if is_yaml(path) {
            return Role::Yaml;
        }
        let Some(idx) = self.project.files.find(path) else {
            return Role::Loose;
        };
        let entries: Vec<usize> = self
            .project
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.source.as_ref().is_some_and(|(f, _)| *f == idx))
            .map(|(i, _)| i)
            .collect();
        if !entries.is_empty() {
            return Role::Entry(entries);
        }
        for (t, twin) in self.project.twins.iter().enumerate() {
            if twin.handlers.values().any(|&f| f == idx) {
                return Role::Handler(t);
            }
            if twin.libs.values().any(|&f| f == idx) {
                return Role::TwinLib(t);
            }
        }
        Role::Loose
    }

    /// The environment list of the document at `path` (from [`project::env`]): by the kind of
    /// the entry whose source it is, the handler sandbox's for twin files, an entry's else.
    pub fn environment(&self, path: &Path) -> Environment {
        match self.role(path) {
            Role::Handler(_) => ChunkKind::Handler.environment(),
            Role::TwinLib(_) => ChunkKind::TwinLibrary.environment(),
            Role::Entry(ids) => ids.first().map_or(Environment::Entry, |&i| {
                ChunkKind::of_entry_kind(&self.project.entries[i].kind).environment()
            }),
            Role::Yaml | Role::Loose => Environment::Entry,
        }
    }

    /// The first entry whose source is `path`.
    pub fn entry_of(&self, path: &Path) -> Option<&Entry> {
        match self.role(path) {
            Role::Entry(ids) => ids.first().map(|&i| &self.project.entries[i]),
            _ => None,
        }
    }

    /// Analyse `path` with `text` (the document's text, or a patched copy for completion).
    pub fn analyse(&mut self, path: &Path, text: &str) -> Analysis {
        let role = self.role(path);
        let report = match (&role, self.project.files.find(path)) {
            (Role::Loose, _) | (_, None) => {
                let mut files = Files::default();
                let idx = files.add(path.to_path_buf(), text);
                if is_yaml(path) {
                    None
                } else {
                    Some((check_loose(&files, idx, self.modules), idx))
                }
            }
            (_, Some(idx)) => {
                let saved = self.project.files.get(idx).map(|f| f.text.clone());
                self.project.files.set_text(idx, text);
                let focus = Focus {
                    files: [idx].into_iter().collect(),
                    index: true,
                    texts: HashMap::new(),
                };
                let r = check_focus(&self.project, self.modules, &focus);
                if let Some(saved) = saved {
                    self.project.files.set_text(idx, saved);
                }
                Some((r, idx))
            }
        };
        let (diagnostics, index, exports) = match report {
            Some((
                FocusedReport {
                    report,
                    mut indexes,
                    mut exports,
                },
                idx,
            )) => (
                report.diagnostics,
                indexes.remove(&idx),
                exports.remove(&idx),
            ),
            None => (Vec::new(), None, None),
        };
        let a = Analysis {
            text: Text::new(text.to_owned()),
            diagnostics,
            index,
            exports,
            role,
        };
        if a.index.is_some() {
            self.last.insert(path.to_path_buf(), a.clone());
        }
        a
    }

    /// The last analysis of `path` that parsed, and `offset` of `text` (the current buffer)
    /// mapped into that analysis's text: unchanged before the edited region, shifted after it,
    /// and inside it the region's end (for text typed at a point, that point).
    pub fn cached(&self, path: &Path, text: &str, offset: usize) -> Option<(&Analysis, usize)> {
        let a = self.last.get(path)?;
        let old = a.text.as_str();
        let prefix = old
            .bytes()
            .zip(text.bytes())
            .take_while(|(x, y)| x == y)
            .count();
        let max_suffix = old.len().min(text.len()) - prefix;
        let suffix = old
            .bytes()
            .rev()
            .zip(text.bytes().rev())
            .take(max_suffix)
            .take_while(|(x, y)| x == y)
            .count();
        let mapped = if offset <= prefix {
            offset
        } else if offset >= text.len() - suffix {
            offset + old.len() - text.len()
        } else {
            old.len() - suffix
        };
        Some((a, mapped))
    }
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}
