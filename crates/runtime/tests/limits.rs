//! Limits of `run` and `test`: an instruction budget per process, a wall-clock deadline for a
//! call and everything it spawns (busy or blocked), a heap cap per worker; each error names
//! its limit.

use std::time::{Duration, Instant};

use runtime::program::Program;
use runtime::sched::Config;
use runtime::Runtime;

fn runtime(src: &str, config: Config) -> Runtime {
    Runtime::with_config(
        Program::single("t:f", src, "main", &["time"]),
        Config {
            workers: 1,
            ..config
        },
    )
    .expect("runtime")
}

fn error_of(rt: &Runtime) -> String {
    rt.call("t:f", &[]).expect_err("the call must fail").message
}

#[test]
fn the_instruction_budget_stops_a_busy_loop() {
    let rt = runtime(
        "return { main = function() while true do end end }",
        Config {
            instructions: 200_000,
            ..Config::default()
        },
    );
    let e = error_of(&rt);
    assert!(e.contains("exceeded the 200000 instruction budget"), "{e}");
    // pcall cannot swallow it.
    let rt = runtime(
        "return { main = function() for i = 1, 10 do pcall(function() while true do end end) end return 'escaped' end }",
        Config {
            instructions: 200_000,
            ..Config::default()
        },
    );
    let e = error_of(&rt);
    assert!(e.contains("instruction budget"), "{e}");
}

#[test]
fn the_timeout_covers_busy_blocked_and_spawned_processes() {
    let timeout = Some(Duration::from_millis(300));
    let busy = runtime(
        "return { main = function() while true do end end }",
        Config {
            timeout,
            ..Config::default()
        },
    );
    let started = Instant::now();
    let e = error_of(&busy);
    assert!(e.contains("exceeded the 300 ms wall-clock limit"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let blocked = runtime(
        "return { main = function() channel.new():receive() end }",
        Config {
            timeout,
            ..Config::default()
        },
    );
    let e = error_of(&blocked);
    assert!(e.contains("wall-clock limit"), "{e}");
    // A child spinning forever ends with its root.
    let spawner = runtime(
        "return { main = function(child) if child then while true do end end process.spawn('t:f', 'h', true) channel.new():receive() end }",
        Config {
            timeout,
            ..Config::default()
        },
    );
    let e = error_of(&spawner);
    assert!(e.contains("wall-clock limit"), "{e}");
    let started = Instant::now();
    while spawner.node().live() > 0 && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        spawner.node().live(),
        0,
        "the spinning child ended with its root"
    );
}

#[test]
fn the_heap_cap_stops_runaway_allocation() {
    let rt = runtime(
        "return { main = function() local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 100) .. i end end }",
        Config {
            memory_bytes: 8 << 20,
            ..Config::default()
        },
    );
    let e = error_of(&rt);
    assert!(e.contains("byte memory limit"), "{e}");
    // The worker is still usable afterwards.
    let ok = runtime(
        "return { main = function() return 1 end }",
        Config {
            memory_bytes: 8 << 20,
            ..Config::default()
        },
    );
    assert_eq!(
        ok.call("t:f", &[]).expect("call"),
        vec![serde_json::json!(1)]
    );
}
