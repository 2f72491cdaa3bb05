//! `wippy`: type checker, language server, packer and runtime for Wippy Lua and Wraith twins.
//!
//! This binary only parses arguments and prints; every subcommand calls one library crate.
//! Exit codes: 0 success, 1 the check found errors, 2 usage or I/O failure.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Command-line interface.
#[derive(Parser)]
#[command(
    name = "wippy",
    version,
    about = "Tooling for Wippy Lua entries and Wraith twin handlers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a Wippy project: its entry YAML and every Lua entry and twin handler.
    Check(commands::check::CheckArgs),
    /// `wippy check` with the defaults of the real `wippy lint` (W-rules only with `--rules`).
    Lint(commands::check::CheckArgs),
    /// List, show and export the module manifests.
    Typedefs(commands::typedefs::TypedefsArgs),
    /// Pack a project into a `.wapp` archive (Lua entries optionally as Luau bytecode), or
    /// inspect, verify and unpack one.
    Pack(commands::pack::PackArgs),
    /// Run a function entry of a project or a `.wapp` pack with the bundled Luau runtime.
    Run(commands::run::RunArgs),
    /// Run a project's test entries (function entries with `meta.type: test`).
    Test(commands::test::TestArgs),
    /// Serve a Wraith twin's Lua handlers over HTTP.
    Serve(commands::serve::ServeArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
    /// Print a shell completion script (`wippy completions bash > /etc/bash_completion.d/wippy`).
    Completions(commands::completions::CompletionsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => commands::check::run(&args, commands::check::Mode::Check),
        Command::Lint(args) => commands::check::run(&args, commands::check::Mode::Lint),
        Command::Completions(args) => commands::completions::run::<Cli>(&args),
        Command::Typedefs(args) => commands::typedefs::run(&args),
        Command::Pack(args) => commands::pack::run(&args),
        Command::Run(args) => commands::run::run(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
        Command::Lsp => match lsp::run_stdio() {
            Ok(code) => u8::try_from(code).unwrap_or(1),
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
    };
    ExitCode::from(code)
}
