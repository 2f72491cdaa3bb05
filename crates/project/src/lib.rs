//! The Wippy project model: source files, YAML with byte spans, entries (one [`Entry`] type,
//! read from a directory of `_index.yaml` files or from a `.wapp` archive), kinds, Wraith twins
//! and `wraith.toml`, and THE environment lists ([`env`]): which globals an entry, a library, a
//! workflow and a twin handler get.
//!
//! Everything that loads a project uses this crate: the checker, the packer, the runtime, the
//! twin server and the language server. It knows nothing of Lua syntax trees, diagnostics codes
//! or Luau states.

pub mod archive;
pub mod entry;
pub mod env;
pub mod files;
pub mod load;
pub mod problem;
mod resolve;
pub mod twin;
pub mod yaml;
mod yaml_entries;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use archive::{is_archive, load_archive, read_archive_file, MAX_ARCHIVE_BYTES};
pub use entry::{BytecodeRef, Entry, Import, LuaKind, Pool, Spanned, LUA_KINDS, SQLITE_KIND};
pub use env::{ChunkKind, Environment};
pub use files::{line_col, Files, SourceFile};
pub use load::{load_project, load_project_with, read_bytes, read_file, ReadError, MAX_FILE_BYTES};
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
    /// Project roots found under the root: a directory with `wippy.lock`, `wippy.yaml` or
    /// `.wippy.yaml`, else the parent of a `src` directory, else the root. Entry ids are unique
    /// per scope, so a tree holding several projects (examples, module test apps) loads whole.
    pub scopes: Vec<PathBuf>,
    /// Texts that replace files on disk while loading (an editor's unsaved buffers), by
    /// canonical path.
    pub overlay: HashMap<PathBuf, Arc<str>>,
    /// The archive the project was read from, if any (its tree resources hold bytecode).
    pub archive: Option<Arc<wapp::Archive>>,
}

impl Project {
    /// Resolve an entry id as seen from `scope`: an entry of the same scope first, else any.
    pub fn resolve(&self, scope: usize, id: &str) -> Option<usize> {
        let mut any = None;
        for (i, e) in self.entries.iter().enumerate() {
            if e.id == id {
                if e.scope == scope {
                    return Some(i);
                }
                any = any.or(Some(i));
            }
        }
        any
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
    if is_archive(path) {
        load_archive(path)
    } else {
        load_project(path)
    }
}
