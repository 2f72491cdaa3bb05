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

use tower_lsp::{LspService, Server};

/// Serve LSP on stdin/stdout until the client sends `exit` or its input ends; returns the
/// process exit code (LSP: 0 if `shutdown` came first, else 1). Errors only if the async
/// runtime cannot start. Threads still blocked on stdin or stdout are not waited for (at most
/// 200 ms), so `exit` ends the process whatever the client does with its pipes.
pub fn run_stdio() -> std::io::Result<i32> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let life = rt.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(life.exit_code())
}

/// One LSP session over `input`/`output` (any byte streams; a tokio runtime with time and I/O
/// must be running): [`frames::relay`] in front of tower-lsp. Returns when the client's input
/// ends or it sent `exit`, or when the server has handled `exit`; the result records whether
/// `shutdown` and `exit` were sent.
pub async fn serve<I, O>(input: I, output: O) -> std::sync::Arc<frames::Lifecycle>
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let life = std::sync::Arc::new(frames::Lifecycle::default());
    let (service, socket) = LspService::new(server::Backend::new);
    // The server reads and writes through in-memory pipes; `frames::relay` checks every
    // message from the client first.
    let (client_side, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, client_read) = tokio::io::duplex(1 << 20);
    let (server_read, _) = tokio::io::split(server_in);
    let (_, server_write) = tokio::io::split(server_out);
    let (_, to_server) = tokio::io::split(client_side);
    let (from_server, _) = tokio::io::split(client_read);
    let server = Server::new(server_read, server_write, socket).serve(service);
    let relay = frames::relay(input, output, to_server, from_server, life.clone());
    tokio::pin!(relay);
    tokio::select! {
        () = &mut relay => {}
        () = server => {
            // Let the last responses reach the output (the relay ends at once when the input
            // has ended; a client that keeps its input open gets 50 ms).
            let wait = std::time::Duration::from_millis(50);
            let _ = tokio::time::timeout(wait, &mut relay).await;
        }
    }
    life
}
