//! Writing a `.wapp` archive. Output depends only on the archive's content (maps are ordered,
//! no timestamps are invented), so the same input gives byte-identical archives.

use std::collections::BTreeMap;

use super::format::{
    already_compressed, sha256_hex, Chunk, FileEntry, FrameInfo, Location, ResourceFrame, Toc,
    Tree, CHUNK_SIZE, HEADER_SIZE, MAGIC, MAX_DATA_FRAME, VERSION, ZSTD_LEVEL,
};
use super::Archive;

/// zstd with a content checksum, through the bulk API (the streaming API at high levels was 250×
/// slower in measurement: reference/runtime-facts §5).
pub(super) fn compress(data: &[u8]) -> Vec<u8> {
    let mut c = match zstd::bulk::Compressor::new(ZSTD_LEVEL) {
        Ok(c) => c,
        Err(_) => return Vec::new(),
    };
    let _ = c.include_checksum(true);
    c.compress(data).unwrap_or_default()
}

fn msgpack<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(v).map_err(|e| format!("encoding archive metadata: {e}"))
}

/// Data frames being filled.
struct DataFrames {
    frames: Vec<Vec<u8>>,
}

impl DataFrames {
    /// Place stored bytes; returns (frame index, offset in frame).
    fn place(&mut self, bytes: &[u8]) -> (u64, u64) {
        let start_new = match self.frames.last() {
            None => true,
            Some(f) => !f.is_empty() && f.len() + bytes.len() > MAX_DATA_FRAME,
        };
        if start_new {
            self.frames.push(Vec::new());
        }
        let idx = self.frames.len() - 1;
        let frame = &mut self.frames[idx];
        let off = frame.len();
        frame.extend_from_slice(bytes);
        (idx as u64, off as u64)
    }
}

/// Serialize an archive. Errors only if metadata cannot be encoded as msgpack.
pub fn write(a: &Archive) -> Result<Vec<u8>, String> {
    let mut data = DataFrames { frames: Vec::new() };
    let mut trees = Vec::new();
    for r in &a.resources {
        let mut files = BTreeMap::new();
        let mut dirs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, content) in &r.files {
            let compress_it = !already_compressed(path);
            let store = |b: &[u8]| if compress_it { compress(b) } else { b.to_vec() };
            let (location, stored_size) = if content.len() > CHUNK_SIZE {
                let mut chunks = Vec::new();
                let mut total = 0u64;
                for (i, piece) in content.chunks(CHUNK_SIZE).enumerate() {
                    let stored = store(piece);
                    let (frame, frame_offset) = data.place(&stored);
                    total += stored.len() as u64;
                    chunks.push(Chunk {
                        size: piece.len() as u64,
                        offset: (i * CHUNK_SIZE) as u64,
                        frame,
                        frame_offset,
                    });
                }
                let (frame, offset) = (chunks[0].frame, chunks[0].frame_offset);
                (
                    Location {
                        frame,
                        offset,
                        chunks,
                    },
                    total,
                )
            } else {
                let stored = store(content);
                let (frame, offset) = data.place(&stored);
                (
                    Location {
                        frame,
                        offset,
                        chunks: Vec::new(),
                    },
                    stored.len() as u64,
                )
            };
            files.insert(
                path.clone(),
                FileEntry {
                    size: content.len() as u64,
                    compressed_size: compress_it.then_some(stored_size),
                    mode: 0o644,
                    mtime: 0,
                    hash: sha256_hex(content),
                    compressed: compress_it,
                    location,
                },
            );
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            dirs.entry(dir.to_owned())
                .or_default()
                .push(name.to_owned());
        }
        trees.push(Tree {
            id: r.id.clone(),
            meta: r.meta.clone(),
            files,
            dirs,
        });
    }

    let mut out = vec![0u8; HEADER_SIZE];
    let frame = |out: &mut Vec<u8>, stored: &[u8], uncomp: usize| {
        let info = FrameInfo {
            offset: out.len() as u64,
            size: stored.len() as u64,
            uncomp_size: uncomp as u64,
            hash: sha256_hex(stored),
        };
        out.extend_from_slice(stored);
        info
    };
    let meta = msgpack(&a.metadata)?;
    let metadata = frame(&mut out, &compress(&meta), meta.len());
    let ent = msgpack(&a.entries)?;
    let entries = frame(&mut out, &compress(&ent), ent.len());
    let mut resources = Vec::new();
    for t in &trees {
        let bytes = msgpack(t)?;
        let info = frame(&mut out, &compress(&bytes), bytes.len());
        resources.push(ResourceFrame {
            id: t.id.clone(),
            kind: "tree".into(),
            meta: t.meta.clone(),
            frame: info,
            file_count: t.files.len() as u64,
            total_size: t.files.values().map(|f| f.size).sum(),
        });
    }
    let data_frames: Vec<FrameInfo> = data
        .frames
        .iter()
        .map(|f| frame(&mut out, f, f.len()))
        .collect();
    let toc_offset = out.len();
    let toc = compress(&msgpack(&Toc {
        metadata,
        entries,
        resources,
        data_frames,
    })?);
    out.extend_from_slice(&toc);
    out.extend_from_slice(&(toc_offset as u64).to_le_bytes());
    out.extend_from_slice(&(toc.len() as u64).to_le_bytes());

    let data_hash = {
        use sha2::Digest;
        sha2::Sha256::digest(&out[HEADER_SIZE..toc_offset])
    };
    let mut header = Vec::with_capacity(HEADER_SIZE);
    header.extend_from_slice(MAGIC);
    header.push(VERSION);
    header.extend_from_slice(&0u16.to_le_bytes());
    header.extend_from_slice(&(HEADER_SIZE as u64).to_le_bytes());
    header.extend_from_slice(&((toc_offset - HEADER_SIZE) as u64).to_le_bytes());
    header.extend_from_slice(&data_hash);
    header.resize(HEADER_SIZE, 0);
    out[..HEADER_SIZE].copy_from_slice(&header);
    Ok(out)
}
