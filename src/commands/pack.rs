//! `wippy pack OUT.wapp [PATH] …`, `wippy pack inspect|verify|unpack`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use checker::output::write_text;
use checker::{check_project, Severity};
use clap::{Args, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use packer::pack::{pack, PackOptions};
use project::load_project;
use wapp::{read, write};

/// Arguments of `wippy pack`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct PackArgs {
    #[command(subcommand)]
    action: Option<PackAction>,
    /// The archive to write.
    #[arg(required = true)]
    out: Option<PathBuf>,
    /// Project directory.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Compile matching Lua entries to Luau bytecode: `**`, `ns:**`, `ns:name`, `name` (repeatable).
    #[arg(long, value_name = "PATTERN")]
    bytecode: Vec<String>,
    /// Leave out a namespace and those under it (repeatable).
    #[arg(long, value_name = "NS")]
    exclude_ns: Vec<String>,
    /// Add `key=value` to the archive metadata (repeatable).
    #[arg(long, value_name = "K=V")]
    meta: Vec<String>,
    /// Pack even if `wippy check` reports errors.
    #[arg(long)]
    no_check: bool,
    /// Directory of extra module manifests for the check.
    #[arg(long, value_name = "DIR")]
    typedefs: Option<PathBuf>,
}

#[derive(Subcommand)]
enum PackAction {
    /// Print an archive's metadata, entries (kinds, sizes, hashes) and resources.
    Inspect {
        /// The archive.
        file: PathBuf,
    },
    /// Check every hash of an archive; exit 1 on any mismatch.
    Verify {
        /// The archive.
        file: PathBuf,
    },
    /// Write an archive's entries (YAML), sources, bytecode and resources to a directory.
    Unpack {
        /// The archive.
        file: PathBuf,
        /// Output directory.
        dir: PathBuf,
    },
}

/// Run `wippy pack`; returns the exit code.
pub fn run(args: &PackArgs) -> u8 {
    match &args.action {
        Some(PackAction::Inspect { file }) => {
            with_archive(file, |a, bytes| inspect(a, bytes.len()))
        }
        Some(PackAction::Verify { file }) => with_archive(file, |a, bytes| {
            let files: usize = a.resources.iter().map(|r| r.files.len()).sum();
            let line = format!(
                "ok: {} bytes, {} entries, {} resources, {files} files verified\n",
                bytes.len(),
                a.entries.len(),
                a.resources.len()
            );
            Ok(super::write_stdout(line.as_bytes()))
        }),
        Some(PackAction::Unpack { file, dir }) => with_archive(file, |a, _| {
            let n = packer::unpack::unpack(a, dir)?;
            let line = format!("wrote {n} files to {}\n", dir.display());
            Ok(super::write_stdout(line.as_bytes()))
        }),
        None => create(args),
    }
}

fn with_archive(
    file: &std::path::Path,
    f: impl FnOnce(&wapp::Archive, &[u8]) -> std::io::Result<u8>,
) -> u8 {
    let bytes = match project::read_archive_file(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            return 2;
        }
    };
    match read(&bytes) {
        Ok(a) => match f(&a, &bytes) {
            Ok(code) => code,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            1
        }
    }
}

fn inspect(a: &wapp::Archive, size: usize) -> std::io::Result<u8> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "archive: {size} bytes")?;
    writeln!(out, "metadata:")?;
    for (k, v) in &a.metadata {
        writeln!(out, "  {k}: {v}")?;
    }
    writeln!(out, "entries ({}):", a.entries.len())?;
    for e in &a.entries {
        let data = e.data.as_ref();
        let detail = match (
            data.and_then(|d| d.get("hash")),
            data.and_then(|d| d.get("source")),
        ) {
            (Some(h), _) => {
                let path = data
                    .and_then(|d| d.get("path"))
                    .and_then(|p| p.as_str())
                    .unwrap_or("");
                let len = a
                    .resources
                    .iter()
                    .find_map(|r| r.files.get(path))
                    .map_or(0, Vec::len);
                format!("{len} B bytecode {}", h.as_str().unwrap_or(""))
            }
            (None, Some(s)) => format!("{} B source", s.as_str().map_or(0, str::len)),
            _ => String::new(),
        };
        writeln!(out, "  {}:{}  {}  {detail}", e.id.ns, e.id.name, e.kind)?;
    }
    writeln!(out, "resources ({}):", a.resources.len())?;
    for r in &a.resources {
        let total: usize = r.files.values().map(Vec::len).sum();
        writeln!(out, "  {}  {} files, {total} B", r.id, r.files.len())?;
    }
    Ok(0)
}

