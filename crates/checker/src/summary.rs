//! Incremental checking for an editor: a cache of per-chunk summaries, and the index of a chunk
//! that does not parse, read from the parser's recovered tree.
//!
//! A summary is everything a chunk's check produced — diagnostics, exports, `_G` writes, line
//! count, the editor index — keyed by the chunk's text and by the environment it was checked in
//! (kind, entry id, `modules:`, the export types, declared types and `_G` writes of its
//! imports, twin libraries, the relation's mode). [`crate::check::check_focus_cached`] looks every chunk up before walking it, so
//! re-checking an open file walks only that file, and editing a library re-walks its importers
//! only when its exports or `_G` writes changed (early cutoff: an importer's key holds the
//! types it saw, not the library's text).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use project::env::ChunkKind;
use project::Files;
use syntax::{parse_chunk_recovering, PARSE_STACK};
use typedefs::Type;

use crate::check::{check_chunk, Chunk};
use crate::env::{dialect, Env};
use crate::walk::index::ChunkIndex;
use crate::walk::{outline, walk_chunk};

/// Summaries kept per file (the current text, the one before, a completion's patched copy).
pub const SLOTS_PER_FILE: usize = 4;

/// The environment part of a summary's key: everything of [`Env`] a chunk's check reads.
#[derive(Debug, PartialEq)]
struct EnvKey {
    modules: usize,
    kind: ChunkKind,
    entry_id: Option<String>,
    allowed_modules: BTreeSet<String>,
    imports: BTreeMap<String, Option<Type>>,
    import_globals: BTreeSet<String>,
    lenient_globals: bool,
    twin_libs: BTreeMap<String, Type>,
    types: typedefs::LocalTypes,
    mode: typedefs::Mode,
    strict: bool,
}

impl EnvKey {
    fn of(env: &Env<'_>) -> EnvKey {
        EnvKey {
            modules: env.modules as *const _ as usize,
            kind: env.kind,
            entry_id: env.entry_id.clone(),
            allowed_modules: env.allowed_modules.iter().cloned().collect(),
            imports: env
                .imports
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            import_globals: env.import_globals.iter().cloned().collect(),
            lenient_globals: env.lenient_globals,
            twin_libs: env
                .twin_libs
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            types: env.types.clone(),
            mode: env.mode,
            strict: env.strict,
        }
    }
}

struct Slot {
    text: Arc<str>,
    env: EnvKey,
    chunk: Chunk,
}

/// Chunk summaries by file path, most recently used first, [`SLOTS_PER_FILE`] per file. Safe
/// to share between threads (one short lock per lookup; chunks are walked outside it).
#[derive(Default)]
pub struct SummaryCache {
    slots: Mutex<HashMap<PathBuf, Vec<Slot>>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Lookups answered from the cache and chunks walked, since the cache was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Chunks whose summary was reused.
    pub hits: u64,
    /// Chunks parsed and walked.
    pub misses: u64,
}

impl SummaryCache {
    /// An empty cache.
    pub fn new() -> SummaryCache {
        SummaryCache::default()
    }

    /// Counts of reused and walked chunks.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Forget the summaries of files for which `keep` is false (closed or deleted files).
    pub fn retain(&self, keep: impl Fn(&Path) -> bool) {
        self.lock().retain(|p, _| keep(p));
    }

    /// Number of summaries held.
    pub fn len(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    /// Whether no summary is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Vec<Slot>>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The summary of chunk `file` in `env`: cached when its text and environment match and
    /// it has the index `env` asks for (for a chunk that does not parse: only when `recover`ed
    /// if asked), else checked and kept.
    pub(crate) fn chunk(&self, files: &Files, file: usize, env: &Env<'_>, recover: bool) -> Chunk {
        let Some(src) = files.get(file) else {
            return check_chunk_recovering(files, file, env, recover);
        };
        let key = EnvKey::of(env);
        {
            let mut map = self.lock();
            if let Some(slots) = map.get_mut(&src.path) {
                let found = slots.iter().position(|s| {
                    (Arc::ptr_eq(&s.text, &src.text) || *s.text == *src.text)
                        && s.env == key
                        && (!env.index
                            || s.chunk.index.is_some()
                            || (s.chunk.parse_failed && !recover))
                });
                if let Some(i) = found {
                    let slot = slots.remove(i);
                    let mut chunk = slot.chunk.clone();
                    slots.insert(0, slot);
                    for d in &mut chunk.diagnostics {
                        d.file = file;
                    }
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    return chunk;
                }
            }
        }
        let chunk = check_chunk_recovering(files, file, env, recover);
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut map = self.lock();
        let slots = map.entry(src.path.clone()).or_default();
        slots.insert(
            0,
            Slot {
                text: src.text.clone(),
                env: key,
                chunk: chunk.clone(),
            },
        );
        slots.truncate(SLOTS_PER_FILE);
        chunk
    }
}

/// Check a chunk; with `recover`, a chunk that does not parse gets its index from the
/// recovered tree ([`recovered_index`]).
pub(crate) fn check_chunk_recovering(
    files: &Files,
    file: usize,
    env: &Env<'_>,
    recover: bool,
) -> Chunk {
    let mut chunk = check_chunk(files, file, env);
    if recover && chunk.parse_failed && chunk.index.is_none() {
        if let Some(src) = files.get(file) {
            chunk.index = recovered_index(&src.text, env, file).map(Arc::new);
        }
    }
    chunk
}

/// The editor index of a chunk that does not parse, from the tree full_moon recovered (its
/// diagnostics are dropped: an editor shows the same syntax error `wippy check` reports).
/// Scopes cut short by a missing `end` reach the end of the chunk. `None` when nothing was
/// recovered or the walk of the partial tree failed.
pub(crate) fn recovered_index(text: &str, env: &Env<'_>, file: usize) -> Option<ChunkIndex> {
    let recovered = parse_chunk_recovering(text, dialect(env.kind));
    let index = recovered.ast.as_ref().and_then(|ast| {
        catch_unwind(AssertUnwindSafe(|| {
            let mut ix = walk_chunk(ast, &recovered.prepared, env, file).index?;
            ix.outline = outline::collect(ast, text, &recovered.prepared.text);
            Some(ix)
        }))
        .ok()
        .flatten()
    });
    let _ = std::thread::Builder::new()
        .name("drop-ast".into())
        .stack_size(PARSE_STACK)
        .spawn(move || drop(recovered));
    index.map(|mut ix| {
        for l in &mut ix.locals {
            if l.scope_end < l.decl.end {
                l.scope_end = u32::MAX;
            }
        }
        ix
    })
}
