//! `wippy completions bash|zsh|fish|elvish|powershell`: a completion script for the shell,
//! generated from the command-line definition by clap_complete (so it never drifts).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Arguments of `wippy completions`.
#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Write the script for `args.shell` to stdout; exit 0 (a closed pipe too).
pub fn run<C: CommandFactory>(args: &CompletionsArgs) -> u8 {
    let mut cmd = C::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "wippy", &mut out);
    super::write_stdout(&out)
}
