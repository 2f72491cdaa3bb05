//! The node-wide process table: which worker runs each live process, its monitors and links,
//! the names registered for it (`process.registry`), and who waits for its result. One mutex
//! guards it; every operation holds it briefly and sends the commands it decides on after.
//!
//! Exit rules (docs `en/lua/core/process.md`, runtime `process/spec.md`): every monitor gets
//! EXIT with the result; every linked process gets LINK_DOWN when the exit is abnormal (an
//! error, a termination, a limit), never on a normal return; the names of the process are
//! released.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::val::Val;

/// A process id: its host and sequence number, shown as `{host|0x0002a}` (docs
/// `en/lua/core/process.md` show `{app:processes|0x00004}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pid {
    /// The `process.host` entry it runs on.
    pub host: String,
    /// Its sequence number in this node.
    pub seq: u64,
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}|0x{:05x}}}", self.host, self.seq)
    }
}

impl Pid {
    /// The sequence number of a pid string, if it is one.
    pub fn parse_seq(s: &str) -> Option<u64> {
        let inner = s.strip_prefix('{')?.strip_suffix('}')?;
        let (_, hex) = inner.rsplit_once("|0x")?;
        u64::from_str_radix(hex, 16).ok()
    }
}

/// How a process ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Its main function returned these values.
    Returned(Vec<Val>),
    /// It failed: the error value (a string or a structured error) and a Lua traceback.
    Failed(Val, String),
}

impl Outcome {
    /// A failure with a message and no traceback.
    pub fn failed(message: impl Into<String>) -> Outcome {
        Outcome::Failed(Val::str(message.into()), String::new())
    }

    /// The process's result and error, as Wippy reads a main function's returns
    /// (runtime `engine/process.go`: a second return value that is a string or an error makes
    /// the exit a failure).
    pub fn result(&self) -> (Val, Option<Val>) {
        match self {
            Outcome::Returned(values) => match values.get(1) {
                Some(e @ (Val::Str(_) | Val::Error(_))) => (Val::Nil, Some(e.clone())),
                _ => (values.first().cloned().unwrap_or(Val::Nil), None),
            },
            Outcome::Failed(e, _) => (Val::Nil, Some(e.clone())),
        }
    }

    /// Whether linked processes hear of it (anything but a clean return).
    pub fn abnormal(&self) -> bool {
        self.result().1.is_some()
    }

    /// The `result` field of EXIT and LINK_DOWN events: `{value = …}` or `{error = …}`.
    pub fn event_result(&self) -> Val {
        match self.result() {
            (v, None) => Val::record(vec![("value", v)]),
            (_, Some(e)) => Val::record(vec![("error", e)]),
        }
    }
}

/// Someone waiting for a process's result: a process's reply slot, or the host (`wippy run`,
/// `wippy test`) through a channel.
#[derive(Clone, Debug)]
pub enum Waiter {
    /// Reply slot `slot` of process `pid`.
    Process {
        /// The waiting process.
        pid: u64,
        /// Its reply slot.
        slot: u64,
    },
    /// A host-side receiver.
    Host(std::sync::mpsc::Sender<Outcome>),
}

/// One live process.
#[derive(Debug)]
pub struct Info {
    /// Its pid.
    pub pid: Pid,
    /// The worker that runs it.
    pub worker: usize,
    /// Processes that get EXIT when it ends.
    pub monitors: HashSet<u64>,
    /// Processes linked with it.
    pub links: HashSet<u64>,
    /// Names registered for it.
    pub names: Vec<String>,
    /// Who waits for its result.
    pub waiters: Vec<Waiter>,
    /// Its parent, if a process spawned it.
    pub parent: Option<u64>,
}

/// What to tell whom after a process ended.
#[derive(Debug, Default)]
pub struct ExitNotices {
    /// `(worker, target pid, event)` for monitors and links.
    pub events: Vec<(usize, u64, Val)>,
    /// `(worker, pid, slot, result)` replies to waiting processes.
    pub replies: Vec<(usize, u64, u64, Val)>,
    /// Host receivers and the outcome to give them.
    pub hosts: Vec<std::sync::mpsc::Sender<Outcome>>,
}

