//! The scheduler's costs (issue targets: spawn ≤ 5 µs, message round trip ≤ 2 µs, ≤ 8 KB per
//! idle process, 100,000 processes on 2 cores): each benchmark runs a Lua entry that does the
//! operation `n` times inside one call and reports the time per operation; the memory figures
//! (heap and RSS per parked process, for 10,000 and 100,000 processes) are printed before the
//! timings.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use runtime::program::Program;
use runtime::sched::val::Val;
use runtime::sched::Config;
use runtime::Runtime;

const SPAWN: &str = r#"
return { main = function(n)
    local events = process.events()
    for _ = 1, n do
        process.spawn_monitored("b:nothing", "b:host")
    end
    for _ = 1, n do
        events:receive()
    end
    return n
end }
"#;

const NOTHING: &str = "return { main = function() return true end }";

const ECHO: &str = r#"
return { main = function()
    local inbox = process.inbox()
    while true do
        local m = inbox:receive()
        local v = m:payload():data()
        if v == "stop" then return true end
        process.send(m:from(), "pong", v)
    end
end }
"#;

const PING: &str = r#"
return { main = function(n)
    local replies = process.listen("pong")
    local echo = process.spawn("b:echo", "b:host")
    for i = 1, n do
        process.send(echo, "ping", i)
        replies:receive()
    end
    process.send(echo, "ping", "stop")
    return n
end }
"#;

const SELECT: &str = r#"
return { main = function(n)
    local chans = { channel.new(1), channel.new(1), channel.new(1), channel.new(1) }
    local cases = {}
    for i = 1, 4 do cases[i] = chans[i]:case_receive() end
    for i = 1, n do
        chans[i % 4 + 1]:send(i)
        channel.select(cases)
    end
    return n
end }
"#;

const COROUTINES: &str = r#"
return { main = function(n)
    local done = channel.new(n)
    for i = 1, n do
        coroutine.spawn(function() done:send(i) end)
    end
    for _ = 1, n do done:receive() end
    return n
end }
"#;

const WAITER: &str = r#"
return { main = function(reply_to)
    local inbox = process.inbox()
    process.send(reply_to, "ready", true)
    inbox:receive()
    return true
end }
"#;

const PARKED: &str = r#"
return { main = function(n, report_to)
    local ready = process.listen("ready")
    for _ = 1, n do
        process.spawn("b:waiter", "b:host", process.pid())
    end
    for _ = 1, n do ready:receive() end
    process.send(report_to, "all parked", n)
    process.inbox():receive()
    return n
end }
"#;

fn program() -> Program {
    let mut p = Program::default();
    for (id, src) in [
        ("b:spawn", SPAWN),
        ("b:nothing", NOTHING),
        ("b:echo", ECHO),
        ("b:ping", PING),
        ("b:select", SELECT),
        ("b:coroutines", COROUTINES),
        ("b:waiter", WAITER),
        ("b:parked", PARKED),
    ] {
        p.entries
            .extend(Program::single(id, src, "main", &[]).entries);
    }
    p.hosts.insert("b:host".into());
    p
}

fn runtime(workers: usize) -> Runtime {
    Runtime::with_config(
        program(),
        Config {
            workers,
            ..Config::default()
        },
    )
    .expect("runtime")
}

/// Time per operation of entry `id` doing `n` operations per call.
fn per_op(c: &mut Criterion, name: &str, rt: &Runtime, id: &'static str, n: u64) {
    let arg = [serde_json::json!(n)];
    rt.call(id, &arg).expect("warm-up call");
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                rt.call(id, &arg).expect("call");
                total += start.elapsed() / n as u32;
            }
            total
        })
    });
}

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<usize>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

/// Park `n` processes, each waiting on its inbox; print heap and RSS per process and the time
/// it took.
fn parked(n: usize, workers: usize) {
    let rt = runtime(workers);
    let heap0 = rt.heap_bytes().expect("heap");
    let rss0 = rss_bytes();
    let (me, inbox) = rt.node().mailbox("b:host");
    let started = Instant::now();
    let (root, done) = rt
        .node()
        .spawn_root(
            "b:parked",
            "b:host",
            vec![Val::Num(n as f64), Val::str(me.to_string())],
            Vec::new(),
        )
        .expect("spawn");
    inbox
        .recv_timeout(Duration::from_secs(600))
        .expect("all parked");
    let took = started.elapsed();
    let heap = rt.heap_bytes().expect("heap").saturating_sub(heap0);
    let rss = rss_bytes().saturating_sub(rss0);
    eprintln!(
        "{n} parked processes on {workers} workers: {:.1} s to spawn and park ({:.2} µs each), heap {} B/process, RSS {} B/process, {} live",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64,
        heap / n,
        rss / n,
        rt.node().live()
    );
    rt.node()
        .kill_tree(&root, runtime::sched::registry::Outcome::failed("done"));
    let _ = done.recv_timeout(Duration::from_secs(60));
}

fn benches(c: &mut Criterion) {
    // WIPPY_BENCH_MEMORY=0 skips the memory figures (for profiling the timings).
    if std::env::var("WIPPY_BENCH_MEMORY").as_deref() != Ok("0") {
        parked(10_000, 1);
        parked(100_000, 2);
    }
    let one = runtime(1);
    per_op(
        c,
        "spawn + exit of a process (1 worker)",
        &one,
        "b:spawn",
        1000,
    );
    per_op(c, "message round trip (1 worker)", &one, "b:ping", 2000);
    per_op(c, "select over 4 channels", &one, "b:select", 10_000);
    per_op(
        c,
        "coroutine.spawn + channel send",
        &one,
        "b:coroutines",
        2000,
    );
    let two = runtime(2);
    per_op(
        c,
        "spawn + exit of a process (2 workers)",
        &two,
        "b:spawn",
        1000,
    );
    per_op(c, "message round trip (2 workers)", &two, "b:ping", 2000);
}

criterion_group! {
    name = processes;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(processes);
