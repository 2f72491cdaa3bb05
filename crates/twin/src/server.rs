//! `wippy serve`: an HTTP/1.1 server (tokio + hyper) for a twin. Connections are served on
//! tokio; handlers run on a pool of worker threads, each with its own Luau state (one VM state
//! per worker), fed through one queue. Ctrl-C stops accepting and lets open requests finish.
//!
//! Bounded by [`HttpLimits`]: a connection cap (over it: 503 and close), header, body and write
//! timeouts (the header timeout also ends idle keep-alive and half-open connections), a body
//! size cap. A response leaves only with a status of 200–599 and without a handler's
//! `content-length` or `transfer-encoding` (the framing is the server's: a wrong length would
//! desynchronise the next response on a keep-alive connection).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

pub use super::conn::HttpLimits;

use super::clock::Clock;
use super::conn::{overloaded, StallGuard};
use super::state::StateStore;
use super::worker::{Outcome, Worker};
use super::{Request, Response, Twin};

/// Where entities live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateChoice {
    /// In memory, gone when the server stops.
    Memory,
    /// A SQLite file (WAL).
    Sqlite(PathBuf),
}

impl std::str::FromStr for StateChoice {
    type Err = String;
    /// `memory` or `sqlite:PATH`.
    fn from_str(s: &str) -> Result<StateChoice, String> {
        match s.split_once(':') {
            None if s == "memory" => Ok(StateChoice::Memory),
            Some(("sqlite", p)) if !p.is_empty() => Ok(StateChoice::Sqlite(PathBuf::from(p))),
            _ => Err(format!(
                "--state must be `memory` or `sqlite:PATH`, not `{s}`"
            )),
        }
    }
}

/// Server options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to listen on (port 0: any free port).
    pub addr: SocketAddr,
    /// Worker threads running handlers (each one Luau state).
    pub workers: usize,
    /// State store.
    pub state: StateChoice,
    /// Connection and request limits.
    pub limits: HttpLimits,
    /// Log one line per request to stderr: method, path, status, handler, microseconds.
    pub log_requests: bool,
}

struct Job {
    handler: String,
    request: Request,
    reply: oneshot::Sender<Outcome>,
}

struct Shared {
    twin: Arc<Twin>,
    jobs: crossbeam_channel::Sender<Job>,
    limits: HttpLimits,
}

/// Start the worker threads; each builds its Luau state, and the first failure is returned.
fn start_workers(
    twin: &Arc<Twin>,
    store: &Arc<StateStore>,
    clock: &Arc<Clock>,
    n: usize,
) -> Result<crossbeam_channel::Sender<Job>, String> {
    let (tx, rx) = crossbeam_channel::unbounded::<Job>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
    for i in 0..n.max(1) {
        let (twin, store, clock, rx, ready) = (
            twin.clone(),
            store.clone(),
            clock.clone(),
            rx.clone(),
            ready_tx.clone(),
        );
        std::thread::Builder::new()
            .name(format!("wippy-worker-{i}"))
            .spawn(move || {
                let worker = match Worker::new(twin, store, clock) {
                    Ok(w) => {
                        let _ = ready.send(Ok(()));
                        w
                    }
                    Err(e) => {
                        let _ = ready.send(Err(format!("starting a worker: {e}")));
                        return;
                    }
                };
                for job in rx {
                    let outcome = worker.invoke(&job.handler, &job.request);
                    let _ = job.reply.send(outcome);
                }
            })
            .map_err(|e| format!("starting a worker thread: {e}"))?;
    }
    for _ in 0..n.max(1) {
        ready_rx.recv().map_err(|e| e.to_string())??;
    }
    Ok(tx)
}

/// Headers that frame the message: only the server sets them.
const FRAMING: &[&str] = &["content-length", "transfer-encoding"];

fn to_hyper(r: Response) -> hyper::Response<Full<Bytes>> {
    if !(200..=599).contains(&r.status) {
        // A template's status (handlers' are checked by `emit`): 1xx would hang the client.
        return to_hyper(Response::json(
            500,
            &serde_json::json!({ "error": { "type": "internal_error", "message": format!("invalid response status {}", r.status) } }),
        ));
    }
    let mut b = hyper::Response::builder().status(r.status);
    for (k, v) in &r.headers {
        if !FRAMING.contains(&k.to_ascii_lowercase().as_str()) {
            b = b.header(k.as_str(), v.as_str());
        }
    }
    b.body(Full::new(Bytes::from(r.body))).unwrap_or_else(|e| {
        let mut bad = hyper::Response::new(Full::new(Bytes::from(format!(
            "{{\"error\":{{\"type\":\"internal_error\",\"message\":\"invalid response: {e}\"}}}}"
        ))));
        *bad.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        bad
    })
}

