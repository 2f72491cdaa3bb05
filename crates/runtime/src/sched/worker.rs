//! One worker thread: a Luau state, the processes placed on it, their tasks, a ready queue and
//! a timer heap. The loop takes commands from other threads, fires due timers, and resumes
//! ready tasks one slice at a time; with nothing to do it sleeps until the next command or
//! timer.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use host::{Budget, Limits};
use mlua::thread::ThreadStatus;
use mlua::{Function, Lua, MultiValue, Table, Thread, Value};

use super::registry::{Outcome, Pid};
use super::val::{self, Val};
use super::{Cmd, Shared, Start};
use crate::globals::Globals;

/// Resumes between two looks at the command queue.
const BATCH: usize = 64;

/// Where a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TaskState {
    /// In the ready queue.
    Queued,
    /// Being resumed now.
    Running,
    /// Running, and something already woke it (it must not stay parked).
    Woke,
    /// Waiting for a wake.
    Parked,
}

struct Task {
    thread: Thread,
    proc: u64,
    state: TaskState,
    /// Arguments of its first resume.
    args: Option<MultiValue>,
}

/// A process on this worker.
pub(crate) struct Proc {
    pub pid: Pid,
    pub pid_str: String,
    pub entry: String,
    /// The prelude's process state (mailbox, subscriptions, library cache).
    pub state: Table,
    /// Its globals.
    pub env: Table,
    /// `{__index = env, __newindex = env}` for the environments of the libraries it imports.
    pub lib_meta: Option<Table>,
    pub main: u64,
    tasks: HashSet<u64>,
    ticks_left: u64,
    pub deadline: Option<Instant>,
    pub context: Vec<(String, Val)>,
    /// Callbacks waiting for results (`process.exec`, `funcs.call`), by slot.
    pub replies: HashMap<u64, Function>,
    /// `process.upgrade`: the entry and arguments to continue with.
    upgrade: Option<(String, Vec<Val>)>,
    timers: HashSet<u64>,
}

thread_local! {
    static WORKER: RefCell<Option<Rc<Worker>>> = const { RefCell::new(None) };
}

/// The worker running on this thread (inside a Rust function called from Lua).
pub(crate) fn with<R>(f: impl FnOnce(&Rc<Worker>) -> R) -> mlua::Result<R> {
    WORKER.with(|w| match &*w.borrow() {
        Some(w) => Ok(f(w)),
        None => Err(mlua::Error::runtime(
            "this operation needs a running Wippy process",
        )),
    })
}

/// A worker's state. Nothing here is borrowed across a resume: Rust functions that Lua calls
/// during one reach back into it.
pub(crate) struct Worker {
    pub index: usize,
    pub shared: Arc<Shared>,
    pub lua: Lua,
    pub globals: Globals,
    budget: Rc<Budget>,
    heap_cap: Cell<usize>,
    tasks: RefCell<HashMap<u64, Task>>,
    ready: RefCell<VecDeque<u64>>,
    pub procs: RefCell<HashMap<u64, Proc>>,
    timers: RefCell<BinaryHeap<Reverse<(Instant, u64)>>>,
    timer_fns: RefCell<HashMap<u64, (Function, Option<u64>)>>,
    /// `(task, process)` being resumed.
    current: Cell<Option<(u64, u64)>>,
    /// The process whose timer fires now.
    firing: Cell<Option<u64>>,
    next: Cell<u64>,
    /// Processes to end once the current resume is over.
    doomed: RefCell<Vec<(u64, Outcome)>>,
}

/// The thread body: build the state, report readiness, loop.
pub(crate) fn run(
    index: usize,
    shared: Arc<Shared>,
    rx: Receiver<Cmd>,
    ready: Sender<Result<(), String>>,
) {
    let worker = match Worker::new(index, shared) {
        Ok(w) => Rc::new(w),
        Err(e) => {
            let _ = ready.send(Err(format!("starting worker {index}: {e}")));
            return;
        }
    };
    WORKER.with(|w| *w.borrow_mut() = Some(worker.clone()));
    let _ = ready.send(Ok(()));
    worker.run_loop(&rx);
    worker.clear();
    WORKER.with(|w| *w.borrow_mut() = None);
}

