//! One module per subcommand, and what they share.

pub mod check;
pub mod completions;
pub mod limits;
pub mod pack;
mod render;
pub mod run;
pub mod serve;
mod targets;
pub mod test;
pub mod typedefs;

use std::path::PathBuf;

use ::typedefs::ModuleSet;

/// The bundled manifests plus those of each directory of `dirs` (later ones replace earlier
/// ones of the same name); on a bad manifest, prints every error and returns the exit code 2.
pub fn load_modules_dirs(dirs: &[PathBuf]) -> Result<ModuleSet, u8> {
    let mut set = ModuleSet::bundled().clone();
    for dir in dirs {
        if let Err(errors) = set.add_dir(dir) {
            errors.iter().for_each(|e| eprintln!("error: {e}"));
            return Err(2);
        }
    }
    Ok(set)
}

/// The closest of `ids` to `id`, as ` (did you mean `x`?)`, or nothing.
pub fn did_you_mean<'a>(id: &str, ids: impl IntoIterator<Item = &'a str>) -> String {
    let ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
    ::typedefs::suggest(id, &ids)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// The bundled manifests plus those of `--typedefs DIR`; on a bad manifest, prints every error
/// and returns the exit code 2.
pub fn load_modules(dir: Option<&PathBuf>) -> Result<ModuleSet, u8> {
    match dir {
        None => Ok(ModuleSet::bundled().clone()),
        Some(dir) => ModuleSet::with_user_dir(dir).map_err(|errors| {
            errors.iter().for_each(|e| eprintln!("error: {e}"));
            2
        }),
    }
}

/// Write `bytes` to stdout; a reader that went away (`| head`) is not an error. Returns the
/// exit code (2 on any other write failure).
pub fn write_stdout(bytes: &[u8]) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: writing output: {e}");
            2
        }
    }
}
