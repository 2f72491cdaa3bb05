//! `wippy run TARGET [ENTRY] [--args JSON] [--services]`: call an entry as a root process, or
//! run the project's `process.service` entries under their restart policies until Ctrl-C.

use std::path::{Path, PathBuf};
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
}

fn load(target: &Path) -> Result<Program, u8> {
    let program = match project::load(target) {
        Ok(p) => Program::from_project(&p),
        Err(e) => {
            eprintln!("error: cannot load {}: {e}", target.display());
            // A damaged archive is bad input (1); a missing or unreadable path is usage (2).
            return Err(if project::is_archive(target) && target.is_file() {
                1
            } else {
                2
            });
        }
    };
    program.map_err(|e| {
        eprintln!("error: {e}");
        1
    })
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
    if args.entry.is_none() && !args.services {
        eprintln!("error: give an entry to call, or --services to run the services");
        return 2;
    }
    let instructions = if args.services { 0 } else { 1_000_000_000 };
    let config = match args.runtime.config(None, instructions) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let program = match load(&args.target) {
        Ok(p) => p,
        Err(code) => return code,
    };
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
                for v in values {
                    match v.to_json() {
                        Ok(j) => println!("{j}"),
                        Err(e) => {
                            eprintln!("error: {entry}: returned a value with no JSON form: {e}");
                            code = 1;
                        }
                    }
                }
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
