//! Analysis off the request path: one worker thread takes documents from the workspace's
//! queue, reloads roots whose YAML changed, checks each document against a snapshot (no lock
//! held while the checker runs), stores the result as the document's last analysis and
//! publishes its diagnostics. Requests never check: they read the last analysis
//! ([`Shared::latest`]), mapped to the current text with [`crate::text::Shift`].
//!
//! Stale work is dropped: the queue holds each document once, the worker always checks a
//! document's newest text, and a result whose text was edited meanwhile is kept for requests
//! but not published (the newer text is already queued). After a document is checked, the open
//! documents that import it are queued behind it; the summary cache
//! ([`checker::summary::SummaryCache`]) makes their check a lookup unless the exports they see
//! changed, and they are republished only when their diagnostics did.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use checker::check::{check_focus_cached, check_loose, Focus};
use checker::summary::SummaryCache;
use checker::walk::index::ChunkIndex;
use checker::{Code, Diagnostic};
use project::env::Environment;
use project::{Entry, Files, Project};
use typedefs::{ModuleSet, Type};

use crate::text::Text;
use crate::workspace::{entry_of, environment_of, is_yaml, Role, Workspace};

/// One analysed document.
pub struct Analysis {
    /// The document.
    pub path: PathBuf,
    /// Its text when analysed.
    pub text: Text,
    /// The document's generation then (see [`crate::workspace::Doc::generation`]).
    pub generation: u64,
    /// The client's version then.
    pub version: i32,
    /// Diagnostics for it: exactly what `wippy check` reports for this text.
    pub diagnostics: Vec<Diagnostic>,
    /// The editor index (Lua files; from the recovered tree when the text does not parse).
    pub index: Option<Arc<ChunkIndex>>,
    /// What the chunk returns (an entry's exports), when known.
    pub exports: Option<Type>,
    /// The text parsed without a syntax error.
    pub parsed: bool,
    /// Its index is as complete as it gets: the text parsed, or the index was read from the
    /// recovered tree (the worker publishes a broken file's syntax error first, then recovers).
    pub complete: bool,
    /// What it was to its project.
    pub role: Role,
    /// The project it was checked in (`None`: outside every folder).
    pub project: Option<Arc<Project>>,
}

impl Analysis {
    /// Its environment list.
    pub fn environment(&self) -> Environment {
        match &self.project {
            Some(p) => environment_of(p, &self.role),
            None => Environment::Entry,
        }
    }

    /// The first entry whose source it is.
    pub fn entry(&self) -> Option<&Entry> {
        entry_of(self.project.as_deref()?, &self.role)
    }
}

/// What one check needs, taken from the workspace under its lock.
pub struct Target {
    /// The document.
    pub path: PathBuf,
    /// Its text (the current one, or a patched copy for completion).
    pub text: Text,
    /// Its generation.
    pub generation: u64,
    /// Its client version.
    pub version: i32,
    /// Its project, if any.
    pub project: Option<Arc<Project>>,
    /// Its role there.
    pub role: Role,
    /// Open buffers of the project, by file index.
    pub texts: HashMap<usize, Arc<str>>,
}

impl Target {
    /// The snapshot of open document `path` (`None`: not open).
    pub fn of(ws: &Workspace, path: &Path) -> Option<Target> {
        let doc = ws.docs.get(path)?;
        let (project, role) = ws.context(path);
        let texts = project
            .as_deref()
            .map(|p| ws.open_texts(p))
            .unwrap_or_default();
        Some(Target {
            path: path.to_path_buf(),
            text: doc.text.clone(),
            generation: doc.generation,
            version: doc.version,
            project,
            role,
            texts,
        })
    }
}

