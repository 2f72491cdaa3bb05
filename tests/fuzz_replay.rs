//! Replays every fuzz seed (`fuzz/seeds/<target>/`) and every input that once made a target
//! fail (`fuzz/regressions/<target>/`) through the same target bodies the fuzzer runs
//! (`fuzz/src/harness.rs`), on stable, so CI keeps them fixed. Fuzzing itself: fuzz/README.md.

#[allow(dead_code)]
#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::Path;

/// Every input of `target`, by file name; at least one seed must exist.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        let Ok(rd) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_file()) {
                let name = format!("{dir}/{target}/{}", e.file_name().to_string_lossy());
                out.push((name, std::fs::read(e.path()).expect("read input")));
            }
        }
    }
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
