//! Loading a project from a directory: entries from every `*.yaml`/`*.yml` with a `namespace:`
//! header ([`crate::yaml_entries`]), import resolution ([`crate::resolve`]) and Wraith twins
//! (`<twin>/lua/handlers/*.lua|*.luau`, libraries in `<twin>/lua/lib/`).
//!
//! A tree may hold several projects (a module and its test app, a folder of examples): each
//! YAML file belongs to a scope (see [`Project::scopes`]), entry ids are unique per scope, and
//! an import resolves within its own scope first.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::layout::{Scope, ScopeRole};
use crate::lock::LoadPathKind;
use crate::problem::{Problem, ProblemKind};
use crate::{LoadError, Project, Twin};

pub use crate::layout::PROJECT_MARKERS;

/// Directories never searched for entries (besides every directory whose name starts with
/// `.`, such as `.wippy`, where installed modules live: they load as dependencies).
const SKIP_DIRS: &[&str] = &["node_modules", "target"];

/// Largest source or YAML file read, in bytes (a bigger one is a problem on the entry, not an
/// out-of-memory).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Why a file's text could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing, permissions, …).
    Io(std::io::Error),
    /// Not a regular file (a directory, a FIFO, a device): reading it could block forever.
    NotRegular,
    /// Larger than the limit: (size, limit), bytes.
    TooLarge(u64, u64),
    /// Not UTF-8: the byte offset of the first invalid byte.
    NotUtf8(usize),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular => f.write_str("not a regular file"),
            ReadError::TooLarge(n, limit) => write!(
                f,
                "{n} bytes is over the {} MiB file size limit",
                limit >> 20
            ),
            ReadError::NotUtf8(at) => write!(f, "not valid UTF-8 (invalid byte at offset {at})"),
        }
    }
}

/// Read a regular file of at most [`MAX_FILE_BYTES`] as UTF-8. A FIFO, device or directory is
/// [`ReadError::NotRegular`] without ever blocking: the path is checked first, opened
/// non-blocking (so a FIFO swapped in after the check does not block the open), and the opened
/// handle is checked again; at most [`MAX_FILE_BYTES`] + 1 bytes are ever read.
pub fn read_file(path: &Path) -> Result<String, ReadError> {
    let bytes = read_bytes(path, MAX_FILE_BYTES)?;
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}

/// The bytes of a regular file of at most `max` bytes, checked as [`read_file`] does (used for
/// archives too, with their own limit).
pub fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len(), max));
    }
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64, max));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

impl Project {
    /// The text of `path`: the overlay's if it has one (an editor's buffer), else the file.
    pub(crate) fn read_text(&self, path: &Path) -> Result<Arc<str>, ReadError> {
        match self.overlay.get(path) {
            Some(t) => Ok(t.clone()),
            None => read_file(path).map(Arc::from),
        }
    }
}

/// Load the project under `root` (a directory, or a single YAML file) with default options.
pub fn load_project(root: &Path) -> Result<Project, LoadError> {
    load_with(root, &LoadOptions::default())
}

/// [`load_project`] with `overlay` texts standing in for files on disk (keys are canonical
/// paths).
pub fn load_project_with(
    root: &Path,
    overlay: HashMap<PathBuf, Arc<str>>,
) -> Result<Project, LoadError> {
    load_with(
        root,
        &LoadOptions {
            overlay,
            ..LoadOptions::default()
        },
    )
}

/// How to load a project.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The lock file to use (`-l/--lock-file`) instead of `<root>/wippy.lock`.
    pub lock_file: Option<PathBuf>,
    /// The configuration file to use for every project (`--config`) instead of discovering
    /// `.wippy.yaml` upward from each.
    pub config: Option<PathBuf>,
    /// Texts that replace files on disk (keys are canonical paths).
    pub overlay: HashMap<PathBuf, Arc<str>>,
}

/// What a walk of a directory found.
#[derive(Default)]
struct Found {
    yamls: Vec<PathBuf>,
    twins: Vec<PathBuf>,
    locks: Vec<PathBuf>,
}