impl Target {
    /// The snapshot of a file of `project` that may not be open: its open buffer's text, else
    /// the project's copy (`None`: not a file of the project).
    pub fn of_file(ws: &Workspace, project: &Arc<Project>, path: &Path) -> Option<Target> {
        if ws.docs.contains_key(path) {
            return Target::of(ws, path);
        }
        let f = project.files.get(project.files.find(path)?)?;
        let wippy = !project.entries.is_empty() || !project.twins.is_empty();
        Some(Target {
            path: path.to_path_buf(),
            text: Text::new(f.text.clone()),
            generation: 0,
            version: 0,
            project: Some(project.clone()),
            role: crate::workspace::role_in(project, wippy, path),
            texts: ws.open_texts(project),
        })
    }
}

/// Check a target: a focused check of its file in its project (libraries from the summary
/// cache), or for a file outside any entry the loose check (outside any Wippy project, its
/// syntax errors only). With `recover`, a text that does not parse gets its index from the
/// recovered tree.
pub fn analyse(
    t: &Target,
    modules: &'static ModuleSet,
    cache: &SummaryCache,
    recover: bool,
) -> Analysis {
    let file = t.project.as_deref().and_then(|p| p.files.find(&t.path));
    let yaml = is_yaml(&t.path);
    let (mut diagnostics, index, exports) = match (&t.role, t.project.as_deref(), file) {
        (Role::Entry(_) | Role::Handler(_) | Role::TwinLib(_) | Role::Yaml, Some(p), Some(idx)) => {
            let mut texts = t.texts.clone();
            texts.insert(idx, t.text.shared());
            let focus = Focus {
                files: [idx].into_iter().collect(),
                index: !yaml,
                texts,
                recover,
            };
            let mut r = check_focus_cached(p, modules, &focus, cache);
            (
                r.report.diagnostics,
                r.indexes.remove(&idx),
                r.exports.remove(&idx),
            )
        }
        _ if yaml => (Vec::new(), None, None),
        _ => {
            let mut files = Files::default();
            let idx = files.add(t.path.clone(), t.text.shared());
            let mut r = check_loose(&files, idx, modules);
            if t.role == Role::Plain {
                r.report.diagnostics.retain(|d| d.code == Code::P0001);
            }
            (
                r.report.diagnostics,
                r.indexes.remove(&idx),
                r.exports.remove(&idx),
            )
        }
    };
    let parsed = !diagnostics.iter().any(|d| d.code == Code::P0001);
    let complete = parsed || recover || yaml || index.is_some();
    diagnostics.shrink_to_fit();
    Analysis {
        path: t.path.clone(),
        text: t.text.clone(),
        generation: t.generation,
        version: t.version,
        diagnostics,
        index,
        exports,
        parsed,
        complete,
        role: t.role.clone(),
        project: t.project.clone(),
    }
}

/// The analyses a request about one document answers from.
pub struct Latest {
    /// The last one.
    pub last: Arc<Analysis>,
    /// The last one with an index (the last one, when it has one).
    pub indexed: Option<Arc<Analysis>>,
    /// The last one whose text parsed.
    pub good: Option<Arc<Analysis>>,
}

impl Latest {
    fn of(ws: &Workspace, last: &Arc<Analysis>) -> Latest {
        Latest {
            last: last.clone(),
            indexed: ws.indexed.get(&last.path).cloned(),
            good: ws.good.get(&last.path).cloned(),
        }
    }

    /// The analyses with an index, newest first, without repeats.
    pub fn candidates(&self) -> Vec<Arc<Analysis>> {
        let mut out: Vec<Arc<Analysis>> = Vec::new();
        for a in [Some(&self.last), self.indexed.as_ref(), self.good.as_ref()]
            .into_iter()
            .flatten()
        {
            let dup = out.iter().any(|o| Arc::ptr_eq(o, a));
            if a.index.is_some() && !dup {
                out.push(a.clone());
            }
        }
        out
    }
}

/// Diagnostics to show for a document.
pub struct Publish {
    /// The document.
    pub path: PathBuf,
    /// Its client version.
    pub version: i32,
    /// The analysis they come from.
    pub analysis: Arc<Analysis>,
}

