//! One module per subcommand.

pub mod check;
pub mod pack;
pub mod typedefs;
