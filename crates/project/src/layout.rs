//! Where a project's entries come from, and which project each YAML file belongs to.
//!
//! A *scope* is one registry of entries: ids are unique in it, and an import resolves in it
//! first, then in its dependencies. Scopes come from:
//! - a `wippy.lock` ([`crate::lock`]): its source directory is a [`ScopeRole::Project`] scope;
//!   each `replacements:` directory a [`ScopeRole::Replacement`] scope (reported: it is local
//!   code the app is developed with); each installed module under the vendor directory a
//!   [`ScopeRole::Dependency`] scope (type-checked for what it exports, never reported). A
//!   dependency loaded from a directory honours its `wippy.yaml` `exclude`/`exclude_meta`
//!   ([`crate::module_config`]), as Wippy does.
//! - without a lock: the nearest directory with a project marker (`wippy.yaml`, `.wippy.yaml`),
//!   else the parent of the nearest `src` directory, else the root.
//!
//! Each YAML file is loaded once. When several locks of a tree name directories that hold it,
//! it belongs to the lock with the deepest source directory (a tie goes to the lock inside that
//! directory, then to the first by path); a lock whose replacement is a directory already
//! loaded depends on the scope that loaded it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::lock::{LoadPath, LoadPathKind, Lock};

/// What a scope is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScopeRole {
    /// A project of the tree (a lock's source directory, or a marker directory).
    Project,
    /// A `replacements:` directory of a lock: module `org/module`.
    Replacement(String),
    /// An installed module: `org/module` and its locked version.
    Dependency {
        /// `org/module`.
        module: String,
        /// Version from the lock.
        version: String,
    },
}

/// One scope (see the module documentation).
#[derive(Clone, Debug)]
pub struct Scope {
    /// The directory (or `.wapp` file) its entries were read from.
    pub dir: PathBuf,
    /// What `file:///p` sources resolve against and may not escape.
    pub source_root: PathBuf,
    /// What it is.
    pub role: ScopeRole,
    /// Scopes its imports resolve in after its own, in order.
    pub deps: Vec<usize>,
    /// The lock file that defined it, if any.
    pub lock: Option<PathBuf>,
    /// Its configuration (index in [`crate::Project::configs`]).
    pub config: Option<usize>,
}

impl Scope {
    /// A scope of role `role` reading `dir`.
    pub fn new(dir: PathBuf, source_root: PathBuf, role: ScopeRole) -> Scope {
        Scope {
            dir,
            source_root,
            role,
            deps: Vec::new(),
            lock: None,
            config: None,
        }
    }

    /// Whether it is an installed dependency (checked for its exports, never reported).
    pub fn is_dependency(&self) -> bool {
        matches!(self.role, ScopeRole::Dependency { .. })
    }
}

/// Files whose presence marks a project root.
pub const PROJECT_MARKERS: &[&str] = &["wippy.lock", "wippy.yaml", ".wippy.yaml"];

/// The scope directory of a YAML file without a lock: the nearest directory with a project
/// marker, else the parent of the nearest `src` directory, else the root.
pub(crate) fn marker_dir(root: &Path, yaml: &Path) -> PathBuf {
    let mut src_parent = None;
    let mut dir = yaml.parent();
    while let Some(d) = dir {
        if !d.starts_with(root) {
            break;
        }
        if PROJECT_MARKERS.iter().any(|m| d.join(m).is_file()) {
            return d.to_path_buf();
        }
        if src_parent.is_none() && d.file_name().is_some_and(|n| n == "src") {
            src_parent = d.parent().map(Path::to_path_buf);
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    src_parent
        .filter(|p| p.starts_with(root))
        .unwrap_or_else(|| root.to_path_buf())
}

/// The lock (index into `locks`) that owns `yaml`: the deepest source directory containing it;
/// ties go to the lock inside that directory, then to the first.
pub(crate) fn owning_lock(locks: &[(Lock, Option<PathBuf>)], yaml: &Path) -> Option<usize> {
    let mut best: Option<(usize, usize, bool)> = None;
    for (i, (lock, src)) in locks.iter().enumerate() {
        let Some(src) = src else { continue };
        if !yaml.starts_with(src) {
            continue;
        }
        let depth = src.components().count();
        let inside = lock.dir == *src;
        let better = match best {
            None => true,
            Some((_, d, ins)) => depth > d || (depth == d && inside && !ins),
        };
        if better {
            best = Some((i, depth, inside));
        }
    }
    best.map(|(i, _, _)| i)
}

/// The deepest directory holding every path (the root that relative paths are shown from).
pub(crate) fn common_ancestor<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Option<PathBuf> {
    let mut acc: Option<PathBuf> = None;
    for p in paths {
        acc = Some(match acc {
            None => p.to_path_buf(),
            Some(a) => {
                let mut out = PathBuf::new();
                for (x, y) in a.components().zip(p.components()) {
                    if x != y {
                        break;
                    }
                    out.push(x);
                }
                out
            }
        });
    }
    acc
}

/// Which scope already loaded each YAML file, so a directory reached twice (two locks, or a
/// replacement inside the tree) is loaded once.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    by_yaml: HashMap<PathBuf, usize>,
}

impl Claims {
    /// Claim `yaml` for `scope`; `Err(owner)` if another scope has it.
    pub(crate) fn claim(&mut self, yaml: &Path, scope: usize) -> Result<(), usize> {
        match self.by_yaml.get(yaml) {
            Some(&owner) if owner != scope => Err(owner),
            Some(_) => Ok(()),
            None => {
                self.by_yaml.insert(yaml.to_path_buf(), scope);
                Ok(())
            }
        }
    }
}

/// The role a dependency load path gets.
pub(crate) fn role_of(path: &LoadPath) -> ScopeRole {
    let module = path.module.clone().unwrap_or_default();
    match path.kind {
        LoadPathKind::Replacement => ScopeRole::Replacement(module),
        _ => ScopeRole::Dependency {
            module,
            version: path.version.clone().unwrap_or_default(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(dir: &str, src: &str) -> (Lock, Option<PathBuf>) {
        let l = Lock::parse(
            PathBuf::from(dir).join("wippy.lock"),
            PathBuf::from(dir),
            &format!("directories:\n  src: {src}\n"),
        );
        let s = l.source_dir();
        (l, s)
    }

    #[test]
    fn deepest_source_directory_owns_a_file() {
        let locks = [
            lock("/r/m/test", "../src"),
            lock("/r/m/src", "."),
            lock("/r", "."),
        ];
        assert_eq!(
            owning_lock(&locks, Path::new("/r/m/src/_index.yaml")),
            Some(1)
        );
        assert_eq!(
            owning_lock(&locks, Path::new("/r/other/_index.yaml")),
            Some(2)
        );
        let locks = [lock("/r/m/test", "../src")];
        assert_eq!(
            owning_lock(&locks, Path::new("/r/m/src/a/_index.yaml")),
            Some(0)
        );
        assert_eq!(
            owning_lock(&locks, Path::new("/r/m/test/_index.yaml")),
            None
        );
    }

    #[test]
    fn common_ancestor_of_paths() {
        let a = common_ancestor([
            Path::new("/a/b/c"),
            Path::new("/a/b/d/e"),
            Path::new("/a/b"),
        ]);
        assert_eq!(a, Some(PathBuf::from("/a/b")));
    }
}
