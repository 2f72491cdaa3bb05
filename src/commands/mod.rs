//! One module per subcommand, and what they share.

pub mod check;
pub mod limits;
pub mod pack;
pub mod run;
pub mod serve;
pub mod test;
pub mod typedefs;

use std::path::PathBuf;

use ::typedefs::ModuleSet;

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
