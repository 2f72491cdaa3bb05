//! Checking a whole project: entries level by level in import order (a library before the
//! entries that import it, so its exports and `_G` writes are known), each level in parallel.
//!
//! Each chunk is parsed, walked and its syntax tree dropped before the worker takes the next one,
//! so at most one tree per worker thread is alive. Workers have [`PARSE_STACK`] of stack.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use project::env::Environment;
use project::{Entry, Files, Project};
use rayon::prelude::*;
use syntax::{parse_chunk, PARSE_STACK};
use typedefs::manifest::map_type;
use typedefs::{LocalTypes, Mode, ModuleSet, Type};

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::env::{dialect, ChunkKind, Env};
use crate::registry::Code;
use crate::rules;
use crate::walk::index::ChunkIndex;
use crate::walk::{walk_chunk, ChunkResult};

/// Counts over the Lua chunks checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lua chunks checked (an entry's source, a handler, a twin library).
    pub chunks: usize,
    /// Lines in those chunks.
    pub lines: usize,
    /// Chunks that failed to parse.
    pub parse_failures: usize,
    /// Entries of installed dependencies checked for what they export (not reported).
    pub dependencies: usize,
}

/// The result of checking a project.
#[derive(Debug)]
pub struct Report {
    /// The files the diagnostics point into.
    pub files: Files,
    /// Every diagnostic, sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Lua entries reported (not of installed dependencies, not excluded, in the `--ns`
    /// namespaces) plus twin handlers and libraries.
    pub total_entries: usize,
    /// Chunk counts.
    pub stats: Stats,
}

impl Stats {
    fn add(&mut self, chunk: &Chunk) {
        self.chunks += 1;
        self.lines += chunk.lines;
        self.parse_failures += usize::from(chunk.parse_failed);
    }
}

/// What a checked library contributes to its importers.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LibInfo {
    pub(crate) exports: Option<Type>,
    /// `_G` writes of the library and of everything it imports.
    pub(crate) globals: Vec<String>,
    /// The types its exports name: its own declarations and its imports' (by entry id).
    pub(crate) types: LocalTypes,
    /// Its entry id (what its types are qualified with).
    pub(crate) id: Option<Arc<str>>,
}

/// The result of checking one chunk (what [`crate::summary::SummaryCache`] keeps).
#[derive(Clone)]
pub(crate) struct Chunk {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) lib: LibInfo,
    pub(crate) lines: usize,
    pub(crate) parse_failed: bool,
    pub(crate) index: Option<Arc<ChunkIndex>>,
}

/// Part of a project to check (an editor's open file): the chunks of `files` and, to type
/// their imports, the libraries they import; diagnostics are kept for `files` only.
#[derive(Clone, Debug, Default)]
pub struct Focus {
    /// File indexes in [`Project::files`].
    pub files: HashSet<usize>,
    /// Record a [`ChunkIndex`] for each Lua chunk of `files`.
    pub index: bool,
    /// Texts that replace files of the project for this check (an editor's buffers), by file
    /// index.
    pub texts: HashMap<usize, Arc<str>>,
    /// For focused files that do not parse, build the index from the parser's recovered tree
    /// (another parse and a walk; the diagnostics stay the syntax error).
    pub recover: bool,
}

/// A focused check: the report (diagnostics of the focused files) and their indexes by file.
#[derive(Debug)]
pub struct FocusedReport {
    /// Diagnostics of the focused files.
    pub report: Report,
    /// Editor indexes by file.
    pub indexes: HashMap<usize, Arc<ChunkIndex>>,
    /// What each checked entry's chunk returns (its exports), by source file.
    pub exports: HashMap<usize, Type>,
}

/// Check a loaded project against `modules` with the default [`Settings`] (`wippy check`'s).
pub fn check_project(project: &Project, modules: &ModuleSet) -> Report {
    check_with(project, modules, &Settings::default())
}

/// Check a loaded project against `modules` with `settings`.
pub fn check_with(project: &Project, modules: &ModuleSet, settings: &Settings) -> Report {
    in_pool(|| check_in_pool(project, modules, None, settings, None)).report
}

/// Check the files of `focus` (and what they import), as [`check_project`] would report them.
pub fn check_focus(project: &Project, modules: &ModuleSet, focus: &Focus) -> FocusedReport {
    check_focus_with(project, modules, focus, &Settings::default())
}

/// [`check_focus`] with `settings` (`wippy check FILE.lua`).
pub fn check_focus_with(
    project: &Project,
    modules: &ModuleSet,
    focus: &Focus,
    settings: &Settings,
) -> FocusedReport {
    in_pool(|| check_in_pool(project, modules, Some(focus), settings, None))
}

