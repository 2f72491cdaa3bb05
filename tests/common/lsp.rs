//! A JSON-RPC client for `wippy lsp` over pipes: Content-Length framing, requests matched by id,
#![allow(dead_code)]
//! notifications kept for inspection.

#[allow(unused_imports)]
use std::io::Read as _;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// A running server.
pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: u64,
    /// Notifications received so far (in order).
    pub notifications: Vec<Value>,
    /// Requests the server sent (answered with null), in order.
    pub server_requests: Vec<Value>,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Session {
    /// Start `wippy lsp` in the repository root.
    pub fn start() -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
            .arg("lsp")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start wippy lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            stdin: Some(stdin),
            incoming,
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
        }
    }

    /// Write raw bytes (for malformed-input tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("input is open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    /// Write raw bytes, ignoring a server that has already gone (after `exit`).
    pub fn send_raw_lossy(&mut self, bytes: &[u8]) {
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(bytes).and_then(|()| stdin.flush());
        }
    }

    /// Close the server's input.
    pub fn close_input(&mut self) {
        self.stdin = None;
    }

    /// Wait up to `limit` for the process to end; its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.code().unwrap_or(-1));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn send(&mut self, v: &Value) {
        let body = v.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// Send a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
    }

    /// Send a request and wait for its response (the whole response object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to {method}"))
    }

    /// Wait up to 10 s for a message matching `pred` (notifications seen meanwhile are kept;
    /// server requests are answered with null).
    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        if let Some(i) = self.notifications.iter().position(&pred) {
            return Some(self.notifications.remove(i));
        }
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let m = self.incoming.recv_timeout(left).ok()?;
            if pred(&m) {
                return Some(m);
            }
            if m.get("method").is_some() && m.get("id").is_some() {
                let id = m["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                self.server_requests.push(m);
            } else if m.get("method").is_some() {
                self.notifications.push(m);
            }
        }
        None
    }

    /// Wait for publishDiagnostics of `uri` (the next one).
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let uri = uri.to_owned();
        let m = self
            .wait(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri.as_str()
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri}"));
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_none()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Open a document (language from the extension) and return its URI.
    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let u = uri(path);
        let lang = match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => "yaml",
            Some("luau") => "luau",
            _ => "lua",
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": lang, "version": 1, "text": text}}),
        );
        u
    }

    /// Replace a document's whole text (version `version`).
    pub fn replace(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// A request at the position of `needle` in `text` (its start, or its end with `after`).
    pub fn at(&mut self, method: &str, uri: &str, text: &str, needle: &str, after: bool) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": position_of(text, needle, after)}),
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The canonical form of an existing path.
pub fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().expect("canonical")
}

/// The `file://` URI of a path.
pub fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// A session initialized on `dir` (UTF-16 positions).
pub fn start(dir: &Path) -> Session {
    start_with(
        json!({"processId": null, "rootUri": uri(dir), "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}),
    )
}

/// A session initialized with `params` (an `initialize` request's params).
pub fn start_with(params: Value) -> Session {
    let mut s = Session::start();
    let r = s.request("initialize", params);
    assert!(r["result"]["capabilities"].is_object(), "{r}");
    s.notify("initialized", json!({}));
    s
}

/// Client capabilities of an editor that takes snippets and nested symbols.
pub fn rich_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "completion": {"completionItem": {"snippetSupport": true}},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true}
        },
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "workspaceFolders": true}
    })
}

/// The LSP position of `needle` in `text` (its start, or its end with `after`).
pub fn position_of(text: &str, needle: &str, after: bool) -> Value {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"))
        + if after { needle.len() } else { 0 };
    let line = text[..i].matches('\n').count();
    let col = i - text[..i].rfind('\n').map_or(0, |p| p + 1);
    json!({"line": line, "character": col})
}

/// Assert a completion response (after `after`) offers every label of `want` and none of
/// `not`.
pub fn assert_offers(r: &Value, after: &str, want: &[&str], not: &[&str]) {
    let got = labels(r);
    for w in want {
        assert!(
            got.iter().any(|g| g == w),
            "after `{after}`: {w} missing from {got:?}"
        );
    }
    for w in not {
        assert!(
            !got.iter().any(|g| g == w),
            "after `{after}`: {w} offered in {got:?}"
        );
    }
}

/// Labels of a completion response.
pub fn labels(r: &Value) -> Vec<String> {
    let items = r["result"]
        .as_array()
        .cloned()
        .or_else(|| r["result"]["items"].as_array().cloned())
        .unwrap_or_default();
    items
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_owned))
        .collect()
}
