//! Archives built to make the reader allocate or work far beyond their size: each is refused
//! with an error naming the limit, before the allocation.

use std::collections::BTreeMap;

use super::budget::ReadLimits;
use super::format::{
    sha256_hex, Chunk, FileEntry, FrameInfo, Location, ResourceFrame, Toc, Tree, CHUNK_SIZE,
    HEADER_SIZE, MAGIC, VERSION,
};
use super::reader::read_with;
use super::writer::compress;
use super::{read, PackedEntry};

/// A consistent archive (sizes, offsets and every hash right) around `frames` stored back to
/// back after the header; `toc` gets their [`FrameInfo`]s and `toc_stored` overrides its bytes.
fn assemble(
    frames: &[(Vec<u8>, u64)],
    toc: impl FnOnce(&[FrameInfo]) -> Toc,
    toc_stored: Option<Vec<u8>>,
) -> Vec<u8> {
    let mut out = vec![0u8; HEADER_SIZE];
    let infos: Vec<FrameInfo> = frames
        .iter()
        .map(|(stored, uncomp)| {
            let info = FrameInfo {
                offset: out.len() as u64,
                size: stored.len() as u64,
                uncomp_size: *uncomp,
                hash: sha256_hex(stored),
            };
            out.extend_from_slice(stored);
            info
        })
        .collect();
    let toc_offset = out.len();
    let toc = toc_stored
        .unwrap_or_else(|| compress(&rmp_serde::to_vec_named(&toc(&infos)).expect("toc")));
    out.extend_from_slice(&toc);
    out.extend_from_slice(&(toc_offset as u64).to_le_bytes());
    out.extend_from_slice(&(toc.len() as u64).to_le_bytes());
    let data_hash = {
        use sha2::Digest;
        sha2::Sha256::digest(&out[HEADER_SIZE..toc_offset])
    };
    out[..9].copy_from_slice(MAGIC);
    out[9] = VERSION;
    out[12..20].copy_from_slice(&(HEADER_SIZE as u64).to_le_bytes());
    out[20..28].copy_from_slice(&((toc_offset - HEADER_SIZE) as u64).to_le_bytes());
    out[28..60].copy_from_slice(&data_hash);
    out
}

fn packed<T: serde::Serialize>(v: &T) -> (Vec<u8>, u64) {
    let raw = rmp_serde::to_vec_named(v).expect("msgpack");
    (compress(&raw), raw.len() as u64)
}

fn no_entries() -> Vec<PackedEntry> {
    Vec::new()
}

/// An archive whose one tree has one file `big.bin` of `chunks` chunks of `chunk_size` bytes,
/// every chunk the same stored zstd frame of zeros.
fn chunked(chunks: u64, chunk_size: u64) -> Vec<u8> {
    let zeros = compress(&vec![0u8; chunk_size as usize]);
    // Hashed only where a test reads it back (refused archives never get that far).
    let hash = if chunks * chunk_size <= 16 << 20 {
        sha256_hex(&vec![0u8; (chunks * chunk_size) as usize])
    } else {
        "0".repeat(64)
    };
    let size = chunks * chunk_size;
    let file = FileEntry {
        size,
        compressed_size: Some(zeros.len() as u64),
        mode: 0o644,
        mtime: 0,
        hash,
        compressed: true,
        location: Location {
            frame: 0,
            offset: 0,
            chunks: (0..chunks)
                .map(|i| Chunk {
                    size: chunk_size,
                    offset: i * chunk_size,
                    frame: 0,
                    frame_offset: 0,
                })
                .collect(),
        },
    };
    let tree = Tree {
        id: "files".into(),
        meta: BTreeMap::new(),
        files: BTreeMap::from([("big.bin".to_owned(), file)]),
        dirs: BTreeMap::new(),
    };
    let data = zeros.clone();
    let data_len = data.len() as u64;
    assemble(
        &[
            packed(&BTreeMap::<String, String>::new()),
            packed(&no_entries()),
            packed(&tree),
            (data, data_len),
        ],
        |f| Toc {
            metadata: f[0].clone(),
            entries: f[1].clone(),
            resources: vec![ResourceFrame {
                id: "files".into(),
                kind: "tree".into(),
                meta: BTreeMap::new(),
                frame: f[2].clone(),
                file_count: 1,
                total_size: size,
            }],
            data_frames: vec![f[3].clone()],
        },
        None,
    )
}

