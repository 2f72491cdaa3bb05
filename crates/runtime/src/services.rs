//! `process.service` entries and their supervisor (docs `en/guides/supervision.md`): a service
//! wraps a process entry with a host and a `lifecycle`; services with `auto_start: true` start
//! when the node boots, and one that fails is started again after an exponential backoff
//! (`restart.initial_delay`, `max_delay`, `backoff_factor`, `max_attempts`; the counter resets
//! once it ran longer than `stable_threshold`). A service that returns normally is done.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use project::Entry;
use serde_json::Value;

use crate::modules::time::parse_duration;
use crate::sched::registry::{Outcome, Pid};
use crate::sched::Node;

/// One `process.service` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Its id.
    pub id: String,
    /// The process entry it runs (`process:`, resolved against the service's namespace).
    pub process: String,
    /// Its host (`host:`; empty: the program's default).
    pub host: String,
    /// `lifecycle.auto_start`.
    pub auto_start: bool,
    /// `lifecycle.restart.initial_delay` (default 1 s).
    pub initial_delay: Duration,
    /// `lifecycle.restart.max_delay` (default 90 s).
    pub max_delay: Duration,
    /// `lifecycle.restart.backoff_factor` (default 2).
    pub backoff: f64,
    /// `lifecycle.restart.max_attempts` (0: no limit).
    pub max_attempts: u64,
    /// `lifecycle.stable_threshold` (default 5 s).
    pub stable: Duration,
}

fn duration(v: Option<&Value>, default: Duration) -> Duration {
    v.and_then(Value::as_str)
        .and_then(|s| parse_duration(s).ok())
        .map_or(default, |d| Duration::from_nanos(d.0.max(0) as u64))
}

impl Service {
    /// Read a `process.service` entry.
    pub fn from_entry(e: &Entry) -> Service {
        let life = e.data.get("lifecycle");
        let restart = life.and_then(|l| l.get("restart"));
        let process = e
            .data
            .get("process")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let process = if process.contains(':') || process.is_empty() {
            process.to_owned()
        } else {
            format!("{}:{process}", e.ns)
        };
        Service {
            id: e.id.clone(),
            process,
            host: e
                .data
                .get("host")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            auto_start: life
                .and_then(|l| l.get("auto_start"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            initial_delay: duration(
                restart.and_then(|r| r.get("initial_delay")),
                Duration::from_secs(1),
            ),
            max_delay: duration(
                restart.and_then(|r| r.get("max_delay")),
                Duration::from_secs(90),
            ),
            backoff: restart
                .and_then(|r| r.get("backoff_factor"))
                .and_then(Value::as_f64)
                .unwrap_or(2.0),
            max_attempts: restart
                .and_then(|r| r.get("max_attempts"))
                .and_then(Value::as_u64)
                .unwrap_or(0),
            stable: duration(
                life.and_then(|l| l.get("stable_threshold")),
                Duration::from_secs(5),
            ),
        }
    }

    /// The wait before restart number `attempt` (1-based).
    pub fn delay(&self, attempt: u64) -> Duration {
        let f = self
            .backoff
            .max(1.0)
            .powi(attempt.saturating_sub(1).min(64) as i32);
        self.initial_delay.mul_f64(f).min(self.max_delay)
    }
}

/// What the supervisor reports.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceEvent {
    /// A service started (again) with this pid.
    Started(String, String),
    /// A service ended; whether it will be restarted.
    Ended(String, Outcome, bool),
    /// A service could not be started.
    Refused(String, String),
}

struct Running {
    service: Service,
    pid: Option<Pid>,
    rx: Option<Receiver<Outcome>>,
    started: Instant,
    attempts: u64,
    restart_at: Option<Instant>,
}

/// Run the auto-start services of `node` until `stop()` says so or none is left; `report` hears
/// of every start, end and refusal.
pub fn supervise(node: &Node, stop: &dyn Fn() -> bool, report: &mut dyn FnMut(ServiceEvent)) {
    let mut running: Vec<Running> = node
        .program()
        .services
        .iter()
        .filter(|s| s.auto_start)
        .map(|s| Running {
            service: s.clone(),
            pid: None,
            rx: None,
            started: Instant::now(),
            attempts: 0,
            restart_at: Some(Instant::now()),
        })
        .collect();
    while !stop() && !running.is_empty() {
        let now = Instant::now();
        for r in &mut running {
            if r.restart_at.is_some_and(|at| at <= now) {
                r.restart_at = None;
                let host = if r.service.host.is_empty() {
                    node.default_host(&r.service.process)
                } else {
                    r.service.host.clone()
                };
                match node.spawn_root(&r.service.process, &host, Vec::new(), Vec::new()) {
                    Ok((pid, rx)) => {
                        report(ServiceEvent::Started(r.service.id.clone(), pid.to_string()));
                        r.pid = Some(pid);
                        r.rx = Some(rx);
                        r.started = Instant::now();
                    }
                    Err((_, m)) => report(ServiceEvent::Refused(r.service.id.clone(), m)),
                }
            }
        }
        let mut done = Vec::new();
        for (i, r) in running.iter_mut().enumerate() {
            let Some(rx) = &r.rx else {
                if r.restart_at.is_none() {
                    done.push(i);
                }
                continue;
            };
            let outcome = match rx.recv_timeout(Duration::from_millis(20)) {
                Ok(o) => o,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => Outcome::failed("the node stopped"),
            };
            r.rx = None;
            r.pid = None;
            if r.started.elapsed() >= r.service.stable {
                r.attempts = 0;
            }
            let again = outcome.abnormal()
                && (r.service.max_attempts == 0 || r.attempts < r.service.max_attempts);
            report(ServiceEvent::Ended(r.service.id.clone(), outcome, again));
            if again {
                r.attempts += 1;
                r.restart_at = Some(Instant::now() + r.service.delay(r.attempts));
            } else {
                done.push(i);
            }
        }
        for i in done.into_iter().rev() {
            running.remove(i);
        }
        if running.iter().all(|r| r.rx.is_none()) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    for r in &running {
        if let Some(pid) = &r.pid {
            node.kill_tree(pid, Outcome::failed("stopped"));
        }
    }
    for r in running {
        if let Some(rx) = r.rx {
            let _ = rx.recv_timeout(Duration::from_secs(5));
        }
    }
}
