//! Reading a process's memory and CPU time from `/proc`, for the benchmarks (Linux; zero
//! elsewhere). Shared by `benches/lsp_session.rs` and `crates/lsp/benches/editor.rs`.
#![allow(dead_code)]

use std::time::Duration;

/// Resident set size in KiB of process `pid` (`None`: this process).
pub fn rss_kib(pid: Option<u32>) -> u64 {
    let who = pid.map_or_else(|| "self".to_owned(), |p| p.to_string());
    std::fs::read_to_string(format!("/proc/{who}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time all threads of process `pid` have used (`/proc/PID/task/*/schedstat`), which the
/// other processes of a busy machine do not inflate as they do wall time.
pub fn cpu(pid: u32) -> Duration {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Duration::ZERO;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(ns)
}
