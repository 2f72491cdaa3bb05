//! End-to-end: `wippy serve` over real sockets on 127.0.0.1 — the seed's create_order flow,
//! routing, the limits, sandbox escapes, concurrency, deterministic clocks and SQLite
//! durability across a kill -9.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{agent, http, serve, tmp};
use serde_json::Value;

const LEDGER: &str = "examples/twins/orderledger";

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[test]
fn the_seed_create_order_flow() {
    let s = serve(LEDGER, &[]);
    let a = agent();
    let url = format!("{}/orders", s.base);
    let (status, body) = http(&a, "POST", &url, Some("{}"));
    assert_eq!(
        (status, json(&body)["error"]["code"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    let (status, body) = http(&a, "POST", &url, Some(r#"{"customer_id": "cus_999"}"#));
    assert_eq!(
        (status, json(&body)["error"]["code"].as_str()),
        (400, Some("invalid_customer")),
        "{body}"
    );
    let order = r#"{"customer_id": "cus_001", "items": [{"sku": "pen", "price": 1.25, "qty": 3}, {"sku": "ink", "price": 4.1}]}"#;
    let (status, body) = http(&a, "POST", &url, Some(order));
    assert_eq!(status, 201, "{body}");
    let created = json(&body);
    assert_eq!(created["id"], "ord_00000001");
    assert_eq!(created["total"], 7.85);
    assert_eq!(created["item_count"], 2);
    assert_eq!(created["status"], "draft");
    // Read, sub-resource, status transition, list, delete rules.
    let one = format!("{url}/ord_00000001");
    assert_eq!(json(&http(&a, "GET", &one, None).1)["total"], 7.85);
    let (status, invoice) = http(&a, "GET", &format!("{one}/invoice"), None);
    assert_eq!(status, 200, "{invoice}");
    assert_eq!(json(&invoice)["customer"], "Ada Lovelace");
    let (status, submitted) = http(&a, "POST", &format!("{one}/submit"), None);
    assert_eq!(
        (status, json(&submitted)["status"].as_str()),
        (200, Some("submitted")),
        "{submitted}"
    );
    assert_eq!(json(&http(&a, "GET", &url, None).1)["count"], 1);
    let (status, _) = http(&a, "DELETE", &one, None);
    assert_eq!(status, 409);
    let (status, body) = http(&a, "GET", &format!("{}/nowhere/1/2/3", s.base), None);
    assert_eq!(
        (status, json(&body)["error"]["type"].as_str()),
        (404, Some("not_found"))
    );
}

fn attack(a: &ureq::Agent, base: &str, name: &str) -> (u16, Value, Duration) {
    let started = Instant::now();
    let (status, body) = http(a, "GET", &format!("{base}/attack/{name}"), None);
    (status, json(&body), started.elapsed())
}

#[test]
fn limits_stop_runaway_handlers() {
    // A hostile twin fails `wippy check`: serve it anyway.
    let s = serve("tests/fixtures/twins/hostile", &["--no-check"]);
    let a = agent();
    // The wall clock: the best of three attempts, so a loaded machine does not fail the test.
    let fastest = (0..3)
        .map(|_| {
            let (status, body, took) = attack(&a, &s.base, "loop");
            assert_eq!(status, 500, "{body}");
            let message = body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(
                message.starts_with("Handler execution failed: exceeded"),
                "{message}"
            );
            assert_eq!(body["error"]["type"], "internal_error");
            assert_eq!(body["error"]["handler"], "dispatch");
            took
        })
        .min()
        .unwrap_or_default();
    assert!(
        fastest < Duration::from_millis(150),
        "an infinite loop took {fastest:?}"
    );
    for name in [
        "pcall_loop",
        "pcall_forever",
        "counting",
        "memory",
        "recursion",
        "raises",
    ] {
        let (status, body, _) = attack(&a, &s.base, name);
        assert_eq!(status, 500, "{name}: {body}");
    }
    let (_, body, _) = attack(&a, &s.base, "counting");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("instruction budget")),
        "{body}"
    );
    let (status, body, took) = attack(&a, &s.base, "slow");
    assert_eq!(status, 500, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("100 ms wall-clock limit")),
        "{body}"
    );
    assert!(
        took < Duration::from_secs(2),
        "the wall-clock limit took {took:?}"
    );
    let (_, body, _) = attack(&a, &s.base, "memory");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("memory limit")),
        "{body}"
    );
    // A 256 MB string inside pcall: the allocator refuses it, the handler sees the failure.
    let (status, body, _) = attack(&a, &s.base, "big_string");
    assert!(status == 500 || body["result"]["ok"] == false, "{body}");
    // The worker survives all of it.
    let (status, body, _) = attack(&a, &s.base, "escapes");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn the_sandbox_has_no_escapes() {
    let s = serve(
        "tests/fixtures/twins/hostile",
        &["--workers", "1", "--no-check"],
    );
    let a = agent();
    for round in 1..=2 {
        let (status, body, _) = attack(&a, &s.base, "escapes");
        assert_eq!(status, 200, "{body}");
        let r = &body["result"];
        assert_eq!(
            r["present"],
            serde_json::json!([]),
            "globals reachable: {r}"
        );
        assert_eq!(
            r["writes"],
            serde_json::json!([]),
            "writes that succeeded: {r}"
        );
        assert_eq!(
            r["leaked_global"], 1,
            "round {round}: a global survived the last invocation"
        );
        assert_eq!(r["upper"], "A");
    }
    let (status, body) = http(&a, "GET", &format!("{}/fallback", s.base), None);
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("Handler execution failed:") && body.contains("boom"),
        "{body}"
    );
}