/// [`check_focus`] reusing the chunk summaries of `cache` (see [`crate::summary`]).
pub fn check_focus_cached(
    project: &Project,
    modules: &ModuleSet,
    focus: &Focus,
    cache: &crate::summary::SummaryCache,
) -> FocusedReport {
    in_pool(|| {
        check_in_pool(
            project,
            modules,
            Some(focus),
            &Settings::default(),
            Some(cache),
        )
    })
}

/// Check a Lua file that no entry or twin references (an editor's stray buffer) with the
/// default entry globals, every module allowed and undefined globals tolerated, plus an
/// `H0001` hint saying so. Records its index (from the recovered tree if it does not parse).
pub fn check_loose(files: &Files, file: usize, modules: &ModuleSet) -> FocusedReport {
    let globals = Environment::Entry.globals(modules);
    let env = Env {
        modules,
        globals: &globals,
        kind: ChunkKind::Function,
        entry_id: None,
        allowed_modules: modules.iter().map(|m| m.name.clone()).collect(),
        imports: HashMap::new(),
        import_globals: HashSet::new(),
        lenient_globals: true,
        twin_libs: HashMap::new(),
        index: true,
        strict: false,
        types: LocalTypes::new(),
        mode: Mode::GRADUAL,
    };
    let mut chunk = in_pool(|| crate::summary::check_chunk_recovering(files, file, &env, true));
    let mut diagnostics = vec![Diagnostic::new(
        Code::H0001,
        file,
        0..0,
        "no entry or twin uses this file: checked with the default entry globals",
    )
    .with_help("reference it as `source: file://…` of an entry in an `_index.yaml`")];
    diagnostics.append(&mut chunk.diagnostics);
    let mut stats = Stats::default();
    stats.add(&chunk);
    let mut indexes = HashMap::new();
    if let Some(index) = chunk.index.take() {
        indexes.insert(file, index);
    }
    FocusedReport {
        report: Report {
            files: files.clone(),
            diagnostics,
            total_entries: 0,
            stats,
        },
        indexes,
        exports: chunk.lib.exports.map(|t| (file, t)).into_iter().collect(),
    }
}

/// Run `f` on the checker's thread pool (built once per process, [`PARSE_STACK`] of stack per
/// worker), or on this thread if the pool cannot be built.
pub(crate) fn in_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(PARSE_STACK)
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Whether entry `e` is reported under `settings`.
fn reported(project: &Project, settings: &Settings, e: &Entry) -> bool {
    project.is_reported_entry(e) && settings.reports_ns(&e.ns)
}

/// Entries a check needs: those whose source is a focused file (or, without a focus, every
/// reported entry), and everything they import.
fn needed_entries(project: &Project, focus: Option<&Focus>, settings: &Settings) -> HashSet<usize> {
    let mut needed: HashSet<usize> = project
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| match focus {
            Some(focus) => {
                focus.files.contains(&e.yaml)
                    || e.source
                        .as_ref()
                        .is_some_and(|(f, _)| focus.files.contains(f))
            }
            None => reported(project, settings, e),
        })
        .map(|(i, _)| i)
        .collect();
    let mut stack: Vec<usize> = needed.iter().copied().collect();
    while let Some(i) = stack.pop() {
        for t in project.entries[i]
            .imports
            .iter()
            .filter_map(|imp| imp.entry)
        {
            if needed.insert(t) {
                stack.push(t);
            }
        }
    }
    needed
}

