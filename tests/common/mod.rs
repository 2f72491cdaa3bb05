//! Helpers shared by the end-to-end tests: run the `wippy` binary, make scratch directories.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// Run `wippy` in the repository root with `SOURCE_DATE_EPOCH` set to `epoch` (or unset);
/// returns (exit code, stdout, stderr).
pub fn wippy_env(args: &[&str], epoch: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wippy"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let out = cmd.output().expect("run wippy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `wippy` in the repository root; returns (exit code, stdout, stderr).
pub fn wippy(args: &[&str]) -> (i32, String, String) {
    wippy_env(args, Some("1"))
}

/// A fresh scratch directory for one test.
pub fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// A `wippy serve` child process on 127.0.0.1 (killed when dropped).
pub struct Served {
    /// The process.
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Stop the server; what it wrote to stderr (empty unless started by [`serve_logged`]).
    pub fn stop(mut self) -> String {
        use std::io::Read;
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }
}

/// Start `wippy serve TWIN --addr 127.0.0.1:0 EXTRA…` and wait for its "listening" line.
pub fn serve(twin: &str, extra: &[&str]) -> Served {
    spawn_serve(twin, extra, std::process::Stdio::null())
}

/// [`serve`] with stderr (the request log) kept for [`Served::stop`].
pub fn serve_logged(twin: &str, extra: &[&str]) -> Served {
    spawn_serve(twin, extra, std::process::Stdio::piped())
}

fn spawn_serve(twin: &str, extra: &[&str], stderr: std::process::Stdio) -> Served {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(["serve", twin, "--addr", "127.0.0.1:0"])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start wippy serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read");
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Served { child, base }
}

/// One HTTP request; returns (status, body). Keeps one connection per agent.
pub fn http(agent: &ureq::Agent, method: &str, url: &str, body: Option<&str>) -> (u16, String) {
    let req = ureq::http::Request::builder().method(method).uri(url);
    let resp = match body {
        Some(b) => agent.run(req.body(b.to_owned()).expect("request")),
        None => agent.run(req.body(()).expect("request")),
    };
    let mut resp = resp.expect("http");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

/// An agent that returns 4xx/5xx responses instead of errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// Run `wippy` in `dir` (relative to the repository root, or absolute); returns (exit code,
/// stdout, stderr).
pub fn wippy_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_WORKSPACE")
        .output()
        .expect("run wippy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `wippy` in the repository root with `stdin` as its standard input.
pub fn wippy_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run wippy");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copy the directory `from` (absolute, or relative to the repository root) into `to`,
/// recursively.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(&from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
