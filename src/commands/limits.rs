//! The options `wippy run` and `wippy test` share: workers and limits.

use std::time::Duration;

use clap::Args;
use runtime::sched::Config;

/// Workers and limits of the runtime.
#[derive(Args, Clone, Debug)]
pub struct RuntimeArgs {
    /// Worker threads that run the processes (default: one per core).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Wall-clock limit of a call and every process it spawns: `30s`, `500ms`, `2m`, or
    /// seconds; 0 = none. Default: 30s for `test` (per entry), none for `run`.
    #[arg(long)]
    pub timeout: Option<String>,
    /// Interrupt ticks (Luau's loop iterations and calls) each process may run; 0 = no limit.
    /// Default: 1,000,000,000 for `run` (a few seconds of busy Lua), none for `run --services`
    /// and `test` (whose timeout bounds them).
    #[arg(long)]
    pub instructions: Option<u64>,
    /// Heap each worker may hold: bytes, or with KB/MB/GB (binary units); 0 = no limit.
    #[arg(long, default_value = "1GB")]
    pub memory: String,
}

/// `30s`, `500ms`, `1m30s` (Go durations) or a number of seconds.
pub fn parse_timeout(s: &str) -> Result<Option<Duration>, String> {
    let d = match s.trim().parse::<f64>() {
        Ok(secs) if secs >= 0.0 && secs.is_finite() => Duration::from_secs_f64(secs),
        Ok(_) => return Err(format!("--timeout must not be negative: {s}")),
        Err(_) => {
            let d = runtime::modules::time::parse_duration(s.trim())
                .map_err(|e| format!("--timeout {s}: {e}"))?;
            Duration::from_nanos(d.0.max(0) as u64)
        }
    };
    Ok((!d.is_zero()).then_some(d))
}

/// `1048576`, `64KB`, `256MB`, `1GB` (binary units).
pub fn parse_bytes(s: &str) -> Result<usize, String> {
    let t = s.trim().to_ascii_uppercase();
    let (num, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), ""),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("--memory {s}: not a size"))?;
    let m = match unit.trim() {
        "" | "B" => 1.0,
        "K" | "KB" | "KIB" => 1024.0,
        "M" | "MB" | "MIB" => 1024.0 * 1024.0,
        "G" | "GB" | "GIB" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("--memory {s}: unknown unit {other}")),
    };
    if n < 0.0 {
        return Err(format!("--memory {s}: must not be negative"));
    }
    Ok((n * m) as usize)
}

impl RuntimeArgs {
    /// The node configuration, with `default_timeout` and `default_instructions` for the
    /// options not given.
    pub fn config(
        &self,
        default_timeout: Option<Duration>,
        default_instructions: u64,
    ) -> Result<Config, String> {
        let mut c = Config::default();
        if let Some(w) = self.workers {
            if w == 0 {
                return Err("--workers must be at least 1".into());
            }
            c.workers = w;
        }
        c.timeout = match &self.timeout {
            Some(t) => parse_timeout(t)?,
            None => default_timeout,
        };
        c.instructions = self.instructions.unwrap_or(default_instructions);
        c.memory_bytes = parse_bytes(&self.memory)?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_bytes("64KB"), Ok(65536));
        assert_eq!(parse_bytes("1gb"), Ok(1 << 30));
        assert_eq!(parse_bytes("100"), Ok(100));
        assert!(parse_bytes("x").is_err());
        assert_eq!(parse_timeout("1.5"), Ok(Some(Duration::from_millis(1500))));
        assert_eq!(parse_timeout("250ms"), Ok(Some(Duration::from_millis(250))));
        assert_eq!(parse_timeout("0"), Ok(None));
        assert!(parse_timeout("soon").is_err());
    }
}