fn create(args: &PackArgs) -> u8 {
    let Some(out) = &args.out else {
        eprintln!("error: give the archive to write: wippy pack OUT.wapp [PATH]");
        return 2;
    };
    let mut meta = Vec::new();
    for kv in &args.meta {
        match kv.split_once('=') {
            Some((k, v)) => meta.push((k.to_owned(), v.to_owned())),
            None => {
                eprintln!("error: --meta takes key=value, got `{kv}`");
                return 2;
            }
        }
    }
    let packed_at = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => match v.trim().parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                eprintln!(
                    "error: SOURCE_DATE_EPOCH must be an integer number of seconds, got `{v}`"
                );
                return 2;
            }
        },
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    let project = match load_project(&args.path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot load project: {e}");
            return 2;
        }
    };
    if let Some(code) = unmatched_bytecode_pattern(&project, &args.bytecode) {
        return code;
    }
    if !args.no_check {
        let modules = match super::load_modules(args.typedefs.as_ref()) {
            Ok(m) => m,
            Err(code) => return code,
        };
        let report = check_project(&project, &modules);
        if report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            let mut err = StandardStream::stderr(if std::io::stderr().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            });
            let _ = write_text(
                &report,
                &checker::output::View::at(Severity::Error),
                &mut err,
            );
            eprintln!(
                "error: the check found errors; nothing was packed (use --no-check to pack anyway)"
            );
            return 1;
        }
    }
    let options = PackOptions {
        bytecode: args.bytecode.clone(),
        exclude_ns: args.exclude_ns.clone(),
        meta,
        packed_at,
    };
    let bar = progress_bar(project.entries.len());
    let mut tick = |done: usize, _total: usize| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    };
    let archive = match pack(&project, &options, &mut tick) {
        Ok(a) => a,
        Err(e) => {
            let place = e.file.and_then(|f| project.files.get(f)).map(|f| {
                let (l, c) = project::line_col(&f.text, e.span.start);
                format!("{}:{l}:{c}: ", f.display)
            });
            eprintln!(
                "error: {}{}{}",
                place.unwrap_or_default(),
                e.entry
                    .map(|id| format!("entry {id}: "))
                    .unwrap_or_default(),
                e.message
            );
            return 1;
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let bytes = match write(&archive) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if let Err(e) = std::fs::write(out, &bytes) {
        eprintln!("error: {}: {e}", out.display());
        return 2;
    }
    let bc = archive
        .entries
        .iter()
        .filter(|e| e.kind.ends_with(".bc"))
        .count();
    let line = format!(
        "packed {} entries ({bc} as bytecode) into {} ({} bytes)\n",
        archive.entries.len(),
        out.display(),
        bytes.len()
    );
    super::write_stdout(line.as_bytes())
}

/// A `--bytecode` pattern that matches no Lua entry is a usage error (exit 2), with the
/// closest entry id when the pattern names one.
fn unmatched_bytecode_pattern(project: &project::Project, patterns: &[String]) -> Option<u8> {
    let lua: Vec<&project::Entry> = project.entries.iter().filter(|e| e.is_lua()).collect();
    for p in patterns {
        if lua.iter().any(|e| packer::pack::matches(p, e)) {
            continue;
        }
        let candidates = lua.iter().map(|e| {
            if p.contains(':') {
                e.id.as_str()
            } else {
                e.name.as_str()
            }
        });
        eprintln!(
            "error: --bytecode `{p}` matches no Lua entry{}",
            super::did_you_mean(p, candidates)
        );
        return Some(2);
    }
    None
}

/// A progress bar on a terminal for packs of many entries; none when stderr is not a TTY.
fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    if total < 200 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("packing {bar:40} {pos}/{len} entries")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}
