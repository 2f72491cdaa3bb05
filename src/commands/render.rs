//! Writing a check report to stdout in the chosen format (see `checker::output`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use checker::output::{concise, github, sarif, to_json, write_summary, write_text, View};
use checker::Report;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::check::{CheckArgs, Format};

/// The directory SARIF and GitHub paths are relative to: `GITHUB_WORKSPACE` when the current
/// directory is inside it, else the nearest ancestor of the current directory holding `.git`,
/// else the current directory.
pub fn repository_root() -> PathBuf {
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .unwrap_or_else(|_| PathBuf::from("."));
    if let Some(ws) = std::env::var_os("GITHUB_WORKSPACE")
        .map(PathBuf::from)
        .and_then(|w| w.canonicalize().ok())
        .filter(|w| cwd.starts_with(w))
    {
        return ws;
    }
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| cwd.clone(), PathBuf::from)
}

/// Write `report` as `format`; a closed stdout (`| head`) surfaces as `BrokenPipe`.
pub fn write(
    report: &Report,
    view: &View,
    format: Format,
    args: &CheckArgs,
) -> std::io::Result<()> {
    match (format, args.summary) {
        (Format::Text | Format::Concise, true) => {
            let mut out = std::io::stdout().lock();
            write_summary(report, view, &mut out)?;
            out.flush()
        }
        (Format::Text, false) => {
            let color = if args.no_color || !std::io::stdout().is_terminal() {
                ColorChoice::Never
            } else {
                ColorChoice::Auto
            };
            let mut out = StandardStream::stdout(color);
            write_text(report, view, &mut out)?;
            out.flush()
        }
        (Format::Concise, false) => {
            let mut out = std::io::stdout().lock();
            concise::write(report, view, &mut out)?;
            out.flush()
        }
        (Format::Json, _) => json_out(&to_json(report, view)),
        (Format::Sarif, _) => json_out(&sarif::to_sarif(report, view, &repository_root())),
        (Format::Github, _) => {
            let mut out = std::io::stdout().lock();
            github::write(report, view, &repository_root(), &mut out)?;
            out.flush()
        }
    }
}

fn json_out(value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}
