//! A twin handler's globals are exactly THE handler environment list (`project::env`, the
//! manifests' `handler` globals): the worker's environment enumerates to the list, and a
//! handler reads every name of it as non-nil and none of the names the seed says handlers lack.
//! (The checker reads the same list, so `print` passing `wippy check` can never fail in `serve`.)

use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::Arc;

use project::env::{missing_in_handlers, Environment, FOREIGN_LUA_GLOBALS};
use twin::clock::Clock;
use twin::state::StateStore;
use twin::worker::{Outcome, Worker};
use twin::{Request, Twin};

fn twin_with(handler: &str) -> (std::path::PathBuf, Twin) {
    let dir = std::env::temp_dir().join(format!("wippy-twin-env-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lua/handlers")).expect("mkdir");
    std::fs::write(dir.join("lua/handlers/get_probe.lua"), handler).expect("handler");
    let twin = Twin::load(&dir).expect("twin");
    (dir, twin)
}

#[test]
fn handlers_get_exactly_the_handler_list() {
    let names = Environment::Handler.names();
    let modules = typedefs::ModuleSet::bundled();
    let mut absent: Vec<String> = Environment::Entry
        .names()
        .into_iter()
        .chain(FOREIGN_LUA_GLOBALS.iter().map(|n| (*n).to_owned()))
        .filter(|n| missing_in_handlers(n, modules) && n != "_ENV")
        .collect();
    absent.sort();
    absent.dedup();
    assert!(absent.iter().any(|n| n == "getmetatable") && absent.iter().any(|n| n == "io"));
    let mut src = String::from("local missing, reachable = {}, {}\n");
    for n in names.iter() {
        let _ = writeln!(src, "if {n} == nil then table.insert(missing, {n:?}) end");
    }
    for n in &absent {
        let _ = writeln!(src, "if {n} ~= nil then table.insert(reachable, {n:?}) end");
    }
    src.push_str(
        "emit.json({ missing = missing, reachable = reachable, n = #missing + #reachable })\n",
    );
    let (dir, twin) = twin_with(&src);
    let worker = Worker::new(
        Arc::new(twin),
        Arc::new(StateStore::memory()),
        Arc::new(Clock::new(&Default::default())),
    )
    .expect("worker");
    let got: BTreeSet<String> = worker.global_names().into_iter().collect();
    let want: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(
        got, want,
        "the worker's globals differ from the manifests' handler list"
    );
    let req = Request {
        method: "GET".into(),
        path: "/probe".into(),
        ..Request::default()
    };
    match worker.invoke("get_probe", &req) {
        Outcome::Answered(r) => {
            let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
            assert_eq!(body["n"], 0, "{body}");
        }
        Outcome::Failed(m) => panic!("handler failed: {m}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
