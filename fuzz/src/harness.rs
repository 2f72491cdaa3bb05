//! The bodies of the fuzz targets: each takes any bytes and must never panic, hang or exhaust
//! memory, and checks what must hold for every input. Compiled twice: by the cargo-fuzz crate
//! (`fuzz/`, nightly) and, through `#[path]`, by the stable test `tests/fuzz_replay.rs`, which
//! replays the seeds and every input that once crashed.
//!
//! - [`chunk`]: one Lua chunk through the dialect pre-pass, full_moon, lowering and the checker,
//!   with the diagnostics rendered;
//! - [`project`]: one `_index.yaml` through the YAML parser, the project loader and the checker;
//! - [`wapp`]: the `.wapp` reader, and a round trip of whatever it accepts;
//! - [`lsp`]: the LSP frame decoder, then the messages it accepts through a whole session
//!   (relay, tower-lsp, the server) confined to a scratch workspace;
//! - [`json`]: JSON ⇄ Luau conversion both ways within small budgets, from JSON text or from
//!   values a (budgeted) Luau expression builds.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where the file-based targets write (one directory per process).
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("wippy-fuzz-{name}-{}", std::process::id()))
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(path, bytes);
}

/// Every diagnostic lies inside its file, and rendering them (codespan) works.
fn check_report(report: &checker::Report) {
    for d in &report.diagnostics {
        assert!(
            d.span.start <= d.span.end,
            "inverted span {:?}: {}",
            d.span,
            d.message
        );
        if let Some(f) = report.files.get(d.file) {
            assert!(
                d.span.end as usize <= f.text.len(),
                "span {:?} past the end ({} bytes): {}",
                d.span,
                f.text.len(),
                d.message
            );
            let _ = project::line_col(&f.text, d.span.start);
        }
    }
    let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    let view = checker::output::View::at(checker::Severity::Hint);
    checker::output::write_text(report, &view, &mut out).expect("render");
    let _ = checker::output::to_json(report, &view);
    let _ = checker::output::sarif::to_sarif(report, &view, std::path::Path::new("/"));
    let _ = checker::output::concise::write(report, &view, &mut Vec::new());
    let _ =
        checker::output::github::write(report, &view, std::path::Path::new("/"), &mut Vec::new());
}

/// One Lua chunk: Luau parse (twin handlers), lowering (pack, run), Wippy check (check, lsp).
pub fn chunk(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let text = src.to_owned();
    let prepared_len = syntax::with_parse_stack(move || {
        let p = syntax::parse_chunk(&text, syntax::Dialect::Luau);
        p.prepared.text.len()
    });
    if src.len() <= syntax::dialect::MAX_SOURCE_BYTES {
        assert_eq!(prepared_len, src.len(), "the pre-pass changed the length");
    }
    if let Ok(lowered) = syntax::lower::lower(src) {
        // Lowering keeps every line where it was.
        assert_eq!(
            lowered.lines().count(),
            src.lines().count(),
            "lowering moved lines"
        );
    }
    let mut files = project::Files::default();
    let file = files.add(PathBuf::from("/fuzz/chunk.lua"), src);
    let r = checker::check::check_loose(&files, file, typedefs::ModuleSet::bundled());
    check_report(&r.report);
}

const LUA: &str =
    "local M = {}\nfunction M.main(a: string?): string\n    return a or \"\"\nend\nreturn M\n";

/// One `_index.yaml` (next to a fixed `f.lua` and `lib.lua`): YAML parser, loader, checker.
pub fn project(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(Some(doc)) = project::yaml::parse_yaml(text) {
            let _ = doc.to_json();
        }
    }
    let root = scratch("project");
    write(&root.join("src/f.lua"), LUA.as_bytes());
    write(&root.join("src/lib.lua"), b"return { x = 1 }\n");
    write(&root.join("src/_index.yaml"), data);
    let Ok(p) = project::load_project(&root) else {
        return;
    };
    for problem in &p.problems {
        assert!(problem.span.start <= problem.span.end, "{problem:?}");
        if let Some(f) = p.files.get(problem.file) {
            assert!(problem.span.start as usize <= f.text.len(), "{problem:?}");
        }
    }
    let report = checker::check_project(&p, typedefs::ModuleSet::bundled());
    check_report(&report);
}

/// The `.wapp` reader; what it accepts writes back and reads back the same. An input that
/// starts with `RECIPE` is first built into an archive ([`from_recipe`]), so mutations of the
/// table of contents, trees and metadata reach the reader inside valid zstd frames.
pub fn wapp(data: &[u8]) {
    let built;
    let bytes = match data.strip_prefix(b"RECIPE") {
        Some(recipe) => {
            built = from_recipe(recipe);
            &built[..]
        }
        None => data,
    };
    let Ok(a) = wapp::read(bytes) else {
        return;
    };
    let bytes = wapp::write(&a).expect("an archive that was read can be written");
    assert_eq!(
        wapp::read(&bytes).expect("re-read"),
        a,
        "round trip changed the archive"
    );
}