impl Worker {
    fn new(index: usize, shared: Arc<Shared>) -> mlua::Result<Worker> {
        let lua = Lua::new();
        let limits = Limits {
            timeout_ms: shared.config.timeout.map_or(0, |t| t.as_millis() as u64),
            memory_bytes: shared.config.memory_bytes,
            instructions: shared.config.instructions,
        };
        let budget = Budget::install(&lua, &limits);
        // Full budget checks every 32 ticks: the per-tick cost is then a counter.
        budget.set_stride(32);
        host::limits::guard_allocators(&lua, &budget)?;
        let globals = Globals::new(&lua, &shared.program, shared.env.clone())?;
        lua.sandbox(true)?;
        lua.gc_collect()?;
        let heap_cap = match shared.config.memory_bytes {
            0 => usize::MAX,
            n => lua.used_memory().saturating_add(n),
        };
        Ok(Worker {
            index,
            shared,
            lua,
            globals,
            budget,
            heap_cap: Cell::new(heap_cap),
            tasks: RefCell::default(),
            ready: RefCell::default(),
            procs: RefCell::default(),
            timers: RefCell::default(),
            timer_fns: RefCell::default(),
            current: Cell::new(None),
            firing: Cell::new(None),
            next: Cell::new(0),
            doomed: RefCell::default(),
        })
    }

    fn id(&self) -> u64 {
        let n = self.next.get() + 1;
        self.next.set(n);
        n
    }

