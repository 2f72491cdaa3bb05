//! JSON-RPC framing in front of tower-lsp. tower-lsp ends the session on the first message it
//! cannot decode (its framed reader stops after an error), so this layer reads each
//! `Content-Length` frame itself and passes on only messages tower-lsp will accept: a body that
//! is not JSON gets a parse error (-32700), JSON that is not a JSON-RPC 2.0 message (`{}`, `[]`,
//! `{"method": "x"}`) gets an invalid-request error (-32600), and the session goes on.
//!
//! Framing errors never swallow what follows: a header line longer than [`MAX_HEADER_LINE`], a
//! bad or missing `Content-Length`, or one over [`MAX_BODY`] is answered with a parse error and
//! the reader scans forward to the next `Content-Length:` instead of reading a body it cannot
//! trust (a length of 10^15 used to make every later message vanish as body).
//!
//! The relay also ends the session on `exit` (LSP: the server exits, whatever follows), and
//! reports whether `shutdown` came first, for the exit code.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;

/// Largest message body accepted (bytes).
pub const MAX_BODY: usize = 64 << 20;

/// Longest header line accepted (bytes).
pub const MAX_HEADER_LINE: usize = 8 << 10;

/// One frame read from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A JSON-RPC message tower-lsp accepts, and its method (for requests and notifications).
    Message(Vec<u8>, Option<String>),
    /// A frame whose header or body is unusable, and why (answered with -32700).
    Malformed(String),
    /// JSON that is not a JSON-RPC message: why, and its `id` if it has a usable one (answered
    /// with -32600).
    Invalid(String, Value),
}

