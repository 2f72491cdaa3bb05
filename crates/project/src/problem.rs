//! Problems found while loading a project: bad YAML, missing or invalid entry fields, sources
//! that cannot be read, bad imports, duplicate ids. The checker's code registry gives each kind
//! its code (`Y0001`…); tools that only run code print the message with its position.

use std::ops::Range;

/// What is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The YAML does not parse, or is not UTF-8.
    Yaml,
    /// An entry lacks a required field (`name`, `kind`, `source`, `method`).
    MissingField,
    /// A `source:` is missing, unreadable, not a regular file, or outside the project.
    BadSource,
    /// An import targets something that does not exist or is not a Lua entry.
    BadImport,
    /// Two entries of one project have the same id.
    DuplicateId,
    /// A field has the wrong shape (also: a `wippy.lock` Wippy would refuse).
    InvalidField,
    /// The `lint:` section of `.wippy.yaml` has an unknown key or a bad value.
    Config,
}

/// One problem, at a byte range of a file of [`crate::Files`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// Index of the file in [`crate::Files`].
    pub file: usize,
    /// Byte range in that file.
    pub span: Range<u32>,
    /// One-line message (paths in it are relative to the project root).
    pub message: String,
    /// The entry (`ns:name`) it concerns, if any.
    pub entry_id: Option<String>,
    /// A suggestion.
    pub help: Option<String>,
}

impl Problem {
    /// A problem without entry or help.
    pub fn new(
        kind: ProblemKind,
        file: usize,
        span: Range<u32>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            kind,
            file,
            span,
            message: message.into(),
            entry_id: None,
            help: None,
        }
    }

    /// The same problem, attributed to entry `id`.
    pub fn in_entry(mut self, id: &str) -> Self {
        self.entry_id = Some(id.to_owned());
        self
    }
}
