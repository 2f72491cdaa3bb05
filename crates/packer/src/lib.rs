//! Packing Wippy projects (wippy-facts §4.2): the pack pipeline ([`pack`]: entries of a
//! [`project::Project`] lowered with [`syntax::lower`], compiled with [`host::compile`], written
//! into a [`wapp::Archive`]) and its inverse ([`unpack`]).
//!
//! *Invariant:* never depends on the checker; `wippy pack` runs the check first, in the CLI.

pub mod pack;
pub mod unpack;
