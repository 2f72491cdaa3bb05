//! Reading and verifying a `.wapp` archive: every length, offset and hash is checked before any
//! content is returned; a damaged archive is an error naming what failed, never a panic. What
//! reading may decompress and allocate is bounded by [`ReadLimits`] (see [`crate::budget`]),
//! and frames may not overlap, so hashing reads each stored byte at most once.

use std::collections::BTreeMap;

use super::budget::{ReadLimits, Spend};
use super::format::{
    sha256_hex, FrameInfo, Toc, Tree, CHUNK_SIZE, FOOTER_SIZE, HEADER_SIZE, MAGIC, VERSION,
};
use super::{Archive, PackedEntry, TreeResource};

/// Why an archive was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WappError(pub String);

impl std::fmt::Display for WappError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, WappError> {
    Err(WappError(msg.into()))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Whether a computed hash matches the stored one. Builds for fuzzing (`cfg(fuzzing)`, set by
/// cargo-fuzz) accept any hash, so mutated archives reach the code behind the checks; every
/// other build compares.
fn matches(computed: &[u8], stored: &[u8]) -> bool {
    cfg!(fuzzing) || computed == stored
}

/// What the frame cap is called in errors.
const FRAME_LIMIT: &str = "frame size limit";

fn frame<'a>(
    what: &str,
    bytes: &'a [u8],
    f: &FrameInfo,
    data_end: usize,
) -> Result<&'a [u8], WappError> {
    let start = usize::try_from(f.offset).unwrap_or(usize::MAX);
    let end = start.checked_add(usize::try_from(f.size).unwrap_or(usize::MAX));
    match end {
        Some(end) if start >= HEADER_SIZE && end <= data_end => {
            let stored = &bytes[start..end];
            if !matches(sha256_hex(stored).as_bytes(), f.hash.as_bytes()) {
                return err(format!("{what}: SHA-256 mismatch"));
            }
            Ok(stored)
        }
        _ => err(format!(
            "{what}: offset {} + size {} is outside the data section",
            f.offset, f.size
        )),
    }
}

fn unpack<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, WappError> {
    rmp_serde::from_slice(bytes).or_else(|e| err(format!("{what}: bad msgpack: {e}")))
}

/// Parse and verify an archive with the default [`ReadLimits`].
pub fn read(bytes: &[u8]) -> Result<Archive, WappError> {
    read_with(bytes, &ReadLimits::default())
}

/// Every frame must lie in the data section and no two may overlap (the writer lays them back
/// to back); otherwise one stored range could be listed, hashed and decompressed many times.
fn check_layout(toc: &Toc) -> Result<(), WappError> {
    let mut frames: Vec<(&str, &FrameInfo)> = vec![
        ("metadata frame", &toc.metadata),
        ("entries frame", &toc.entries),
    ];
    frames.extend(toc.resources.iter().map(|r| ("a resource frame", &r.frame)));
    frames.extend(toc.data_frames.iter().map(|f| ("a data frame", f)));
    frames.sort_by_key(|(_, f)| (f.offset, f.size));
    for pair in frames.windows(2) {
        let (a, b) = (pair[0].1, pair[1].1);
        if a.offset.saturating_add(a.size) > b.offset {
            return err(format!(
                "table of contents: {} at {} overlaps {} at {}",
                pair[0].0, a.offset, pair[1].0, b.offset
            ));
        }
    }
    Ok(())
}