    fn run_loop(&self, rx: &Receiver<Cmd>) {
        loop {
            loop {
                match rx.try_recv() {
                    Ok(Cmd::Stop) => return,
                    Ok(cmd) => self.handle(cmd),
                    Err(_) => break,
                }
            }
            self.fire_timers();
            let mut ran = 0;
            while ran < BATCH {
                let Some(t) = self.ready.borrow_mut().pop_front() else {
                    break;
                };
                self.step(t);
                ran += 1;
            }
            self.bury();
            if !self.ready.borrow().is_empty() {
                continue;
            }
            let next = self.timers.borrow().peek().map(|Reverse((at, _))| *at);
            let got = match next {
                Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match got {
                Ok(Cmd::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(cmd) => self.handle(cmd),
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }

    fn handle(&self, cmd: Cmd) {
        match cmd {
            Cmd::Spawn(start) => self.start(*start),
            Cmd::Deliver {
                to,
                from,
                topic,
                data,
            } => self.deliver(to, &from, &topic, &data),
            Cmd::Reply { to, slot, result } => self.reply(to, slot, &result),
            Cmd::Kill { to, outcome } => self.doom(to, outcome),
            Cmd::Heap(tx) => {
                let _ = self.lua.gc_collect();
                let _ = self.lua.gc_collect();
                let _ = tx.send(self.lua.used_memory());
            }
            Cmd::Stop => {}
        }
        self.bury();
    }

    /// Start a process: its globals, its chunk, its main task.
    fn start(&self, s: Start) {
        let seq = s.pid.seq;
        let pid_str = s.pid.to_string();
        match self.build(&s, &pid_str) {
            Ok(proc) => {
                self.procs.borrow_mut().insert(seq, proc);
                for (topic, data) in &s.messages {
                    self.deliver(seq, s.parent.as_deref().unwrap_or(""), topic, data);
                }
            }
            Err(e) => {
                self.shared
                    .exited(seq, self.index, &Outcome::failed(e.to_string()));
            }
        }
    }

    fn build(&self, s: &Start, pid_str: &str) -> mlua::Result<Proc> {
        let program = &self.shared.program;
        let entry = program
            .entries
            .get(&s.entry)
            .ok_or_else(|| mlua::Error::runtime(format!("no Lua entry `{}`", s.entry)))?;
        let state: Table = self.globals.kernel.new_process.call(pid_str)?;
        let env = self.globals.entry_env(&self.lua, entry)?;
        let chunk = self.globals.chunk(&self.lua, entry, &env)?;
        let main = self.id();
        let thread = self.lua.create_thread(self.globals.kernel.main.clone())?;
        let mut args = MultiValue::new();
        args.push_back(Value::Function(chunk));
        args.push_back(Value::String(self.lua.create_string(&entry.id)?));
        args.push_back(match &entry.method {
            Some(m) => Value::String(self.lua.create_string(m)?),
            None => Value::Nil,
        });
        for a in &s.args {
            args.push_back(val::to_lua(&self.lua, a)?);
        }
        self.tasks.borrow_mut().insert(
            main,
            Task {
                thread,
                proc: s.pid.seq,
                state: TaskState::Queued,
                args: Some(args),
            },
        );
        self.ready.borrow_mut().push_back(main);
        Ok(Proc {
            pid: s.pid.clone(),
            pid_str: pid_str.to_owned(),
            entry: s.entry.clone(),
            state,
            env,
            lib_meta: None,
            main,
            tasks: HashSet::from([main]),
            ticks_left: match self.shared.config.instructions {
                0 => u64::MAX,
                n => n,
            },
            deadline: s.deadline,
            context: s.context.clone(),
            replies: HashMap::new(),
            upgrade: None,
            timers: HashSet::new(),
        })
    }

    /// A new task of the current process running `f(args…)` (`coroutine.spawn`).
    pub fn spawn_task(&self, f: Function, args: MultiValue) -> mlua::Result<Thread> {
        let (_, proc) = self
            .current
            .get()
            .ok_or_else(|| mlua::Error::runtime("coroutine.spawn needs a running process"))?;
        let thread = self.lua.create_thread(self.globals.kernel.task.clone())?;
        let mut a = MultiValue::new();
        a.push_back(Value::Function(f));
        a.extend(args);
        let id = self.id();
        self.tasks.borrow_mut().insert(
            id,
            Task {
                thread: thread.clone(),
                proc,
                state: TaskState::Queued,
                args: Some(a),
            },
        );
        if let Some(p) = self.procs.borrow_mut().get_mut(&proc) {
            p.tasks.insert(id);
        }
        self.ready.borrow_mut().push_back(id);
        Ok(thread)
    }

    /// The task and process being resumed.
    pub fn current(&self) -> Option<(u64, u64)> {
        self.current.get()
    }

    /// Make a parked task ready (a wake for a running one is remembered).
    pub fn ready(&self, t: u64) {
        let mut tasks = self.tasks.borrow_mut();
        let Some(task) = tasks.get_mut(&t) else {
            return;
        };
        match task.state {
            TaskState::Parked => {
                task.state = TaskState::Queued;
                self.ready.borrow_mut().push_back(t);
            }
            TaskState::Running => task.state = TaskState::Woke,
            TaskState::Queued | TaskState::Woke => {}
        }
    }

    /// Resume task `t` for one slice.
    fn step(&self, t: u64) {
        let (thread, proc, args) = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(task) = tasks.get_mut(&t) else {
                return;
            };
            task.state = TaskState::Running;
            (task.thread.clone(), task.proc, task.args.take())
        };
        let Some((ticks, deadline)) = self
            .procs
            .borrow()
            .get(&proc)
            .map(|p| (p.ticks_left, p.deadline))
        else {
            self.tasks.borrow_mut().remove(&t);
            return;
        };
        self.current.set(Some((t, proc)));
        self.budget.resume(
            ticks,
            deadline,
            self.heap_cap.get(),
            thread.state(),
            self.shared.config.quantum,
        );
        let result = match args {
            Some(a) => thread.resume::<MultiValue>(a),
            None => thread.resume::<MultiValue>(()),
        };
        let paused = self.budget.pause(result.as_ref().err());
        self.current.set(None);
        if let Some(p) = self.procs.borrow_mut().get_mut(&proc) {
            p.ticks_left = paused.ticks_left;
        }
        let upgrading = self
            .procs
            .borrow()
            .get(&proc)
            .is_some_and(|p| p.upgrade.is_some());
        if upgrading {
            self.upgrade_now(proc);
            return;
        }
        if let Some(tripped) = paused.tripped {
            self.doom(proc, Outcome::failed(self.budget.describe(tripped)));
            return;
        }
        let values = match result {
            Ok(v) => v,
            Err(e) => {
                self.doom(proc, Outcome::failed(host::error_text(&e)));
                return;
            }
        };
        match thread.status() {
            ThreadStatus::Resumable => {
                let parked = !paused.preempted
                    && matches!(values.front(), Some(Value::LightUserData(p)) if p.0 == super::host::MARK.0);
                let mut tasks = self.tasks.borrow_mut();
                let Some(task) = tasks.get_mut(&t) else {
                    return;
                };
                if parked && task.state == TaskState::Running {
                    task.state = TaskState::Parked;
                } else {
                    task.state = TaskState::Queued;
                    self.ready.borrow_mut().push_back(t);
                }
            }
            _ => self.task_done(t, proc, values),
        }
    }

    /// A task's function returned `(true, results…)` or `(false, error, traceback)`.
    fn task_done(&self, t: u64, proc: u64, values: MultiValue) {
        self.tasks.borrow_mut().remove(&t);
        let is_main = {
            let mut procs = self.procs.borrow_mut();
            let Some(p) = procs.get_mut(&proc) else {
                return;
            };
            p.tasks.remove(&t);
            p.main == t
        };
        let mut it = values.into_iter();
        let ok = matches!(it.next(), Some(Value::Boolean(true)));
        if !ok {
            let err = it.next().unwrap_or(Value::Nil);
            let trace = match it.next() {
                Some(Value::String(s)) => clean_trace(&s.to_string_lossy()),
                _ => String::new(),
            };
            let e = val::from_lua(&self.lua, &err, "error")
                .unwrap_or_else(|_| Val::str(error_string(&self.lua, &err)));
            self.doom(proc, Outcome::Failed(e, trace));
            return;
        }
        if is_main {
            let results: Result<Vec<Val>, String> = it
                .map(|v| val::from_lua(&self.lua, &v, "the process result"))
                .collect();
            let outcome = match results {
                Ok(r) => Outcome::Returned(r),
                Err(e) => Outcome::failed(e),
            };
            self.doom(proc, outcome);
        }
    }

    /// End process `proc` once the current resume is over.
    pub fn doom(&self, proc: u64, outcome: Outcome) {
        self.doomed.borrow_mut().push((proc, outcome));
        if self.current.get().is_none() {
            self.bury();
        }
    }

    /// End the doomed processes: drop their tasks and timers, tell the node.
    fn bury(&self) {
        loop {
            let next = self.doomed.borrow_mut().pop();
            let Some((seq, outcome)) = next else {
                return;
            };
            let Some(proc) = self.procs.borrow_mut().remove(&seq) else {
                continue;
            };
            {
                let mut tasks = self.tasks.borrow_mut();
                for t in &proc.tasks {
                    tasks.remove(t);
                }
            }
            {
                let mut fns = self.timer_fns.borrow_mut();
                for id in &proc.timers {
                    fns.remove(id);
                }
            }
            drop(proc);
            self.shared.exited(seq, self.index, &outcome);
        }
    }

    /// A message or event for process `to`.
    fn deliver(&self, to: u64, from: &str, topic: &str, data: &Val) {
        let state = match self.procs.borrow().get(&to) {
            Some(p) => p.state.clone(),
            None => return,
        };
        let result = val::to_lua(&self.lua, data).and_then(|v| {
            self.globals
                .kernel
                .deliver
                .call::<Option<String>>((state, from, topic, v))
        });
        match result {
            Ok(None) => {}
            Ok(Some(reason)) => self.doom(to, Outcome::failed(reason)),
            Err(e) => self.doom(to, Outcome::failed(host::error_text(&e))),
        }
    }

    /// A reply for slot `slot` of process `to`: `{value = …}` or `{error = …}`.
    fn reply(&self, to: u64, slot: u64, result: &Val) {
        let callback = match self.procs.borrow_mut().get_mut(&to) {
            Some(p) => p.replies.remove(&slot),
            None => return,
        };
        let Some(callback) = callback else { return };
        let r = val::to_lua(&self.lua, result).and_then(|v| callback.call::<()>(v));
        if let Err(e) = r {
            self.doom(to, Outcome::failed(host::error_text(&e)));
        }
    }

    /// A reply slot of process `proc` whose result goes to `callback`.
    pub fn reply_slot(&self, proc: u64, callback: Function) -> u64 {
        let slot = self.id();
        if let Some(p) = self.procs.borrow_mut().get_mut(&proc) {
            p.replies.insert(slot, callback);
        }
        slot
    }

    /// `process.upgrade`: once the current resume is over, process `proc` starts again from
    /// `entry` with `args`, keeping its pid, links, monitors and names.
    pub fn upgrade(&self, proc: u64, entry: String, args: Vec<Val>) {
        if let Some(p) = self.procs.borrow_mut().get_mut(&proc) {
            p.upgrade = Some((entry, args));
        }
    }

    /// Carry out a pending upgrade of `proc`.
    fn upgrade_now(&self, seq: u64) {
        let Some(old) = self.procs.borrow_mut().remove(&seq) else {
            return;
        };
        let Some((entry, args)) = old.upgrade.clone() else {
            self.procs.borrow_mut().insert(seq, old);
            return;
        };
        {
            let mut tasks = self.tasks.borrow_mut();
            for t in &old.tasks {
                tasks.remove(t);
            }
        }
        {
            let mut fns = self.timer_fns.borrow_mut();
            for id in &old.timers {
                fns.remove(id);
            }
        }
        let start = Start {
            pid: old.pid.clone(),
            entry,
            args,
            context: old.context.clone(),
            deadline: old.deadline,
            messages: Vec::new(),
            parent: None,
        };
        match self.build(&start, &old.pid_str) {
            Ok(p) => {
                self.procs.borrow_mut().insert(seq, p);
            }
            Err(e) => {
                self.shared
                    .exited(seq, self.index, &Outcome::failed(e.to_string()));
            }
        }
    }

    /// Call `f` after `after` (it belongs to the process running now or whose timer fires
    /// now, and goes with it); returns its id.
    pub fn schedule(&self, after: Duration, f: Function) -> u64 {
        let id = self.id();
        let owner = self.current.get().map(|(_, p)| p).or(self.firing.get());
        if let Some(p) = owner {
            if let Some(proc) = self.procs.borrow_mut().get_mut(&p) {
                proc.timers.insert(id);
            }
        }
        self.timer_fns.borrow_mut().insert(id, (f, owner));
        self.timers
            .borrow_mut()
            .push(Reverse((Instant::now() + after, id)));
        id
    }

    /// Cancel a timer.
    pub fn unschedule(&self, id: u64) {
        if let Some((_, Some(p))) = self.timer_fns.borrow_mut().remove(&id) {
            if let Some(proc) = self.procs.borrow_mut().get_mut(&p) {
                proc.timers.remove(&id);
            }
        }
    }

    fn fire_timers(&self) {
        let now = Instant::now();
        loop {
            let id = {
                let mut timers = self.timers.borrow_mut();
                match timers.peek() {
                    Some(Reverse((at, _))) if *at <= now => timers.pop().map(|Reverse((_, id))| id),
                    _ => None,
                }
            };
            let Some(id) = id else { return };
            let Some((f, owner)) = self.timer_fns.borrow_mut().remove(&id) else {
                continue;
            };
            if let Some(p) = owner {
                if let Some(proc) = self.procs.borrow_mut().get_mut(&p) {
                    proc.timers.remove(&id);
                }
            }
            self.current.set(None);
            self.firing.set(owner);
            let r = f.call::<()>(());
            self.firing.set(None);
            if let Err(e) = r {
                if let Some(p) = owner {
                    self.doom(p, Outcome::failed(host::error_text(&e)));
                }
            }
        }
    }

    /// Drop every process (the node is stopping).
    fn clear(&self) {
        self.ready.borrow_mut().clear();
        self.tasks.borrow_mut().clear();
        self.timer_fns.borrow_mut().clear();
        let procs: Vec<u64> = self.procs.borrow().keys().copied().collect();
        for p in procs {
            self.doom(p, Outcome::failed("the node stopped"));
        }
        self.bury();
    }
}

/// A traceback without the scheduler's own frames.
fn clean_trace(trace: &str) -> String {
    trace
        .lines()
        .filter(|l| !l.contains("wippy.scheduler") && !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of an error value that cannot be copied.
fn error_string(lua: &Lua, v: &Value) -> String {
    match lua.coerce_string(v.clone()) {
        Ok(Some(s)) => s.to_string_lossy(),
        _ => format!("(error value of type {})", v.type_name()),
    }
}
