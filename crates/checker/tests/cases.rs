//! The conformance suite as data: every `cases/<family>/<case>.lua` is checked as a
//! `function.lua` entry that may require every bundled module (under `cases/handlers/`, as a
//! Wraith twin handler), and every `cases/<family>/<case>/` directory holding an `_index.yaml`
//! is checked as a project (libraries and their importers, where YAML matters).
//!
//! Expectations are inline, on the line a diagnostic starts on: `-- expect-error: <text>`,
//! `-- expect-warning: <text>` (several may follow each other on one line; `#` instead of `--`
//! in YAML). `<text>` must occur in `CODE message` of a diagnostic of that severity on that
//! line; every diagnostic must be expected, so a file without expectations must be clean.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use checker::env::{ChunkKind, Env};
use checker::Severity;
use project::line_col;
use syntax::dialect::Dialect;
use syntax::parse::{parse_chunk, PARSE_STACK};
use typedefs::{Environment, LocalTypes, Mode, ModuleSet};

/// What was found or expected on one line of one file: (severity, text).
type Lines = BTreeMap<(String, usize), Vec<(Severity, String)>>;

/// The expectations written in `src` (file `name`).
fn expectations(name: &str, src: &str, out: &mut Lines) {
    for (i, line) in src.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = ["-- expect-", "# expect-"]
            .iter()
            .filter_map(|m| rest.find(m).map(|p| (p, m.len())))
            .min()
        {
            let tail = &rest[at.0 + at.1..];
            let (sev, body) = if let Some(b) = tail.strip_prefix("error:") {
                (Severity::Error, b)
            } else if let Some(b) = tail.strip_prefix("warning:") {
                (Severity::Warning, b)
            } else if let Some(b) = tail.strip_prefix("hint:") {
                (Severity::Hint, b)
            } else {
                rest = tail;
                continue;
            };
            let end = ["-- expect-", "# expect-"]
                .iter()
                .filter_map(|m| body.find(m))
                .min()
                .unwrap_or(body.len());
            out.entry((name.to_owned(), i + 1))
                .or_default()
                .push((sev, body[..end].trim().to_owned()));
            rest = &body[end..];
        }
    }
}

/// Compare what was found with what was expected; a list of mismatches.
fn compare(found: &Lines, expected: &Lines) -> Vec<String> {
    let mut problems = Vec::new();
    let keys: std::collections::BTreeSet<_> = found.keys().chain(expected.keys()).collect();
    for key in keys {
        let mut got: Vec<&(Severity, String)> =
            found.get(key).map_or(Vec::new(), |v| v.iter().collect());
        let want = expected.get(key).cloned().unwrap_or_default();
        let mut unmatched = Vec::new();
        for (sev, text) in &want {
            match got
                .iter()
                .position(|(s, m)| s == sev && m.contains(text.as_str()))
            {
                Some(i) => {
                    got.remove(i);
                }
                None => unmatched.push(format!("{sev:?} `{text}`")),
            }
        }
        if !unmatched.is_empty() || !got.is_empty() {
            problems.push(format!(
                "{}:{}: expected {unmatched:?} not found; unexpected {:?}",
                key.0,
                key.1,
                got.iter()
                    .map(|(s, m)| format!("{s:?} {m}"))
                    .collect::<Vec<_>>()
            ));
        }
    }
    problems
}

/// A single-file case.
fn check_file(path: &Path, rel: &str) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let handler = rel.starts_with("handlers/");
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
        entry_id: Some(format!("cases:{rel}")),
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
        types: LocalTypes::new(),
        mode: Mode::GRADUAL,
    };
    let parsed = parse_chunk(
        &src,
        if handler {
            Dialect::Luau
        } else {
            Dialect::Wippy
        },
    );
    let mut found = Lines::new();
    match &parsed.ast {
        Ok(ast) => {
            for d in checker::walk::walk_chunk(ast, &parsed.prepared, &env, 0).diagnostics {
                found
                    .entry((rel.to_owned(), line_col(&src, d.span.start).0))
                    .or_default()
                    .push((d.severity, format!("{} {}", d.code, d.message)));
            }
        }
        Err((span, msg)) => found
            .entry((rel.to_owned(), line_col(&src, span.start).0))
            .or_default()
            .push((Severity::Error, format!("P0001 {msg}"))),
    }
    let mut expected = Lines::new();
    expectations(rel, &src, &mut expected);
    let problems = compare(&found, &expected);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// A project case: a directory with `_index.yaml`.
fn check_project(dir: &Path, rel: &str) -> Result<(), String> {
    let project = project::load(dir).map_err(|e| format!("{rel}: {e}"))?;
    let report = checker::check_project(&project, ModuleSet::bundled());
    let mut found = Lines::new();
    for d in &report.diagnostics {
        let Some(f) = report.files.get(d.file) else {
            continue;
        };
        found
            .entry((
                format!("{rel}/{}", f.relative),
                line_col(&f.text, d.span.start).0,
            ))
            .or_default()
            .push((d.severity, format!("{} {}", d.code, d.message)));
    }
    let mut expected = Lines::new();
    for f in report.files.iter() {
        expectations(&format!("{rel}/{}", f.relative), &f.text, &mut expected);
    }
    let problems = compare(&found, &expected);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Every case under `dir`: (path, path relative to `root`, is a project).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String, bool)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("cases dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        if p.is_dir() {
            if p.join("_index.yaml").is_file() {
                out.push((p, rel, true));
            } else {
                collect(root, &p, out);
            }
        } else if p.extension().is_some_and(|e| e == "lua") {
            out.push((p, rel, false));
        }
    }
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let handle = std::thread::Builder::new()
        .stack_size(PARSE_STACK)
        .spawn(move || {
            let mut cases = Vec::new();
            collect(&root, &root, &mut cases);
            let failures: Vec<String> = cases
                .iter()
                .filter_map(|(p, rel, project)| {
                    if *project {
                        check_project(p, rel).err()
                    } else {
                        check_file(p, rel).err()
                    }
                })
                .collect();
            assert!(
                failures.is_empty(),
                "{} of {} cases fail:\n{}",
                failures.len(),
                cases.len(),
                failures.join("\n")
            );
            assert!(cases.len() >= 150, "only {} cases", cases.len());
        })
        .expect("spawn");
    handle.join().expect("cases passed");
}
