//! The server's view of the workspace: one project per workspace folder (loaded by
//! [`project::load_project_with`] with the open buffers overlaid), the open documents, the last
//! analysis of each, and what each document is to its project.
//!
//! Every field is read and written under one short lock ([`crate::analysis::Shared`]); no
//! check runs while it is held. Projects are immutable snapshots (`Arc<Project>`) replaced on
//! reload, and documents' texts are shared `Arc<str>`s, so a check takes a snapshot and runs
//! without the lock.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use project::env::{ChunkKind, Environment};
use project::{Entry, Project};
use typedefs::{Global, ModuleSet};

use crate::analysis::Analysis;
use crate::text::{Encoding, Text};

/// An open document.
#[derive(Clone, Debug)]
pub struct Doc {
    /// Current text.
    pub text: Text,
    /// Client version.
    pub version: i32,
    /// Counts every change of the text (the server's own version).
    pub generation: u64,
}

/// What a document is to its project.
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
    /// A Lua file of a Wippy project that no entry or twin references.
    Loose,
    /// A Lua file outside any Wippy project: only its syntax is checked.
    Plain,
}

/// A workspace folder (or a project found above a file opened outside every folder).
pub struct Root {
    /// The folder.
    pub dir: PathBuf,
    /// Its project, as last loaded.
    pub project: Arc<Project>,
}

impl Root {
    /// Whether the folder holds a Wippy project (entries or twins).
    pub fn is_wippy(&self) -> bool {
        !self.project.entries.is_empty() || !self.project.twins.is_empty()
    }
}

/// Client capabilities and settings the answers depend on.
#[derive(Clone, Debug)]
pub struct Config {
    /// The client takes snippets in completion items.
    pub snippets: bool,
    /// The client shows nested document symbols.
    pub hierarchical_symbols: bool,
    /// Inlay hints with parameter names at call sites.
    pub parameter_hints: bool,
    /// Inlay hints with the inferred types of locals.
    pub type_hints: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            snippets: false,
            hierarchical_symbols: false,
            parameter_hints: true,
            type_hints: true,
        }
    }
}

/// Workspace state.
pub struct Workspace {
    /// Workspace folders and their projects, in the order the client gave them.
    pub roots: Vec<Root>,
    /// The manifests.
    pub modules: &'static ModuleSet,
    /// Open documents by canonical path.
    pub docs: HashMap<PathBuf, Doc>,
    /// Negotiated position encoding.
    pub encoding: Encoding,
    /// Client capabilities and settings.
    pub config: Config,
    /// The last analysis of each open document.
    pub analyses: HashMap<PathBuf, Arc<Analysis>>,
    /// The last analysis of each open document that has an index (parsed or recovered).
    pub indexed: HashMap<PathBuf, Arc<Analysis>>,
    /// The last analysis of each open document whose text parsed.
    pub good: HashMap<PathBuf, Arc<Analysis>>,
    /// Documents waiting for analysis, most urgent first.
    pub dirty: VecDeque<PathBuf>,
    /// Folders of roots to reload before the next analysis.
    pub stale_roots: Vec<PathBuf>,
    /// What was last published for each open document: client version and diagnostics.
    pub published: HashMap<PathBuf, (i32, Vec<checker::Diagnostic>)>,
    generation: u64,
}

/// A path as the project keys it (canonical when the file exists).
pub fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Whether a path is a YAML file (entry definitions).
pub fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// The globals of an environment list in the bundled manifests (computed once per process).
pub fn globals_of(env: Environment) -> &'static BTreeMap<String, Global> {
    static ALL: OnceLock<HashMap<Environment, BTreeMap<String, Global>>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        Environment::ALL
            .iter()
            .map(|&e| (e, e.globals(ModuleSet::bundled())))
            .collect()
    });
    &all[&env]
}

