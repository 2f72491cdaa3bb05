//! Handlers and clients that push on every limit of `wippy serve`: each is stopped by the limit
//! that names it, the worker and the server keep answering, and nothing a handler sets can
//! break the HTTP framing. Handler cases run on a [`Worker`]; connection cases over real sockets
//! on 127.0.0.1 with short limits.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use twin::clock::Clock;
use twin::server::{HttpLimits, Options, StateChoice};
use twin::state::StateStore;
use twin::worker::{Outcome, Worker};
use twin::{Request, Twin};

fn fixture() -> Twin {
    Twin::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/twins/hardened")).expect("twin")
}

fn worker_with(store: Arc<StateStore>) -> Worker {
    let twin = fixture();
    let clock = Arc::new(Clock::new(&twin.config.serve.clock));
    Worker::new(Arc::new(twin), store, clock).expect("worker")
}

fn run(w: &Worker, case: &str) -> Outcome {
    let mut req = Request {
        method: "GET".into(),
        path: format!("/case/{case}"),
        ..Request::default()
    };
    req.params.insert("name".into(), case.into());
    w.invoke("case", &req)
}

fn failed(w: &Worker, case: &str) -> String {
    match run(w, case) {
        Outcome::Failed(m) => m,
        Outcome::Answered(r) => panic!(
            "{case}: answered {} {}",
            r.status,
            String::from_utf8_lossy(&r.body[..r.body.len().min(200)])
        ),
    }
}

fn answered(w: &Worker, case: &str) -> (u16, Value) {
    match run(w, case) {
        Outcome::Answered(r) => (
            r.status,
            serde_json::from_slice(&r.body).unwrap_or(Value::Null),
        ),
        Outcome::Failed(m) => panic!("{case}: failed: {m}"),
    }
}

const MEMORY: &str = "exceeded the 1048576 byte memory limit";

#[test]
fn conversions_are_charged_to_the_handler_memory_limit() {
    let w = worker_with(Arc::new(StateStore::memory()));
    // emit.json of a 2 MB fan-out and of a doubling DAG; state.put of the DAG.
    for case in ["fanout", "dag", "put_dag"] {
        let started = Instant::now();
        let m = failed(&w, case);
        // On a loaded machine a DAG's conversion can reach the 100 ms deadline before the
        // byte budget; either way it is stopped by the handler's own limits.
        let dag = case != "fanout" && m.contains("exceeded the 100 ms wall-clock limit");
        assert!(m.contains(MEMORY) || dag, "{case}: {m}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{case} took {:?}",
            started.elapsed()
        );
    }
    assert_eq!(answered(&w, "ok"), (200, json!({"ok": true})));
}

#[test]
fn single_large_allocations_cannot_pass_the_limit() {
    let w = worker_with(Arc::new(StateStore::memory()));
    // Between two interrupt ticks and garbage by the next one (these answered 200), also
    // inside pcall, and in one library call.
    for case in ["concat_dropped", "concat_in_pcall", "table_concat"] {
        let m = failed(&w, case);
        assert!(m.contains(MEMORY), "{case}: {m}");
    }
    // Garbage is not live data: 20 MB churned through with little alive is fine.
    assert_eq!(answered(&w, "churn").0, 200);
}

#[test]
fn a_large_stored_entity_is_charged_when_read() {
    let store = Arc::new(StateStore::memory());
    store
        .put(
            "hardened",
            "blobs",
            "big",
            json!({"data": "b".repeat(2 << 20)}),
        )
        .expect("put");
    let w = worker_with(store);
    let m = failed(&w, "big_get");
    assert!(m.contains(MEMORY), "{m}");
}

#[test]
fn list_and_query_return_pages() {
    let store = Arc::new(StateStore::memory());
    for i in 0..1_500 {
        let id = format!("i{i:05}");
        store
            .put("hardened", "items", &id, json!({"id": id, "kind": "item"}))
            .expect("put");
    }
    let w = worker_with(store);
    assert_eq!(
        answered(&w, "list"),
        (200, json!({"first": 1000, "rest": 500, "few": 5}))
    );
}

#[test]
fn errors_never_show_heap_addresses_and_statuses_are_final() {
    let w = worker_with(Arc::new(StateStore::memory()));
    for case in ["raise_table", "raise_function"] {
        let m = failed(&w, case);
        assert!(!m.contains("0x"), "{case}: {m}");
        assert!(m.contains("raised a"), "{case}: {m}");
    }
    for case in ["status_101", "error_101"] {
        let m = failed(&w, case);
        assert!(m.contains("101 is not a status"), "{case}: {m}");
    }
}