/// State shared by the server's request handlers and the analysis worker.
pub struct Shared {
    ws: Mutex<Workspace>,
    /// Chunk summaries (see [`checker::summary`]).
    pub cache: SummaryCache,
    /// Signalled whenever an analysis is stored.
    pub analysed: tokio::sync::Notify,
    wake: (Mutex<bool>, Condvar),
}

impl Shared {
    /// Shared state around an empty workspace.
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            ws: Mutex::new(Workspace::new()),
            cache: SummaryCache::new(),
            analysed: tokio::sync::Notify::new(),
            wake: (Mutex::new(false), Condvar::new()),
        })
    }

    /// The workspace, locked (never hold it across a check or an await).
    pub fn ws(&self) -> MutexGuard<'_, Workspace> {
        self.ws.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tell the worker the queue changed.
    pub fn kick(&self) {
        let (m, c) = &self.wake;
        *m.lock().unwrap_or_else(|p| p.into_inner()) = true;
        c.notify_one();
    }

    /// The analyses of `path` a request answers from. With `generation`, waits (up to
    /// `wait`) for the complete analysis of at least that generation; without, for any
    /// analysis with an index (the first one of a document just opened).
    pub async fn latest(
        &self,
        path: &Path,
        generation: Option<u64>,
        wait: Duration,
    ) -> Option<Latest> {
        let deadline = Instant::now() + wait;
        loop {
            let notified = self.analysed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let ws = self.ws();
                let doc = ws.docs.get(path)?;
                if let Some(a) = ws.analyses.get(path) {
                    let ready = match generation {
                        Some(g) => a.generation >= g.min(doc.generation) && a.complete,
                        None => a.complete || ws.indexed.contains_key(path),
                    };
                    if ready {
                        return Some(Latest::of(&ws, a));
                    }
                }
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            if tokio::time::timeout(left, notified).await.is_err() {
                let ws = self.ws();
                let a = ws.analyses.get(path)?;
                return Some(Latest::of(&ws, a));
            }
        }
    }

    /// Run the worker on this thread until `stop` says so; `publish` shows diagnostics.
    pub fn work(&self, publish: &dyn Fn(Publish), stop: &dyn Fn() -> bool) {
        while !stop() {
            {
                let (m, c) = &self.wake;
                let mut woken = m.lock().unwrap_or_else(|p| p.into_inner());
                while !*woken {
                    let (g, timeout) = c
                        .wait_timeout(woken, Duration::from_millis(500))
                        .unwrap_or_else(|p| p.into_inner());
                    woken = g;
                    if timeout.timed_out() && stop() {
                        return;
                    }
                }
                *woken = false;
            }
            while let Some((p, incomplete)) = self.step() {
                if let Some(p) = p {
                    publish(p);
                }
                if let Some(t) = incomplete {
                    self.recover(t);
                }
            }
            self.analysed.notify_waiters();
        }
    }

    /// Reload stale roots, then check the most urgent queued document. `None` when the queue
    /// is empty; else what to publish, if anything, and the target to check again for its
    /// recovered index (a text that does not parse).
    fn step(&self) -> Option<(Option<Publish>, Option<Target>)> {
        self.reload_stale();
        let (target, modules) = {
            let mut ws = self.ws();
            loop {
                let path = ws.dirty.pop_front()?;
                if let Some(t) = Target::of(&ws, &path) {
                    break (t, ws.modules);
                }
            }
        };
        let Some(a) = guarded(|| analyse(&target, modules, &self.cache, false)) else {
            return Some((None, None));
        };
        let a = Arc::new(a);
        let mut ws = self.ws();
        let Some(doc) = ws.docs.get(&target.path) else {
            return Some((None, None));
        };
        let current = doc.generation == target.generation;
        let previous = ws.store(&a);
        let new_text = previous
            .as_ref()
            .is_none_or(|p| p.generation != a.generation);
        if new_text {
            for d in dependents(&ws, &target) {
                ws.queue(&d, false);
            }
        }
        let shown = ws.published.get(&target.path);
        let changed = shown.is_none_or(|(v, ds)| *v != a.version || *ds != a.diagnostics);
        let out = (current && changed).then(|| {
            ws.published
                .insert(target.path.clone(), (a.version, a.diagnostics.clone()));
            Publish {
                path: target.path.clone(),
                version: a.version,
                analysis: a.clone(),
            }
        });
        drop(ws);
        self.analysed.notify_waiters();
        let incomplete = (!a.complete && current).then_some(target);
        Some((out, incomplete))
    }

    /// Check `t` again with the index from the recovered tree, unless the document changed
    /// since; the diagnostics are the same, so nothing is published.
    fn recover(&self, t: Target) {
        let modules = self.ws().modules;
        let still = |ws: &Workspace| {
            ws.docs
                .get(&t.path)
                .is_some_and(|d| d.generation == t.generation)
        };
        if !still(&self.ws()) {
            return;
        }
        let Some(a) = guarded(|| analyse(&t, modules, &self.cache, true)) else {
            return;
        };
        let a = Arc::new(a);
        let mut ws = self.ws();
        if still(&ws) {
            ws.store(&a);
        }
        drop(ws);
        self.analysed.notify_waiters();
    }

    /// Reload the roots marked stale (a YAML edit, a watched file), without the lock while
    /// loading, then queue their open documents.
    fn reload_stale(&self) {
        loop {
            let (dir, overlay) = {
                let mut ws = self.ws();
                let Some(dir) = ws.stale_roots.pop() else {
                    return;
                };
                let overlay = ws
                    .docs
                    .iter()
                    .map(|(p, d)| (p.clone(), d.text.shared()))
                    .collect();
                (dir, overlay)
            };
            let project = guarded(|| project::load_project_with(&dir, overlay).unwrap_or_default())
                .unwrap_or_default();
            let project = Arc::new(project);
            let mut ws = self.ws();
            if let Some(r) = ws.roots.iter().position(|root| root.dir == dir) {
                ws.roots[r].project = project;
                ws.queue_root(Some(r));
            }
            let files: HashSet<PathBuf> = ws
                .roots
                .iter()
                .flat_map(|root| root.project.files.iter().map(|f| f.path.clone()))
                .collect();
            drop(ws);
            self.cache.retain(|p| files.contains(p));
        }
    }
}