fn zstd_frame(raw: &[u8]) -> Vec<u8> {
    let mut c = zstd::bulk::Compressor::new(3).expect("zstd");
    let _ = c.include_checksum(true);
    c.compress(raw).unwrap_or_default()
}

fn hex_sha256(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Build an archive from a recipe: a flags byte, then sections `kind u8, length u32 LE,
/// bytes`: 0 metadata, 1 entries, 2 a tree (msgpack, compressed here), 3 a data frame (stored
/// as given), 4 the table of contents (msgpack, compressed here). With flag bit 0 the frames'
/// offsets, sizes and hashes in the table of contents are set to where they were laid out, so
/// only what the recipe changed elsewhere is wrong.
pub fn from_recipe(recipe: &[u8]) -> Vec<u8> {
    const HEADER: usize = 268;
    let Some((&flags, mut rest)) = recipe.split_first() else {
        return Vec::new();
    };
    let mut out = vec![0u8; HEADER];
    let mut frames: [Vec<serde_json::Value>; 4] = Default::default();
    let mut toc_raw = None;
    while rest.len() >= 5 {
        let kind = rest[0];
        let len = u32::from_le_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
        let body = &rest[5..(5 + len).min(rest.len())];
        rest = &rest[(5 + len).min(rest.len())..];
        if kind == 4 {
            toc_raw = Some(body.to_vec());
            continue;
        }
        let stored = if kind == 3 {
            body.to_vec()
        } else {
            zstd_frame(body)
        };
        let info = serde_json::json!({
            "offset": out.len(), "size": stored.len(), "uncomp_size": if kind == 3 { stored.len() } else { body.len() },
            "hash": hex_sha256(&stored),
        });
        out.extend_from_slice(&stored);
        if let Some(list) = frames.get_mut(usize::from(kind)) {
            list.push(info);
        }
    }
    let data_end = out.len();
    let mut toc: serde_json::Value = toc_raw
        .and_then(|t| rmp_serde::from_slice(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    if flags & 1 == 1 {
        if let Some(t) = toc.as_object_mut() {
            for (key, kind) in [("metadata", 0), ("entries", 1)] {
                if let Some(f) = frames[kind].first() {
                    t.insert(key.into(), f.clone());
                }
            }
            if let Some(rs) = t.get_mut("resources").and_then(|r| r.as_array_mut()) {
                for (r, f) in rs.iter_mut().zip(&frames[2]) {
                    if let Some(r) = r.as_object_mut() {
                        r.insert("frame".into(), f.clone());
                    }
                }
            }
            if let Some(ds) = t.get_mut("data_frames").and_then(|d| d.as_array_mut()) {
                for (d, f) in ds.iter_mut().zip(&frames[3]) {
                    *d = f.clone();
                }
            }
        }
    }
    let toc = zstd_frame(&rmp_serde::to_vec_named(&toc).unwrap_or_default());
    out.extend_from_slice(&toc);
    out.extend_from_slice(&(data_end as u64).to_le_bytes());
    out.extend_from_slice(&(toc.len() as u64).to_le_bytes());
    let data_hash = {
        use sha2::Digest;
        sha2::Sha256::digest(&out[HEADER..data_end])
    };
    out[..9].copy_from_slice(b"WIPPYPACK");
    out[9] = 1;
    out[12..20].copy_from_slice(&(HEADER as u64).to_le_bytes());
    out[20..28].copy_from_slice(&((data_end - HEADER) as u64).to_le_bytes());
    out[28..60].copy_from_slice(&data_hash);
    out
}

/// The recipe of an archive the writer made (the inverse of [`from_recipe`] with flag 1), for
/// seeds: its frames decompressed, its table of contents as msgpack.
pub fn recipe_of(archive: &[u8]) -> Option<Vec<u8>> {
    let footer = archive.len().checked_sub(16)?;
    let at =
        |i: usize| u64::from_le_bytes(archive[i..i + 8].try_into().unwrap_or_default()) as usize;
    let (toc_off, toc_len) = (at(footer), at(footer + 8));
    let toc_raw = zstd::decode_all(archive.get(toc_off..toc_off + toc_len)?).ok()?;
    let toc: serde_json::Value = rmp_serde::from_slice(&toc_raw).ok()?;
    let mut out = b"RECIPE\x01".to_vec();
    let mut section = |kind: u8, bytes: &[u8]| {
        out.push(kind);
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    let frame = |f: &serde_json::Value| -> Option<&[u8]> {
        let (o, s) = (f["offset"].as_u64()? as usize, f["size"].as_u64()? as usize);
        archive.get(o..o + s)
    };
    for key in ["metadata", "entries"] {
        section(
            if key == "metadata" { 0 } else { 1 },
            &zstd::decode_all(frame(&toc[key])?).ok()?,
        );
    }
    for r in toc["resources"].as_array()? {
        section(2, &zstd::decode_all(frame(&r["frame"])?).ok()?);
    }
    for d in toc["data_frames"].as_array()? {
        section(3, frame(d)?);
    }
    section(4, &toc_raw);
    Some(out)
}

/// The scratch workspace every LSP session is confined to: all `file:///` URIs are rewritten
/// under it, so no input makes the server load the whole disk.
fn lsp_workspace() -> &'static str {
    static ROOT: OnceLock<String> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = scratch("lsp");
        write(
            &root.join("src/_index.yaml"),
            b"namespace: app\nentries:\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n    modules: [json]\n",
        );
        write(&root.join("src/f.lua"), LUA.as_bytes());
        write(&root.join("twins/t/lua/handlers/get_item.lua"), b"emit.json({ ok = true })\n");
        let s = root.to_string_lossy().into_owned();
        s.trim_start_matches('/').to_owned()
    })
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// LSP: the frame decoder over the raw bytes (or, without any `Content-Length`, each line as a
/// message body), then a session fed the messages it accepted and `shutdown` + `exit`.
pub fn lsp(data: &[u8]) {
    use lsp::frames::{Frame, FrameReader};
    let raw: Vec<u8> = if data
        .windows(15)
        .any(|w| w.eq_ignore_ascii_case(b"content-length:"))
    {
        data.to_vec()
    } else {
        data.split(|&b| b == b'\n').flat_map(framed).collect()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let frames = rt.block_on(async {
        let mut r = FrameReader::new(tokio::io::BufReader::new(std::io::Cursor::new(raw)));
        let mut out = Vec::new();
        while let Ok(Some(f)) = r.next().await {
            out.push(f);
        }
        out
    });
    let root = format!("file:///{}/", lsp_workspace());
    let mut session = Vec::new();
    for f in frames {
        if let Frame::Message(body, _) = f {
            let body = replace(&body, b"file:///", root.as_bytes());
            // Still a message after the rewrite (it only touches string contents).
            if let Frame::Message(body, _) = lsp::frames::check_body(body) {
                session.extend(framed(&body));
            }
        }
    }
    session.extend(framed(
        br#"{"jsonrpc":"2.0","id":999999,"method":"shutdown"}"#,
    ));
    session.extend(framed(br#"{"jsonrpc":"2.0","method":"exit"}"#));
    let ended = rt.block_on(async {
        tokio::time::timeout(
            std::time::Duration::from_secs(20),
            lsp::serve(std::io::Cursor::new(session), tokio::io::sink()),
        )
        .await
    });
    assert!(ended.is_ok(), "the LSP session did not end within 20 s");
}

/// JSON ⇄ Luau within small budgets. First byte: `j` = the rest is JSON text, else the rest
/// is a Luau expression run under a small instruction, time and memory budget. Converting
/// back what one direction produced must be stable.
pub fn json(data: &[u8]) {
    use host::value::{from_json_within, to_json_within, ConvertLimits};
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let limits = ConvertLimits {
        max_bytes: 1 << 20,
        max_nodes: 50_000,
        ..ConvertLimits::default()
    };
    let lua = mlua::Lua::new();
    let value = if mode == b'j' {
        let Ok(j) = serde_json::from_slice::<serde_json::Value>(rest) else {
            return;
        };
        match from_json_within(&lua, &j, &limits) {
            Ok(v) => v,
            Err(_) => return,
        }
    } else {
        let Ok(src) = std::str::from_utf8(rest) else {
            return;
        };
        let Ok(bytecode) = host::Bytecode::compile(&format!("return {src}")) else {
            return;
        };
        let budget = host::Budget::install(
            &lua,
            &host::Limits {
                timeout_ms: 50,
                memory_bytes: 4 << 20,
                instructions: 20_000,
            },
        );
        if host::limits::guard_allocators(&lua, &budget).is_err() {
            return;
        }
        let globals = lua.globals();
        let Ok(f) = bytecode.load(&lua, "=fuzz", &globals) else {
            return;
        };
        budget.start(&lua);
        let out = budget.run(&lua, || f.call::<mlua::Value>(()));
        let tripped = budget.finish(out.as_ref().err());
        match (tripped, out) {
            (None, Ok(v)) => v,
            _ => return,
        }
    };
    let Ok(first) = to_json_within(&value, &limits) else {
        return;
    };
    // JSON → Lua → JSON gives the same JSON back, unless a `null` (NaN, an absent member) is in
    // it: `null` becomes `nil`, which no table holds.
    let Ok(again) = from_json_within(&lua, &first, &limits) else {
        return;
    };
    if !has_null(&first) {
        let second = to_json_within(&again, &limits).expect("a converted value converts back");
        assert_eq!(first, second, "JSON → Lua → JSON changed the value");
    }
}

fn has_null(j: &serde_json::Value) -> bool {
    match j {
        serde_json::Value::Null => true,
        serde_json::Value::Array(a) => a.iter().any(has_null),
        serde_json::Value::Object(o) => o.values().any(has_null),
        _ => false,
    }
}
