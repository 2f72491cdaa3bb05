//! End-to-end: `wippy run` limits name themselves and exit 1; `wippy test --timeout` fails a
//! hanging test and goes on; `wippy run --services` restarts a failing service by its policy
//! and stops cleanly on Ctrl-C (SIGINT).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::wippy;

const DIR: &str = "tests/fixtures/services";

#[test]
fn run_limits_name_themselves() {
    let (code, _, err) = wippy(&["run", DIR, "svc:spin", "--instructions", "100000"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("exceeded the 100000 instruction budget"),
        "{err}"
    );
    let (code, _, err) = wippy(&["run", DIR, "svc:block", "--timeout", "300ms"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("exceeded the 300 ms wall-clock limit"),
        "{err}"
    );
    let (code, _, err) = wippy(&["run", DIR, "svc:block", "--timeout", "soon"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_hanging_test_times_out_and_the_rest_run() {
    let (code, out, err) = wippy(&["test", DIR, "--timeout", "300ms"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("FAIL svc:hangs"), "{out}");
    assert!(out.contains("wall-clock limit"), "{out}");
    assert!(out.contains("PASS svc:quick"), "{out}");
    assert!(out.trim_end().ends_with("1 passed, 1 failed"), "{out}");
}

#[test]
fn services_restart_and_stop_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(["run", DIR, "--services", "--workers", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wippy run --services");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut log = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    // Two failed starts, two restarts, then a third start that keeps running.
    while log
        .iter()
        .filter(|l: &&String| l.contains("started as"))
        .count()
        < 3
    {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => log.push(l),
            Err(_) => panic!("the service did not restart: {log:?}"),
        }
    }
    assert_eq!(
        log.iter().filter(|l| l.contains("restarting")).count(),
        2,
        "{log:?}"
    );
    assert!(log.iter().any(|l| l.contains("start 1 failed")), "{log:?}");
    let pid = child.id().to_string();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no clean stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    while let Ok(l) = rx.recv_timeout(Duration::from_millis(500)) {
        log.push(l);
    }
    assert!(exit.success(), "{exit:?} {log:?}");
    assert!(
        log.iter().any(|l| l.contains("wippy run: stopped")),
        "{log:?}"
    );
}
