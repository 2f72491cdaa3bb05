//! The Wippy project model: source files, YAML with byte spans, entries (one [`Entry`] type,
//! read from a directory of `_index.yaml` files or from a `.wapp` archive), kinds, Wraith twins
//! and `wraith.toml`, and THE environment lists ([`env`]): which globals an entry, a library, a
//! workflow and a twin handler get.
//!
//! Everything that loads a project uses this crate: the checker, the packer, the runtime, the
//! twin server and the language server. It knows nothing of Lua syntax trees, diagnostics codes
//! or Luau states.

pub mod archive;
pub mod config;
mod deps;
pub mod entry;
pub mod env;
pub mod files;
pub mod layout;
pub mod load;
pub mod lock;
pub mod module_config;
pub mod problem;
mod resolve;
pub mod twin;
pub mod wildcard;
pub mod yaml;
mod yaml_entries;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use archive::{is_archive, load_archive, read_archive_file, MAX_ARCHIVE_BYTES};
pub use config::LintConfig;
pub use entry::{BytecodeRef, Entry, Import, LuaKind, Pool, Spanned, LUA_KINDS, SQLITE_KIND};
pub use env::{ChunkKind, Environment};
pub use files::{line_col, Files, SourceFile};
pub use layout::{Scope, ScopeRole};
pub use load::{
    load_project, load_project_with, load_with, read_bytes, read_file, LoadOptions, ReadError,
    MAX_FILE_BYTES,
};
pub use problem::{Problem, ProblemKind};

/// A Wraith twin found under the project: its files, loaded.
#[derive(Clone, Debug)]
pub struct Twin {
    /// Twin name (its directory name).
    pub name: String,
    /// The twin directory.
    pub dir: PathBuf,
    /// Handlers: name (file stem) → file index.
    pub handlers: BTreeMap<String, usize>,
    /// Libraries for `wraith.import`: name (file stem) → file index.
    pub libs: BTreeMap<String, usize>,
}

/// A loaded project.
#[derive(Debug, Default)]
pub struct Project {
    /// The root directory (for an archive: the directory it is in).
    pub root: PathBuf,
    /// Every file read.
    pub files: Files,
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Twins.
    pub twins: Vec<Twin>,
    /// Problems found while loading (the checker reports them as `Y00xx` diagnostics).
    pub problems: Vec<Problem>,
    /// The projects and dependencies entries were read from ([`layout`]): entry ids are unique
    /// per scope, so a tree holding several projects (examples, module test apps) loads whole.
    pub scopes: Vec<Scope>,
    /// `lint:` configurations found (see [`config`]); scopes and files point here.
    pub configs: Vec<LintConfig>,
    /// The scope each file was loaded for (by file index).
    pub file_scopes: HashMap<usize, usize>,
    /// The configuration that applies to each file (by file index).
    pub file_configs: HashMap<usize, usize>,
    /// Files whose diagnostics are not reported: files of installed dependencies, and files a
    /// configuration's `exclude:` matches.
    pub unreported: HashSet<usize>,
    /// Things worth telling that are not diagnostics (a module that is not installed).
    pub notes: Vec<String>,
    /// Texts that replace files on disk while loading (an editor's unsaved buffers), by
    /// canonical path.
    pub overlay: HashMap<PathBuf, Arc<str>>,
    /// The archive the project was read from, if any (its tree resources hold bytecode).
    pub archive: Option<Arc<wapp::Archive>>,
    /// Installed modules read from `.wapp` packs.
    pub dependency_archives: Vec<Arc<wapp::Archive>>,
}

impl Project {
    /// Resolve an entry id as seen from `scope`: an entry of the same scope first, then of its
    /// dependencies in order, else of any scope.
    pub fn resolve(&self, scope: usize, id: &str) -> Option<usize> {
        let order = |s: usize| -> usize {
            if s == scope {
                return 0;
            }
            self.scopes
                .get(scope)
                .and_then(|sc| sc.deps.iter().position(|&d| d == s))
                .map_or(usize::MAX, |p| p + 1)
        };
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.id == id && !e.duplicate)
            .min_by_key(|(i, e)| (order(e.scope), *i))
            .map(|(i, _)| i)
    }

    /// Whether scope `to` is `from` itself or one of its dependencies.
    pub fn sees(&self, from: usize, to: usize) -> bool {
        from == to || self.scopes.get(from).is_some_and(|s| s.deps.contains(&to))
    }

    /// Whether diagnostics of file `file` are reported (it is not an installed dependency's
    /// and no `exclude:` matches it).
    pub fn is_reported_file(&self, file: usize) -> bool {
        !self.unreported.contains(&file)
    }

    /// Whether entry `e` is reported: not of an installed dependency, and its source (or its
    /// YAML file, for other kinds) is reported.
    pub fn is_reported_entry(&self, e: &Entry) -> bool {
        let file = e.source.as_ref().map_or(e.yaml, |(f, _)| *f);
        self.scopes.get(e.scope).is_none_or(|s| !s.is_dependency())
            && self.is_reported_file(file)
            && self.is_reported_file(e.yaml)
    }

    /// The `lint:` configuration that applies to file `file`, if any.
    pub fn config_for_file(&self, file: usize) -> Option<&LintConfig> {
        self.file_configs
            .get(&file)
            .and_then(|&c| self.configs.get(c))
    }

    /// Record that files `from..` were added while loading scope `scope`.
    pub(crate) fn record_files(&mut self, from: usize, scope: usize) {
        let config = self.scopes.get(scope).and_then(|s| s.config);
        for f in from..self.files.len() {
            self.file_scopes.entry(f).or_insert(scope);
            if let Some(c) = config {
                self.file_configs.entry(f).or_insert(c);
            }
        }
    }

    /// Compute [`Project::unreported`] once every file is loaded.
    pub(crate) fn finish_files(&mut self) {
        let mut unreported = HashSet::new();
        for (i, f) in self.files.iter().enumerate() {
            let dependency = self
                .file_scopes
                .get(&i)
                .and_then(|&s| self.scopes.get(s))
                .is_some_and(Scope::is_dependency);
            let excluded = self.config_for_file(i).is_some_and(|c| c.excludes(&f.path));
            if dependency || excluded {
                unreported.insert(i);
            }
        }
        self.unreported = unreported;
    }

    /// The entry with id `id` (the first, if several scopes have one).
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id && !e.duplicate)
    }
}

/// A project could not be loaded at all (the path is unreadable, or an archive is damaged).
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Load a project from `path`: a `.wapp` archive, a directory or a single YAML file.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    load_opts(path, &LoadOptions::default())
}

/// [`load`] with options (ignored for a `.wapp`, which carries its entries).
pub fn load_opts(path: &Path, options: &LoadOptions) -> Result<Project, LoadError> {
    if is_archive(path) {
        load_archive(path)
    } else {
        load_with(path, options)
    }
}
