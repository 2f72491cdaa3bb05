//! Packing Wippy projects: lowering of the Wippy dialect to Luau source ([`lower`]).

pub mod lower;
pub mod wapp;