#[test]
fn fallback_policy_serves_the_template() {
    let dir = tmp("fallback-twin");
    common::copy_dir(std::path::Path::new("tests/fixtures/twins/hostile"), &dir);
    let toml = std::fs::read_to_string(dir.join("wraith.toml"))
        .expect("toml")
        .replace("on_error = \"fail\"", "on_error = \"fallback\"");
    std::fs::write(dir.join("wraith.toml"), toml).expect("write");
    let s = serve(&dir.to_string_lossy(), &["--no-check"]);
    let (status, body) = http(&agent(), "GET", &format!("{}/fallback", s.base), None);
    assert_eq!(
        (status, json(&body)["from"].as_str()),
        (203, Some("template")),
        "{body}"
    );
}

#[test]
fn two_hundred_concurrent_clients_lose_nothing() {
    // What is tested is that no request is lost: with the wall-clock limit at the twin's 100 ms,
    // a loaded machine that deschedules a worker mid-handler would fail requests for the limit.
    let dir = tmp("concurrent-twin");
    common::copy_dir(std::path::Path::new(LEDGER), &dir);
    let toml = std::fs::read_to_string(dir.join("wraith.toml"))
        .expect("toml")
        .replace("timeout_ms = 100\n", "timeout_ms = 10000\n");
    assert!(toml.contains("timeout_ms = 10000"), "{toml}");
    std::fs::write(dir.join("wraith.toml"), toml).expect("write");
    let s = serve(&dir.to_string_lossy(), &[]);
    let url = format!("{}/orders", s.base);
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                let body = format!(
                    r#"{{"customer_id": "cus_002", "items": [{{"price": {i}, "qty": 1}}]}}"#
                );
                let (status, body) = http(&agent(), "POST", &url, Some(&body));
                assert_eq!(status, 201, "{body}");
                json(&body)["id"].as_str().expect("id").to_owned()
            })
        })
        .collect();
    let ids: BTreeSet<String> = threads
        .into_iter()
        .map(|t| t.join().expect("client"))
        .collect();
    assert_eq!(ids.len(), 200, "ids are unique");
    let (_, list) = http(&agent(), "GET", &url, None);
    assert_eq!(json(&list)["count"], 200);
}

#[test]
fn deterministic_clock_gives_identical_responses() {
    let dir = tmp("deterministic-twin");
    common::copy_dir(std::path::Path::new(LEDGER), &dir);
    let toml = std::fs::read_to_string(dir.join("wraith.toml"))
        .expect("toml")
        .replace("mode = \"real\"", "mode = \"deterministic\"");
    std::fs::write(dir.join("wraith.toml"), toml).expect("write");
    let run = || {
        let s = serve(&dir.to_string_lossy(), &[]);
        let a = agent();
        let mut transcript = Vec::new();
        for (method, path, body) in [
            (
                "POST",
                "/orders",
                Some(r#"{"customer_id": "cus_001", "items": [{"price": 3, "qty": 2}]}"#),
            ),
            ("GET", "/orders/ord_00000001/invoice", None),
            ("POST", "/orders/ord_00000001/submit", None),
            ("GET", "/orders", None),
        ] {
            let req = ureq::http::Request::builder()
                .method(method)
                .uri(format!("{}{path}", s.base));
            let mut resp = match body {
                Some(b) => a.run(req.body(b.to_owned()).expect("req")),
                None => a.run(req.body(()).expect("req")),
            }
            .expect("http");
            let headers: Vec<String> = resp
                .headers()
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("")))
                .collect();
            transcript.push(format!(
                "{} {headers:?} {}",
                resp.status(),
                resp.body_mut().read_to_string().expect("body")
            ));
        }
        transcript
    };
    let (first, second) = (run(), run());
    assert_eq!(first, second);
    assert!(
        first[0].contains("\"created_at\":1700000000"),
        "{}",
        first[0]
    );
}

#[test]
fn sqlite_state_survives_kill_9() {
    let dir = tmp("durable");
    let db = format!("sqlite:{}", dir.join("state.db").display());
    let s = serve(LEDGER, &["--state", &db]);
    let url = format!("{}/orders", s.base);
    let answered = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (url, answered, stop) = (url.clone(), answered.clone(), stop.clone());
            std::thread::spawn(move || {
                let a = agent();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let req = ureq::http::Request::builder().method("POST").uri(&url);
                    let Ok(mut resp) = a.run(
                        req.body(r#"{"customer_id": "cus_001", "items": []}"#.to_owned())
                            .expect("req"),
                    ) else {
                        break;
                    };
                    if resp.status() == 201 {
                        let body = resp.body_mut().read_to_string().unwrap_or_default();
                        answered
                            .lock()
                            .expect("lock")
                            .push(json(&body)["id"].as_str().unwrap_or_default().to_owned());
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    let mut s = s;
    s.child.kill().expect("kill -9");
    let _ = s.child.wait();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for c in clients {
        let _ = c.join();
    }
    let ids = answered.lock().expect("lock").clone();
    assert!(ids.len() > 10, "only {} orders were answered", ids.len());
    let again = serve(LEDGER, &["--state", &db]);
    let a = agent();
    for id in &ids {
        let (status, body) = http(&a, "GET", &format!("{}/orders/{id}", again.base), None);
        assert_eq!(status, 200, "{id} was answered but is lost: {body}");
    }
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut s = serve(LEDGER, &[]);
    let (status, _) = http(&agent(), "GET", &format!("{}/orders", s.base), None);
    assert_eq!(status, 200);
    let pid = s.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let started = Instant::now();
    loop {
        if let Some(code) = s.child.try_wait().expect("wait") {
            assert!(code.success(), "exit status {code}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