fn check_in_pool(
    project: &Project,
    modules: &ModuleSet,
    focus: Option<&Focus>,
    settings: &Settings,
    cache: Option<&crate::summary::SummaryCache>,
) -> FocusedReport {
    let overridden;
    let files = match focus.filter(|f| !f.texts.is_empty()) {
        Some(f) => {
            let mut fs = project.files.clone();
            for (&idx, text) in &f.texts {
                fs.set_text(idx, text.clone());
            }
            overridden = fs;
            &overridden
        }
        None => &project.files,
    };
    let recover = focus.is_some_and(|f| f.recover);
    let run = |file: usize, env: &Env<'_>| {
        let recover = recover && env.index;
        match cache {
            Some(c) => c.chunk(files, file, env, recover),
            None => crate::summary::check_chunk_recovering(files, file, env, recover),
        }
    };
    let mut diagnostics = rules::entries::load_problems(project);
    diagnostics.extend(rules::modules::unknown_modules(project, modules));
    diagnostics.extend(crate::config::unknown_codes(project));
    let needed = needed_entries(project, focus, settings);
    let mut checked_files: HashSet<usize> = HashSet::new();
    let indexed = |file: usize| focus.is_some_and(|f| f.index && f.files.contains(&file));
    let mut indexes: HashMap<usize, Arc<ChunkIndex>> = HashMap::new();
    let mut exports: HashMap<usize, Type> = HashMap::new();
    let globals: HashMap<Environment, BTreeMap<String, typedefs::Global>> = Environment::ALL
        .iter()
        .map(|&e| (e, e.globals(modules)))
        .collect();
    let handler_globals = &globals[&Environment::Handler];
    let mut stats = Stats::default();
    let mut libs: HashMap<usize, LibInfo> = HashMap::new();
    let lua: Vec<(usize, &Entry)> = project
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_lua() && e.source.is_some() && !e.duplicate)
        .filter(|(i, _)| needed.contains(i))
        .collect();
    let total_entries = project
        .entries
        .iter()
        .filter(|e| e.is_lua() && reported(project, settings, e))
        .count()
        + project
            .twins
            .iter()
            .flat_map(|t| t.handlers.values().chain(t.libs.values()))
            .filter(|&&f| project.is_reported_file(f) && settings.reports_ns("twin"))
            .count();
    for level in import_levels(&lua) {
        let results: Vec<(usize, Chunk)> = level
            .par_iter()
            .map(|&(idx, e)| {
                let (file, _) = e.source.clone().unwrap_or((0, 0..0));
                let mut env = entry_env(e, modules, &globals, &libs);
                env.index = indexed(file);
                env.strict = settings.strict_for(project, file);
                let mut chunk = run(file, &env);
                chunk.diagnostics.extend(rules::entries::method_check(
                    e,
                    chunk.lib.exports.as_ref(),
                    chunk.parse_failed,
                ));
                let mut globals = chunk.lib.globals.clone();
                for import in &e.imports {
                    if let Some(l) = import.entry.and_then(|t| libs.get(&t)) {
                        globals.extend(l.globals.iter().cloned());
                    }
                }
                chunk.lib.globals = globals;
                (idx, chunk)
            })
            .collect();
        for (idx, mut chunk) in results {
            stats.add(&chunk);
            let entry = &project.entries[idx];
            if !project.is_reported_entry(entry) {
                stats.dependencies += 1;
            }
            if let Some((file, _)) = &entry.source {
                checked_files.insert(*file);
            }
            diagnostics.extend(chunk.diagnostics);
            if let Some((file, _)) = &project.entries[idx].source {
                if let Some(index) = chunk.index.take() {
                    indexes.insert(*file, index);
                }
                if let Some(t) = &chunk.lib.exports {
                    exports.insert(*file, t.clone());
                }
            }
            libs.insert(idx, chunk.lib);
        }
    }
    for twin in &project.twins {
        let in_focus = |f: &usize| focus.is_none_or(|fo| fo.files.contains(f));
        if !twin
            .handlers
            .values()
            .chain(twin.libs.values())
            .any(in_focus)
        {
            continue;
        }
        let mut twin_libs: HashMap<String, Type> = HashMap::new();
        let lib_results: Vec<(String, usize, Chunk)> = twin
            .libs
            .par_iter()
            .map(|(name, &file)| {
                let mut env = twin_env(
                    ChunkKind::TwinLibrary,
                    format!("twin:{}/lib/{name}", twin.name),
                    modules,
                    handler_globals,
                    HashMap::new(),
                );
                env.index = indexed(file);
                env.strict = settings.strict_for(project, file);
                (name.clone(), file, run(file, &env))
            })
            .collect();
        for (name, file, mut chunk) in lib_results {
            stats.add(&chunk);
            checked_files.insert(file);
            diagnostics.extend(chunk.diagnostics);
            if let Some(index) = chunk.index.take() {
                indexes.insert(file, index);
            }
            twin_libs.insert(name, chunk.lib.exports.unwrap_or(Type::Any));
        }
        let handler_results: Vec<(usize, Chunk)> = twin
            .handlers
            .par_iter()
            .filter(|(_, f)| in_focus(f))
            .map(|(name, &file)| {
                let mut env = twin_env(
                    ChunkKind::Handler,
                    format!("twin:{}/{name}", twin.name),
                    modules,
                    handler_globals,
                    twin_libs.clone(),
                );
                env.index = indexed(file);
                env.strict = settings.strict_for(project, file);
                (file, run(file, &env))
            })
            .collect();
        for (file, mut chunk) in handler_results {
            stats.add(&chunk);
            checked_files.insert(file);
            diagnostics.extend(chunk.diagnostics);
            if let Some(index) = chunk.index.take() {
                indexes.insert(file, index);
            }
        }
    }
    // Files that are not Lua chunks (entry YAML, configuration) were all read: their
    // suppressions count.
    let lua_files: HashSet<usize> = project
        .entries
        .iter()
        .filter_map(|e| e.source.as_ref().map(|(f, _)| *f))
        .chain(
            project
                .twins
                .iter()
                .flat_map(|t| t.handlers.values().chain(t.libs.values()).copied()),
        )
        .collect();
    checked_files.extend((0..project.files.len()).filter(|f| !lua_files.contains(f)));
    crate::suppress::apply(&project.files, &checked_files, &mut diagnostics);
    crate::config::apply_levels(project, settings, &mut diagnostics);
    // Under `--ns`, a diagnostic without an entry stays if its file holds a selected entry or
    // none at all (a YAML file that does not parse).
    let mut entry_files: HashMap<usize, bool> = HashMap::new();
    if !settings.namespaces.is_empty() {
        for e in &project.entries {
            let selected = settings.reports_ns(&e.ns);
            for f in std::iter::once(e.yaml).chain(e.source.as_ref().map(|(f, _)| *f)) {
                *entry_files.entry(f).or_default() |= selected;
            }
        }
    }
    diagnostics.retain(|d| {
        project.is_reported_file(d.file)
            && match d.entry_id.as_deref() {
                Some(id) => settings.reports_ns(id.split_once(':').map_or(id, |(ns, _)| ns)),
                None => entry_files.get(&d.file).copied().unwrap_or(true),
            }
    });
    if let Some(f) = focus {
        diagnostics.retain(|d| f.files.contains(&d.file));
    }
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert((d.file, d.span.clone(), d.code, d.message.clone())));
    // Errors first (the ones that fail the check are not lost among warnings), then by file
    // and position.
    diagnostics.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.file, d.span.start, d.code));
    FocusedReport {
        report: Report {
            files: files.clone(),
            diagnostics,
            total_entries,
            stats,
        },
        indexes,
        exports,
    }
}

