//! Soak test of `wippy serve` (not run in CI): mixed valid and hostile traffic against a twin on
//! 127.0.0.1 for a while, with the server's RSS sampled every second.
//!
//! ```sh
//! cargo build --release
//! cargo run --release -p twin --example soak -- --wippy target/release/wippy --secs 600
//! ```
//!
//! Valid clients create, read and list items (ids cycle over 1,000, so state stays bounded)
//! and must always get the expected status; hostile clients run handlers that hit every limit
//! (must get 500), send oversized, slow, malformed or never-finished requests, hold idle
//! connections, and never read their responses. A health probe runs every second. At the end it
//! prints requests and unexpected outcomes per kind and RSS at start, after a minute, at the end
//! and at its maximum, and exits 1 if any request got an outcome it should not have (a valid
//! request failed, a hostile one was served or crashed the connection wrongly) or the server
//! stopped answering.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HANDLERS: &[(&str, &str)] = &[
    (
        "create_item",
        "local b = req.body and #req.body or 0\nlocal id = req.headers['x-id'] or 'none'\nstate.put('items', id, { id = id, size = b, at = clock.now() })\nemit.status(201)\nemit.json({ id = id })\n",
    ),
    (
        "get_item",
        "local item = state.get('items', req.params.id)\nif not item then emit.error(404, 'not_found', req.params.id) return end\nemit.json(item)\n",
    ),
    (
        "list_items",
        "local page = state.list('items', { limit = 50 })\nemit.json({ count = #page })\n",
    ),
    (
        "attack",
        "local name = req.params.name\nif name == 'fanout' then emit.json(table.create(100, string.rep('x', 20000)))\nelseif name == 'dag' then local t = {} for _ = 1, 22 do t = { t, t } end emit.json(t)\nelseif name == 'concat' then local s = string.rep('x', 500000) local x = s .. s .. s .. s .. s x = 1 emit.json({ x = x })\nelseif name == 'loop' then while true do end\nelseif name == 'recursion' then local function f(n) return f(n + 1) + 1 end f(1)\nelseif name == 'memory' then local t = {} for i = 1, 1e7 do t[i] = string.rep('y', 1000) .. i end\nelseif name == 'status' then emit.status(101)\nelseif name == 'raise' then error({ code = 1 })\nelseif name == 'length' then emit.header('content-length', '1') emit.body('not one byte')\nelse emit.error(404, 'unknown', name) end\n",
    ),
];

const TOML: &str = r#"[twin]
name = "soak"

[serve.lua]
on_error = "fail"

[[routes]]
method = "GET"
path = "/attack/:name"
lua_hook = "attack"
"#;

fn twin_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-soak-{}", std::process::id()));
    let handlers = dir.join("lua/handlers");
    std::fs::create_dir_all(&handlers).expect("twin dir");
    std::fs::write(dir.join("wraith.toml"), TOML).expect("toml");
    for (name, src) in HANDLERS {
        std::fs::write(handlers.join(format!("{name}.lua")), src).expect("handler");
    }
    dir
}

/// Counts per kind: requests and unexpected outcomes.
#[derive(Default)]
struct Tally {
    kinds: Mutex<std::collections::BTreeMap<&'static str, (u64, u64)>>,
}

impl Tally {
    fn add(&self, kind: &'static str, ok: bool) {
        let mut k = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        let e = k.entry(kind).or_default();
        e.0 += 1;
        if !ok {
            e.1 += 1;
        }
    }
}

fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.set_write_timeout(Some(Duration::from_secs(10)))?;
    Ok(s)
}

/// One request on `s`; the status (0 when the connection failed).
fn exchange(s: &mut TcpStream, method: &str, path: &str, headers: &str, body: &[u8]) -> u16 {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: soak\r\ncontent-length: {}\r\n{headers}\r\n",
        body.len()
    );
    if s.write_all(head.as_bytes())
        .and_then(|()| s.write_all(body))
        .is_err()
    {
        return 0;
    }
    read_response(s).unwrap_or(0)
}

