//! `wippy serve TWIN_DIR [--addr 127.0.0.1:PORT] [--state memory|sqlite:PATH]`: serve a Wraith
//! twin's Lua handlers over HTTP (seed: Lua handlers for Wraith twins).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use twin::server::{self, HttpLimits, Options, StateChoice};
use twin::Twin;

/// Arguments of `wippy serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The twin directory (`twins/<name>/`, with `lua/handlers/` and `wraith.toml`).
    pub twin: PathBuf,
    /// Address to listen on; port 0 picks a free port (printed on start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// State store: `memory`, or `sqlite:PATH` to persist entities and counters.
    #[arg(long, default_value = "memory")]
    pub state: StateChoice,
    /// Worker threads running handlers, each with its own Luau state (default: one per core).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Open connections served at once; more are answered 503 and closed.
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
    /// Do not log requests (by default one line each on stderr: method, path, status,
    /// handler, microseconds).
    #[arg(long, short)]
    pub quiet: bool,
    /// Serve even if `wippy check` finds errors in the handlers.
    #[arg(long)]
    pub no_check: bool,
}

/// `wippy check` of the twin directory; prints the errors and returns false if there are any.
fn check_twin(dir: &std::path::Path) -> bool {
    use checker::output::{write_text, View};
    use checker::Severity;
    use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
    let Ok(project) = project::load_project(dir) else {
        // Twin::load reports why the directory cannot be read.
        return true;
    };
    let report = checker::check_project(&project, typedefs::ModuleSet::bundled());
    if !report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return true;
    }
    let color = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let _ = write_text(
        &report,
        &View::at(Severity::Error),
        &mut StandardStream::stderr(color),
    );
    eprintln!("error: the twin has check errors; not serving it (use --no-check to serve anyway)");
    false
}

/// Serve until Ctrl-C. Exit 1 if `wippy check` finds errors in the twin (unless `--no-check`),
/// 2 if the twin cannot be loaded or the address cannot be bound.
pub fn run(args: &ServeArgs) -> u8 {
    if !args.no_check && args.twin.is_dir() && !check_twin(&args.twin) {
        return 1;
    }
    let twin = match Twin::load(&args.twin) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
    let (name, handlers) = (twin.name.clone(), twin.handlers.len());
    let state = match &args.state {
        StateChoice::Memory => "memory".to_owned(),
        StateChoice::Sqlite(p) => format!("sqlite {}", p.display()),
    };
    let options = Options {
        addr: args.addr,
        workers,
        state: args.state.clone(),
        limits: HttpLimits {
            max_connections: args.max_connections,
            ..HttpLimits::default()
        },
        log_requests: !args.quiet,
    };
    let result = server::run(twin, options, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "wippy serve: twin {name} listening on http://{addr} ({handlers} handlers, {workers} workers, state {state})");
        let _ = out.flush();
    });
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