/// Parse and walk one chunk.
pub(crate) fn check_chunk(files: &Files, file: usize, env: &Env<'_>) -> Chunk {
    let Some(src) = files.get(file) else {
        return Chunk {
            diagnostics: Vec::new(),
            lib: LibInfo::default(),
            lines: 0,
            parse_failed: false,
            index: None,
        };
    };
    let text: Arc<str> = src.text.clone();
    let lines = text.lines().count();
    let parsed = parse_chunk(&text, dialect(env.kind));
    let chunk = match &parsed.ast {
        Err((span, msg)) => {
            let d = rules::syntax::parse_error(file, span.clone(), msg, env.entry_id.as_deref());
            Chunk {
                diagnostics: vec![d],
                lib: LibInfo::default(),
                lines,
                parse_failed: true,
                index: None,
            }
        }
        Ok(ast) => {
            let ChunkResult {
                mut diagnostics,
                exports,
                types,
                g_writes,
                mut index,
            } = walk_chunk(ast, &parsed.prepared, env, file);
            if let Some(ix) = index.as_mut() {
                ix.outline = crate::walk::outline::collect(ast, &text, &parsed.prepared.text);
            }
            if !env.kind.is_twin() {
                diagnostics.extend(rules::lowering::unlowerable(
                    ast,
                    file,
                    env.entry_id.as_deref(),
                ));
            }
            Chunk {
                diagnostics,
                lib: LibInfo {
                    exports,
                    globals: g_writes,
                    types,
                    id: env.entry_id.as_deref().map(Arc::from),
                },
                lines,
                parse_failed: false,
                index: index.map(Arc::new),
            }
        }
    };
    // An editor waits for this chunk alone: free its syntax tree off the critical path (a
    // 5,000-line tree takes milliseconds to drop). A batch check drops in place.
    if env.index {
        let _ = std::thread::Builder::new()
            .name("drop-ast".into())
            .stack_size(PARSE_STACK)
            .spawn(move || drop(parsed));
    }
    chunk
}

