//! The `.wapp` container (wippy-facts §4.2, after wippyai/wapp `format.go`):
//!
//! ```text
//! Header (268 B) | metadata frame | entries frame | tree frames… | data frames… | zstd(msgpack(TOC)) | Footer (16 B)
//! ```
//! Header (little-endian): `"WIPPYPACK"`, version u8 = 1, flags u16, data offset u64 (= 268), data
//! size u64, SHA-256 of all frame bytes, 208 reserved bytes. Footer: TOC offset u64, TOC size u64.
//! Metadata, entries, tree and TOC frames are msgpack (maps with string keys) compressed with zstd's
//! bulk API; data frames are concatenations (≤ 10 MiB) of individually zstd-compressed files.
//! Every frame carries the hex SHA-256 of its stored bytes in the TOC, every file the SHA-256 of
//! its content; [`read`] checks all of them before returning anything.

mod budget;
mod format;
mod reader;
mod writer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use budget::ReadLimits;
pub use format::sha256_hex;
pub use reader::{read, read_with, WappError};
pub use writer::write;

/// An archive in memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Archive {
    /// Metadata bag (packer version, Luau version, options, entry count, `packed_at`, `--meta`).
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// Registry entries.
    pub entries: Vec<PackedEntry>,
    /// Tree resources (file systems): bytecode, templates, static assets.
    pub resources: Vec<TreeResource>,
}

/// An entry id `ns:name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntryId {
    /// Namespace.
    pub ns: String,
    /// Name.
    pub name: String,
}

/// A registry entry as stored in the entries frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackedEntry {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: EntryId,
    /// Its kind (`function.lua.bc`, `http.endpoint`, …).
    #[serde(rename = "Kind")]
    pub kind: String,
    /// Metadata.
    #[serde(rename = "Meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// Data (all other fields of the entry).
    #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// A tree resource: a set of files under one id (e.g. `internal:lua.bytecode`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TreeResource {
    /// Resource id.
    pub id: String,
    /// Resource metadata.
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Files by slash-separated relative path.
    pub files: BTreeMap<String, Vec<u8>>,
}

#[cfg(test)]
mod hostile;
