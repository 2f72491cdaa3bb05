//! Running test entries (`meta.type: test`, the Wippy convention) with honest verdicts.
//!
//! Each test runs as the root process of a node of its own, so nothing one test leaves (a
//! process, a registered name, a global) reaches the next. It is called as the framework's
//! runner calls it (framework `test/runner.lua`): its argument is `{pid, topic = "test:update",
//! ref_id}` and its context holds `parent_pid` and `test_topic`, so a BDD-style test (the
//! framework's `wippy.test` library) reports each case to the runner's pid, and each case
//! counts. Any other test passes only when it returns without error, its second value is not an
//! error, its first is not `false`, and it is not a failure report (`{status = "error"}` or
//! `failed_tests > 0`, what `test.run_cases` returns).

use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::program::Program;
use crate::sched::registry::Outcome;
use crate::sched::val::Val;
use crate::sched::{Config, HostMessage, Node};
use crate::vm::failure_text;

/// The topic BDD cases are reported on (framework `test/test.lua`).
pub const TOPIC: &str = "test:update";

/// How a case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It passed.
    Pass,
    /// It failed, with this message.
    Fail(String),
    /// It was skipped.
    Skip,
}

/// One counted case: a whole test entry, or one reported BDD case of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// `suite › name` for a BDD case, empty for the entry itself.
    pub name: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Milliseconds it took (as reported, for BDD cases).
    pub ms: f64,
}

/// The result of one test entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The entry id.
    pub id: String,
    /// Its cases, in order.
    pub cases: Vec<Case>,
    /// Milliseconds the entry took.
    pub ms: f64,
}

/// Why a finished test entry failed, if it did (see the module docs).
pub fn failure(id: &str, outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Failed(e, trace) => Some(failure_text(id, e, trace)),
        Outcome::Returned(values) => {
            let first = values.first().unwrap_or(&Val::Nil);
            match values.get(1) {
                Some(e @ (Val::Str(_) | Val::Error(_))) => return Some(e.display()),
                Some(Val::Nil) | None => {}
                Some(other) => return Some(other.display()),
            }
            if *first == Val::Bool(false) {
                return Some("returned false".into());
            }
            let status = first.get("status").and_then(Val::as_str);
            let failed = match first.get("failed_tests") {
                Some(Val::Num(n)) => *n,
                _ => 0.0,
            };
            if status.as_deref() == Some("error") || failed > 0.0 {
                return Some(format!(
                    "returned a failure report (status {}, {} failed)",
                    status.unwrap_or_else(|| "?".into()),
                    failed
                ));
            }
            None
        }
    }
}

/// Run test entry `id` of `program` on a fresh node with `config`; `timeout` bounds it.
pub fn run(program: &Arc<Program>, config: &Config, id: &str) -> Report {
    let started = Instant::now();
    let mut cases = Vec::new();
    let outcome = match Node::start(program.clone(), config.clone()) {
        Err(e) => Outcome::failed(format!("starting the runtime: {}", e.0)),
        Ok(node) => {
            let (runner, inbox) = node.mailbox("wippy:test");
            let me = Val::str(runner.to_string());
            let args = vec![Val::record(vec![
                ("pid", me.clone()),
                ("topic", Val::str(TOPIC)),
                ("ref_id", Val::str(id)),
            ])];
            let context = vec![
                ("parent_pid".to_owned(), me),
                ("test_topic".to_owned(), Val::str(TOPIC)),
            ];
            let host = node.default_host(id);
            let outcome = match node.spawn_root(id, &host, args, context) {
                Err((_, m)) => Outcome::failed(m),
                Ok((pid, rx)) => {
                    let o = wait(&node, &pid, &rx, config.timeout);
                    node.kill_tree(&pid, Outcome::failed("its test ended"));
                    o
                }
            };
            collect(&inbox, &mut cases);
            outcome
        }
    };
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let raised = matches!(outcome, Outcome::Failed(..));
    match failure(id, &outcome) {
        // A BDD test counts by its cases; a raise after them still fails the entry.
        _ if !cases.is_empty() && !raised => {}
        None => cases.push(Case {
            name: String::new(),
            verdict: Verdict::Pass,
            ms,
        }),
        Some(m) => cases.push(Case {
            name: String::new(),
            verdict: Verdict::Fail(m),
            ms,
        }),
    }
    Report {
        id: id.to_owned(),
        cases,
        ms,
    }
}

fn wait(
    node: &Node,
    pid: &crate::sched::registry::Pid,
    rx: &Receiver<Outcome>,
    timeout: Option<Duration>,
) -> Outcome {
    match timeout {
        None => rx
            .recv()
            .unwrap_or_else(|_| Outcome::failed("the node stopped")),
        Some(t) => match rx.recv_timeout(t + Duration::from_millis(500)) {
            Ok(o) => o,
            Err(_) => {
                let limit = format!("exceeded the {} ms wall-clock limit", t.as_millis());
                node.kill_tree(pid, Outcome::failed(limit.clone()));
                rx.recv_timeout(Duration::from_secs(1))
                    .unwrap_or_else(|_| Outcome::failed(limit))
            }
        },
    }
}

/// The BDD case reports that reached the runner: `{type = "test:case:…", data = {suite, test,
/// error, duration}}`.
fn collect(inbox: &Receiver<HostMessage>, cases: &mut Vec<Case>) {
    while let Ok((_, topic, data)) = inbox.try_recv() {
        if topic != TOPIC {
            continue;
        }
        let kind = data.get("type").and_then(Val::as_str).unwrap_or_default();
        let d = data.get("data");
        let field = |k: &str| d.and_then(|d| d.get(k)).map(Val::display);
        let name = match (field("suite"), field("test")) {
            (Some(s), Some(t)) if !s.is_empty() => format!("{s} › {t}"),
            (_, Some(t)) => t,
            _ => "?".into(),
        };
        let ms = match d.and_then(|d| d.get("duration")) {
            Some(Val::Num(s)) => s * 1e3,
            _ => 0.0,
        };
        let verdict = match kind.as_str() {
            "test:case:pass" => Verdict::Pass,
            "test:case:fail" => Verdict::Fail(field("error").unwrap_or_else(|| "failed".into())),
            "test:case:skip" => Verdict::Skip,
            _ => continue,
        };
        cases.push(Case { name, verdict, ms });
    }
}