/// A server on 127.0.0.1 with `limits`, stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn server(limits: HttpLimits) -> Server {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let options = Options {
            addr: "127.0.0.1:0".parse().expect("addr"),
            workers: 1,
            state: StateChoice::Memory,
            limits,
            log_requests: false,
        };
        let served = rt.block_on(twin::server::serve(
            fixture(),
            options,
            move |addr| {
                let _ = ready_tx.send(addr);
            },
            async {
                let _ = stopped.await;
            },
        ));
        served.expect("serve");
    });
    let addr = ready_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("listening");
    Server {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    s
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nhost: localhost\r\n\r\n")
}

/// Read one response: (status, headers lower-cased, body by content-length).
fn response(s: &mut TcpStream) -> (u16, String, Vec<u8>) {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            other => panic!("connection ended in a response head: {other:?}, {head:?}"),
        }
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let status = head[9..12].parse().expect("status");
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    s.read_exact(&mut body).expect("body");
    (status, head, body)
}

/// Whether the server closes `s` within `within` (reads return end of stream).
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

fn short() -> HttpLimits {
    HttpLimits {
        header_timeout: Duration::from_millis(400),
        body_timeout: Duration::from_millis(400),
        write_timeout: Duration::from_millis(400),
        ..HttpLimits::default()
    }
}

#[test]
fn a_handler_cannot_desynchronise_keep_alive() {
    let srv = server(HttpLimits::default());
    let mut s = connect(srv.addr);
    // Two requests on one connection: the second response must start where the first ends.
    s.write_all(format!("{}{}", get("/case/content_length"), get("/case/ok")).as_bytes())
        .expect("write");
    let (status, head, body) = response(&mut s);
    assert_eq!(
        (status, body.as_slice()),
        (200, &b"hello world"[..]),
        "{head}"
    );
    assert!(!head.contains("transfer-encoding"), "{head}");
    let (status, _, body) = response(&mut s);
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).ok(),
        Some(json!({"ok": true}))
    );
}

#[test]
fn informational_statuses_never_reach_the_client() {
    let srv = server(HttpLimits::default());
    let mut s = connect(srv.addr);
    for path in ["/case/status_101", "/informational", "/case/ok"] {
        s.write_all(get(path).as_bytes()).expect("write");
        let (status, _, body) = response(&mut s);
        let expected = if path == "/case/ok" { 200 } else { 500 };
        assert_eq!(
            status,
            expected,
            "{path}: {}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[test]
fn idle_half_open_and_slow_clients_are_timed_out() {
    let srv = server(short());
    // Connected, sends nothing.
    let mut idle = connect(srv.addr);
    // Sends half a header line and stops.
    let mut half = connect(srv.addr);
    half.write_all(b"GET /case/ok HT").expect("write");
    // Keep-alive after one answered request.
    let mut kept = connect(srv.addr);
    kept.write_all(get("/case/ok").as_bytes()).expect("write");
    assert_eq!(response(&mut kept).0, 200);
    for (name, s) in [
        ("idle", &mut idle),
        ("half", &mut half),
        ("kept", &mut kept),
    ] {
        assert!(
            closed_within(s, Duration::from_secs(5)),
            "{name} stayed open"
        );
    }
    // A body that stops arriving: 408.
    let mut slow = connect(srv.addr);
    slow.write_all(b"POST /case/ok HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n0123456789")
        .expect("write");
    assert_eq!(response(&mut slow).0, 408);
}

#[test]
fn connections_over_the_cap_get_503_and_slots_come_back() {
    let srv = server(HttpLimits {
        max_connections: 3,
        ..short()
    });
    let held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = connect(srv.addr);
            s.write_all(get("/case/ok").as_bytes()).expect("write");
            assert_eq!(response(&mut s).0, 200);
            s
        })
        .collect();
    let mut over = connect(srv.addr);
    let (status, head, body) = response(&mut over);
    assert_eq!(status, 503, "{head}");
    assert!(String::from_utf8_lossy(&body).contains("limit of 3 open connections"));
    // The held connections go idle and time out; then new ones are served.
    std::thread::sleep(Duration::from_millis(1200));
    let mut again = connect(srv.addr);
    again.write_all(get("/case/ok").as_bytes()).expect("write");
    assert_eq!(response(&mut again).0, 200);
    drop(held);
}

#[test]
fn a_client_that_never_reads_is_dropped() {
    let srv = server(HttpLimits {
        max_connections: 1,
        ..short()
    });
    // 40 pipelined 900 KB responses, never read: far more than the socket buffers hold.
    let mut stalled = connect(srv.addr);
    let requests = get("/case/big_body").repeat(40);
    stalled.write_all(requests.as_bytes()).expect("write");
    // Its slot comes back once the write stall times out.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut s = connect(srv.addr);
        s.write_all(get("/case/ok").as_bytes()).expect("write");
        let (status, _, _) = response(&mut s);
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(
            Instant::now() < deadline,
            "the stalled client kept its slot"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(stalled);
}
