//! `wippy check` and `wippy lint`: the same checker and flags; `lint` keeps the real `wippy
//! lint`'s defaults (W-rules only with `--rules`), `check` shows them by default.

use std::path::PathBuf;
use std::time::Instant;

use checker::output::View;
use checker::{Code, Settings, Severity};
use clap::{Args, ValueEnum};

use super::targets::{self, Loaded};

/// Arguments of `wippy check` and `wippy lint`.
#[derive(Args)]
pub struct CheckArgs {
    /// What to check: project directories (a directory with `wippy.lock` loads as Wippy does),
    /// `.wapp` packs, `.lua` files, entry YAML files, or `-` for one file on stdin.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The same as `--format json` (the real `wippy lint --json`).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Lowest severity to report.
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    pub level: Level,
    /// Report only these namespaces (`app`, `app.*` for it and those under it); entries they
    /// import are still checked, not reported. Comma-separated or repeated.
    #[arg(long, value_name = "NS", value_delimiter = ',')]
    pub ns: Vec<String>,
    /// Report only these codes (`E0001,E0004`). Comma-separated or repeated.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub code: Vec<String>,
    /// Show at most N diagnostics (0: all); the counts still cover all.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub limit: usize,
    /// Print counts by namespace and by code instead of the diagnostics (text formats).
    #[arg(long, visible_alias = "statistics")]
    pub summary: bool,
    /// No colors (also when `NO_COLOR` is set or stdout is not a terminal).
    #[arg(long)]
    pub no_color: bool,
    /// Report the W-rules (unused locals, unused imports); `wippy lint` shows them only with
    /// this flag, `wippy check` always.
    #[arg(long)]
    pub rules: bool,
    /// The lock file to load the project from (default: `wippy.lock` in the directory).
    #[arg(short = 'l', long, value_name = "FILE")]
    pub lock_file: Option<PathBuf>,
    /// Accepted for the real `wippy lint`'s sake: this checker keeps no cache.
    #[arg(long)]
    pub cache_reset: bool,
    /// With `-`: the path the text on stdin has (its entry is found from it).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Use this `.wippy.yaml` for every project instead of discovering one upward.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Strict mode (overrides `lint.strict`).
    #[arg(long)]
    pub strict: bool,
    /// Directory of extra module manifests (`*.json`, see crates/typedefs/MANIFESTS.md).
    #[arg(long, value_name = "DIR")]
    pub typedefs: Option<PathBuf>,
    /// Print counts (chunks, lines, parse failures, diagnostics by code, time) to stderr.
    #[arg(long)]
    pub stats: bool,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Rust-style text with source snippets.
    Text,
    /// The JSON of `wippy lint --json`, with file and end positions.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One line per diagnostic.
    Concise,
}

/// Severity threshold.
#[derive(Clone, Copy, ValueEnum)]
pub enum Level {
    /// Errors only.
    Error,
    /// Errors and warnings.
    Warning,
    /// Everything.
    Hint,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Severity {
        match l {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Hint => Severity::Hint,
        }
    }
}

/// Which command runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `wippy check`: W-rules on.
    Check,
    /// `wippy lint`: W-rules only with `--rules`.
    Lint,
}

/// The codes of `--code`, or a usage error naming the unknown one.
fn parse_codes(codes: &[String]) -> Result<Vec<Code>, String> {
    codes
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .map(|c| {
            Code::parse(&c).ok_or_else(|| {
                let all: Vec<&str> = Code::ALL.iter().map(|k| k.as_str()).collect();
                format!("--code: unknown code `{c}` (codes: {})", all.join(", "))
            })
        })
        .collect()
}

/// Run the check; returns the exit code (0 clean, 1 errors, 2 usage or I/O failure).
pub fn run(args: &CheckArgs, mode: Mode) -> u8 {
    let started = Instant::now();
    let codes = match parse_codes(&args.code) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let settings = Settings {
        strict: args.strict.then_some(true),
        rules: args.rules.then_some(true),
        rules_default: mode == Mode::Check,
        namespaces: args.ns.clone(),
    };
    let Loaded { report, notes } = match targets::check_all(args, &settings) {
        Ok(l) => l,
        Err(code) => return code,
    };
    for n in &notes {
        eprintln!("note: {n}");
    }
    let view = View {
        level: args.level.into(),
        codes,
        limit: (args.limit > 0).then_some(args.limit),
    };
    let format = if args.json {
        Format::Json
    } else {
        args.format.unwrap_or(Format::Text)
    };
    if let Err(e) = super::render::write(&report, &view, format, args) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing output: {e}");
            return 2;
        }
    }
    if args.stats {
        print_stats(&report, started);
    }
    u8::from(view.counts(&report).errors > 0)
}

fn print_stats(report: &checker::Report, started: Instant) {
    let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
    for d in &report.diagnostics {
        *by_code.entry(d.code.as_str()).or_default() += 1;
    }
    let s = &report.stats;
    eprintln!(
        "stats: {} chunks ({} of dependencies), {} lines, {} parse failures ({:.2}% parsed), {:.0} ms",
        s.chunks,
        s.dependencies,
        s.lines,
        s.parse_failures,
        if s.chunks == 0 {
            100.0
        } else {
            100.0 * (s.chunks - s.parse_failures) as f64 / s.chunks as f64
        },
        started.elapsed().as_secs_f64() * 1000.0
    );
    eprintln!("stats: diagnostics by code: {by_code:?}");
}
