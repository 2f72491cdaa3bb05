//! Wraith twins: where a twin's handlers and libraries are, and its `wraith.toml`
//! (seed: Lua handlers for Wraith twins).
//!
//! A twin is a directory with `lua/handlers/` (one file per handler, keyed by file stem:
//! `create_order.lua` is the handler `create_order`) and `lua/lib/` (modules for
//! `wraith.import(name)`); files ending in `.lua` or `.luau` are loaded. Both `wippy check` (as
//! part of a project) and `wippy serve` find the files here, so they always agree.

pub mod config;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use config::Config;

/// The Lua files of one twin directory.
#[derive(Clone, Debug, Default)]
pub struct TwinLayout {
    /// The twin directory.
    pub dir: PathBuf,
    /// Handlers: name (file stem) → path, in name order.
    pub handlers: BTreeMap<String, PathBuf>,
    /// Libraries for `wraith.import`: name (file stem) → path.
    pub libs: BTreeMap<String, PathBuf>,
    /// Files whose stem another file of the same directory already has (`x.lua` and
    /// `x.luau`): (the ignored file, the file kept).
    pub collisions: Vec<(PathBuf, PathBuf)>,
}

/// Whether `dir` is a twin's `lua/handlers` directory.
pub fn is_handlers_dir(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == "handlers")
        && dir
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "lua")
}

/// The Lua files of the twin at `dir` (missing `lua/handlers` or `lua/lib` directories are
/// empty). Only regular files are taken; the order is by file name, so the first of two files
/// with one stem (`a.lua` before `a.luau`) wins.
pub fn layout(dir: &Path) -> TwinLayout {
    let mut out = TwinLayout {
        dir: dir.to_path_buf(),
        ..TwinLayout::default()
    };
    let lua = dir.join("lua");
    for (sub, is_lib) in [("handlers", false), ("lib", true)] {
        let Ok(rd) = std::fs::read_dir(lua.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            let is_lua = p.extension().is_some_and(|x| x == "lua" || x == "luau");
            let Some(stem) = p.file_stem().and_then(|s| s.to_str()).filter(|_| is_lua) else {
                continue;
            };
            let map = if is_lib {
                &mut out.libs
            } else {
                &mut out.handlers
            };
            match map.get(stem) {
                Some(kept) => out.collisions.push((p.clone(), kept.clone())),
                None => {
                    map.insert(stem.to_owned(), p.clone());
                }
            }
        }
    }
    out
}
