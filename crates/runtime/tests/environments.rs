//! The globals an entry really gets at run time are THE environment list of its kind
//! (`project::env`, the manifests' `entry` globals): a function entry enumerates its
//! environment and must find exactly the list (plus what lowering needs), and an entry of each
//! Lua kind — function, process, workflow, library — reads every name of its list as a non-nil
//! value and no name of plain Lua that Wippy lacks. So the checker (which reads the same list)
//! and the runtime can never drift apart.

use std::collections::BTreeSet;
use std::fmt::Write;

use project::env::{ChunkKind, Environment, FOREIGN_LUA_GLOBALS, LOWERING_GLOBALS};
use project::LuaKind;
use runtime::{Program, Runtime};
use serde_json::json;

/// Lua code returning, for each name, `type(name)` (a static global read each).
fn presence_table(names: &[String]) -> String {
    let mut s = String::from("{\n");
    for n in names {
        let _ = writeln!(s, "    [{n:?}] = type({n}),");
    }
    s.push('}');
    s
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-env-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

#[test]
fn function_entries_see_exactly_the_entry_list() {
    let src = r#"
local function main()
    local names = {}
    for k in pairs(getmetatable(_G).__index) do names[#names + 1] = k end
    for k in pairs(_G) do names[#names + 1] = k end
    table.sort(names)
    return names
end
return { main = main }
"#;
    let rt = Runtime::new(Program::single("t:env", src, "main", &[])).expect("runtime");
    let out = rt.call("t:env", &[]).expect("call");
    let got: BTreeSet<String> = out[0]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut want: BTreeSet<String> = Environment::Entry.names().into_iter().collect();
    want.extend(LOWERING_GLOBALS.iter().map(|n| (*n).to_owned()));
    assert_eq!(
        got.difference(&want).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "globals the runtime has but the manifests do not declare"
    );
    assert_eq!(
        want.difference(&got).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "globals the manifests declare but the runtime lacks"
    );
}

#[test]
fn every_lua_kind_reads_its_whole_list() {
    let dir = scratch("kinds");
    let mut yaml = String::from("version: \"1.0\"\nnamespace: t\nentries:\n");
    let kinds = [
        LuaKind::Function,
        LuaKind::Process,
        LuaKind::Workflow,
        LuaKind::Library,
    ];
    for kind in kinds {
        let env = ChunkKind::of_lua(kind).environment();
        let names: Vec<String> = env.names().into_iter().filter(|n| n != "_G").collect();
        let foreign: Vec<String> = FOREIGN_LUA_GLOBALS
            .iter()
            .filter(|n| !LOWERING_GLOBALS.contains(n) && **n != "_ENV")
            .map(|n| (*n).to_owned())
            .collect();
        let name = format!("{kind:?}").to_lowercase();
        let body = format!(
            "local present = {}\nlocal foreign = {}\n",
            presence_table(&names),
            presence_table(&foreign)
        );
        let src = if kind == LuaKind::Library {
            format!("{body}return {{ present = present, foreign = foreign }}\n")
        } else {
            format!("{body}return {{ main = function() return present, foreign end }}\n")
        };
        std::fs::write(dir.join(format!("{name}.lua")), src).expect("write");
        let method = if kind == LuaKind::Library {
            String::new()
        } else {
            "    method: main\n".into()
        };
        let _ = write!(
            yaml,
            "  - name: {name}\n    kind: {}\n    source: file://{name}.lua\n{method}",
            kind.as_str()
        );
    }
    std::fs::write(
        dir.join("uses_library.lua"),
        "local lib = require(\"lib\")\nreturn { main = function() return lib.present, lib.foreign end }\n",
    )
    .expect("write");
    yaml.push_str("  - name: uses_library\n    kind: function.lua\n    source: file://uses_library.lua\n    method: main\n    imports:\n      lib: t:library\n");
    std::fs::write(dir.join("_index.yaml"), yaml).expect("yaml");
    let project = project::load_project(&dir).expect("project");
    assert!(project.problems.is_empty(), "{:?}", project.problems);
    let rt = Runtime::new(Program::from_project(&project).expect("program")).expect("runtime");
    for (entry, kind) in [
        ("t:function", LuaKind::Function),
        ("t:process", LuaKind::Process),
        ("t:workflow", LuaKind::Workflow),
        ("t:uses_library", LuaKind::Library),
    ] {
        let out = rt
            .call(entry, &[])
            .unwrap_or_else(|e| panic!("{entry}: {e}"));
        let present = out[0].as_object().expect("present");
        let missing: Vec<&String> = present
            .iter()
            .filter(|(_, t)| **t == json!("nil"))
            .map(|(n, _)| n)
            .collect();
        assert!(
            missing.is_empty(),
            "{kind:?} entries lack {missing:?} of the {} list",
            ChunkKind::of_lua(kind).environment().as_str()
        );
        let foreign = out[1].as_object().expect("foreign");
        let reachable: Vec<&String> = foreign
            .iter()
            .filter(|(_, t)| **t != "nil")
            .map(|(n, _)| n)
            .collect();
        assert!(reachable.is_empty(), "{kind:?} entries reach {reachable:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
