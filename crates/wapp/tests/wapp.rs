//! The `.wapp` container: round trip, reproducibility, and refusal of every damaged archive.

use std::collections::BTreeMap;

use wapp::{read, write, Archive, EntryId, PackedEntry, TreeResource};

fn sample(big: bool) -> Archive {
    let mut files = BTreeMap::new();
    files.insert(
        "app/greet.luac".to_owned(),
        b"\x06bytecode-ish \x00\x01\x02".to_vec(),
    );
    files.insert(
        "app.lib/strings.luac".to_owned(),
        b"another chunk".repeat(20),
    );
    files.insert(
        "static/logo.png".to_owned(),
        vec![0x89, b'P', b'N', b'G', 1, 2, 3],
    );
    if big {
        files.insert(
            "big/blob.bin".to_owned(),
            (0..2_500_000u32).map(|i| (i * 7 % 251) as u8).collect(),
        );
    }
    let mut meta = BTreeMap::new();
    meta.insert(
        "packed_at".to_owned(),
        serde_json::json!("2026-11-23T00:00:00Z"),
    );
    meta.insert("entry_count".to_owned(), serde_json::json!(1));
    Archive {
        metadata: meta,
        entries: vec![PackedEntry {
            id: EntryId {
                ns: "app".into(),
                name: "greet".into(),
            },
            kind: "function.lua.bc".into(),
            meta: None,
            data: Some(
                serde_json::json!({"fs": "internal:lua.bytecode", "path": "app/greet.luac", "method": "main"}),
            ),
        }],
        resources: vec![TreeResource {
            id: "internal:lua.bytecode".into(),
            meta: BTreeMap::new(),
            files,
        }],
    }
}

#[test]
fn round_trip_and_reproducible() {
    for big in [false, true] {
        let a = sample(big);
        let bytes = write(&a).expect("write");
        assert_eq!(&bytes[..9], b"WIPPYPACK");
        assert_eq!(read(&bytes).expect("read"), a);
        assert_eq!(write(&a).expect("write"), bytes, "same input, same bytes");
    }
}

#[test]
fn every_flipped_byte_and_every_truncation_is_refused() {
    let bytes = write(&sample(false)).expect("write");
    for i in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x5a;
        assert!(
            read(&damaged).is_err(),
            "flipping byte {i} of {} went unnoticed",
            bytes.len()
        );
    }
    for len in 0..bytes.len() {
        let e = read(&bytes[..len]).expect_err("truncated archive accepted");
        assert!(!e.0.is_empty());
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(read(&longer).is_err());
}
