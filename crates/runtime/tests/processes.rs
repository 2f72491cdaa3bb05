//! Processes, messages, links, channels, select, timers and calls, exercised by the Wippy
//! test entries of `fixtures/procs` (each runs on a fresh node with two workers).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use runtime::sched::Config;
use runtime::testing::{self, Verdict};
use runtime::Program;

fn program(dir: &str) -> Arc<Program> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let project = project::load_project(&root).expect("fixture project loads");
    Arc::new(Program::from_project(&project).expect("program"))
}

fn config() -> Config {
    Config {
        workers: 2,
        timeout: Some(Duration::from_secs(20)),
        ..Config::default()
    }
}

fn passes(dir: &str, id: &str) {
    passes_with(dir, id, config());
}

fn passes_with(dir: &str, id: &str, config: Config) {
    let report = testing::run(&program(dir), &config, id);
    for case in &report.cases {
        if let Verdict::Fail(m) = &case.verdict {
            panic!("{id}: {m}");
        }
    }
    assert!(!report.cases.is_empty(), "{id}: no verdict");
}

#[test]
fn messages_topics_and_names() {
    passes("procs", "procs:messages");
}

#[test]
fn exits_links_terminate_and_cancel() {
    passes("procs", "procs:lifecycle");
}

#[test]
fn channels_select_and_coroutines() {
    passes("procs", "procs:channels");
}

#[test]
fn timers_do_not_block_threads() {
    passes("procs", "procs:clocks");
}

#[test]
fn calls_context_and_payloads() {
    passes("procs", "procs:calls");
}

#[test]
fn busy_processes_are_preempted() {
    // One worker: the spinner and everything else share it.
    let one = Config {
        workers: 1,
        ..config()
    };
    passes_with("procs", "procs:fairness", one);
}