/// What `path` is to `project` (`wippy`: whether the project is a Wippy project).
pub fn role_in(project: &Project, wippy: bool, path: &Path) -> Role {
    if is_yaml(path) {
        return Role::Yaml;
    }
    if !wippy {
        return Role::Plain;
    }
    let Some(idx) = project.files.find(path) else {
        return Role::Loose;
    };
    let entries: Vec<usize> = project
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.source.as_ref().is_some_and(|(f, _)| *f == idx))
        .map(|(i, _)| i)
        .collect();
    if !entries.is_empty() {
        return Role::Entry(entries);
    }
    for (t, twin) in project.twins.iter().enumerate() {
        if twin.handlers.values().any(|&f| f == idx) {
            return Role::Handler(t);
        }
        if twin.libs.values().any(|&f| f == idx) {
            return Role::TwinLib(t);
        }
    }
    Role::Loose
}

/// The environment list of a document with `role` in `project` (from [`project::env`]): by the
/// kind of the entry whose source it is, the handler sandbox's for twin files, an entry's else.
pub fn environment_of(project: &Project, role: &Role) -> Environment {
    match role {
        Role::Handler(_) => ChunkKind::Handler.environment(),
        Role::TwinLib(_) => ChunkKind::TwinLibrary.environment(),
        Role::Entry(ids) => ids.first().map_or(Environment::Entry, |&i| {
            ChunkKind::of_entry_kind(&project.entries[i].kind).environment()
        }),
        Role::Yaml | Role::Loose | Role::Plain => Environment::Entry,
    }
}

/// The first entry whose source the document with `role` is.
pub fn entry_of<'p>(project: &'p Project, role: &Role) -> Option<&'p Entry> {
    match role {
        Role::Entry(ids) => ids.first().map(|&i| &project.entries[i]),
        _ => None,
    }
}

/// The nearest directory at or above `path` with a Wippy project marker (`wippy.lock`, …).
fn marked_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|d| {
            project::load::PROJECT_MARKERS
                .iter()
                .any(|m| d.join(m).is_file())
        })
        .map(Path::to_path_buf)
}

impl Workspace {
    /// Keep `a` as the last analysis of its document (and as the last indexed or parsed one).
    pub fn store(&mut self, a: &Arc<Analysis>) -> Option<Arc<Analysis>> {
        if a.index.is_some() {
            self.indexed.insert(a.path.clone(), a.clone());
            if a.parsed {
                self.good.insert(a.path.clone(), a.clone());
            }
        }
        self.analyses.insert(a.path.clone(), a.clone())
    }

    /// An empty workspace (no folders yet).
    pub fn new() -> Workspace {
        Workspace {
            roots: Vec::new(),
            modules: ModuleSet::bundled(),
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            config: Config::default(),
            analyses: HashMap::new(),
            indexed: HashMap::new(),
            good: HashMap::new(),
            dirty: VecDeque::new(),
            stale_roots: Vec::new(),
            published: HashMap::new(),
            generation: 0,
        }
    }

    /// Add a workspace folder; its project is loaded by the analysis worker before the next
    /// check (so `initialize` never waits for a big folder). A folder already present is
    /// reloaded.
    pub fn add_root(&mut self, dir: &Path) {
        let dir = canonical(dir);
        let r = match self.roots.iter().position(|r| r.dir == dir) {
            Some(r) => r,
            None => {
                self.roots.push(Root {
                    dir,
                    project: Arc::new(Project::default()),
                });
                self.roots.len() - 1
            }
        };
        self.mark_stale(r);
    }

    /// Remove a workspace folder.
    pub fn remove_root(&mut self, dir: &Path) {
        let dir = canonical(dir);
        self.roots.retain(|r| r.dir != dir);
    }

