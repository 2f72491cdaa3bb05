//! Wraith twin handlers (seed: Lua handlers for Wraith twins): a twin directory
//! (`twins/<name>/` with `lua/handlers/`, `lua/lib/` and `wraith.toml`) loaded and compiled
//! once, requests routed to handlers by the seed's rules, handlers run by [`worker::Worker`]s
//! under per-invocation limits, and [`server`] serving it all over HTTP/1.1.

mod api;
pub mod clock;
mod conn;
pub mod routes;
pub mod server;
pub mod state;
pub mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use host::Bytecode;
pub use project::twin::config;
use project::twin::config::{Config, OnError, Template};
use routes::{Resolved, Router};
use serde_json::json;
use state::StateStore;

/// A compiled handler or library file.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// Path for messages and tracebacks.
    pub display: String,
    /// Luau bytecode, compiled here from the file's source.
    pub bytecode: Bytecode,
}

/// A loaded twin.
pub struct Twin {
    /// Name (`[twin] name`, else the directory name).
    pub name: String,
    /// State namespace (`[twin] namespace`, else the name).
    pub namespace: String,
    /// The twin directory.
    pub dir: PathBuf,
    /// `wraith.toml`.
    pub config: Config,
    /// Routes.
    pub router: Router,
    /// Handlers by file stem.
    pub handlers: BTreeMap<String, Chunk>,
    /// `wraith.import` libraries by file stem.
    pub libs: BTreeMap<String, Chunk>,
}

/// An HTTP request as handlers see it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Method, upper case.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query parameters, decoded.
    pub query: Vec<(String, String)>,
    /// Headers (names lower case).
    pub headers: Vec<(String, String)>,
    /// Body (absent when empty).
    pub body: Option<Vec<u8>>,
    /// Route parameters.
    pub params: BTreeMap<String, String>,
}

/// An HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers (names lower case), in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Default for Response {
    fn default() -> Self {
        Response {
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        let mut r = Response {
            status,
            ..Response::default()
        };
        r.set_json(value.to_string().into_bytes());
        r
    }

    /// Set a JSON body (and `content-type: application/json` unless one was set).
    pub fn set_json(&mut self, body: Vec<u8>) {
        self.body = body;
        if !self.headers.iter().any(|(k, _)| k == "content-type") {
            self.headers
                .push(("content-type".into(), "application/json".into()));
        }
    }
}

/// How a request is to be answered, decided without running Lua.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Route resolution.
    pub resolved: Resolved,
    /// The handler to run, if one matches.
    pub handler: Option<String>,
}

/// Compile the files of one directory (handlers or libraries), keyed by stem.
fn compile_files(files: &BTreeMap<String, PathBuf>) -> Result<BTreeMap<String, Chunk>, String> {
    let mut out = BTreeMap::new();
    for (stem, path) in files {
        let display = path.display().to_string();
        let source = project::read_file(path).map_err(|e| format!("{display}: {e}"))?;
        let bytecode = Bytecode::compile(&source).map_err(|e| format!("{display}: {}", e.0))?;
        out.insert(stem.clone(), Chunk { display, bytecode });
    }
    Ok(out)
}

impl Twin {
    /// Load a twin directory: `wraith.toml`, and every `.lua`/`.luau` file of `lua/handlers/`
    /// and `lua/lib/`, compiled. Errors name the file (and line, for syntax errors).
    pub fn load(dir: &Path) -> Result<Twin, String> {
        if !dir.is_dir() {
            return Err(format!("{}: not a twin directory", dir.display()));
        }
        let config = Config::load(dir)?;
        let dir_name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "twin".into());
        let name = config.twin.name.clone().unwrap_or(dir_name);
        let namespace = config
            .twin
            .namespace
            .clone()
            .unwrap_or_else(|| name.clone());
        let layout = project::twin::layout(dir);
        if let Some((ignored, kept)) = layout.collisions.first() {
            return Err(format!(
                "{}: another file ({}) has the same handler name",
                ignored.display(),
                kept.display()
            ));
        }
        let handlers = compile_files(&layout.handlers)?;
        if handlers.is_empty() && config.routes.iter().all(|r| r.template.is_none()) {
            return Err(format!(
                "{}: no handlers in lua/handlers/ and no template routes",
                dir.display()
            ));
        }
        Ok(Twin {
            router: Router::new(&config.routes),
            libs: compile_files(&layout.libs)?,
            handlers,
            name,
            namespace,
            dir: dir.to_path_buf(),
            config,
        })
    }

    /// Load the `[[seed]]` files into `store` (existing entities are kept).
    pub fn seed(&self, store: &StateStore) -> Result<usize, String> {
        let mut n = 0;
        for s in &self.config.seed {
            let path = self.dir.join(&s.file);
            let text = project::read_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let items: Vec<serde_json::Value> = serde_json::from_str(&text)
                .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
            for (i, item) in items.into_iter().enumerate() {
                let id = match item.get(&s.key) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => {
                        return Err(format!(
                            "{}: item {} has no `{}`",
                            path.display(),
                            i + 1,
                            s.key
                        ))
                    }
                };
                store.put_if_absent(&self.namespace, &s.entity, &id, item)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Route a request and pick its handler (first existing candidate).
    pub fn plan(&self, method: &str, path: &str) -> Plan {
        let resolved = self.router.resolve(method, path);
        let handler = routes::candidates(method, &resolved)
            .into_iter()
            .find(|h| self.handlers.contains_key(h));
        Plan { resolved, handler }
    }

    /// The answer when no handler runs: the route's template, else a 404 envelope.
    pub fn fall_through(&self, plan: &Plan, method: &str, path: &str) -> Response {
        match &plan.resolved.template {
            Some(t) => template(t),
            None => Response::json(
                404,
                &json!({ "error": { "type": "not_found", "message": format!("no handler or template for {method} {path}") } }),
            ),
        }
    }

    /// The answer for a handler that failed, by `[serve.lua] on_error`.
    pub fn failed(
        &self,
        plan: &Plan,
        handler: &str,
        message: &str,
        method: &str,
        path: &str,
    ) -> Response {
        match self.config.serve.lua.on_error {
            OnError::Fail => Response::json(
                500,
                &json!({ "error": { "type": "internal_error", "message": format!("Handler execution failed: {message}"), "handler": handler } }),
            ),
            OnError::Fallback => {
                eprintln!("wippy serve: handler {handler} failed ({message}); falling through to the template");
                self.fall_through(plan, method, path)
            }
        }
    }
}

fn template(t: &Template) -> Response {
    let mut r = Response {
        status: t.status,
        ..Response::default()
    };
    for (k, v) in &t.headers {
        r.headers.push((k.to_ascii_lowercase(), v.clone()));
    }
    match &t.body {
        Some(toml::Value::String(s)) => r.body = s.clone().into_bytes(),
        Some(v) => r.set_json(serde_json::to_vec(v).unwrap_or_default()),
        None => {}
    }
    r
}