/// `f()`, or `None` (and a line on stderr) if it panicked: a bug in one analysis or request
/// must not stop the server.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(_) => {
            eprintln!("wippy lsp: internal error (panic) answering a request; it was dropped");
            None
        }
    }
}

/// Open documents whose check reads `t`'s file: sources of entries that import (directly or
/// not) an entry whose source it is, and the handlers of a twin whose library it is.
fn dependents(ws: &Workspace, t: &Target) -> Vec<PathBuf> {
    let Some(p) = t.project.as_deref() else {
        return Vec::new();
    };
    let Some(file) = p.files.find(&t.path) else {
        return Vec::new();
    };
    let mut files: HashSet<usize> = HashSet::new();
    match &t.role {
        Role::Entry(ids) => {
            let mut reached: HashSet<usize> = ids.iter().copied().collect();
            let mut changed = true;
            while changed {
                changed = false;
                for (i, e) in p.entries.iter().enumerate() {
                    if !reached.contains(&i)
                        && e.imports
                            .iter()
                            .any(|imp| imp.entry.is_some_and(|t| reached.contains(&t)))
                    {
                        reached.insert(i);
                        changed = true;
                    }
                }
            }
            files.extend(
                reached
                    .iter()
                    .filter_map(|&i| p.entries[i].source.as_ref().map(|(f, _)| *f)),
            );
        }
        Role::TwinLib(tw) => files.extend(p.twins[*tw].handlers.values().copied()),
        _ => {}
    }
    files.remove(&file);
    files
        .into_iter()
        .filter_map(|f| p.files.get(f).map(|s| s.path.clone()))
        .filter(|path| ws.docs.contains_key(path))
        .collect()
}
