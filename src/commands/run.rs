//! `wippy run TARGET ENTRY [--args JSON]`, `wippy run TARGET --list`.

use std::path::PathBuf;

use clap::Args;
use runtime::{Program, Runtime};

/// Arguments of `wippy run`.
#[derive(Args)]
pub struct RunArgs {
    /// A project directory or a `.wapp` archive.
    pub target: PathBuf,
    /// The entry to call, `ns:name` (a function.lua or function.lua.bc entry).
    #[arg(required_unless_present = "list")]
    pub entry: Option<String>,
    /// Arguments as JSON: an array is the positional arguments, anything else one argument.
    #[arg(long, default_value = "[]")]
    pub args: String,
    /// List the function entries that can be run, one `ns:name` per line.
    #[arg(long, conflicts_with = "entry")]
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

/// The function entries of `project` a user can run (not those of installed dependencies).
pub fn runnable(project: &project::Project, program: &Program) -> Vec<String> {
    project
        .entries
        .iter()
        .filter(|e| e.kind.starts_with("function.lua") && !e.duplicate)
        .filter(|e| project.is_reported_entry(e) && program.entries.contains_key(&e.id))
        .map(|e| e.id.clone())
        .collect()
}

/// Run the entry; prints each returned value as one line of JSON. Exit 1 on a Lua error or an
/// unknown entry, 2 on usage or load failures.
pub fn run(args: &RunArgs) -> u8 {
    let call_args = match serde_json::from_str::<serde_json::Value>(&args.args) {
        Ok(serde_json::Value::Array(a)) => a,
        Ok(v) => vec![v],
        Err(e) => {
            eprintln!("error: --args is not JSON: {e}");
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
    let Some(entry) = args.entry.as_deref() else {
        eprintln!("error: give the entry to run (`wippy run TARGET --list` lists them)");
        return 2;
    };
    if !program.entries.contains_key(entry) {
        eprintln!(
            "error: no Lua entry `{entry}` in {}{}; `wippy run {} --list` lists them",
            args.target.display(),
            super::did_you_mean(entry, ids.iter().map(String::as_str)),
            args.target.display()
        );
        return 1;
    }
    let rt = match Runtime::new(program) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return 2;
        }
    };
    match rt.call(entry, &call_args) {
        Ok(values) => {
            let mut out = String::new();
            for v in values {
                out.push_str(&v.to_string());
                out.push('\n');
            }
            super::write_stdout(out.as_bytes())
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
