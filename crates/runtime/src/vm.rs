//! Calling entries from the host: each call runs the entry as a root process on a scheduler
//! [`Node`], waits for its outcome, and ends whatever processes it left behind.

use std::time::Duration;

use serde_json::Value;

use crate::program::Program;
use crate::sched::registry::Outcome;
use crate::sched::val::Val;
use crate::sched::{Config, Node};

/// A failed call: the message (with the original file and line) and the Lua traceback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunError {
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<mlua::Error> for RunError {
    fn from(e: mlua::Error) -> Self {
        RunError {
            message: e.to_string(),
        }
    }
}

/// A runtime: a node running the program's processes.
pub struct Runtime {
    node: Node,
}

/// Extra time a root gets past its deadline to report the limit itself before the host ends
/// it.
const GRACE: Duration = Duration::from_secs(1);

impl Runtime {
    /// A runtime for `program` with one worker and the default limits.
    pub fn new(program: Program) -> Result<Runtime, RunError> {
        Runtime::with_config(
            program,
            Config {
                workers: 1,
                ..Config::default()
            },
        )
    }

    /// A runtime for `program` with `config`.
    pub fn with_config(program: Program, config: Config) -> Result<Runtime, RunError> {
        let node = Node::start(program, config).map_err(|e| RunError { message: e.0 })?;
        Ok(Runtime { node })
    }

    /// The program.
    pub fn program(&self) -> &Program {
        self.node.program()
    }

    /// The node.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// Bytes the workers' Luau heaps hold after a full collection (what calls left behind).
    pub fn heap_bytes(&self) -> Result<usize, RunError> {
        Ok(self.node.heap_bytes().iter().sum())
    }

    /// Call entry `id` (its `method`, or the function its chunk returns) with JSON arguments;
    /// returns its results as JSON.
    pub fn call(&self, id: &str, args: &[Value]) -> Result<Vec<Value>, RunError> {
        let args = args.iter().map(Val::from_json).collect();
        match self.run(id, args, Vec::new())? {
            Outcome::Returned(values) => values
                .iter()
                .map(|v| {
                    v.to_json().map_err(|e| RunError {
                        message: format!("{id}: returned a value with no JSON form: {e}"),
                    })
                })
                .collect(),
            Outcome::Failed(e, trace) => Err(RunError {
                message: failure_text(id, &e, &trace),
            }),
        }
    }

    /// Run entry `id` as a root process with `args` and `context` and wait for its outcome
    /// (bounded by the configured timeout); the processes it spawned end with it.
    pub fn run(
        &self,
        id: &str,
        args: Vec<Val>,
        context: Vec<(String, Val)>,
    ) -> Result<Outcome, RunError> {
        let entry = self.program().entries.get(id).ok_or_else(|| RunError {
            message: format!("no Lua entry `{id}` in this program"),
        })?;
        if entry.kind.starts_with("library.lua") {
            return Err(RunError {
                message: format!("entry `{id}` is a library: it has nothing to call"),
            });
        }
        let host = self.node.default_host(id);
        let (pid, rx) = self
            .node
            .spawn_root(id, &host, args, context)
            .map_err(|(_, m)| RunError { message: m })?;
        let outcome = match self.node.timeout() {
            Some(t) => match rx.recv_timeout(t + GRACE) {
                Ok(o) => o,
                Err(_) => {
                    let limit = format!("exceeded the {} ms wall-clock limit", t.as_millis());
                    self.node.kill_tree(&pid, Outcome::failed(limit.clone()));
                    rx.recv_timeout(GRACE)
                        .unwrap_or_else(|_| Outcome::failed(limit))
                }
            },
            None => rx
                .recv()
                .unwrap_or_else(|_| Outcome::failed("the node stopped")),
        };
        self.node
            .kill_tree(&pid, Outcome::failed("its root process ended"));
        Ok(outcome)
    }
}

/// How a failed call reads: `id: message` and the traceback.
pub fn failure_text(id: &str, error: &Val, trace: &str) -> String {
    let message = error.display();
    let mut text = format!("{id}: {message}");
    let trace = trace.trim();
    if !trace.is_empty() && !message.contains("stack traceback") {
        text.push('\n');
        text.push_str(trace);
    }
    text
}
