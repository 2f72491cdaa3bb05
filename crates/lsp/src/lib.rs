//! `wippy lsp`: a language server for Wippy entries and Wraith twin handlers over stdio
//! (tower-lsp), answering from the checker: the same diagnostics as `wippy check`, plus
//! completion, hover, signature help, definition, references, rename and symbols.

pub mod complete;
pub mod frames;
pub mod hover;
pub mod navigate;
pub mod server;
pub mod text;
pub mod workspace;

use tower_lsp::{LspService, Server};

/// Serve LSP on stdin/stdout until the client exits. Errors only if the async runtime cannot
/// start.
pub fn run_stdio() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
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
        let relay = frames::relay(
            tokio::io::stdin(),
            tokio::io::stdout(),
            to_server,
            from_server,
        );
        // Stop when the client's input ends, or when the server has handled `exit`.
        tokio::select! {
            () = relay => {}
            () = server => {
                // Let the last responses reach stdout.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    });
    Ok(())
}