fn read_response(s: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::new();
    let mut b = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut b).ok()? != 1 || head.len() > 16 << 10 {
            return None;
        }
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let status = text.get(9..12)?.parse().ok()?;
    let len: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    s.read_exact(&mut body).ok()?;
    Some(status)
}

/// Keep-alive client of valid requests: create, read, list.
fn valid(addr: SocketAddr, stop: &AtomicBool, tally: &Tally, seed: u64) {
    let mut n = seed;
    let mut conn: Option<TcpStream> = None;
    while !stop.load(Ordering::Relaxed) {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let id = format!("item{}", (n >> 33) % 1000);
        let Some(s) = conn.as_mut() else {
            conn = connect(addr).ok();
            if conn.is_none() {
                tally.add("valid: connect", false);
                std::thread::sleep(Duration::from_millis(50));
            }
            continue;
        };
        let (kind, status, ok) = match (n >> 40) % 3 {
            0 => {
                let st = exchange(
                    s,
                    "POST",
                    "/items",
                    &format!("x-id: {id}\r\n"),
                    b"{\"a\":1}",
                );
                ("valid: create", st, st == 201)
            }
            1 => {
                let st = exchange(s, "GET", &format!("/items/{id}"), "", b"");
                ("valid: read", st, st == 200 || st == 404)
            }
            _ => {
                let st = exchange(s, "GET", "/items", "", b"");
                ("valid: list", st, st == 200)
            }
        };
        tally.add(kind, ok);
        if status == 0 {
            conn = None;
        }
    }
}

