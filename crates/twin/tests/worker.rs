//! A twin worker serves many invocations and keeps nothing of them; limits leave it usable.

use std::path::Path;
use std::sync::Arc;

use twin::clock::Clock;
use twin::state::StateStore;
use twin::worker::{Outcome, Worker};
use twin::{Request, Twin};

fn worker() -> Worker {
    let twin =
        Twin::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/twins/orderledger"))
            .expect("twin");
    let store = Arc::new(StateStore::memory());
    twin.seed(&store).expect("seed");
    let clock = Arc::new(Clock::new(&twin.config.serve.clock));
    Worker::new(Arc::new(twin), store, clock).expect("worker")
}

fn post(body: &str) -> Request {
    Request {
        method: "POST".into(),
        path: "/orders".into(),
        body: Some(body.as_bytes().to_vec()),
        ..Request::default()
    }
}

#[test]
fn invocations_leave_no_residue() {
    let w = worker();
    let bad = post("{}");
    for _ in 0..1_000 {
        w.invoke("create_order", &bad);
    }
    let before = w.heap_bytes();
    for _ in 0..20_000 {
        match w.invoke("create_order", &bad) {
            Outcome::Answered(r) => assert_eq!(r.status, 400),
            Outcome::Failed(m) => panic!("{m}"),
        }
    }
    let grown = w.heap_bytes().saturating_sub(before);
    assert!(grown < 64 * 1024, "the worker heap grew by {grown} bytes");
}

#[test]
fn a_created_order_reads_back() {
    let w = worker();
    let Outcome::Answered(r) = w.invoke(
        "create_order",
        &post(r#"{"customer_id":"cus_002","items":[{"price":10,"qty":3}]}"#),
    ) else {
        panic!("create failed")
    };
    assert_eq!(r.status, 201);
    let order: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
    assert_eq!(order["total"], 30);
    let mut get = Request {
        method: "GET".into(),
        path: "/orders/ord_00000001".into(),
        ..Request::default()
    };
    get.params.insert("id".into(), "ord_00000001".into());
    let Outcome::Answered(r) = w.invoke("get_order", &get) else {
        panic!("get failed")
    };
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&r.body).expect("json")["id"],
        "ord_00000001"
    );
}
