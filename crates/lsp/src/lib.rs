//! `wippy lsp`: a language server for Wippy entries and Wraith twin handlers over stdio
//! (tower-lsp), answering from the checker: the same diagnostics as `wippy check` (pushed and
//! pulled), completion, hover, signature help, definition, references, rename, symbols, code
//! actions, semantic tokens, inlay hints, document highlight and folding ranges.
//!
//! Layout: [`frames`] checks each JSON-RPC frame; [`server`] (lifecycle, document sync) and
//! [`requests`] talk LSP through [`convert`]; [`workspace`] holds projects and documents;
//! [`analysis`] checks documents off the request path; the features are [`complete`],
//! [`hover`], [`navigate`], [`symbols`], [`actions`], [`tokens`], [`hints`] and [`yaml`], over
//! [`resolve`] (names at a position) and [`text`] (positions, edits, offset mapping).

pub mod actions;
pub mod analysis;
pub mod capabilities;
pub mod complete;
pub mod convert;
pub mod frames;
pub mod hints;
pub mod hover;
pub mod navigate;
mod requests;
pub mod resolve;
pub mod server;
pub mod symbols;
pub mod text;
pub mod tokens;
pub mod workspace;
pub mod yaml;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp::{LspService, Server};

/// Serve LSP on stdin/stdout until the client sends `exit` (or its input ends). Exits the
/// process with status 1 after an `exit` that no `shutdown` preceded (the LSP rule); errors
/// only if the async runtime cannot start.
pub fn run_stdio() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let shutdown = Arc::new(AtomicBool::new(false));
    let exited = rt.block_on(async {
        let (service, socket) = LspService::new(server::Backend::new);
        // The client's frames pass `frames::relay` (malformed ones answered there), then
        // `lifecycle` (which sees `shutdown` and `exit`), then tower-lsp.
        let (relay_out, lifecycle_in) = tokio::io::duplex(1 << 20);
        let (lifecycle_out, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, relay_in) = tokio::io::duplex(1 << 20);
        let (server_read, _) = tokio::io::split(server_in);
        let (_, server_write) = tokio::io::split(server_out);
        let (_, to_lifecycle) = tokio::io::split(relay_out);
        let (from_server, _) = tokio::io::split(relay_in);
        let server = Server::new(server_read, server_write, socket).serve(service);
        let relay = frames::relay(
            tokio::io::stdin(),
            tokio::io::stdout(),
            to_lifecycle,
            from_server,
        );
        let (lifecycle_read, _) = tokio::io::split(lifecycle_in);
        let (_, lifecycle_write) = tokio::io::split(lifecycle_out);
        let lifecycle = lifecycle(lifecycle_read, lifecycle_write, shutdown.clone());
        tokio::pin!(relay);
        let (exited, relay_done) = tokio::select! {
            () = &mut relay => (false, true),
            () = server => (false, false),
            exited = lifecycle => (exited, false),
        };
        if !relay_done {
            // Let the last responses reach stdout.
            let _ = tokio::time::timeout(std::time::Duration::from_millis(50), relay).await;
        }
        exited
    });
    // The blocking stdin reader may never return: do not wait for it.
    rt.shutdown_background();
    if exited && !shutdown.load(Ordering::Relaxed) {
        std::process::exit(1);
    }
    Ok(())
}

/// Pass frames on to tower-lsp, seeing the lifecycle: `shutdown` and `exit` with `"params":
/// null` lose the member (tower-lsp takes them only without params; JSON-RPC allows null),
/// `shutdown` is noted, and `exit` ends the session. Returns true on `exit`.
async fn lifecycle<R, W>(from: R, mut to: W, shutdown: Arc<AtomicBool>) -> bool
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(from);
    while let Ok(Some(frame)) = frames::read_frame(&mut r).await {
        let frames::Frame::Message(mut body) = frame else {
            continue;
        };
        let mut exit = false;
        // Lifecycle messages are small; big bodies (document texts) pass unparsed.
        if body.len() < 512 {
            if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(&body) {
                let method = v["method"].as_str().unwrap_or("").to_owned();
                if matches!(method.as_str(), "shutdown" | "exit") {
                    if let Some(obj) = v.as_object_mut() {
                        if obj.get("params").is_some_and(serde_json::Value::is_null) {
                            obj.remove("params");
                            body = v.to_string().into_bytes();
                        }
                    }
                    shutdown.fetch_or(method == "shutdown", Ordering::Relaxed);
                    exit = method == "exit";
                }
            }
        }
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(&body);
        if to.write_all(&out).await.is_err() || to.flush().await.is_err() {
            return false;
        }
        if exit {
            return true;
        }
    }
    false
}
