//! JSON-RPC framing in front of tower-lsp. tower-lsp ends the session on a message whose body
//! is not JSON; this layer reads each `Content-Length` frame itself, answers malformed ones with
//! a JSON-RPC parse error (-32700) and passes only well-formed messages on, so bad input never
//! stops the server.

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;

/// Largest message body accepted (bytes).
pub const MAX_BODY: usize = 64 << 20;

/// One frame read from the client.
pub enum Frame {
    /// A body that is a JSON object or array.
    Message(Vec<u8>),
    /// A frame that could not be used, and why.
    Malformed(String),
}

/// Read the next frame; `None` at end of input.
pub async fn read_frame<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        match line.split_once(':') {
            Some((k, v)) if k.eq_ignore_ascii_case("content-length") => {
                match v.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", v.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("bad header line `{line}`")),
        }
    }
    if let Some(e) = bad_header {
        return Ok(Some(Frame::Malformed(e)));
    }
    let Some(n) = length else {
        return Ok(Some(Frame::Malformed("missing Content-Length".into())));
    };
    if n > MAX_BODY {
        let mut rest = r.take(n as u64);
        tokio::io::copy(&mut rest, &mut tokio::io::sink()).await?;
        return Ok(Some(Frame::Malformed(format!(
            "message of {n} bytes is larger than {MAX_BODY}"
        ))));
    }
    let mut body = vec![0; n];
    r.read_exact(&mut body).await?;
    Ok(Some(
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(v) if v.is_object() || v.is_array() => Frame::Message(body),
            Ok(_) => Frame::Malformed("a JSON-RPC message must be an object".into()),
            Err(e) => Frame::Malformed(format!("invalid JSON: {e}")),
        },
    ))
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Connect the client (`input`, `output`) to a server speaking on (`to_server`, `from_server`).
/// Returns when the client's input ends.
pub async fn relay<I, O, TS, FS>(input: I, mut output: O, mut to_server: TS, from_server: FS)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
    TS: AsyncWrite + Unpin + Send + 'static,
    FS: AsyncRead + Unpin + Send + 'static,
{
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    });
    let server_tx = tx.clone();
    let from = tokio::spawn(async move {
        let mut r = BufReader::new(from_server);
        while let Ok(Some(frame)) = read_frame(&mut r).await {
            if let Frame::Message(body) = frame {
                if server_tx.send(framed(&body)).is_err() {
                    break;
                }
            }
        }
    });
    let mut r = BufReader::new(input);
    while let Ok(Some(frame)) = read_frame(&mut r).await {
        match frame {
            Frame::Message(body) => {
                if to_server.write_all(&framed(&body)).await.is_err() {
                    break;
                }
                let _ = to_server.flush().await;
            }
            Frame::Malformed(why) => {
                let e = serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {why}")}});
                let _ = tx.send(framed(e.to_string().as_bytes()));
            }
        }
    }
    drop(to_server);
    let _ = from.await;
    drop(tx);
    let _ = writer.await;
}
