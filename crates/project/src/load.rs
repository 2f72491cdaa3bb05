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

use crate::problem::{Problem, ProblemKind};
use crate::{LoadError, Project, Twin};

/// Files whose presence marks a project root.
pub const PROJECT_MARKERS: &[&str] = &["wippy.lock", "wippy.yaml", ".wippy.yaml"];

/// Directories never searched for entries.
const SKIP_DIRS: &[&str] = &["node_modules", "target", ".git", ".wippy"];

/// Largest source or YAML file read, in bytes (a bigger one is a problem on the entry, not an
/// out-of-memory).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The scope directory of a YAML file (see [`Project::scopes`]): the nearest directory with a
/// project marker, else the parent of the nearest `src` directory, else the root.
fn scope_dir(root: &Path, yaml: &Path) -> PathBuf {
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

    /// The scope index of a YAML file, created on first use.
    pub(crate) fn scope_of(&mut self, yaml: &Path) -> usize {
        let scope_path = scope_dir(&self.root, yaml);
        match self.scopes.iter().position(|s| *s == scope_path) {
            Some(i) => i,
            None => {
                self.scopes.push(scope_path);
                self.scopes.len() - 1
            }
        }
    }
}

/// Load the project under `root` (a directory, or a single YAML file).
pub fn load_project(root: &Path) -> Result<Project, LoadError> {
    load_project_with(root, HashMap::new())
}

/// [`load_project`] with `overlay` texts standing in for files on disk (keys are canonical
/// paths).
pub fn load_project_with(
    root: &Path,
    overlay: HashMap<PathBuf, Arc<str>>,
) -> Result<Project, LoadError> {
    let meta =
        std::fs::metadata(root).map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
    let root = root
        .canonicalize()
        .map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
    let dir = if meta.is_dir() {
        root.clone()
    } else {
        root.parent().unwrap_or(&root).to_path_buf()
    };
    let mut project = Project {
        files: crate::Files::with_root(&dir),
        root: dir,
        overlay,
        ..Project::default()
    };
    let mut yamls = Vec::new();
    let mut twin_dirs = Vec::new();
    if meta.is_dir() {
        walk(&root, &mut yamls, &mut twin_dirs)
            .map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
    } else {
        yamls.push(root.clone());
    }
    yamls.sort();
    twin_dirs.sort();
    for path in yamls {
        crate::yaml_entries::load_yaml_file(&mut project, &path);
    }
    crate::resolve::check_duplicates(&mut project);
    crate::resolve::check_imports(&mut project);
    for dir in twin_dirs {
        load_twin(&mut project, &dir);
    }
    Ok(project)
}

/// Collect YAML files and twin directories (parents of `lua/handlers`) under `dir`.
fn walk(dir: &Path, yamls: &mut Vec<PathBuf>, twins: &mut Vec<PathBuf>) -> std::io::Result<()> {
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
                    twins.push(twin.to_path_buf());
                }
            }
            walk(&path, yamls, twins)?;
        } else if ft.is_file() && (name.ends_with(".yaml") || name.ends_with(".yml")) {
            yamls.push(path);
        }
    }
    Ok(())
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
