//! The process scheduler: many Wippy processes on a small pool of worker threads.
//!
//! Design (reference/runtime-facts §6; seed "Your Lua code runs inside processes"):
//! - a [`Node`] owns `workers` OS threads; each has its own Luau state with the read-only base
//!   environment and the built-in modules, and runs the processes placed on it;
//! - a process is an environment table of its own over that base (its globals, shared with the
//!   libraries it imports, as in Wippy's one-state-per-process model) and one or more tasks:
//!   Luau threads that yield to the worker whenever they block — a channel operation, a
//!   `select`, a timer, a call — and are resumed when what they wait for happens
//!   ([`worker`], and the process-side half in `prelude.lua`);
//! - processes never share Lua values: messages, spawn arguments and results are copied as
//!   [`val::Val`] trees, which cross worker threads;
//! - the node-wide [`registry::Table`] knows where each process runs, its monitors, links,
//!   names and waiters, and turns an exit into EXIT / LINK_DOWN events and replies.
//!
//! Limits: each process has an instruction budget (Luau interrupt ticks) and inherits its
//! root's wall-clock deadline; each worker's heap has a cap. A task that runs `quantum` ticks
//! without blocking is preempted, so one busy process cannot starve the others on its worker.

pub mod api;
mod host;
pub mod registry;
pub mod val;
mod worker;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::program::Program;
use registry::{Info, Outcome, Pid, Table, Waiter};
use val::Val;

/// How a node runs its processes.
#[derive(Clone, Debug)]
pub struct Config {
    /// Worker threads (`--workers`; at least 1).
    pub workers: usize,
    /// Interrupt ticks a process may run in its life; 0 = no limit.
    pub instructions: u64,
    /// Heap bytes each worker's state may hold (after a full collection) beyond what it held
    /// once started; 0 = no limit.
    pub memory_bytes: usize,
    /// Ticks a task runs before it is preempted.
    pub quantum: u64,
    /// Wall-clock limit of a root process and its descendants (named in the error).
    pub timeout: Option<Duration>,
}

impl Default for Config {
    /// One worker per core, no instruction limit, 1 GiB of heap per worker, a 100,000-tick
    /// quantum.
    fn default() -> Self {
        Config {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            instructions: 0,
            memory_bytes: 1 << 30,
            quantum: 100_000,
            timeout: None,
        }
    }
}

/// What to start: an entry, its arguments and what it inherits.
#[derive(Clone, Debug)]
pub struct Start {
    /// Its pid (already in the table).
    pub pid: Pid,
    /// The entry id.
    pub entry: String,
    /// Arguments of its function.
    pub args: Vec<Val>,
    /// Context values (`ctx.get`), inherited and overlaid.
    pub context: Vec<(String, Val)>,
    /// Wall-clock deadline inherited from its root.
    pub deadline: Option<Instant>,
    /// Messages queued for it before it runs (`SpawnBuilder:with_message`), from its parent.
    pub messages: Vec<(String, Val)>,
    /// The parent's pid string (the `from` of queued messages).
    pub parent: Option<String>,
}

/// A command to a worker.
#[derive(Debug)]
pub(crate) enum Cmd {
    /// Start a process.
    Spawn(Box<Start>),
    /// A message (`topic` `@events` for lifecycle events).
    Deliver {
        to: u64,
        from: String,
        topic: String,
        data: Val,
    },
    /// The result a process waits for in reply slot `slot`.
    Reply { to: u64, slot: u64, result: Val },
    /// End a process now.
    Kill { to: u64, outcome: Outcome },
    /// Report the worker's heap after a full collection.
    Heap(Sender<usize>),
    /// Stop the worker.
    Stop,
}

/// Sentinel worker index of host-side mailboxes.
const HOST: usize = usize::MAX;

/// One worker as the others see it.
struct Link {
    tx: Sender<Cmd>,
    live: AtomicUsize,
}

/// A message to a host-side mailbox: sender, topic, data.
pub type HostMessage = (String, String, Val);

/// State shared by the workers of a node.
pub(crate) struct Shared {
    pub program: Arc<Program>,
    pub config: Config,
    links: Vec<Link>,
    table: Mutex<Table>,
    seq: AtomicU64,
    hosts: Mutex<HashMap<u64, Sender<HostMessage>>>,
    /// `env.set` values, shared by the workers.
    pub env: crate::modules::env::EnvStore,
}

