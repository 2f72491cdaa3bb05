//! `wippy check` (alias `wippy lint`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use checker::output::{to_json, write_text};
use checker::{check_project, Severity};
use clap::{Args, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use project::load_project;

/// Arguments of `wippy check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Project directory (or one entry YAML file).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity to report.
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    pub level: Level,
    /// Directory of extra module manifests (`*.json`, see crates/typedefs/MANIFESTS.md).
    #[arg(long, value_name = "DIR")]
    pub typedefs: Option<PathBuf>,
    /// Print counts (chunks, lines, parse failures, diagnostics by code, time) to stderr.
    #[arg(long)]
    pub stats: bool,
}

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Rust-style text with source snippets.
    Text,
    /// The JSON of `wippy lint --json`, with file and end positions.
    Json,
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

/// Run the check; returns the exit code (0 clean, 1 errors, 2 usage or I/O failure).
pub fn run(args: &CheckArgs) -> u8 {
    let started = Instant::now();
    let modules = match super::load_modules(args.typedefs.as_ref()) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let project = match load_project(&args.path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot load project: {e}");
            return 2;
        }
    };
    let report = check_project(&project, &modules);
    let level: Severity = args.level.into();
    let written = match args.format {
        Format::Json => {
            let json = to_json(&report, level);
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &json)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        }
        Format::Text => {
            let color = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            let mut out = StandardStream::stdout(color);
            write_text(&report, level, &mut out)
        }
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing output: {e}");
            return 2;
        }
    }
    if args.stats {
        let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
        for d in &report.diagnostics {
            *by_code.entry(d.code.as_str()).or_default() += 1;
        }
        let s = &report.stats;
        eprintln!(
            "stats: {} chunks, {} lines, {} parse failures ({:.2}% parsed), {:.0} ms",
            s.chunks,
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
    u8::from(
        report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error),
    )
}