fn entry_env<'a>(
    e: &Entry,
    modules: &'a ModuleSet,
    globals: &'a HashMap<Environment, BTreeMap<String, typedefs::Global>>,
    libs: &HashMap<usize, LibInfo>,
) -> Env<'a> {
    let kind = ChunkKind::of_entry_kind(&e.kind);
    let mut imports = HashMap::new();
    let mut import_globals = HashSet::new();
    let mut types = LocalTypes::new();
    let mut lenient = false;
    for import in &e.imports {
        if let Some(module) = import.module() {
            let ty = modules.get(module).map(|m| m.value_type());
            imports.insert(import.alias.clone(), ty);
            continue;
        }
        match import.entry.and_then(|t| libs.get(&t)) {
            Some(lib) => {
                // Another project's copy of a dependency may differ from the version this
                // project really uses: its `_G` writes are a lower bound, its exports loose.
                lenient |= import.cross_scope;
                let exports = match &lib.exports {
                    Some(Type::Record(r)) => {
                        let mut r = (**r).clone();
                        if import.cross_scope {
                            r.shape = typedefs::Shape::Open;
                        }
                        r.name = Some(format!("`{}` ({})", import.alias, import.target.value));
                        Some(Type::Record(Arc::new(r)))
                    }
                    other => other.clone(),
                };
                let exports = match exports {
                    Some(t) if import.cross_scope => Some(loosen(t)),
                    e => e,
                };
                imports.insert(import.alias.clone(), exports);
                import_globals.extend(lib.globals.iter().cloned());
                for ((chunk, name), def) in lib.types.foreign() {
                    types.insert_foreign(chunk.clone(), name.clone(), def.clone());
                }
                if let Some(t) = import.entry {
                    types.insert_alias(import.alias.clone(), libs_id(t, libs));
                }
            }
            None => {
                imports.insert(import.alias.clone(), None);
                lenient |= import.external;
            }
        }
    }
    Env {
        modules,
        globals: &globals[&kind.environment()],
        kind,
        entry_id: Some(e.id.clone()),
        allowed_modules: e.modules.iter().map(|m| m.value.clone()).collect(),
        imports,
        import_globals,
        lenient_globals: lenient,
        twin_libs: HashMap::new(),
        index: false,
        strict: false,
        types,
        mode: Mode::GRADUAL,
    }
}

/// The entry id a library's types are qualified with.
fn libs_id(entry: usize, libs: &HashMap<usize, LibInfo>) -> Arc<str> {
    libs.get(&entry)
        .and_then(|l| l.id.clone())
        .unwrap_or_else(|| Arc::from(""))
}

/// The exports of another project's copy of a library, with every function accepting any
/// arguments (its version may differ from the one this project uses); returns stay for the
/// editor.
fn loosen(t: Type) -> Type {
    map_type(t, &mut |t| match t {
        Type::Function(f) => {
            let mut f = (**f).clone();
            for p in &mut f.params {
                p.ty = Type::Any.optional();
            }
            f.variadic = Some(Type::Any);
            f.type_params.clear();
            Some(Type::Function(Arc::new(f)))
        }
        _ => None,
    })
}

fn twin_env<'a>(
    kind: ChunkKind,
    id: String,
    modules: &'a ModuleSet,
    globals: &'a BTreeMap<String, typedefs::Global>,
    twin_libs: HashMap<String, Type>,
) -> Env<'a> {
    Env {
        modules,
        globals,
        kind,
        entry_id: Some(id),
        allowed_modules: HashSet::new(),
        imports: HashMap::new(),
        import_globals: HashSet::new(),
        lenient_globals: false,
        twin_libs,
        index: false,
        strict: false,
        types: LocalTypes::new(),
        mode: Mode::GRADUAL,
    }
}

/// Lua entries in import order: an imported entry is checked before its importers, so its
/// exports and `_G` writes are known. Entries on an import cycle share the last level (their
/// imports of each other are then untyped).
fn import_levels<'e>(entries: &[(usize, &'e Entry)]) -> Vec<Vec<(usize, &'e Entry)>> {
    let present: HashSet<usize> = entries.iter().map(|(i, _)| *i).collect();
    let mut done: HashSet<usize> = HashSet::new();
    let mut remaining: Vec<(usize, &Entry)> = entries.to_vec();
    let mut levels = Vec::new();
    while !remaining.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) = remaining.iter().partition(|(i, e)| {
            e.imports
                .iter()
                .filter_map(|imp| imp.entry)
                .all(|t| t == *i || !present.contains(&t) || done.contains(&t))
        });
        if ready.is_empty() {
            levels.push(rest);
            break;
        }
        done.extend(ready.iter().map(|(i, _)| *i));
        levels.push(ready);
        remaining = rest;
    }
    levels
}
