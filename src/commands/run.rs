//! `wippy run TARGET [ENTRY] [--args JSON] [--services]`: call an entry as a root process, or
//! run the project's `process.service` entries under their restart policies until Ctrl-C;
//! `wippy run TARGET --list` lists the entries that can be run.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Args;
use runtime::sched::registry::Outcome;
use runtime::sched::val::Val;
use runtime::services::{self, ServiceEvent};
use runtime::{Program, Runtime};

use super::limits::RuntimeArgs;

/// Arguments of `wippy run`.
#[derive(Args)]
pub struct RunArgs {
    /// A project directory or a `.wapp` archive.
    pub target: PathBuf,
    /// The entry to call, `ns:name` (a function.lua or process.lua entry, or their `.bc`).
    #[arg(required_unless_present_any = ["list", "services"])]
    pub entry: Option<String>,
    /// Arguments as JSON: an array is the positional arguments, anything else one argument.
    #[arg(long, default_value = "[]")]
    pub args: String,
    /// Start the `process.service` entries with `lifecycle.auto_start` (after the entry, if
    /// one is given) and keep them running, restarted by their `lifecycle.restart` policy,
    /// until Ctrl-C.
    #[arg(long)]
    pub services: bool,
    /// Workers and limits (`--timeout` defaults to none).
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    /// List the entries that can be run, one `ns:name` per line.
    #[arg(long, conflicts_with_all = ["entry", "services"])]
    pub list: bool,
}

/// Load `target` (a directory or a pack) as a program; prints why not and gives the exit code
/// (1 for a damaged archive or a program that cannot be built, 2 for a missing path).
pub fn load_program(target: &std::path::Path) -> Result<(project::Project, Program), u8> {
    let project = project::load(target).map_err(|e| {
        eprintln!("error: cannot load {}: {e}", target.display());
        // A damaged archive is bad input (1); a missing or unreadable path is usage (2).
        if project::is_archive(target) && target.is_file() {
            1
        } else {
            2
        }
    })?;
    let program = Program::from_project(&project).map_err(|e| {
        eprintln!("error: {e}");
        1
    })?;
    Ok((project, program))
}

/// The function and process entries of `project` a user can run (not those of installed
/// dependencies).
pub fn runnable(project: &project::Project, program: &Program) -> Vec<String> {
    project
        .entries
        .iter()
        .filter(|e| {
            (e.kind.starts_with("function.lua") || e.kind.starts_with("process.lua"))
                && !e.duplicate
        })
        .filter(|e| project.is_reported_entry(e) && program.entries.contains_key(&e.id))
        .map(|e| e.id.clone())
        .collect()
}

/// Run; prints each returned value of the entry as one line of JSON. Exit 1 on a Lua error, 2
/// on usage or load failures.
pub fn run(args: &RunArgs) -> u8 {
    let call_args = match serde_json::from_str::<serde_json::Value>(&args.args) {
        Ok(serde_json::Value::Array(a)) => a,
        Ok(v) => vec![v],
        Err(e) => {
            eprintln!("error: --args is not JSON: {e}");
            return 2;
        }
    };
    let instructions = if args.services { 0 } else { 1_000_000_000 };
    let config = match args.runtime.config(None, instructions) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let (project, program) = match load_program(&args.target) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let ids = runnable(&project, &program);
    if args.list {
        let mut text = ids.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        return super::write_stdout(text.as_bytes());
    }
    if args.entry.is_none() && !args.services {
        eprintln!("error: give an entry to call, or --services to run the services (`wippy run TARGET --list` lists the entries)");
        return 2;
    }
    if let Some(entry) = args
        .entry
        .as_deref()
        .filter(|e| !program.entries.contains_key(*e))
    {
        eprintln!(
            "error: no Lua entry `{entry}` in {}{}; `wippy run {} --list` lists them",
            args.target.display(),
            super::did_you_mean(entry, ids.iter().map(String::as_str)),
            args.target.display()
        );
        return 1;
    }
    let rt = match Runtime::with_config(program, config) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return 2;
        }
    };
    let mut code = 0;
    if let Some(entry) = &args.entry {
        let call_args = call_args.iter().map(Val::from_json).collect();
        match rt.run(entry, call_args, Vec::new()) {
            Ok(Outcome::Returned(values)) => {
                let mut out = String::new();
                for v in values {
                    match v.to_json() {
                        Ok(j) => {
                            out.push_str(&j.to_string());
                            out.push('\n');
                        }
                        Err(e) => {
                            eprintln!("error: {entry}: returned a value with no JSON form: {e}");
                            code = 1;
                        }
                    }
                }
                let written = super::write_stdout(out.as_bytes());
                code = code.max(written);
            }
            Ok(Outcome::Failed(e, trace)) => {
                eprintln!("error: {}", runtime::vm::failure_text(entry, &e, &trace));
                code = 1;
            }
            Err(e) => {
                eprintln!("error: {e}");
                code = 1;
            }
        }
    }
    if args.services {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
            eprintln!("error: cannot handle Ctrl-C: {e}");
            return 2;
        }
        let count = rt
            .program()
            .services
            .iter()
            .filter(|s| s.auto_start)
            .count();
        eprintln!("wippy run: {count} service(s); Ctrl-C stops");
        services::supervise(
            rt.node(),
            &|| stop.load(Ordering::SeqCst),
            &mut |event| match event {
                ServiceEvent::Started(id, pid) => eprintln!("service {id}: started as {pid}"),
                ServiceEvent::Refused(id, why) => {
                    eprintln!("service {id}: cannot start: {why}");
                }
                ServiceEvent::Ended(id, outcome, again) => {
                    let how = match outcome.result() {
                        (_, Some(e)) => format!("failed: {}", e.display()),
                        (v, None) => format!("returned {}", v.display()),
                    };
                    let next = if again { ", restarting" } else { "" };
                    eprintln!("service {id}: {how}{next}");
                }
            },
        );
        eprintln!("wippy run: stopped");
    }
    code
}