/// Load the project at `root` (a directory, or a single YAML file) as `options` say.
///
/// A directory holding a `wippy.lock` (or any directory with `options.lock_file`) is loaded
/// as Wippy loads it: the lock's source directory, its replacements and its installed modules
/// ([`crate::layout`]). Any other directory is walked: every `wippy.lock` in it brings its
/// source directory and dependencies, and the other YAML files are scoped by project markers.
/// Errors: `root` or the lock file cannot be read.
pub fn load_with(root: &Path, options: &LoadOptions) -> Result<Project, LoadError> {
    let fail = |p: &Path, e: &dyn std::fmt::Display| LoadError(format!("{}: {e}", p.display()));
    let meta = std::fs::metadata(root).map_err(|e| fail(root, &e))?;
    let root = root.canonicalize().map_err(|e| fail(root, &e))?;
    let dir = if meta.is_dir() {
        root.clone()
    } else {
        root.parent().unwrap_or(&root).to_path_buf()
    };
    let lock_file = match &options.lock_file {
        Some(l) => Some(
            l.canonicalize()
                .map_err(|e| LoadError(format!("lock file {}: {e}", l.display())))?,
        ),
        None if meta.is_dir() => Some(dir.join(crate::lock::LOCK_FILE)).filter(|p| p.is_file()),
        None => None,
    };
    let mut found = Found::default();
    match &lock_file {
        Some(l) => found.locks.push(l.clone()),
        None if meta.is_dir() => walk(&dir, &mut found).map_err(|e| fail(&dir, &e))?,
        None => found.yamls.push(root.clone()),
    }
    let mut locks = Vec::new();
    for path in &found.locks {
        let (lock, text) = crate::lock::Lock::read(path).map_err(LoadError)?;
        let src = lock.source_dir();
        locks.push(((lock, src), text));
    }
    let lock_mode = lock_file.is_some();
    let project_root = match &lock_file {
        Some(l) => l.parent().unwrap_or(&dir).to_path_buf(),
        None => dir.clone(),
    };
    let mut load_paths = Vec::new();
    let mut shown = vec![project_root.clone()];
    for ((lock, _), _) in &locks {
        let (paths, missing) = lock.load_paths();
        shown.extend(paths.iter().map(|p| p.path.clone()));
        load_paths.push((paths, missing));
    }
    let files_root = crate::layout::common_ancestor(shown.iter().map(PathBuf::as_path))
        .unwrap_or_else(|| project_root.clone());
    let mut project = Project {
        files: crate::Files::with_root(&files_root),
        root: project_root,
        overlay: options.overlay.clone(),
        ..Project::default()
    };
    let mut discovery = crate::config::Discovery::default();
    let fixed_config = match &options.config {
        Some(c) => crate::config::Discovery::fixed(&mut project, c).map_err(LoadError)?,
        None => None,
    };
    // Lock problems, and the source directories the walk did not reach.
    for ((lock, src), text) in &locks {
        if !lock.problems.is_empty() && !lock_mode {
            // Wippy refuses such a lock only when run from its directory: tell, don't fail.
            let what: Vec<&str> = lock.problems.iter().map(|p| p.message.as_str()).collect();
            project.notes.push(format!(
                "{}: {}; its directory is checked as a plain project",
                project.files.relative(&lock.path),
                what.join("; ")
            ));
        } else if !lock.problems.is_empty() {
            let idx = project.files.add(lock.path.clone(), text.as_str());
            for p in &lock.problems {
                project.problems.push(Problem::new(
                    ProblemKind::InvalidField,
                    idx,
                    p.span.clone(),
                    p.message.clone(),
                ));
            }
        }
        if let Some(src) = src.as_ref().filter(|s| lock_mode || !s.starts_with(&dir)) {
            if src.is_dir() {
                walk(src, &mut found).map_err(|e| fail(src, &e))?;
            } else {
                project.notes.push(format!(
                    "{}: source directory `{}` does not exist",
                    project.files.relative(&lock.path),
                    lock.src
                ));
            }
        }
    }
    found.yamls.sort();
    found.yamls.dedup();
    found.twins.sort();
    found.twins.dedup();
    let lock_list: Vec<_> = locks.iter().map(|(l, _)| l.clone()).collect();
    // One scope per lock with a source directory.
    let mut lock_scope = Vec::new();
    for (lock, src) in &lock_list {
        lock_scope.push(src.as_ref().map(|src| {
            let mut scope = Scope::new(src.clone(), src.clone(), ScopeRole::Project);
            scope.lock = Some(lock.path.clone());
            scope.config = fixed_config.or_else(|| discovery.for_dir(&mut project, &lock.dir));
            project.scopes.push(scope);
            project.scopes.len() - 1
        }));
    }
    let mut claims = crate::layout::Claims::default();
    let mut marker_scopes: HashMap<PathBuf, usize> = HashMap::new();
    let mut plan = Vec::new();
    for yaml in &found.yamls {
        let scope = match crate::layout::owning_lock(&lock_list, yaml).and_then(|i| lock_scope[i]) {
            Some(s) => s,
            None => {
                let d = crate::layout::marker_dir(&dir, yaml);
                match marker_scopes.get(&d) {
                    Some(&s) => s,
                    None => {
                        let mut scope = Scope::new(d.clone(), dir.clone(), ScopeRole::Project);
                        scope.config = fixed_config.or_else(|| discovery.for_dir(&mut project, &d));
                        project.scopes.push(scope);
                        marker_scopes.insert(d, project.scopes.len() - 1);
                        project.scopes.len() - 1
                    }
                }
            }
        };
        let _ = claims.claim(yaml, scope);
        plan.push((yaml.clone(), scope));
    }
    for (yaml, scope) in plan {
        load_into(&mut project, &yaml, scope);
    }
    let mut locks_missing = 0;
    for (i, (paths, missing)) in load_paths.into_iter().enumerate() {
        let Some(owner) = lock_scope[i] else { continue };
        let lock = &lock_list[i].0;
        if !missing.is_empty() && (lock_mode || lock_list.len() <= 3) {
            let names: Vec<String> = missing.iter().map(|(n, v, _)| format!("{n} {v}")).collect();
            project.notes.push(format!(
                "{}: {} not installed in {} ({}); imports of their entries are not typed (run `wippy install`)",
                project.files.relative(&lock.path),
                if names.len() == 1 { "1 module is".to_owned() } else { format!("{} modules are", names.len()) },
                project.files.relative(&lock.vendor_dir()),
                names.join(", ")
            ));
        }
        if !missing.is_empty() {
            locks_missing += 1;
        }
        let config = project.scopes[owner].config;
        let mut added = Vec::new();
        for path in paths.iter().filter(|p| p.kind != LoadPathKind::Source) {
            let deps = crate::deps::load_dependency(&mut project, &mut claims, path, config)?;
            for d in deps {
                if d != owner && !project.scopes[owner].deps.contains(&d) {
                    project.scopes[owner].deps.push(d);
                    added.push(d);
                }
            }
        }
        // Dependencies see each other (a module importing another module of the same app).
        let siblings = project.scopes[owner].deps.clone();
        for d in added {
            for &s in &siblings {
                if s != d && !project.scopes[d].deps.contains(&s) {
                    project.scopes[d].deps.push(s);
                }
            }
        }
    }
    if locks_missing > 0 && !lock_mode && lock_list.len() > 3 {
        project.notes.push(format!(
            "{locks_missing} of {} lock files name modules that are not installed; imports of their entries are not typed (check from a lock's directory for the list)",
            lock_list.len()
        ));
    }
    crate::resolve::check_duplicates(&mut project);
    crate::resolve::check_imports(&mut project);
    for twin in found.twins {
        let config = fixed_config.or_else(|| discovery.for_dir(&mut project, &twin));
        let before = project.files.len();
        load_twin(&mut project, &twin);
        if let Some(c) = config {
            for f in before..project.files.len() {
                project.file_configs.insert(f, c);
            }
        }
    }
    project.finish_files();
    Ok(project)
}

