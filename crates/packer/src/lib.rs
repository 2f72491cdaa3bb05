//! Packing Wippy projects: lowering of the Wippy dialect to Luau source ([`lower`]), Luau
//! bytecode ([`compile`]), the pack pipeline ([`pack`]) and the `.wapp` container ([`wapp`]).

pub mod compile;
pub mod lower;
pub mod pack;
pub mod unpack;
pub mod wapp;
