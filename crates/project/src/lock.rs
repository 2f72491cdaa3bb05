//! `wippy.lock`: where a Wippy project's entries come from (wippy-facts §3.1; runtime
//! `boot/deps/lock/lock.go`, `types.go`, `validate.go`).
//!
//! ```yaml
//! directories:
//!     modules: .wippy          # vendor storage: <modules>/vendor/<org>/<module>
//!     src: ../src              # the app's own entries (relative to the lock file)
//! modules:
//!     - name: wippy/test       # installed dependencies
//!       version: 0.4.8
//! replacements:
//!     - from: wippy/agent      # a dependency taken from a local directory instead
//!       to: ../../framework/src/agent/src
//! ```
//!
//! The load paths are Wippy's `GetModuleLoadPaths`, in order: the source directory, each
//! replacement (its `src/` subdirectory when it has one), then each module without a
//! replacement, found under the vendor directory as an extracted directory `<org>/<module>`, a
//! pack `<org>/<module>-<version>.wapp` or a legacy directory `<org>/<module>-<version>`.
//! Missing keys keep Wippy's defaults (`modules: .wippy`, `src: .`); the checks of Wippy's
//! `lock.Validate` (module names `org/module`, versions, non-empty directories, replacement
//! paths that exist) are reported as problems at their position.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::yaml::{parse_yaml, YNode, YValue};

/// The standard lock file name.
pub const LOCK_FILE: &str = "wippy.lock";

/// One `modules:` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockModule {
    /// `org/module`.
    pub name: String,
    /// Version as written (`0.4.8` or `v0.4.8`).
    pub version: String,
}

/// One `replacements:` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    /// The module replaced (`org/module`).
    pub from: String,
    /// The local directory, relative to the lock file (or absolute).
    pub to: String,
}

/// A problem in the lock file: message and byte span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockProblem {
    /// One-line message.
    pub message: String,
    /// Byte range in the lock file.
    pub span: Range<u32>,
}

/// A parsed `wippy.lock`.
#[derive(Clone, Debug)]
pub struct Lock {
    /// The lock file (canonical).
    pub path: PathBuf,
    /// Its directory: relative paths in it resolve against this.
    pub dir: PathBuf,
    /// `directories.modules` (default `.wippy`).
    pub modules_dir: String,
    /// `directories.src` (default `.`).
    pub src: String,
    /// `modules:`.
    pub modules: Vec<LockModule>,
    /// `replacements:`.
    pub replacements: Vec<Replacement>,
    /// What is wrong with it (the lock is still read with defaults for what is missing).
    pub problems: Vec<LockProblem>,
}

/// Where a load path comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadPathKind {
    /// The app's own source directory (`directories.src`).
    Source,
    /// A dependency replaced by a local directory (`replacements:`).
    Replacement,
    /// An installed dependency under the vendor directory.
    Vendor,
}

/// One place entries are loaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadPath {
    /// What it is.
    pub kind: LoadPathKind,
    /// The directory or `.wapp` file entries are read from.
    pub path: PathBuf,
    /// The module's root (its `wippy.yaml` is here); the path itself for the app source.
    pub source_root: PathBuf,
    /// `org/module` for dependencies.
    pub module: Option<String>,
    /// The locked version for vendor modules.
    pub version: Option<String>,
}

impl LoadPath {
    /// Whether the path is a `.wapp` pack.
    pub fn is_archive(&self) -> bool {
        crate::archive::is_archive(&self.path)
    }
}

