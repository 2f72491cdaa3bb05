//! Source files of a project (YAML and Lua), addressed by index, and byte → line/column mapping.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file: its path, the path shown to users, and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Absolute or as-given path.
    pub path: PathBuf,
    /// Path shown where a diagnostic is located (relative to the current directory when
    /// possible, so terminals can open it).
    pub display: String,
    /// Path relative to the project root (`/`-separated), used inside messages so that they
    /// read the same from any directory and in the editor.
    pub relative: String,
    /// Contents.
    pub text: Arc<str>,
}

/// All files a check touched.
#[derive(Clone, Debug, Default)]
pub struct Files {
    root: Option<PathBuf>,
    files: Vec<SourceFile>,
    by_path: std::collections::HashMap<PathBuf, usize>,
}

impl Files {
    /// No files yet; [`SourceFile::relative`] paths are relative to `root`.
    pub fn with_root(root: &Path) -> Files {
        Files {
            root: Some(root.to_path_buf()),
            ..Files::default()
        }
    }

    /// The path of `path` relative to the root (`/`-separated), or `path` as given.
    pub fn relative(&self, path: &Path) -> String {
        relative_to(self.root.as_deref(), path)
    }

    /// Add a file and return its index.
    pub fn add(&mut self, path: PathBuf, text: impl Into<Arc<str>>) -> usize {
        let display = display_path(&path);
        let relative = self.relative(&path);
        self.by_path.insert(path.clone(), self.files.len());
        self.files.push(SourceFile {
            path,
            display,
            relative,
            text: text.into(),
        });
        self.files.len() - 1
    }

    /// Replace the text of file `idx` (an editor's buffer); no-op for an unknown index.
    pub fn set_text(&mut self, idx: usize, text: impl Into<Arc<str>>) {
        if let Some(f) = self.files.get_mut(idx) {
            f.text = text.into();
        }
    }

    /// The file at `idx`.
    pub fn get(&self, idx: usize) -> Option<&SourceFile> {
        self.files.get(idx)
    }

    /// Index of the file at `path`, if loaded.
    pub fn find(&self, path: &Path) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Iterate over files.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }
}

/// `path` relative to `root` with `/` separators, or as given when it is not under `root`.
pub fn relative_to(root: Option<&Path>, path: &Path) -> String {
    match root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        None => path.display().to_string(),
    }
}

/// `path` relative to the current directory: below it, or at most three `..` up from it
/// (terminals and editors open those); else as given.
fn display_path(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return path.display().to_string();
    };
    if let Ok(rel) = path.strip_prefix(&cwd) {
        return rel.display().to_string();
    }
    for (ups, dir) in cwd.ancestors().enumerate().skip(1).take(3) {
        if dir.parent().is_none() {
            break;
        }
        if let Ok(rel) = path.strip_prefix(dir) {
            let mut out = PathBuf::new();
            for _ in 0..ups {
                out.push("..");
            }
            return out.join(rel).display().to_string();
        }
    }
    path.display().to_string()
}

/// 1-based line and column (column counted in Unicode scalar values) of a byte offset.
pub fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let mut off = (offset as usize).min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
