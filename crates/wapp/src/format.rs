//! Byte layout of the header, footer and table of contents.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const MAGIC: &[u8; 9] = b"WIPPYPACK";
pub const VERSION: u8 = 1;
pub const HEADER_SIZE: usize = 268;
pub const FOOTER_SIZE: usize = 16;
/// Largest data frame.
pub const MAX_DATA_FRAME: usize = 10 << 20;
/// Files larger than this are stored in chunks.
pub const CHUNK_SIZE: usize = 1 << 20;
/// zstd level for frames and files.
pub const ZSTD_LEVEL: i32 = 3;

/// Where a frame is and how to check it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameInfo {
    pub offset: u64,
    pub size: u64,
    pub uncomp_size: u64,
    /// Hex SHA-256 of the stored (compressed) frame bytes.
    pub hash: String,
}

/// A tree resource in the TOC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceFrame {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub meta: BTreeMap<String, serde_json::Value>,
    pub frame: FrameInfo,
    pub file_count: u64,
    pub total_size: u64,
}

/// The table of contents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Toc {
    pub metadata: FrameInfo,
    pub entries: FrameInfo,
    pub resources: Vec<ResourceFrame>,
    pub data_frames: Vec<FrameInfo>,
}

/// A tree frame: the files of one resource and where their bytes are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub id: String,
    pub meta: BTreeMap<String, serde_json::Value>,
    pub files: BTreeMap<String, FileEntry>,
    pub dirs: BTreeMap<String, Vec<String>>,
}

/// One file of a tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compressed_size: Option<u64>,
    pub mode: u32,
    pub mtime: i64,
    /// Hex SHA-256 of the original content.
    pub hash: String,
    pub compressed: bool,
    pub location: Location,
}

/// Where a file's stored bytes are: whole in one data frame, or in chunks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub frame: u64,
    pub offset: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chunks: Vec<Chunk>,
}

/// One chunk of a large file (each chunk compressed on its own).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    pub size: u64,
    pub offset: u64,
    pub frame: u64,
    pub frame_offset: u64,
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Extensions of formats that are already compressed (stored as is).
pub fn already_compressed(path: &str) -> bool {
    const EXT: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "webp", "woff", "woff2", "mp4", "mp3", "gz", "zip", "zst",
        "br", "bz2", "xz", "7z",
    ];
    path.rsplit_once('.')
        .is_some_and(|(_, e)| EXT.contains(&e.to_ascii_lowercase().as_str()))
}
