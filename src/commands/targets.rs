//! What `wippy check PATH…` checks for each PATH:
//! - a directory: the project there ([`project::load_with`]: as Wippy loads it when it has a
//!   `wippy.lock`, else every project of the tree);
//! - a `.wapp`: the entries of the pack;
//! - an entry YAML file: its entries;
//! - any other file (`.lua`): the entries whose source it is, in the project found upward from
//!   it (the nearest directory with `wippy.lock`, else with `wippy.yaml`/`.wippy.yaml`, not
//!   above the repository); if no entry or twin uses it, the file alone with the default entry
//!   globals;
//! - `-`: one file read from stdin, standing for `--stdin-filename PATH` (as above), else a
//!   loose file.
//!
//! Finding nothing to check is a usage error (exit 2), never a silent pass.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use checker::check::{check_focus_with, check_loose, Focus};
use checker::{check_with, Report, Settings};
use project::{LoadOptions, Project};
use typedefs::ModuleSet;

use super::check::CheckArgs;

/// The merged report of every target, and the load notes to print.
pub struct Loaded {
    /// Every target's diagnostics.
    pub report: Report,
    /// Things the loader wants said (a module that is not installed).
    pub notes: Vec<String>,
}

/// Module sets by their extra manifest directories.
#[derive(Default)]
struct Manifests {
    sets: HashMap<Vec<PathBuf>, ModuleSet>,
}

impl Manifests {
    /// The bundled manifests, `--typedefs` and the `lint.typedefs` of `project`'s configs.
    fn for_project(
        &mut self,
        args: &CheckArgs,
        project: Option<&Project>,
    ) -> Result<&ModuleSet, u8> {
        let mut dirs: Vec<PathBuf> = args.typedefs.iter().cloned().collect();
        for c in project.map(|p| p.configs.as_slice()).unwrap_or_default() {
            for d in &c.typedefs {
                if !dirs.contains(d) {
                    dirs.push(d.clone());
                }
            }
        }
        if !self.sets.contains_key(&dirs) {
            let set = super::load_modules_dirs(&dirs)?;
            self.sets.insert(dirs.clone(), set);
        }
        Ok(&self.sets[&dirs])
    }
}

/// Check every PATH of `args`; `Err(exit code)` after printing why.
pub fn check_all(args: &CheckArgs, settings: &Settings) -> Result<Loaded, u8> {
    let mut manifests = Manifests::default();
    let mut merged: Option<Report> = None;
    let mut notes = Vec::new();
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("error: `-` (stdin) can be given once");
        return Err(2);
    }
    if args.stdin_filename.is_some() && !args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("error: --stdin-filename needs `-` among the paths");
        return Err(2);
    }
    for path in &args.paths {
        let report = if path.as_os_str() == "-" {
            let text = read_stdin()?;
            match &args.stdin_filename {
                Some(name) => {
                    check_file(args, settings, &mut manifests, name, Some(text), &mut notes)?
                }
                None => loose(args, &mut manifests, Path::new("<stdin>"), text.into())?,
            }
        } else {
            check_path(args, settings, &mut manifests, path, &mut notes)?
        };
        match &mut merged {
            None => merged = Some(report),
            Some(m) => m.merge(report),
        }
    }
    Ok(Loaded {
        report: merged.unwrap_or_else(empty_report),
        notes,
    })
}

/// A report with nothing in it (for no PATH, which clap's default `.` rules out).
fn empty_report() -> Report {
    Report {
        files: project::Files::default(),
        diagnostics: Vec::new(),
        total_entries: 0,
        stats: checker::Stats::default(),
    }
}