fn refused(bytes: &[u8], limits: &ReadLimits, needle: &str) {
    let e = read_with(bytes, limits).expect_err("a hostile archive was read");
    assert!(e.0.contains(needle), "`{needle}` not in: {e}");
}

#[test]
fn the_builder_makes_readable_archives() {
    // One file of three 1 MiB chunks sharing a stored frame is legal and reads back.
    let a = read(&chunked(3, CHUNK_SIZE as u64)).expect("read");
    assert_eq!(a.resources[0].files["big.bin"].len(), 3 * CHUNK_SIZE);
    // More chunks than the size needs (tiny chunks) are not what a writer makes.
    refused(
        &chunked(3, 1024),
        &ReadLimits::default(),
        "3 chunks of 3072 bytes",
    );
}

#[test]
fn the_table_of_contents_is_decompressed_within_its_limit() {
    // A stream with no declared size: the old reader decompressed all of it (a 2.1 MB archive
    // asked for 64 GB). 17 MiB of zeros is a few hundred bytes stored.
    let limits = ReadLimits::default();
    let mut enc = zstd::stream::Encoder::new(Vec::new(), 3).expect("encoder");
    std::io::Write::write_all(
        &mut enc,
        &vec![0u8; (limits.max_toc_bytes + (1 << 20)) as usize],
    )
    .expect("write");
    let bomb = enc.finish().expect("finish");
    assert!(bomb.len() < 4096, "{}", bomb.len());
    let bytes = assemble(&[], |_| unreachable!(), Some(bomb));
    refused(&bytes, &limits, "16 MiB table of contents limit");
}

#[test]
fn a_frame_declaring_a_huge_size_is_refused_before_allocation() {
    // The old reader allocated the declared 1 GiB, then found the frame held 100 bytes.
    // An archive whose metadata frame holds 100 bytes but declares `declared`.
    let metadata_declaring = |declared| {
        assemble(
            &[(compress(&[0u8; 100]), declared), packed(&no_entries())],
            |f| Toc {
                metadata: f[0].clone(),
                entries: f[1].clone(),
                resources: Vec::new(),
                data_frames: Vec::new(),
            },
            None,
        )
    };
    let limits = ReadLimits::default();
    refused(
        &metadata_declaring(1 << 30),
        &limits,
        "over the 64 MiB frame size limit",
    );
    // Within the cap, the frame's own header must agree before anything is allocated.
    refused(
        &metadata_declaring(60 << 20),
        &limits,
        "the zstd frame holds 100 bytes",
    );
}

#[test]
fn chunks_are_bounded_in_size_count_and_total() {
    let limits = ReadLimits::default();
    // Chunks larger than the writer's 1 MiB chunk size (the old reader took up to 1 GiB each).
    refused(
        &chunked(3, 2 << 20),
        &limits,
        "larger than the 1 MiB chunk size",
    );
    // 1025 chunks of 1 MiB, all one stored frame of ~100 bytes: over the 1 GiB total, refused
    // before any chunk is decompressed.
    refused(
        &chunked(1025, CHUNK_SIZE as u64),
        &limits,
        "1 GiB limit of content read from one archive",
    );
    // The same mechanism at a size a test can afford.
    let small = ReadLimits {
        max_total_bytes: 4 << 20,
        ..ReadLimits::default()
    };
    refused(&chunked(5, CHUNK_SIZE as u64), &small, "4 MiB limit");
    assert!(read_with(&chunked(3, CHUNK_SIZE as u64), &small).is_ok());
    let few = ReadLimits {
        max_chunks: 2,
        ..ReadLimits::default()
    };
    refused(&chunked(3, CHUNK_SIZE as u64), &few, "chunk count limit");
}

#[test]
fn frames_listed_twice_are_refused() {
    // One stored range listed 1000 times would be hashed 1000 times.
    let data = vec![7u8; 4096];
    let bytes = assemble(
        &[
            packed(&BTreeMap::<String, String>::new()),
            packed(&no_entries()),
            (data, 4096),
        ],
        |f| Toc {
            metadata: f[0].clone(),
            entries: f[1].clone(),
            resources: Vec::new(),
            data_frames: vec![f[2].clone(); 1000],
        },
        None,
    );
    refused(&bytes, &ReadLimits::default(), "overlaps");
}
