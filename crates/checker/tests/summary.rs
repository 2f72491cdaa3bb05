//! The editor's incremental check on a real project written to a temporary directory: chunk
//! summaries are reused while text and environment match, an importer is re-walked only when
//! its library's exports change (early cutoff), a file that does not parse still gets an index
//! from the recovered tree, and the outline lists the module's definitions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use checker::check::{check_focus, check_focus_cached, Focus};
use checker::summary::SummaryCache;
use checker::walk::index::Returned;
use project::load_project;
use typedefs::ModuleSet;

const LIB: &str = "local M = {}\n\nfunction M.trim(s: string): string\n    return s\nend\n\nM.upper = function(s) return string.upper(s) end\n\nreturn M\n";
const MAIN: &str = "local strings = require(\"strings\")\n\nlocal function main(input)\n    return strings.trim(input)\nend\n\nreturn { main = main }\n";

fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-summary-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("_index.yaml"), "version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: strings\n    kind: library.lua\n    source: file://strings.lua\n\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n    imports:\n      strings: app:strings\n").expect("yaml");
    std::fs::write(dir.join("strings.lua"), LIB).expect("lib");
    std::fs::write(dir.join("main.lua"), MAIN).expect("main");
    dir.canonicalize().expect("canonical")
}

#[test]
fn summaries_are_reused_and_importers_rewalked_only_when_exports_change() {
    let dir = project("t1");
    let p = load_project(&dir).expect("load");
    let modules = ModuleSet::bundled();
    let main = p.files.find(&dir.join("main.lua")).expect("main");
    let lib = p.files.find(&dir.join("strings.lua")).expect("lib");
    let cache = SummaryCache::new();
    let focus = |texts: HashMap<usize, Arc<str>>| Focus {
        files: [main].into_iter().collect(),
        index: true,
        texts,
        recover: false,
    };
    let first = check_focus_cached(&p, modules, &focus(HashMap::new()), &cache);
    assert_eq!(cache.stats().misses, 2, "library and entry walked");
    // The same check again: nothing walked, the same answer as an uncached check.
    let again = check_focus_cached(&p, modules, &focus(HashMap::new()), &cache);
    assert_eq!(cache.stats().misses, 2);
    let plain = check_focus(&p, modules, &focus(HashMap::new()));
    assert_eq!(again.report.diagnostics, plain.report.diagnostics);
    assert_eq!(first.report.diagnostics, plain.report.diagnostics);
    assert!(again.indexes.contains_key(&main));

    // A library edit that keeps its exports: the library is walked, the entry is not.
    let same_exports = LIB.replace("return s\n", "return s -- unchanged API\n");
    check_focus_cached(
        &p,
        modules,
        &focus([(lib, Arc::from(same_exports.as_str()))].into()),
        &cache,
    );
    assert_eq!(cache.stats().misses, 3, "only the library re-walked");

    // An edit that removes `trim`: the entry is re-walked and now reports it.
    let fewer = LIB.replace("function M.trim", "function M.strip");
    let r = check_focus_cached(
        &p,
        modules,
        &focus([(lib, Arc::from(fewer.as_str()))].into()),
        &cache,
    );
    assert_eq!(cache.stats().misses, 5);
    assert!(
        r.report
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "E0004" && d.message.contains("trim")),
        "{:?}",
        r.report.diagnostics
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_does_not_parse_gets_its_index_from_the_recovered_tree() {
    let dir = project("t2");
    let p = load_project(&dir).expect("load");
    let main = p.files.find(&dir.join("main.lua")).expect("main");
    let broken = MAIN.replace(
        "    return strings.trim(input)\n",
        "    local n = strings.\n    return strings.trim(input\n",
    );
    let focus = |recover: bool| Focus {
        files: [main].into_iter().collect(),
        index: true,
        texts: [(main, Arc::from(broken.as_str()))].into(),
        recover,
    };
    // Without `recover` (what an editor publishes first): the syntax error, no index.
    let cache = SummaryCache::new();
    let first = check_focus_cached(&p, ModuleSet::bundled(), &focus(false), &cache);
    assert!(!first.indexes.contains_key(&main));
    check_focus_cached(&p, ModuleSet::bundled(), &focus(false), &cache);
    let walked = cache.stats().misses;
    let r = check_focus_cached(&p, ModuleSet::bundled(), &focus(true), &cache);
    assert_eq!(
        cache.stats().misses,
        walked + 1,
        "recovering re-checks the file"
    );
    assert_eq!(
        r.report.diagnostics,
        check_focus(&p, ModuleSet::bundled(), &focus(true))
            .report
            .diagnostics
    );
    // The diagnostics are what `wippy check` says: the syntax error alone.
    let codes: Vec<&str> = r
        .report
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["P0001"], "{:?}", r.report.diagnostics);
    let index = r
        .indexes
        .get(&main)
        .expect("an index from the recovered tree");
    let input = index
        .locals
        .iter()
        .position(|l| l.name == "input")
        .expect("the parameter");
    let use_at = broken.rfind("input").expect("use") as u32;
    assert_eq!(index.local_at(use_at), Some(input));
    assert!(index.visible(use_at).iter().any(|l| l.name == "strings"));
    assert!(index
        .member_at(broken.find("trim").expect("trim") as u32)
        .is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_outline_lists_definitions_calls_and_the_returned_table() {
    let dir = project("t3");
    let p = load_project(&dir).expect("load");
    let lib = p.files.find(&dir.join("strings.lua")).expect("lib");
    let main = p.files.find(&dir.join("main.lua")).expect("main");
    let r = check_focus(
        &p,
        ModuleSet::bundled(),
        &Focus {
            files: [lib, main].into_iter().collect(),
            index: true,
            texts: HashMap::new(),
            recover: false,
        },
    );
    let o = &r.indexes[&lib].outline;
    let names: Vec<String> = o.definitions.iter().map(|d| d.path.join(".")).collect();
    assert_eq!(names, ["M.trim", "M.upper"]);
    assert!(o.definitions.iter().all(|d| d.function));
    assert_eq!(o.definitions[0].params, ["s"]);
    assert_eq!(
        &LIB[o.definitions[0].name.start as usize..o.definitions[0].name.end as usize],
        "trim"
    );
    assert!(matches!(&o.returned, Returned::Name(n, _) if n == "M"));
    let ty = &o.type_spans[0];
    assert_eq!(&LIB[ty.start as usize..ty.end as usize], ": string");
    let m = &r.indexes[&main].outline;
    assert!(matches!(&m.returned, Returned::Table(f) if f[0].path == ["main"]));
    let call = m
        .calls
        .iter()
        .find(|c| &MAIN[c.callee.start as usize..c.callee.end as usize] == "trim")
        .expect("trim call");
    assert_eq!(
        &MAIN[call.args[0].start as usize..call.args[0].end as usize],
        "input"
    );
    assert!(!m.blocks.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