fn read_stdin() -> Result<String, u8> {
    let mut bytes = Vec::new();
    let limit = project::load::MAX_FILE_BYTES;
    if let Err(e) = std::io::stdin().take(limit + 1).read_to_end(&mut bytes) {
        eprintln!("error: reading stdin: {e}");
        return Err(2);
    }
    if bytes.len() as u64 > limit {
        eprintln!(
            "error: stdin is over the {} MiB file size limit",
            limit >> 20
        );
        return Err(2);
    }
    String::from_utf8(bytes).map_err(|e| {
        eprintln!(
            "error: stdin is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        );
        2
    })
}

fn load_options(args: &CheckArgs) -> LoadOptions {
    LoadOptions {
        lock_file: args.lock_file.clone(),
        config: args.config.clone(),
        overlay: HashMap::new(),
    }
}

fn load(path: &Path, options: &LoadOptions) -> Result<Project, u8> {
    project::load_opts(path, options).map_err(|e| {
        eprintln!("error: cannot load {}: {e}", path.display());
        2
    })
}

fn check_path(
    args: &CheckArgs,
    settings: &Settings,
    manifests: &mut Manifests,
    path: &Path,
    notes: &mut Vec<String>,
) -> Result<Report, u8> {
    let meta = std::fs::metadata(path).map_err(|e| {
        eprintln!("error: {}: {e}", path.display());
        2
    })?;
    let is_yaml = path.extension().is_some_and(|x| x == "yaml" || x == "yml");
    if meta.is_file() && !project::is_archive(path) && !is_yaml {
        return check_file(args, settings, manifests, path, None, notes);
    }
    let project = load(path, &load_options(args))?;
    notes.extend(project.notes.iter().cloned());
    if project.entries.is_empty() && project.twins.is_empty() && project.problems.is_empty() {
        let what = if project.scopes.iter().any(|s| s.lock.is_some()) {
            "its wippy.lock's source directory holds no entry files (YAML files with `namespace:`)"
        } else {
            "no entry files (YAML files with `namespace:`) and no Wraith twins (`lua/handlers/`) under it"
        };
        eprintln!("error: nothing to check in {}: {what}", path.display());
        return Err(2);
    }
    let modules = manifests.for_project(args, Some(&project))?;
    Ok(check_with(&project, modules, settings))
}

/// The directory whose project a file belongs to (see the module documentation).
fn project_dir_of(file: &Path) -> PathBuf {
    let start = file.parent().unwrap_or(Path::new("/"));
    let mut candidate = None;
    for dir in start.ancestors() {
        if dir.join(project::lock::LOCK_FILE).is_file() {
            return dir.to_path_buf();
        }
        if candidate.is_none()
            && (dir.join("wippy.yaml").is_file() || dir.join(".wippy.yaml").is_file())
        {
            candidate = Some(dir.to_path_buf());
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    candidate.unwrap_or_else(|| start.to_path_buf())
}

/// Check one file (given, or read from stdin as `text` standing for `path`).
fn check_file(
    args: &CheckArgs,
    settings: &Settings,
    manifests: &mut Manifests,
    path: &Path,
    text: Option<String>,
    notes: &mut Vec<String>,
) -> Result<Report, u8> {
    let canonical = path
        .canonicalize()
        .ok()
        .or_else(|| std::path::absolute(path).ok())
        .unwrap_or_else(|| path.to_path_buf());
    let text: Arc<str> = match text {
        Some(t) => t.into(),
        None => project::read_file(&canonical)
            .map_err(|e| {
                eprintln!("error: {}: {e}", path.display());
                2
            })?
            .into(),
    };
    let is_yaml = canonical
        .extension()
        .is_some_and(|x| x == "yaml" || x == "yml");
    let mut options = load_options(args);
    options.overlay.insert(canonical.clone(), text.clone());
    if is_yaml {
        let project = load(&canonical, &options)?;
        notes.extend(project.notes.iter().cloned());
        let modules = manifests.for_project(args, Some(&project))?;
        return Ok(check_with(&project, modules, settings));
    }
    let dir = project_dir_of(&canonical);
    if let Ok(project) = project::load_with(&dir, &options) {
        if let Some(idx) = project.files.find(&canonical) {
            let entries = project
                .entries
                .iter()
                .filter(|e| e.is_lua() && e.source.as_ref().is_some_and(|(f, _)| *f == idx))
                .count();
            let twin_files = project
                .twins
                .iter()
                .flat_map(|t| t.handlers.values().chain(t.libs.values()))
                .filter(|&&f| f == idx)
                .count();
            if entries + twin_files > 0 {
                notes.extend(project.notes.iter().cloned());
                let modules = manifests.for_project(args, Some(&project))?;
                let focus = Focus {
                    files: HashSet::from([idx]),
                    ..Focus::default()
                };
                let mut report = check_focus_with(&project, modules, &focus, settings).report;
                report.total_entries = entries + twin_files;
                return Ok(report);
            }
        }
    }
    loose(args, manifests, path, text)
}

/// Check `text` as a file no entry uses: default entry globals, every module allowed.
fn loose(
    args: &CheckArgs,
    manifests: &mut Manifests,
    path: &Path,
    text: Arc<str>,
) -> Result<Report, u8> {
    let modules = manifests.for_project(args, None)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut files = project::Files::with_root(dir);
    let idx = files.add(path.to_path_buf(), text);
    let mut report = check_loose(&files, idx, modules).report;
    checker::suppress::apply(&files, &HashSet::from([idx]), &mut report.diagnostics);
    report
        .diagnostics
        .sort_by_key(|d| (std::cmp::Reverse(d.severity), d.span.start, d.code));
    report.total_entries = 1;
    Ok(report)
}
