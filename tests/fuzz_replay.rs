//! Replays every fuzz seed (`fuzz/seeds/<target>/`, and for `chunk` and `project` the example
//! projects' Lua and `_index.yaml` files under `examples/`, which the fuzzer is given as a
//! corpus too) and every input that once made a target fail (`fuzz/regressions/<target>/`)
//! through the same target bodies the fuzzer runs (`fuzz/src/harness.rs`), on stable, so CI
//! keeps them fixed. Fuzzing itself: fuzz/README.md.

#[allow(dead_code)]
#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

/// The files under `dir`, recursively.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        match e.file_type() {
            Ok(t) if t.is_dir() => files_under(&e.path(), out),
            Ok(t) if t.is_file() => out.push(e.path()),
            _ => {}
        }
    }
}

/// Every input of `target`, by name; at least one seed must exist.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["seeds", "regressions"] {
        files_under(&root.join("fuzz").join(dir).join(target), &mut paths);
    }
    let example = |p: &Path| match target {
        "chunk" => p.extension().is_some_and(|x| x == "lua"),
        "project" => p.file_name().is_some_and(|n| n == "_index.yaml"),
        _ => false,
    };
    let mut examples = Vec::new();
    files_under(&root.join("examples"), &mut examples);
    paths.extend(examples.into_iter().filter(|p| example(p)));
    let mut out: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            (name, std::fs::read(p).expect("read input"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs for fuzz target {target}");
    out
}

/// Run `body` on every input of `target`; a panic names the input.
fn replay(target: &str, body: fn(&[u8])) {
    for (name, bytes) in inputs(target) {
        let ok = std::panic::catch_unwind(|| body(&bytes));
        assert!(ok.is_ok(), "fuzz input {name} fails again");
    }
}

#[test]
fn chunk_inputs() {
    replay("chunk", harness::chunk);
}

#[test]
fn project_inputs() {
    replay("project", harness::project);
}

#[test]
fn wapp_inputs() {
    replay("wapp", harness::wapp);
}

#[test]
fn lsp_inputs() {
    replay("lsp", harness::lsp);
}

#[test]
fn json_inputs() {
    replay("json", harness::json);
}

/// The `wapp` target's recipe seeds (`seeds/wapp/*.recipe`) are the packed example archives
/// taken apart, and build back into the same archives. `WIPPY_FUZZ_WRITE_SEEDS=1` rewrites them.
#[test]
fn wapp_recipes_rebuild_their_archives() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/wapp");
    let write = std::env::var_os("WIPPY_FUZZ_WRITE_SEEDS").is_some();
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).expect("seeds").flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "wapp") {
            continue;
        }
        let archive = std::fs::read(&path).expect("read");
        let recipe = harness::recipe_of(&archive).expect("a recipe");
        let rebuilt = harness::from_recipe(&recipe["RECIPE".len()..]);
        assert_eq!(
            wapp::read(&rebuilt).expect("rebuilt archive"),
            wapp::read(&archive).expect("seed archive"),
            "{}",
            path.display()
        );
        let seed = path.with_extension("recipe");
        if write {
            std::fs::write(&seed, &recipe).expect("write recipe");
        }
        assert!(
            std::fs::read(&seed).ok().as_deref() == Some(&recipe[..]),
            "{} is stale or missing (WIPPY_FUZZ_WRITE_SEEDS=1 rewrites it)",
            seed.display()
        );
        seen += 1;
    }
    assert!(seen > 0);
}