/// Hostile traffic, one behaviour per round.
fn hostile(addr: SocketAddr, stop: &AtomicBool, tally: &Tally, seed: u64) {
    let attacks = [
        "fanout",
        "dag",
        "concat",
        "loop",
        "recursion",
        "memory",
        "status",
        "raise",
    ];
    let mut n = seed;
    let mut held: Vec<TcpStream> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pick = (n >> 33) % 9;
        let Ok(mut s) = connect(addr) else {
            // Under the connection cap every connection must be accepted.
            tally.add("hostile: connect", false);
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        match pick {
            0..=2 => {
                let a = attacks[((n >> 45) % attacks.len() as u64) as usize];
                let st = exchange(&mut s, "GET", &format!("/attack/{a}"), "", b"");
                tally.add("hostile: limit handlers (500)", st == 500);
                if st != 500 {
                    eprintln!("unexpected: /attack/{a} answered {st}");
                }
            }
            3 => {
                // The handler's wrong content-length must not desynchronise keep-alive.
                let a = exchange(&mut s, "GET", "/attack/length", "", b"");
                let b = exchange(&mut s, "GET", "/items", "", b"");
                tally.add("hostile: framing header", a == 200 && b == 200);
            }
            4 => {
                let st = exchange(
                    &mut s,
                    "POST",
                    "/items",
                    "x-id: big\r\n",
                    &vec![b'z'; 2 << 20],
                );
                tally.add("hostile: 2 MB body (413)", st == 413 || st == 0);
            }
            8 => {
                // A 1 MiB header, over hyper's ~400 KB request-head buffer: refused (431 or
                // 400) or the connection closed, never served.
                let big = format!("x-big: {}\r\n", "b".repeat(1 << 20));
                let st = exchange(&mut s, "GET", "/items", &big, b"");
                let refused = matches!(st, 431 | 400 | 0);
                tally.add("hostile: 1 MiB header (431/400/close)", refused);
                if !refused {
                    eprintln!("unexpected: a 1 MiB header answered {st}");
                }
            }
            5 => {
                let _ = s.write_all(b"\x16\x03\x01 garbage \r\n\r\n");
                let st = read_response(&mut s).unwrap_or(0);
                tally.add("hostile: garbage request (400/close)", st == 400 || st == 0);
            }
            6 => {
                // Slow or unfinished: half a header, a body that stops, or nothing; held open.
                let _ = match (n >> 50) % 3 {
                    0 => s.write_all(b"GET /items HT"),
                    1 => s.write_all(b"POST /items HTTP/1.1\r\ncontent-length: 100\r\n\r\n12"),
                    _ => Ok(()),
                };
                tally.add("hostile: idle/slow held", true);
                held.push(s);
                if held.len() > 40 {
                    held.remove(0);
                }
            }
            _ => {
                // Pipelined requests, responses never read.
                let _ = s.write_all(
                    "GET /items HTTP/1.1\r\nhost: x\r\n\r\n"
                        .repeat(50)
                        .as_bytes(),
                );
                tally.add("hostile: never reads", true);
                held.push(s);
                if held.len() > 40 {
                    held.remove(0);
                }
            }
        }
    }
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn start(wippy: &str, dir: &std::path::Path) -> (Child, SocketAddr) {
    use std::io::BufRead as _;
    let mut child = Command::new(wippy)
        .args([
            "serve",
            &dir.to_string_lossy(),
            "--addr",
            "127.0.0.1:0",
            "--workers",
            "2",
            // The hostile handlers are hostile on purpose; requests are not logged.
            "--no-check",
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start wippy serve");
    let mut line = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    out.read_line(&mut line).expect("listening line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in: {line}"));
    (child, addr)
}

fn main() {
    let wippy = arg("--wippy").unwrap_or_else(|| "target/release/wippy".into());
    let secs: u64 = arg("--secs").and_then(|s| s.parse().ok()).unwrap_or(600);
    let dir = twin_dir();
    let (mut child, addr) = start(&wippy, &dir);
    let pid = child.id();
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let mut threads = Vec::new();
    for i in 0..4u64 {
        let (stop, tally) = (stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            valid(addr, &stop, &tally, i + 1)
        }));
    }
    for i in 0..2u64 {
        let (stop, tally) = (stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            hostile(addr, &stop, &tally, i + 100)
        }));
    }
    let started = Instant::now();
    let rss_start = rss_kb(pid).unwrap_or(0);
    let (mut rss_max, mut rss_end, mut samples) = (rss_start, rss_start, Vec::new());
    let probes_failed = AtomicU64::new(0);
    while started.elapsed() < Duration::from_secs(secs) {
        std::thread::sleep(Duration::from_secs(1));
        let rss = rss_kb(pid).unwrap_or(0);
        rss_max = rss_max.max(rss);
        rss_end = rss;
        samples.push(rss);
        let probe = connect(addr)
            .map(|mut s| exchange(&mut s, "GET", "/items", "", b""))
            .unwrap_or(0);
        if probe != 200 {
            probes_failed.fetch_add(1, Ordering::Relaxed);
        }
        if samples.len() % 60 == 0 {
            eprintln!("{:>4} s: RSS {rss} kB", started.elapsed().as_secs());
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let alive = child.try_wait().ok().flatten().is_none();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let kinds = tally.kinds.lock().unwrap_or_else(|p| p.into_inner());
    let (mut total, mut valid_failed, mut unexpected) = (0, 0, 0);
    println!("soak of `wippy serve` for {secs} s on {addr}");
    for (kind, (n, bad)) in kinds.iter() {
        println!("  {kind:<40} {n:>9} requests {bad:>6} unexpected");
        total += n;
        unexpected += bad;
        if kind.starts_with("valid") {
            valid_failed += bad;
        }
    }
    let probes = probes_failed.load(Ordering::Relaxed);
    let minute = samples.get(59).copied().unwrap_or(rss_start);
    println!(
        "  total {total} requests; unexpected outcomes {unexpected} (of valid requests {valid_failed}); health probes failed {probes} of {}",
        samples.len()
    );
    println!(
        "  RSS: start {rss_start} kB, after 1 min {minute} kB, end {rss_end} kB, max {rss_max} kB; server alive at the end: {alive}"
    );
    if unexpected > 0 || probes > 0 || !alive {
        std::process::exit(1);
    }
}