/// The table.
#[derive(Debug, Default)]
pub struct Table {
    procs: HashMap<u64, Info>,
    names: HashMap<String, u64>,
}

impl Table {
    /// Add a new process (linked to and monitored by `parent` as asked).
    pub fn insert(&mut self, mut info: Info, link: bool, monitor: bool) {
        let seq = info.pid.seq;
        if let Some(parent) = info.parent {
            if let Some(p) = self.procs.get_mut(&parent) {
                if link {
                    p.links.insert(seq);
                    info.links.insert(parent);
                }
            }
            if monitor && self.procs.contains_key(&parent) {
                info.monitors.insert(parent);
            }
        }
        self.procs.insert(seq, info);
    }

    /// A live process.
    pub fn get(&self, seq: u64) -> Option<&Info> {
        self.procs.get(&seq)
    }

    /// Every live process.
    pub fn live(&self) -> impl Iterator<Item = &Info> {
        self.procs.values()
    }

    /// The live process a destination names: a pid string or a registered name.
    pub fn resolve(&self, dest: &str) -> Result<u64, String> {
        if let Some(seq) = Pid::parse_seq(dest) {
            return if self.procs.contains_key(&seq) {
                Ok(seq)
            } else {
                Err(format!("process not found: {dest}"))
            };
        }
        self.names
            .get(dest)
            .copied()
            .ok_or_else(|| format!("could not resolve: {dest}"))
    }

    /// `monitor` (`on = true`) or `unmonitor` `target` from `me`.
    pub fn set_monitor(&mut self, me: u64, target: u64, on: bool) -> Result<(), String> {
        let t = self
            .procs
            .get_mut(&target)
            .ok_or_else(|| "process not found".to_owned())?;
        if on {
            t.monitors.insert(me);
        } else {
            t.monitors.remove(&me);
        }
        Ok(())
    }

    /// `link` or `unlink` two processes.
    pub fn set_link(&mut self, me: u64, target: u64, on: bool) -> Result<(), String> {
        if me == target {
            return Err("cannot link a process to itself".into());
        }
        if !self.procs.contains_key(&target) {
            return Err("process not found".into());
        }
        for (a, b) in [(me, target), (target, me)] {
            if let Some(p) = self.procs.get_mut(&a) {
                if on {
                    p.links.insert(b);
                } else {
                    p.links.remove(&b);
                }
            }
        }
        Ok(())
    }

    /// Wait for `target`'s result.
    pub fn add_waiter(&mut self, target: u64, waiter: Waiter) -> bool {
        match self.procs.get_mut(&target) {
            Some(p) => {
                p.waiters.push(waiter);
                true
            }
            None => false,
        }
    }

    /// Register `name` for `seq` (idempotent for the same process).
    pub fn register(&mut self, name: &str, seq: u64) -> Result<(), (&'static str, String)> {
        if !self.procs.contains_key(&seq) {
            return Err(("NotFound", "process not found".into()));
        }
        match self.names.get(name) {
            Some(owner) if *owner == seq => return Ok(()),
            Some(_) => return Err(("AlreadyExists", format!("name already registered: {name}"))),
            None => {}
        }
        self.names.insert(name.to_owned(), seq);
        if let Some(p) = self.procs.get_mut(&seq) {
            p.names.push(name.to_owned());
        }
        Ok(())
    }

    /// The pid registered under `name`.
    pub fn lookup(&self, name: &str) -> Option<&Pid> {
        self.names
            .get(name)
            .and_then(|s| self.procs.get(s))
            .map(|p| &p.pid)
    }

    /// Remove `name`; whether it was registered.
    pub fn unregister(&mut self, name: &str) -> bool {
        match self.names.remove(name) {
            Some(seq) => {
                if let Some(p) = self.procs.get_mut(&seq) {
                    p.names.retain(|n| n != name);
                }
                true
            }
            None => false,
        }
    }