/// Parse and verify an archive within `limits`.
pub fn read_with(bytes: &[u8], limits: &ReadLimits) -> Result<Archive, WappError> {
    let mut spend = Spend::new(limits);
    let max_frame = limits.max_frame_bytes;
    if bytes.len() < HEADER_SIZE + FOOTER_SIZE {
        return err(format!(
            "truncated: {} bytes is smaller than header and footer",
            bytes.len()
        ));
    }
    if &bytes[..9] != MAGIC {
        return err("not a .wapp archive (bad magic)");
    }
    if bytes[9] != VERSION {
        return err(format!("unsupported .wapp version {}", bytes[9]));
    }
    if bytes[10..12] != [0, 0] || bytes[60..HEADER_SIZE].iter().any(|&b| b != 0) {
        return err("header: unknown flags or non-zero reserved bytes");
    }
    let data_offset = u64_at(bytes, 12);
    let data_size = u64_at(bytes, 20);
    let footer = bytes.len() - FOOTER_SIZE;
    let toc_offset = u64_at(bytes, footer);
    let toc_size = u64_at(bytes, footer + 8);
    if data_offset != HEADER_SIZE as u64
        || toc_offset != data_offset.saturating_add(data_size)
        || toc_offset.checked_add(toc_size) != Some(footer as u64)
    {
        return err("truncated or damaged: header and footer sizes disagree with the file length");
    }
    let data_end = toc_offset as usize;
    {
        use sha2::Digest;
        if !matches(
            &sha2::Sha256::digest(&bytes[HEADER_SIZE..data_end])[..],
            &bytes[28..60],
        ) {
            return err("data section: SHA-256 mismatch");
        }
    }
    let toc_bytes = spend.toc(&bytes[data_end..footer])?;
    let toc: Toc = unpack("table of contents", &toc_bytes)?;
    drop(toc_bytes);
    check_layout(&toc)?;
    let meta_bytes = spend.decompress(
        "metadata frame",
        frame("metadata frame", bytes, &toc.metadata, data_end)?,
        toc.metadata.uncomp_size,
        max_frame,
        FRAME_LIMIT,
    )?;
    let metadata: BTreeMap<String, serde_json::Value> = unpack("metadata frame", &meta_bytes)?;
    let ent_bytes = spend.decompress(
        "entries frame",
        frame("entries frame", bytes, &toc.entries, data_end)?,
        toc.entries.uncomp_size,
        max_frame,
        FRAME_LIMIT,
    )?;
    let entries: Vec<PackedEntry> = unpack("entries frame", &ent_bytes)?;
    let mut ids = std::collections::BTreeSet::new();
    for e in &entries {
        if !ids.insert(&e.id) {
            return err(format!(
                "entries frame: entry id `{}:{}` appears more than once",
                e.id.ns, e.id.name
            ));
        }
    }
    let mut data_frames = Vec::new();
    for (i, f) in toc.data_frames.iter().enumerate() {
        let what = format!("data frame {i}");
        let stored = frame(&what, bytes, f, data_end)?;
        if f.uncomp_size != f.size {
            return err(format!("{what}: size fields disagree"));
        }
        data_frames.push(stored);
    }
    let mut resources = Vec::new();
    for r in &toc.resources {
        let what = format!("resource {}", r.id);
        let tree_bytes = spend.decompress(
            &what,
            frame(&what, bytes, &r.frame, data_end)?,
            r.frame.uncomp_size,
            max_frame,
            FRAME_LIMIT,
        )?;
        let tree: Tree = unpack(&what, &tree_bytes)?;
        drop(tree_bytes);
        let total = tree
            .files
            .values()
            .try_fold(0u64, |sum, f| sum.checked_add(f.size));
        if tree.id != r.id
            || tree.meta != r.meta
            || r.kind != "tree"
            || tree.files.len() as u64 != r.file_count
            || total != Some(r.total_size)
        {
            return err(format!(
                "{what}: table of contents disagrees with the tree frame"
            ));
        }
        // Every file of the tree counts against the total before any of it is read.
        spend.charge(&what, r.total_size)?;
        let mut files = BTreeMap::new();
        for (path, fe) in &tree.files {
            let what = format!("file {}/{path}", r.id);
            let slice = |frame: u64, off: u64, len: u64| -> Result<&[u8], WappError> {
                let f = data_frames
                    .get(frame as usize)
                    .ok_or_else(|| WappError(format!("{what}: no data frame {frame}")))?;
                let (s, e) = (off as usize, (off as usize).checked_add(len as usize));
                match e {
                    Some(e) if e <= f.len() => Ok(&f[s..e]),
                    _ => err(format!("{what}: outside its data frame")),
                }
            };
            let stored_len = fe.compressed_size.unwrap_or(fe.size);
            // Already charged with the tree's total: decompress against an unlimited remainder.
            let mut file_spend = Spend::new(&UNCHARGED);
            let content = if fe.location.chunks.is_empty() {
                let stored = slice(fe.location.frame, fe.location.offset, stored_len)?;
                if fe.compressed {
                    file_spend.decompress(&what, stored, fe.size, max_frame, "file size limit")?
                } else {
                    stored.to_vec()
                }
            } else {
                spend.chunks(&what, fe.size, fe.location.chunks.iter().map(|c| c.size))?;
                // Chunks are stored back to back; each is a whole zstd frame (or raw).
                // Grown as chunks check out, not reserved from the declared size.
                let mut content = Vec::with_capacity(fe.size.min(4 * CHUNK_SIZE as u64) as usize);
                for c in &fe.location.chunks {
                    if c.offset != content.len() as u64 {
                        return err(format!("{what}: chunks out of order"));
                    }
                    let f = data_frames
                        .get(c.frame as usize)
                        .ok_or_else(|| WappError(format!("{what}: no data frame {}", c.frame)))?;
                    let rest = f
                        .get(c.frame_offset as usize..)
                        .ok_or_else(|| WappError(format!("{what}: chunk outside its frame")))?;
                    if fe.compressed {
                        let len = zstd::zstd_safe::find_frame_compressed_size(rest)
                            .map_err(|_| WappError(format!("{what}: bad chunk")))?;
                        content.extend(file_spend.decompress(
                            &what,
                            &rest[..len],
                            c.size,
                            CHUNK_SIZE as u64,
                            "chunk size",
                        )?);
                    } else {
                        content.extend_from_slice(rest.get(..c.size as usize).ok_or_else(
                            || WappError(format!("{what}: chunk outside its frame")),
                        )?);
                    }
                }
                content
            };
            if content.len() as u64 != fe.size
                || !matches(sha256_hex(&content).as_bytes(), fe.hash.as_bytes())
            {
                return err(format!("{what}: content SHA-256 mismatch"));
            }
            files.insert(path.clone(), content);
        }
        resources.push(TreeResource {
            id: r.id.clone(),
            meta: r.meta.clone(),
            files,
        });
    }
    Ok(Archive {
        metadata,
        entries,
        resources,
    })
}

/// Limits for content already charged to the archive's total.
const UNCHARGED: ReadLimits = ReadLimits {
    max_toc_bytes: 0,
    max_frame_bytes: 0,
    max_total_bytes: u64::MAX,
    max_chunks: u64::MAX,
};