/// The request log line: `POST /orders 201 create_order 153µs` (`-` when no handler ran).
pub fn log_line(
    method: &str,
    path: &str,
    status: u16,
    handler: Option<&str>,
    micros: u128,
) -> String {
    format!(
        "{method} {path} {status} {} {micros}µs",
        handler.unwrap_or("-")
    )
}

/// Answer one request, logging it when `log` is set.
async fn answer_logged(shared: Arc<Shared>, req: hyper::Request<Incoming>, log: bool) -> Response {
    if !log {
        return answer(shared, req, &mut None).await;
    }
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_ascii_uppercase();
    let path = req.uri().path().to_owned();
    let mut handler = None;
    let response = answer(shared, req, &mut handler).await;
    eprintln!(
        "{}",
        log_line(
            &method,
            &path,
            response.status,
            handler.as_deref(),
            started.elapsed().as_micros()
        )
    );
    response
}

async fn answer(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
    ran: &mut Option<String>,
) -> Response {
    let method = req.method().as_str().to_ascii_uppercase();
    let path = req.uri().path().to_owned();
    let query = req
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let limits = &shared.limits;
    let collect = Limited::new(req.into_body(), limits.max_body).collect();
    let body = match tokio::time::timeout(limits.body_timeout, collect).await {
        Err(_) => {
            return Response::json(
                408,
                &serde_json::json!({ "error": { "type": "request_timeout", "message": format!("the request body did not arrive within {} ms", limits.body_timeout.as_millis()) } }),
            )
        }
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(e)) => {
            let too_big = e
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            let (status, kind) = if too_big {
                (413, "payload_too_large")
            } else {
                (400, "bad_request")
            };
            return Response::json(
                status,
                &serde_json::json!({ "error": { "type": kind, "message": e.to_string() } }),
            );
        }
    };
    let plan = shared.twin.plan(&method, &path);
    let Some(handler) = plan.handler.clone() else {
        return shared.twin.fall_through(&plan, &method, &path);
    };
    *ran = Some(handler.clone());
    let request = Request {
        method: method.clone(),
        path: path.clone(),
        query,
        headers,
        body: (!body.is_empty()).then(|| body.to_vec()),
        params: plan.resolved.params.clone(),
    };
    let (reply, outcome) = oneshot::channel();
    if shared
        .jobs
        .send(Job {
            handler: handler.clone(),
            request,
            reply,
        })
        .is_err()
    {
        return shared.twin.failed(
            &plan,
            &handler,
            "the worker pool has stopped",
            &method,
            &path,
        );
    }
    match outcome.await {
        Ok(Outcome::Answered(r)) => r,
        Ok(Outcome::Failed(m)) => shared.twin.failed(&plan, &handler, &m, &method, &path),
        Err(_) => shared
            .twin
            .failed(&plan, &handler, "the worker stopped", &method, &path),
    }
}

/// Serve `twin` until `shutdown` completes; `on_ready` gets the bound address once listening.
pub async fn serve(
    twin: Twin,
    options: Options,
    on_ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let store = Arc::new(match &options.state {
        StateChoice::Memory => StateStore::memory(),
        StateChoice::Sqlite(p) => StateStore::sqlite(p)?,
    });
    twin.seed(&store)?;
    let clock = Arc::new(Clock::new(&twin.config.serve.clock));
    let deterministic = clock.deterministic();
    let twin = Arc::new(twin);
    let jobs = start_workers(&twin, &store, &clock, options.workers)?;
    let limits = options.limits.clone();
    let shared = Arc::new(Shared {
        twin,
        jobs,
        limits: limits.clone(),
    });
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    on_ready(bound);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of descriptors (or another transient error): back off, never spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    // Answered and closed right here, without a task: a flood of connections
                    // over the cap holds nothing. What the client already sent is read first,
                    // so closing sends the answer rather than a reset.
                    let mut sent = [0u8; 8192];
                    let _ = stream.try_read(&mut sent);
                    let _ = stream.try_write(&overloaded(limits.max_connections));
                    drop(stream);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let log = options.log_requests;
                let service = service_fn(move |req| {
                    let shared = shared.clone();
                    async move { Ok::<_, Infallible>(to_hyper(answer_logged(shared, req, log).await)) }
                });
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .keep_alive(true)
                    .auto_date_header(!deterministic)
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(limits.header_timeout);
                let io = TokioIo::new(StallGuard::new(stream, limits.write_timeout));
                let conn = graceful.watch(builder.serve_connection(io, service));
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(permit);
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}

/// Serve until Ctrl-C on a tokio runtime of its own (blocking).
pub fn run(twin: Twin, options: Options, on_ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("starting the async runtime: {e}"))?;
    rt.block_on(serve(twin, options, on_ready, async {
        let _ = tokio::signal::ctrl_c().await;
    }))
}