    /// Remove an ended process and say whom to notify.
    pub fn remove(&mut self, seq: u64, outcome: &Outcome) -> ExitNotices {
        let mut notices = ExitNotices::default();
        let Some(info) = self.procs.remove(&seq) else {
            return notices;
        };
        for name in &info.names {
            self.names.remove(name);
        }
        let pid = Val::str(info.pid.to_string());
        let (_, error) = outcome.result();
        for m in &info.monitors {
            if let Some(target) = self.procs.get(m) {
                let event = Val::record(vec![
                    ("kind", Val::str("pid.exit")),
                    ("from", pid.clone()),
                    ("result", outcome.event_result()),
                    ("error", error.clone().unwrap_or(Val::Nil)),
                ]);
                notices.events.push((target.worker, *m, event));
            }
        }
        for l in &info.links {
            if let Some(target) = self.procs.get_mut(l) {
                target.links.remove(&seq);
                if outcome.abnormal() {
                    let event = Val::record(vec![
                        ("kind", Val::str("pid.link.down")),
                        ("from", pid.clone()),
                        ("result", outcome.event_result()),
                        ("error", error.clone().unwrap_or(Val::Nil)),
                    ]);
                    notices.events.push((target.worker, *l, event));
                }
            }
        }
        let reply = outcome.event_result();
        for w in info.waiters {
            match w {
                Waiter::Process { pid, slot } => {
                    if let Some(target) = self.procs.get(&pid) {
                        notices
                            .replies
                            .push((target.worker, pid, slot, reply.clone()));
                    }
                }
                Waiter::Host(tx) => notices.hosts.push(tx),
            }
        }
        notices
    }

    /// Live processes that descend from `root` (itself included).
    pub fn tree(&self, root: u64) -> Vec<u64> {
        let mut children: HashMap<u64, Vec<u64>> = HashMap::new();
        for c in self.procs.values() {
            if let Some(p) = c.parent {
                children.entry(p).or_default().push(c.pid.seq);
            }
        }
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = children.get(&out[i]) {
                out.extend(kids);
            }
            i += 1;
        }
        out.retain(|p| self.procs.contains_key(p));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(seq: u64, parent: Option<u64>) -> Info {
        Info {
            pid: Pid {
                host: "app:h".into(),
                seq,
            },
            worker: 0,
            monitors: HashSet::new(),
            links: HashSet::new(),
            names: Vec::new(),
            waiters: Vec::new(),
            parent,
        }
    }

    #[test]
    fn pids_print_and_parse() {
        let p = Pid {
            host: "app:processes".into(),
            seq: 4,
        };
        assert_eq!(p.to_string(), "{app:processes|0x00004}");
        assert_eq!(Pid::parse_seq(&p.to_string()), Some(4));
        assert_eq!(Pid::parse_seq("name"), None);
    }

    #[test]
    fn exits_notify_monitors_always_and_links_only_when_abnormal() {
        let mut t = Table::default();
        t.insert(info(1, None), false, false);
        t.insert(info(2, Some(1)), true, true);
        let n = t.remove(2, &Outcome::Returned(vec![Val::Bool(true)]));
        assert_eq!(n.events.len(), 1, "{n:?}");
        assert_eq!(n.events[0].2.get("kind"), Some(&Val::str("pid.exit")));
        t.insert(info(3, Some(1)), true, true);
        let n = t.remove(3, &Outcome::failed("boom"));
        let kinds: Vec<_> = n.events.iter().map(|e| e.2.get("kind").cloned()).collect();
        assert_eq!(
            kinds,
            vec![Some(Val::str("pid.exit")), Some(Val::str("pid.link.down"))]
        );
        assert!(t.get(1).unwrap().links.is_empty());
    }

    #[test]
    fn names_release_with_their_process() {
        let mut t = Table::default();
        t.insert(info(1, None), false, false);
        t.register("svc", 1).unwrap();
        assert!(t.register("svc", 1).is_ok());
        t.insert(info(2, None), false, false);
        assert_eq!(t.register("svc", 2).unwrap_err().0, "AlreadyExists");
        assert_eq!(t.resolve("svc"), Ok(1));
        t.remove(1, &Outcome::Returned(vec![]));
        assert!(t.resolve("svc").is_err());
        assert!(t
            .resolve("{app:h|0x00001}")
            .unwrap_err()
            .contains("not found"));
    }
}
