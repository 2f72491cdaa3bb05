//! Checker behaviour as data: every `cases/*.lua` is checked as a `function.lua` entry that may
//! require every bundled module (`cases/handler_*.lua` as a Wraith twin handler). A line ending
//! in `--! CODE [CODE…]` must get exactly those diagnostics; every other line must get none.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use checker::env::{ChunkKind, Env};
use project::line_col;
use syntax::dialect::Dialect;
use syntax::parse::{parse_chunk, PARSE_STACK};
use typedefs::{Environment, ModuleSet};

fn check_case(path: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let handler = name.starts_with("handler_");
    let modules = ModuleSet::bundled();
    let globals = modules.globals(if handler {
        Environment::Handler
    } else {
        Environment::Entry
    });
    let env = Env {
        modules,
        globals: &globals,
        kind: if handler {
            ChunkKind::Handler
        } else {
            ChunkKind::Function
        },
        entry_id: Some(format!("cases:{name}")),
        allowed_modules: if handler {
            HashSet::new()
        } else {
            modules.iter().map(|m| m.name.clone()).collect()
        },
        imports: HashMap::new(),
        import_globals: HashSet::new(),
        lenient_globals: false,
        twin_libs: HashMap::new(),
        index: false,
        strict: false,
    };
    let parsed = parse_chunk(
        &src,
        if handler {
            Dialect::Luau
        } else {
            Dialect::Wippy
        },
    );
    let mut actual: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    match &parsed.ast {
        Ok(ast) => {
            for d in checker::walk::walk_chunk(ast, &parsed.prepared, &env, 0).diagnostics {
                actual
                    .entry(line_col(&src, d.span.start).0)
                    .or_default()
                    .push(format!("{} {}", d.code, d.message));
            }
        }
        Err((span, msg)) => actual
            .entry(line_col(&src, span.start).0)
            .or_default()
            .push(format!("P0001 {msg}")),
    }
    let mut expected: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, line) in src.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("--! ") {
            expected.insert(i + 1, codes.split_whitespace().map(str::to_owned).collect());
        }
    }
    let mut problems = Vec::new();
    for line in actual
        .keys()
        .chain(expected.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let got: Vec<&str> = actual
            .get(line)
            .map_or(Vec::new(), |v| v.iter().map(|s| &s[..5]).collect());
        let want: Vec<&str> = expected
            .get(line)
            .map_or(Vec::new(), |v| v.iter().map(String::as_str).collect());
        let (mut g, mut w) = (got.clone(), want.clone());
        g.sort_unstable();
        w.sort_unstable();
        if g != w {
            problems.push(format!(
                "{name}.lua:{line}: expected {want:?}, got {:?}",
                actual.get(line).cloned().unwrap_or_default()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let handle = std::thread::Builder::new()
        .stack_size(PARSE_STACK)
        .spawn(move || {
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .expect("cases dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            paths.retain(|p| p.extension().is_some_and(|e| e == "lua"));
            paths.sort();
            assert!(paths.len() >= 5, "cases missing");
            let failures: Vec<String> = paths.iter().filter_map(|p| check_case(p).err()).collect();
            assert!(failures.is_empty(), "\n{}", failures.join("\n"));
        })
        .expect("spawn");
    handle.join().expect("cases passed");
}