/// tower-lsp's message shapes (`jsonrpc::Message`), with the same serde rules, so that what
/// parses here is exactly what tower-lsp decodes.
mod shape {
    use super::{Deserialize, Value};

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub(super) enum Message {
        Response(#[allow(dead_code)] Response),
        Request(Request),
    }

    pub(super) struct Version;

    impl<'de> Deserialize<'de> for Version {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v = std::borrow::Cow::<str>::deserialize(d)?;
            if v == "2.0" {
                Ok(Version)
            } else {
                Err(serde::de::Error::custom(
                    "expected JSON-RPC version \"2.0\"",
                ))
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    pub(super) enum Id {
        Number(i64),
        String(String),
        Null,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub(super) struct Request {
        jsonrpc: Version,
        #[serde(default)]
        pub(super) method: String,
        #[serde(default)]
        params: Option<Value>,
        #[serde(default)]
        id: Option<Id>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct Error {
        code: i64,
        message: String,
        data: Option<Value>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    pub(super) enum Kind {
        Ok { result: Value },
        Err { error: Error },
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub(super) struct Response {
        jsonrpc: Version,
        #[serde(flatten)]
        kind: Kind,
        id: Id,
    }
}

/// Classify a complete body.
pub fn check_body(body: Vec<u8>) -> Frame {
    let value = match serde_json::from_slice::<Value>(&body) {
        Ok(v) => v,
        Err(e) => return Frame::Malformed(format!("invalid JSON: {e}")),
    };
    match serde_json::from_slice::<shape::Message>(&body) {
        Ok(shape::Message::Request(r)) => Frame::Message(body, Some(r.method)),
        Ok(shape::Message::Response(_)) => Frame::Message(body, None),
        Err(_) => {
            let id = match value.get("id") {
                Some(id) if id.is_string() || id.is_i64() => id.clone(),
                _ => Value::Null,
            };
            let why = match &value {
                Value::Array(_) => "batches are not supported; send one message per frame",
                Value::Object(o) if o.get("jsonrpc") != Some(&Value::from("2.0")) => {
                    "a message needs \"jsonrpc\": \"2.0\""
                }
                Value::Object(_) => {
                    "not a request, notification or response (check `method`, `id`, `params`, `result`, `error`)"
                }
                _ => "a JSON-RPC message must be an object",
            };
            Frame::Invalid(why.into(), id)
        }
    }
}

/// A header line, capped at [`MAX_HEADER_LINE`].
enum Line {
    Text(String),
    TooLong,
    End,
}

/// Reads frames from a byte stream, resynchronising after a framing error.
pub struct FrameReader<R> {
    r: R,
    /// After a framing error: skip to the next `Content-Length:` before reading headers.
    resync: bool,
}

const PATTERN: &[u8] = b"content-length:";

impl<R: AsyncBufRead + Unpin> FrameReader<R> {
    /// A reader at the start of a stream.
    pub fn new(r: R) -> Self {
        FrameReader { r, resync: false }
    }

    /// The next line without its line break; at most [`MAX_HEADER_LINE`] bytes are kept (a
    /// longer line is left partly unread, for the resynchronising scan).
    async fn line(&mut self) -> std::io::Result<Line> {
        let mut buf = Vec::new();
        loop {
            let avail = self.r.fill_buf().await?;
            if avail.is_empty() {
                return Ok(if buf.is_empty() {
                    Line::End
                } else {
                    Line::Text(String::from_utf8_lossy(&buf).into_owned())
                });
            }
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            if buf.len() + take > MAX_HEADER_LINE {
                let room = MAX_HEADER_LINE - buf.len();
                self.r.consume(room);
                return Ok(Line::TooLong);
            }
            buf.extend_from_slice(&avail[..take]);
            self.r.consume(if done { take + 1 } else { take });
            if done {
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                return Ok(Line::Text(String::from_utf8_lossy(&buf).into_owned()));
            }
        }
    }

    /// Skip to just after the next `content-length:` (any case); false at end of input.
    async fn scan(&mut self) -> std::io::Result<bool> {
        let mut matched = 0;
        loop {
            let avail = self.r.fill_buf().await?;
            if avail.is_empty() {
                return Ok(false);
            }
            let mut used = 0;
            for &b in avail {
                used += 1;
                let b = b.to_ascii_lowercase();
                matched = if b == PATTERN[matched] {
                    matched + 1
                } else {
                    usize::from(b == PATTERN[0])
                };
                if matched == PATTERN.len() {
                    self.r.consume(used);
                    return Ok(true);
                }
            }
            self.r.consume(used);
        }
    }

    fn malformed(&mut self, why: String) -> Option<Frame> {
        self.resync = true;
        Some(Frame::Malformed(why))
    }

    /// The next frame; `None` at end of input.
    pub async fn next(&mut self) -> std::io::Result<Option<Frame>> {
        let mut length: Option<Result<usize, String>> = None;
        let mut saw_header = false;
        if self.resync {
            self.resync = false;
            if !self.scan().await? {
                return Ok(None);
            }
            match self.line().await? {
                Line::Text(v) => length = Some(parse_length(&v)),
                Line::TooLong => return Ok(self.malformed("header line too long".into())),
                Line::End => return Ok(None),
            }
            saw_header = true;
        }
        loop {
            let line = match self.line().await? {
                Line::End => return Ok(None),
                Line::TooLong => {
                    return Ok(self.malformed(format!(
                        "a header line is longer than {MAX_HEADER_LINE} bytes"
                    )))
                }
                Line::Text(l) => l,
            };
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            match line.split_once(':') {
                Some((k, v)) if k.trim().eq_ignore_ascii_case("content-length") => {
                    length = Some(parse_length(v));
                }
                Some(_) => {}
                None => {
                    let shown: String = line.chars().take(40).collect();
                    return Ok(self.malformed(format!("bad header line `{shown}`")));
                }
            }
        }
        let n = match length {
            None => return Ok(self.malformed("missing Content-Length".into())),
            Some(Err(why)) => return Ok(self.malformed(why)),
            Some(Ok(n)) => n,
        };
        let mut body = vec![0; n];
        self.r.read_exact(&mut body).await?;
        Ok(Some(check_body(body)))
    }
}

/// A `Content-Length` value: a number up to [`MAX_BODY`].
fn parse_length(v: &str) -> Result<usize, String> {
    let v = v.trim();
    match v.parse::<u64>() {
        Ok(n) if n <= MAX_BODY as u64 => Ok(n as usize),
        Ok(n) => Err(format!(
            "Content-Length {n} is over the {MAX_BODY}-byte limit"
        )),
        Err(_) => {
            let shown: String = v.chars().take(40).collect();
            Err(format!("bad Content-Length `{shown}`"))
        }
    }
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error(code: i64, message: String, id: Value) -> Vec<u8> {
    let e = serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    framed(e.to_string().as_bytes())
}

/// `shutdown` and `exit` with `"params": null` lose the member: tower-lsp takes them only
/// without params, and JSON-RPC 2.0 allows null (some clients send it).
fn without_null_params(body: Vec<u8>) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    match v.as_object_mut() {
        Some(obj) if obj.get("params").is_some_and(Value::is_null) => {
            obj.remove("params");
            v.to_string().into_bytes()
        }
        _ => body,
    }
}

/// What the client did to the session, seen by the relay.
#[derive(Debug, Default)]
pub struct Lifecycle {
    /// A `shutdown` request was passed on.
    pub shutdown: AtomicBool,
    /// An `exit` notification was passed on (the relay stopped reading after it).
    pub exit: AtomicBool,
}

impl Lifecycle {
    /// The process exit code the LSP specification asks for: 0 after `shutdown`, else 1.
    pub fn exit_code(&self) -> i32 {
        if self.shutdown.load(Ordering::SeqCst) {
            0
        } else {
            1
        }
    }
}

/// Connect the client (`input`, `output`) to a server speaking on (`to_server`, `from_server`).
/// Returns when the client's input ends or after it sent `exit` (then it waits at most a second
/// for the server's last messages); `life` records `shutdown` and `exit`.
pub async fn relay<I, O, TS, FS>(
    input: I,
    mut output: O,
    mut to_server: TS,
    from_server: FS,
    life: Arc<Lifecycle>,
) where
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
        let mut r = FrameReader::new(BufReader::new(from_server));
        while let Ok(Some(frame)) = r.next().await {
            if let Frame::Message(body, _) = frame {
                if server_tx.send(framed(&body)).is_err() {
                    break;
                }
            }
        }
    });
    let mut r = FrameReader::new(BufReader::new(input));
    while let Ok(Some(frame)) = r.next().await {
        match frame {
            Frame::Message(body, method) => {
                let body = match method.as_deref() {
                    Some("shutdown" | "exit") => without_null_params(body),
                    _ => body,
                };
                if to_server.write_all(&framed(&body)).await.is_err() {
                    break;
                }
                let _ = to_server.flush().await;
                match method.as_deref() {
                    Some("shutdown") => life.shutdown.store(true, Ordering::SeqCst),
                    Some("exit") => {
                        life.exit.store(true, Ordering::SeqCst);
                        break;
                    }
                    _ => {}
                }
            }
            Frame::Malformed(why) => {
                let _ = tx.send(error(-32700, format!("Parse error: {why}"), Value::Null));
            }
            Frame::Invalid(why, id) => {
                let _ = tx.send(error(-32600, format!("Invalid request: {why}"), id));
            }
        }
    }
    drop(to_server);
    // After `exit` the server has nothing more to say that matters; after the input ends it
    // may still be finishing an answer.
    let grace = if life.exit.load(Ordering::SeqCst) {
        1
    } else {
        10
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(grace), from).await;
    drop(tx);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), writer).await;
}

#[cfg(test)]
mod tests;