/// Load the entries of one YAML file into `scope`, recording the files it added.
pub(crate) fn load_into(project: &mut Project, yaml: &Path, scope: usize) {
    let before = project.files.len();
    crate::yaml_entries::load_yaml_file(project, yaml, scope);
    project.record_files(before, scope);
}

/// Collect YAML files, twin directories (parents of `lua/handlers`) and lock files under `dir`.
fn walk(dir: &Path, found: &mut Found) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            if SKIP_DIRS.contains(&name.as_str()) || name.starts_with('.') {
                continue;
            }
            if crate::twin::is_handlers_dir(&path) {
                if let Some(twin) = path.parent().and_then(Path::parent) {
                    found.twins.push(twin.to_path_buf());
                }
            }
            walk(&path, found)?;
        } else if ft.is_file() {
            if name == crate::lock::LOCK_FILE {
                found.locks.push(path);
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                found.yamls.push(path);
            }
        }
    }
    Ok(())
}

/// Walk `dir` for YAML files only (a dependency's directory).
pub(crate) fn walk_yamls(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Found::default();
    walk(dir, &mut found)?;
    found.yamls.sort();
    Ok(found.yamls)
}

/// Add the twin at `dir`: its handler and library files (see [`crate::twin::layout`]).
fn load_twin(project: &mut Project, dir: &Path) {
    let layout = crate::twin::layout(dir);
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut twin = Twin {
        name,
        dir: dir.to_path_buf(),
        handlers: BTreeMap::new(),
        libs: BTreeMap::new(),
    };
    for (files, map) in [
        (&layout.handlers, &mut twin.handlers),
        (&layout.libs, &mut twin.libs),
    ] {
        for (stem, path) in files {
            match project.read_text(path) {
                Ok(text) => {
                    let idx = project.files.add(path.clone(), text);
                    map.insert(stem.clone(), idx);
                }
                Err(e) => {
                    let idx = project.files.add(path.clone(), "");
                    let message = format!("`{}` not read: {e}", project.files.relative(path));
                    project
                        .problems
                        .push(Problem::new(ProblemKind::BadSource, idx, 0..0, message));
                }
            }
        }
    }
    for (ignored, kept) in &layout.collisions {
        let text = project.read_text(ignored).unwrap_or_else(|_| Arc::from(""));
        let idx = project.files.add(ignored.clone(), text);
        let message = format!(
            "`{}` has the same handler name as `{}`, which is used instead",
            project.files.relative(ignored),
            project.files.relative(kept)
        );
        project
            .problems
            .push(Problem::new(ProblemKind::InvalidField, idx, 0..0, message));
    }
    project.twins.push(twin);
}