    /// The root a path belongs to: the innermost folder containing it.
    pub fn root_of(&self, path: &Path) -> Option<usize> {
        self.roots
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(&r.dir))
            .max_by_key(|(_, r)| r.dir.as_os_str().len())
            .map(|(i, _)| i)
    }

    /// The project of `path`, whether it is a Wippy project, and the document's role in it.
    pub fn context(&self, path: &Path) -> (Option<Arc<Project>>, Role) {
        match self.root_of(path) {
            Some(i) => {
                let r = &self.roots[i];
                (
                    Some(r.project.clone()),
                    role_in(&r.project, r.is_wippy(), path),
                )
            }
            None if is_yaml(path) => (None, Role::Yaml),
            None => (None, Role::Plain),
        }
    }

    /// Open or replace a document; a file outside every folder but inside a marked Wippy
    /// project (`wippy.lock`, …) adds that project as a root.
    pub fn open(&mut self, path: PathBuf, text: String, version: i32) {
        if self.root_of(&path).is_none() {
            if let Some(dir) = marked_root(&path) {
                self.add_root(&dir);
            }
        }
        self.generation += 1;
        self.docs.insert(
            path.clone(),
            Doc {
                text: Text::new(text),
                version,
                generation: self.generation,
            },
        );
        self.touched(&path);
    }

    /// After a document's text changed: bump its generation and queue what it affects.
    pub fn changed(&mut self, path: &Path, version: i32) {
        self.generation += 1;
        if let Some(d) = self.docs.get_mut(path) {
            d.version = version;
            d.generation = self.generation;
        }
        self.touched(path);
    }

    /// Queue `path` first; a YAML file also marks its root for reload (its entries changed).
    fn touched(&mut self, path: &Path) {
        if is_yaml(path) {
            if let Some(r) = self.root_of(path) {
                let unchanged = self.roots[r]
                    .project
                    .files
                    .find(path)
                    .and_then(|i| self.roots[r].project.files.get(i))
                    .zip(self.docs.get(path))
                    .is_some_and(|(f, d)| *f.text == *d.text.as_str());
                if !unchanged {
                    self.mark_stale(r);
                }
            }
        }
        self.queue(path, true);
    }

    /// Mark root `r` for reload before the next analysis.
    pub fn mark_stale(&mut self, r: usize) {
        let dir = self.roots[r].dir.clone();
        if !self.stale_roots.contains(&dir) {
            self.stale_roots.push(dir);
        }
    }

    /// Queue a document for analysis (first, or after those already waiting).
    pub fn queue(&mut self, path: &Path, first: bool) {
        if !self.docs.contains_key(path) {
            return;
        }
        if let Some(i) = self.dirty.iter().position(|p| p == path) {
            if !first {
                return;
            }
            self.dirty.remove(i);
        }
        if first {
            self.dirty.push_front(path.to_path_buf());
        } else {
            self.dirty.push_back(path.to_path_buf());
        }
    }

    /// Queue every open document of root `r` (after a reload), or of every root.
    pub fn queue_root(&mut self, r: Option<usize>) {
        let paths: Vec<PathBuf> = self
            .docs
            .keys()
            .filter(|p| r.is_none() || self.root_of(p) == r)
            .cloned()
            .collect();
        for p in paths {
            self.queue(&p, false);
        }
    }

    /// Close a document: the file on disk counts again (its root is reloaded if it was part
    /// of the project).
    pub fn close(&mut self, path: &Path) {
        self.docs.remove(path);
        self.analyses.remove(path);
        self.indexed.remove(path);
        self.good.remove(path);
        self.published.remove(path);
        self.dirty.retain(|p| p != path);
        if let Some(r) = self.root_of(path) {
            if self.roots[r].project.files.find(path).is_some() {
                self.mark_stale(r);
            }
        }
    }

    /// The text of a file: its open buffer, else its project's copy, else the disk.
    pub fn text_of(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(d) = self.docs.get(path) {
            return Some(d.text.shared());
        }
        if let Some(r) = self.root_of(path) {
            let p = &self.roots[r].project;
            if let Some(f) = p.files.find(path).and_then(|i| p.files.get(i)) {
                return Some(f.text.clone());
            }
        }
        project::read_file(path).ok().map(Arc::from)
    }

    /// The current texts of open documents that are files of `project`, by file index.
    pub fn open_texts(&self, project: &Project) -> HashMap<usize, Arc<str>> {
        self.docs
            .iter()
            .filter_map(|(p, d)| Some((project.files.find(p)?, d.text.shared())))
            .filter(|(i, t)| {
                project
                    .files
                    .get(*i)
                    .is_some_and(|f| !Arc::ptr_eq(&f.text, t) && *f.text != **t)
            })
            .collect()
    }
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}
