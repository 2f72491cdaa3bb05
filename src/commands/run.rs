//! `wippy run TARGET ENTRY [--args JSON]`.

use std::path::PathBuf;

use clap::Args;
use runtime::{Program, Runtime};

/// Arguments of `wippy run`.
#[derive(Args)]
pub struct RunArgs {
    /// A project directory or a `.wapp` archive.
    pub target: PathBuf,
    /// The entry to call, `ns:name` (a function.lua or function.lua.bc entry).
    pub entry: String,
    /// Arguments as JSON: an array is the positional arguments, anything else one argument.
    #[arg(long, default_value = "[]")]
    pub args: String,
}

/// Run the entry; prints each returned value as one line of JSON. Exit 1 on a Lua error, 2 on
/// usage or load failures.
pub fn run(args: &RunArgs) -> u8 {
    let call_args = match serde_json::from_str::<serde_json::Value>(&args.args) {
        Ok(serde_json::Value::Array(a)) => a,
        Ok(v) => vec![v],
        Err(e) => {
            eprintln!("error: --args is not JSON: {e}");
            return 2;
        }
    };
    let program = match project::load(&args.target) {
        Ok(p) => Program::from_project(&p),
        Err(e) => {
            eprintln!("error: cannot load {}: {e}", args.target.display());
            // A damaged archive is bad input (1); a missing or unreadable path is usage (2).
            return if project::is_archive(&args.target) && args.target.is_file() {
                1
            } else {
                2
            };
        }
    };
    let program = match program {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let rt = match Runtime::new(program) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return 2;
        }
    };
    match rt.call(&args.entry, &call_args) {
        Ok(values) => {
            for v in values {
                println!("{v}");
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