/// `value` against `dir` (Wippy's `ResolveLockPath`), with `.` and `..` folded lexically.
pub fn resolve_lock_path(dir: &Path, value: &str) -> PathBuf {
    let joined = if Path::new(value).is_absolute() {
        PathBuf::from(value)
    } else {
        dir.join(value)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Lock {
    /// Read the lock file at `path`. `Err` only when it cannot be read at all; YAML and shape
    /// problems are in [`Lock::problems`] (with defaults for what could not be read).
    pub fn read(path: &Path) -> Result<(Lock, String), String> {
        let text = crate::load::read_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let lock = Lock::parse(path, dir, &text);
        Ok((lock, text))
    }

    /// Parse lock text; `path` and `dir` are recorded as given.
    pub fn parse(path: PathBuf, dir: PathBuf, text: &str) -> Lock {
        let mut lock = Lock {
            path,
            dir,
            modules_dir: ".wippy".into(),
            src: ".".into(),
            modules: Vec::new(),
            replacements: Vec::new(),
            problems: Vec::new(),
        };
        let doc = match parse_yaml(text) {
            Ok(Some(doc)) => doc,
            Ok(None) => return lock,
            Err(e) => {
                lock.problem(
                    format!("invalid YAML in wippy.lock: {}", e.message),
                    e.offset..e.offset + 1,
                );
                return lock;
            }
        };
        if !matches!(doc.value, YValue::Map(_)) {
            lock.problem("wippy.lock must be a mapping", doc.span.clone());
            return lock;
        }
        if let Some(dirs) = doc.get("directories") {
            for key in ["modules", "src"] {
                let Some(v) = dirs.get(key) else { continue };
                let Some(value) = lock.string(v, &format!("directories.{key}")) else {
                    continue;
                };
                if value.is_empty() {
                    lock.problem(
                        format!("`directories.{key}` is empty (Wippy refuses such a lock file)"),
                        v.span.clone(),
                    );
                }
                match key {
                    "modules" => lock.modules_dir = value,
                    _ => lock.src = value,
                }
            }
        }
        for item in lock.items(&doc, "modules") {
            let name = item
                .get("name")
                .and_then(|n| lock.string(n, "module `name`"));
            let version = item.get("version").and_then(YNode::as_str).unwrap_or("");
            let Some(name) = name else {
                lock.problem("a module needs `name: org/module`", item.span.clone());
                continue;
            };
            if let Err(m) = check_module_name(&name) {
                lock.problem(
                    m,
                    item.get("name")
                        .map_or(item.span.clone(), |n| n.span.clone()),
                );
                continue;
            }
            if version.is_empty() {
                lock.problem(
                    format!("module `{name}` has no `version`"),
                    item.span.clone(),
                );
            }
            lock.modules.push(LockModule {
                name,
                version: version.to_owned(),
            });
        }
        for item in lock.items(&doc, "replacements") {
            let from = item.get("from").and_then(YNode::as_str).unwrap_or("");
            let to = item.get("to").and_then(YNode::as_str).unwrap_or("");
            if let Err(m) = check_module_name(from) {
                lock.problem(format!("replacement `from`: {m}"), item.span.clone());
                continue;
            }
            if to.is_empty() {
                lock.problem(
                    format!("replacement of `{from}` has no `to` directory"),
                    item.span.clone(),
                );
                continue;
            }
            if !resolve_lock_path(&lock.dir, to).exists() {
                let span = item.get("to").map_or(item.span.clone(), |n| n.span.clone());
                lock.problem(
                    format!("replacement of `{from}`: `{to}` does not exist (relative to the lock file)"),
                    span,
                );
            }
            lock.replacements.push(Replacement {
                from: from.to_owned(),
                to: to.to_owned(),
            });
        }
        lock
    }

    fn problem(&mut self, message: impl Into<String>, span: Range<u32>) {
        self.problems.push(LockProblem {
            message: message.into(),
            span,
        });
    }

    fn string(&mut self, n: &YNode, what: &str) -> Option<String> {
        match &n.value {
            YValue::Str(s) => Some(s.clone()),
            YValue::Null => Some(String::new()),
            _ => {
                self.problem(format!("`{what}` must be a string"), n.span.clone());
                None
            }
        }
    }

    fn items(&mut self, doc: &YNode, key: &str) -> Vec<YNode> {
        match doc.get(key) {
            None => Vec::new(),
            Some(YNode {
                value: YValue::Seq(items),
                ..
            }) => items.clone(),
            Some(YNode {
                value: YValue::Null,
                ..
            }) => Vec::new(),
            Some(other) => {
                self.problem(format!("`{key}` must be a list"), other.span.clone());
                Vec::new()
            }
        }
    }

    /// The app's source directory, or `None` when `directories.src` is empty.
    pub fn source_dir(&self) -> Option<PathBuf> {
        (!self.src.is_empty()).then(|| resolve_lock_path(&self.dir, &self.src))
    }

    /// The vendor directory (Wippy's `GetVendorPath`): `<modules>/vendor`, or `<modules>` when it
    /// already ends in `vendor`.
    pub fn vendor_dir(&self) -> PathBuf {
        let modules = if self.modules_dir.is_empty() {
            ".wippy"
        } else {
            &self.modules_dir
        };
        let base = resolve_lock_path(&self.dir, modules);
        if base.file_name().is_some_and(|n| n == "vendor") {
            base
        } else {
            base.join("vendor")
        }
    }

    /// The replacement of module `name`, if any.
    pub fn replacement(&self, name: &str) -> Option<&Replacement> {
        self.replacements.iter().find(|r| r.from == name)
    }

    /// Every load path, in Wippy's order, and the modules that are not installed (name,
    /// version, the path where they were looked for).
    pub fn load_paths(&self) -> (Vec<LoadPath>, Vec<(String, String, PathBuf)>) {
        let mut paths = Vec::new();
        let mut missing = Vec::new();
        if let Some(src) = self.source_dir() {
            paths.push(LoadPath {
                kind: LoadPathKind::Source,
                source_root: src.clone(),
                path: src,
                module: None,
                version: None,
            });
        }
        for r in &self.replacements {
            let root = resolve_lock_path(&self.dir, &r.to);
            if !root.exists() {
                continue;
            }
            let src = root.join("src");
            let path = if src.is_dir() { src } else { root.clone() };
            paths.push(LoadPath {
                kind: LoadPathKind::Replacement,
                path,
                source_root: root,
                module: Some(r.from.clone()),
                version: None,
            });
        }
        let vendor = self.vendor_dir();
        for m in &self.modules {
            if self.replacement(&m.name).is_some() {
                continue;
            }
            match module_dir(&vendor, &m.name, &m.version) {
                Some(path) => paths.push(LoadPath {
                    kind: LoadPathKind::Vendor,
                    source_root: path.clone(),
                    path,
                    module: Some(m.name.clone()),
                    version: Some(m.version.clone()),
                }),
                None => missing.push((m.name.clone(), m.version.clone(), vendor.join(&m.name))),
            }
        }
        (paths, missing)
    }
}

/// Where an installed module is (Wippy's `ResolveModuleDir`): `<org>/<module>`, then
/// `<org>/<module>-<version>.wapp`, then `<org>/<module>-<version>`; `None` if none exists.
pub fn module_dir(vendor: &Path, name: &str, version: &str) -> Option<PathBuf> {
    let (org, module) = name.split_once('/')?;
    let base = vendor.join(org);
    [
        base.join(module),
        base.join(format!("{module}-{version}.wapp")),
        base.join(format!("{module}-{version}")),
    ]
    .into_iter()
    .find(|p| p.exists())
}

/// Wippy's `ValidateModuleName`: `org/module`, both parts non-empty.
fn check_module_name(name: &str) -> Result<(), String> {
    match name.split_once('/') {
        Some((org, module)) if !org.is_empty() && !module.is_empty() && !module.contains('/') => {
            Ok(())
        }
        _ => Err(format!("module name `{name}` must be `org/module`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Lock {
        Lock::parse("/p/test/wippy.lock".into(), "/p/test".into(), text)
    }

    #[test]
    fn defaults_and_directories() {
        let l = parse("modules: []\n");
        assert_eq!(l.source_dir(), Some(PathBuf::from("/p/test")));
        assert_eq!(l.vendor_dir(), PathBuf::from("/p/test/.wippy/vendor"));
        let l = parse("directories:\n  modules: deps/vendor\n  src: ../src\n");
        assert_eq!(l.source_dir(), Some(PathBuf::from("/p/src")));
        assert_eq!(l.vendor_dir(), PathBuf::from("/p/test/deps/vendor"));
        assert!(l.problems.is_empty(), "{:?}", l.problems);
    }

    #[test]
    fn validation_problems_have_positions() {
        let text =
            "directories:\n  src: \"\"\nmodules:\n  - name: nope\n    version: 1\n  - name: a/b\n";
        let l = parse(text);
        let msgs: Vec<&str> = l.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "`directories.src` is empty (Wippy refuses such a lock file)",
                "module name `nope` must be `org/module`",
                "module `a/b` has no `version`",
            ]
        );
        let p = &l.problems[1];
        assert_eq!(&text[p.span.start as usize..p.span.end as usize], "nope");
        assert_eq!(l.source_dir(), None);
    }

    #[test]
    fn bad_yaml_is_a_problem() {
        let l = parse("directories: [\n");
        assert_eq!(l.problems.len(), 1);
        assert!(l.problems[0].message.starts_with("invalid YAML"));
    }
}
