//! Architecture invariants that a dependency can silently break: the arrows between the
//! workspace crates point one way (ARCHITECTURE.md). Read from every crate's `Cargo.toml`
//! (normal dependencies; tests and benches may use anything).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Workspace crate → the workspace crates it depends on directly.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut crates = BTreeMap::new();
    for e in std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
    {
        let manifest = e.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let doc: toml::Table = text.parse().expect("Cargo.toml parses");
        let name = doc["package"]["name"].as_str().expect("name").to_owned();
        let deps: BTreeSet<String> = doc
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        crates.insert(name, deps);
    }
    let names: BTreeSet<String> = crates.keys().cloned().collect();
    for deps in crates.values_mut() {
        deps.retain(|d| names.contains(d));
    }
    crates
}

fn reaches(g: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(c) = stack.pop() {
        for d in g.get(&c).into_iter().flatten() {
            if seen.insert(d.clone()) {
                stack.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn runtimes_and_packer_never_reach_the_checker() {
    let g = graph();
    for c in [
        "typedefs", "syntax", "wapp", "project", "host", "packer", "runtime", "twin",
    ] {
        assert!(g.contains_key(c), "crate {c} is missing");
        let r = reaches(&g, c);
        for forbidden in ["checker", "lsp"] {
            assert!(
                !r.contains(forbidden),
                "{c} depends on {forbidden} (through {r:?})"
            );
        }
    }
    for (low, high) in [
        ("typedefs", "project"),
        ("syntax", "project"),
        ("project", "host"),
        ("host", "runtime"),
        ("host", "twin"),
        ("runtime", "twin"),
        ("twin", "runtime"),
        ("runtime", "packer"),
        ("checker", "lsp"),
    ] {
        assert!(
            !reaches(&g, low).contains(high),
            "{low} must not depend on {high}"
        );
    }
}
