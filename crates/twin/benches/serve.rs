//! Twin serving throughput and per-invocation cost (issue: at least 20k req/s on 2 cores).
//!
//! 1. Per invocation: `create_order` of the OrderLedger twin run directly on a worker (fresh
//!    environment, limits armed, state store, JSON body), against an empty handler.
//! 2. HTTP: the server on 127.0.0.1 and a keep-alive load generator in the same process
//!    (`CONNECTIONS` connections, `SECONDS` seconds, both overridable by environment variables),
//!    POSTing create_order requests; prints requests per second and latency percentiles.
//!
//! Run: `cargo bench -p twin --bench serve`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use twin::clock::Clock;
use twin::server::{serve, Options, StateChoice};
use twin::state::StateStore;
use twin::worker::{Outcome, Worker};
use twin::{Request, Twin};

const BODY: &str = r#"{"customer_id":"cus_001","items":[{"sku":"pen","price":1.25,"qty":3},{"sku":"ink","price":4.1}]}"#;

fn ledger() -> Twin {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/twins/orderledger");
    Twin::load(&dir).expect("twin")
}

/// The OrderLedger twin plus probe handlers (`empty`, `import_json`, `decode_body`), copied to
/// a scratch directory.
fn probe_twin() -> Twin {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/twins/orderledger");
    let dir = std::env::temp_dir().join(format!("wippy-bench-twin-{}", std::process::id()));
    for sub in ["lua/handlers", "lua/lib", "seed"] {
        std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        for e in std::fs::read_dir(src.join(sub)).expect("read").flatten() {
            std::fs::copy(e.path(), dir.join(sub).join(e.file_name())).expect("copy");
        }
    }
    std::fs::copy(src.join("wraith.toml"), dir.join("wraith.toml")).expect("copy");
    let probes = [
        ("empty", "emit.status(204)\n"),
        ("import_json", "local json = wraith.import(\"json\")\nemit.status(204)\n"),
        ("decode_body", "local json = wraith.import(\"json\")\nlocal b = json.decode(req.body)\nemit.status(204)\n"),
        ("store_only", "local c = state.get(\"customers\", \"cus_001\")\nlocal n = state.counter(\"probe\")\nstate.put(\"probes\", tostring(n % 100), { n = n, c = c.id })\nemit.json({ n = n })\n"),
    ];
    for (name, code) in probes {
        std::fs::write(dir.join("lua/handlers").join(format!("{name}.lua")), code).expect("write");
    }
    Twin::load(&dir).expect("twin")
}

fn per_invocation() {
    let twin = probe_twin();
    let store = Arc::new(StateStore::memory());
    twin.seed(&store).expect("seed");
    let clock = Arc::new(Clock::new(&twin.config.serve.clock));
    let worker = Worker::new(Arc::new(twin), store, clock).expect("worker");
    let req = Request {
        method: "POST".into(),
        path: "/orders".into(),
        body: Some(BODY.as_bytes().to_vec()),
        ..Request::default()
    };
    let bad = Request {
        method: "POST".into(),
        path: "/orders".into(),
        body: Some(b"{}".to_vec()),
        ..Request::default()
    };
    let _ = std::fs::remove_dir_all(&worker.twin().dir);
    for (label, handler, request) in [
        ("empty handler (the runtime's overhead)", "empty", &req),
        ("wraith.import(\"json\") only", "import_json", &req),
        ("import + json.decode(req.body) in Lua", "decode_body", &req),
        ("state get/counter/put + emit.json", "store_only", &req),
        ("create_order (201, writes state)", "create_order", &req),
        ("create_order (400, validation only)", "create_order", &bad),
    ] {
        for _ in 0..2_000 {
            assert!(matches!(
                worker.invoke(handler, request),
                Outcome::Answered(_)
            ));
        }
        let n = 50_000;
        let started = Instant::now();
        for _ in 0..n {
            let _ = worker.invoke(handler, request);
        }
        let us = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("per invocation, {label}: {us:.2} µs");
    }
}

async fn client(addr: std::net::SocketAddr, until: Instant, latencies: &mut Vec<Duration>) {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    while Instant::now() < until {
        let req = hyper::Request::post("/orders")
            .header("host", "bench")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(BODY.as_bytes())))
            .expect("request");
        let started = Instant::now();
        let resp = sender.send_request(req).await.expect("send");
        assert_eq!(resp.status(), 201);
        let _ = resp.into_body().collect().await.expect("body");
        latencies.push(started.elapsed());
    }
}

fn http_throughput() {
    let connections: usize = std::env::var("CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let seconds: u64 = std::env::var("SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio");
    rt.block_on(async {
        let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let options = Options { addr: "127.0.0.1:0".parse().expect("addr"), workers: 2, state: StateChoice::Memory, limits: Default::default(), log_requests: false };
        let server = tokio::spawn(serve(ledger(), options, move |a| { let _ = addr_tx.send(a); }, async { let _ = stop_rx.await; }));
        let addr = addr_rx.await.expect("address");
        let until = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let tasks: Vec<_> = (0..connections)
            .map(|_| tokio::spawn(async move {
                let mut l = Vec::new();
                client(addr, until, &mut l).await;
                l
            }))
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.expect("client"));
        }
        let elapsed = started.elapsed().as_secs_f64();
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 - 1.0) * p) as usize];
        println!(
            "HTTP create_order, {connections} keep-alive connections, {seconds} s: {} requests, {:.0} req/s, p50 {:?}, p99 {:?}",
            all.len(),
            all.len() as f64 / elapsed,
            pct(0.5),
            pct(0.99)
        );
        let _ = stop_tx.send(());
        let _ = server.await;
    });
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    per_invocation();
    http_throughput();
}