/// Why a spawn failed: the error kind and message.
pub type SpawnError = (&'static str, String);

/// What a new process inherits from the process that spawns it (nothing, for a root).
#[derive(Clone, Debug, Default)]
pub struct Lineage {
    /// The parent's sequence number.
    pub seq: Option<u64>,
    /// The parent's worker (new processes go there when loads are equal).
    pub worker: Option<usize>,
    /// The root's wall-clock deadline.
    pub deadline: Option<Instant>,
    /// The parent's context values.
    pub context: Vec<(String, Val)>,
    /// The parent's pid string.
    pub pid: Option<String>,
}

/// What `spawn` needs besides the entry.
#[derive(Clone, Debug, Default)]
pub struct SpawnOptions {
    /// Link child and parent.
    pub link: bool,
    /// The parent monitors the child.
    pub monitor: bool,
    /// Context values for the child (overlaid on the parent's).
    pub context: Vec<(String, Val)>,
    /// A name to register for the child.
    pub name: Option<String>,
    /// Messages to queue for the child.
    pub messages: Vec<(String, Val)>,
    /// Who waits for the child's result.
    pub waiter: Option<Waiter>,
    /// Refuse a host the program does not declare.
    pub check_host: bool,
}

impl Shared {
    pub fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn send_cmd(&self, worker: usize, cmd: Cmd) {
        if let Some(l) = self.links.get(worker) {
            let _ = l.tx.send(cmd);
        }
    }

    /// The worker for a new process: the least loaded, the parent's on a tie.
    fn place(&self, near: Option<usize>) -> usize {
        let mut best = near.unwrap_or(0).min(self.links.len() - 1);
        let mut load = self.links[best].live.load(Ordering::Relaxed);
        for (i, l) in self.links.iter().enumerate() {
            let n = l.live.load(Ordering::Relaxed);
            if n < load {
                best = i;
                load = n;
            }
        }
        best
    }

    /// Check that `entry` can run as a process and `host` (when given) is a process host of
    /// the program.
    pub fn check_spawn(&self, entry: &str, host: Option<&str>) -> Result<(), SpawnError> {
        let code = self.program.entries.get(entry).ok_or_else(|| {
            (
                "NotFound",
                format!("no Lua entry `{entry}` in this program"),
            )
        })?;
        if code.kind.starts_with("library.lua") {
            return Err((
                "Invalid",
                format!("entry `{entry}` is a library and cannot run as a process"),
            ));
        }
        if let Some(host) = host {
            if !self.program.hosts.is_empty() && !self.program.hosts.contains(host) {
                return Err(("NotFound", format!("process host not found: {host}")));
            }
        }
        Ok(())
    }

    /// The host a call of `entry` runs on: its `meta.default_host`, else the program's first
    /// process host, else `wippy:functions`.
    pub fn default_host(&self, entry: &str) -> String {
        self.program
            .entries
            .get(entry)
            .and_then(|e| e.meta.get("default_host"))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or_else(|| self.program.hosts.iter().next().cloned())
            .unwrap_or_else(|| "wippy:functions".into())
    }

    /// Spawn `entry` on `host` as a child of `parent` (or a root).
    pub fn spawn(
        &self,
        parent: Lineage,
        entry: &str,
        host: &str,
        args: Vec<Val>,
        opts: SpawnOptions,
    ) -> Result<Pid, SpawnError> {
        self.check_spawn(entry, opts.check_host.then_some(host))?;
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let pid = Pid {
            host: host.to_owned(),
            seq,
        };
        let Lineage {
            seq: parent_seq,
            worker: near,
            deadline,
            mut context,
            pid: parent_pid,
        } = parent;
        for (k, v) in opts.context {
            context.retain(|(ck, _)| *ck != k);
            context.push((k, v));
        }
        let worker = self.place(near);
        {
            let mut t = self.table();
            t.insert(
                Info {
                    pid: pid.clone(),
                    worker,
                    monitors: Default::default(),
                    links: Default::default(),
                    names: Vec::new(),
                    waiters: opts.waiter.into_iter().collect(),
                    parent: parent_seq,
                },
                opts.link,
                opts.monitor,
            );
            if let Some(name) = &opts.name {
                if let Err((_, m)) = t.register(name, seq) {
                    t.remove(seq, &Outcome::failed(m.clone()));
                    return Err(("AlreadyExists", m));
                }
            }
        }
        self.links[worker].live.fetch_add(1, Ordering::Relaxed);
        self.send_cmd(
            worker,
            Cmd::Spawn(Box::new(Start {
                pid: pid.clone(),
                entry: entry.to_owned(),
                args,
                context,
                deadline,
                messages: opts.messages,
                parent: parent_pid,
            })),
        );
        Ok(pid)
    }

    /// Send a message from `from` to `dest` (a pid or a registered name).
    pub fn send(&self, from: &str, dest: &str, topic: &str, data: Val) -> Result<(), String> {
        let (seq, worker) = {
            let t = self.table();
            let seq = t.resolve(dest)?;
            (seq, t.get(seq).map_or(HOST, |i| i.worker))
        };
        if worker == HOST {
            let hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(tx) = hosts.get(&seq) {
                let _ = tx.send((from.to_owned(), topic.to_owned(), data));
            }
            return Ok(());
        }
        self.send_cmd(
            worker,
            Cmd::Deliver {
                to: seq,
                from: from.to_owned(),
                topic: topic.to_owned(),
                data,
            },
        );
        Ok(())
    }

    /// End `dest` now with `outcome` (`process.terminate`, a timeout).
    pub fn kill(&self, dest: u64, outcome: Outcome) {
        let worker = self.table().get(dest).map(|i| i.worker);
        match worker {
            Some(HOST) | None => {}
            Some(w) => self.send_cmd(w, Cmd::Kill { to: dest, outcome }),
        }
    }

    /// A process ended on worker `worker`: update the table and notify.
    pub fn exited(&self, seq: u64, worker: usize, outcome: &Outcome) {
        let notices = self.table().remove(seq, outcome);
        if worker != HOST {
            self.links[worker].live.fetch_sub(1, Ordering::Relaxed);
        }
        let from = String::new();
        for (w, to, event) in notices.events {
            self.send_cmd(
                w,
                Cmd::Deliver {
                    to,
                    from: from.clone(),
                    topic: "@events".into(),
                    data: event,
                },
            );
        }
        for (w, to, slot, result) in notices.replies {
            self.send_cmd(w, Cmd::Reply { to, slot, result });
        }
        for tx in notices.hosts {
            let _ = tx.send(outcome.clone());
        }
    }
}

/// A running node: its workers and their shared state.
pub struct Node {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

/// The process-side half of the scheduler (trusted Luau, loaded once per worker state), in
/// three chunks that share one table.
const PRELUDE: [(&str, &str); 3] = [
    ("=wippy.scheduler", include_str!("prelude.lua")),
    ("=wippy.scheduler.mailbox", include_str!("mailbox.lua")),
    ("=wippy.scheduler.calls", include_str!("calls.lua")),
];

/// Load the scheduler prelude into `lua` (before `Lua::sandbox`) and register what Rust needs
/// of it; returns its table. Worker states do this when they start; anything that builds the
/// runtime's modules in a state of its own (the manifest drift test) does it first.
pub fn prelude(lua: &mlua::Lua) -> mlua::Result<mlua::Table> {
    let h = api::primitives(lua)?;
    let mut k: Option<mlua::Table> = None;
    for (name, src) in PRELUDE {
        let chunk = lua
            .load(src)
            .set_name(name)
            .set_mode(mlua::chunk::ChunkMode::Text);
        k = Some(chunk.call((h.clone(), k))?);
    }
    let k = k.ok_or_else(|| mlua::Error::runtime("no scheduler prelude"))?;
    api::register_kernel(lua, &k)?;
    Ok(k)
}

/// The scheduler's globals for a state with the prelude loaded (`k` from [`prelude`]): the
/// `process`, `channel` and `payload` tables.
pub fn globals(lua: &mlua::Lua, k: &mlua::Table) -> mlua::Result<Vec<(&'static str, mlua::Table)>> {
    Ok(vec![
        ("process", api::process_table(lua, k)?),
        ("channel", k.get("channel")?),
        ("payload", k.get("payload")?),
    ])
}

/// A failure to start a node.
#[derive(Debug)]
pub struct StartError(pub String);

impl Node {
    /// Start `config.workers` workers over `program`.
    pub fn start(program: impl Into<Arc<Program>>, config: Config) -> Result<Node, StartError> {
        let program = program.into();
        let n = config.workers.max(1);
        let mut rxs: Vec<Receiver<Cmd>> = Vec::new();
        let mut links = Vec::new();
        for _ in 0..n {
            let (tx, rx) = mpsc::channel();
            links.push(Link {
                tx,
                live: AtomicUsize::new(0),
            });
            rxs.push(rx);
        }
        let shared = Arc::new(Shared {
            program,
            config,
            links,
            table: Mutex::new(Table::default()),
            seq: AtomicU64::new(0),
            hosts: Mutex::new(HashMap::new()),
            env: Default::default(),
        });
        let mut threads = Vec::new();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
        for (i, rx) in rxs.into_iter().enumerate() {
            let shared = shared.clone();
            let ready = ready_tx.clone();
            let t = std::thread::Builder::new()
                .name(format!("wippy-worker-{i}"))
                .stack_size(16 << 20)
                .spawn(move || worker::run(i, shared, rx, ready))
                .map_err(|e| StartError(format!("cannot start a worker thread: {e}")))?;
            threads.push(t);
        }
        drop(ready_tx);
        let mut node = Node { shared, threads };
        for _ in 0..n {
            match ready_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    node.stop();
                    return Err(StartError(e));
                }
                Err(_) => {
                    node.stop();
                    return Err(StartError("a worker stopped while starting".into()));
                }
            }
        }
        Ok(node)
    }

    /// The program.
    pub fn program(&self) -> &Program {
        &self.shared.program
    }

    /// The configured wall-clock limit of a root process.
    pub fn timeout(&self) -> Option<Duration> {
        self.shared.config.timeout
    }

    /// The host a call of `entry` runs on (see [`Shared::default_host`]).
    pub fn default_host(&self, entry: &str) -> String {
        self.shared.default_host(entry)
    }

    /// Spawn `entry` on `host` as a root process (deadline: the configured timeout); its
    /// outcome arrives on the returned receiver.
    pub fn spawn_root(
        &self,
        entry: &str,
        host: &str,
        args: Vec<Val>,
        context: Vec<(String, Val)>,
    ) -> Result<(Pid, Receiver<Outcome>), SpawnError> {
        let (tx, rx) = mpsc::channel();
        let deadline = self.shared.config.timeout.map(|t| Instant::now() + t);
        let opts = SpawnOptions {
            context,
            waiter: Some(Waiter::Host(tx)),
            ..SpawnOptions::default()
        };
        let parent = Lineage {
            deadline,
            ..Lineage::default()
        };
        let pid = self.shared.spawn(parent, entry, host, args, opts)?;
        Ok((pid, rx))
    }

    /// A host-side mailbox with a pid of its own: messages sent to the pid arrive on the
    /// receiver (`wippy test` hears BDD case reports so).
    pub fn mailbox(&self, host: &str) -> (Pid, Receiver<HostMessage>) {
        let seq = self.shared.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let pid = Pid {
            host: host.to_owned(),
            seq,
        };
        let (tx, rx) = mpsc::channel();
        self.shared
            .hosts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(seq, tx);
        self.shared.table().insert(
            Info {
                pid: pid.clone(),
                worker: HOST,
                monitors: Default::default(),
                links: Default::default(),
                names: Vec::new(),
                waiters: Vec::new(),
                parent: None,
            },
            false,
            false,
        );
        (pid, rx)
    }

    /// End `root` and every process it spawned, directly or not, with `outcome`.
    pub fn kill_tree(&self, root: &Pid, outcome: Outcome) {
        let tree = self.shared.table().tree(root.seq);
        for p in tree {
            self.shared.kill(p, outcome.clone());
        }
    }

    /// How many processes are alive (host mailboxes included).
    pub fn live(&self) -> usize {
        self.shared.table().live().count()
    }

    /// The heap bytes of every worker after a full collection.
    pub fn heap_bytes(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for i in 0..self.shared.links.len() {
            let (tx, rx) = mpsc::channel();
            self.shared.send_cmd(i, Cmd::Heap(tx));
            out.push(rx.recv().unwrap_or(0));
        }
        out
    }

    /// Stop every worker (processes still running are dropped) and wait for them.
    pub fn stop(&mut self) {
        for i in 0..self.shared.links.len() {
            self.shared.send_cmd(i, Cmd::Stop);
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.stop();
    }
}
