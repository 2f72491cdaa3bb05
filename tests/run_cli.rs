//! End-to-end: `wippy run` from source and from a pack gives the same results; errors give a
//! message and exit code 1.

mod common;

use std::path::PathBuf;

use common::{tmp, wippy};

/// Arguments for every function entry of examples/app (a new entry must be added here), and
/// what the first printed line starts with.
const CASES: &[(&str, &str, &str)] = &[
    (
        "app:greet",
        r#"["Ada", true]"#,
        "{\"greeting\":\"Hello, Ada!\",\"length\":11}",
    ),
    (
        "app.api:create_user",
        r#"[{"name": "  Ada Lovelace ", "email": "ada@example.com"}]"#,
        "{\"body\":",
    ),
    (
        "app.api:order_total",
        r#"["[{\"price\": 2.5, \"qty\": 2}, {\"price\": 1}]"]"#,
        "{\"display\":\"6.00 EUR\",\"total\":6}",
    ),
    ("app.tests:modules_test", "[]", "true"),
    ("app.tests:sql_test", "[]", "true"),
    ("app.tests:strings_test", "[]", "true"),
];

/// Output with the values that differ run to run (UUIDs, Unix times) replaced.
fn normalized(out: &str) -> String {
    let mut s = String::new();
    let mut chars = out.chars().peekable();
    let mut word = String::new();
    while let Some(c) = chars.next() {
        if c.is_ascii_hexdigit() || c == '-' {
            word.push(c);
            if chars
                .peek()
                .is_some_and(|n| n.is_ascii_hexdigit() || *n == '-')
            {
                continue;
            }
        }
        if !word.is_empty() {
            let uuid = word.len() == 36 && word.matches('-').count() == 4;
            let unix = word.len() == 10 && word.bytes().all(|b| b.is_ascii_digit());
            s.push_str(if uuid {
                "<uuid>"
            } else if unix {
                "<unix>"
            } else {
                &word
            });
            word.clear();
            if c.is_ascii_hexdigit() || c == '-' {
                continue;
            }
        }
        s.push(c);
    }
    s
}

#[test]
fn every_example_function_runs_alike_from_source_and_pack() {
    let project = project::load_project(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/app"
    )))
    .expect("load");
    let functions: Vec<&str> = project
        .entries
        .iter()
        .filter(|e| e.kind == "function.lua")
        .map(|e| e.id.as_str())
        .collect();
    for id in &functions {
        assert!(
            CASES.iter().any(|c| c.0 == *id),
            "add example arguments for {id} to CASES"
        );
    }
    let dir = tmp("agree");
    let pack = dir.join("app.wapp");
    let p = pack.to_string_lossy().into_owned();
    let (code, _, err) = wippy(&["pack", &p, "examples/app", "--bytecode", "**"]);
    assert_eq!(code, 0, "{err}");
    for (entry, args, first) in CASES {
        let (c1, from_source, e1) = wippy(&["run", "examples/app", entry, "--args", args]);
        let (c2, from_pack, e2) = wippy(&["run", &p, entry, "--args", args]);
        assert_eq!((c1, c2), (0, 0), "{entry}: {e1} {e2}");
        assert_eq!(normalized(&from_source), normalized(&from_pack), "{entry}");
        assert!(from_source.starts_with(first), "{entry}: {from_source}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn project(name: &str, lua: &str, extra: &str) -> PathBuf {
    let dir = tmp(name);
    std::fs::write(dir.join("_index.yaml"), format!("namespace: t\nentries:\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n{extra}")).expect("yaml");
    std::fs::write(dir.join("f.lua"), lua).expect("lua");
    dir
}

#[test]
fn errors_have_messages_positions_and_exit_1() {
    let d = project(
        "rt",
        "local function main()\n  local t = nil\n  return t.x\nend\nreturn { main = main }\n",
        "",
    );
    let (code, _, err) = wippy(&["run", &d.to_string_lossy(), "t:f"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("f.lua:3:"),
        "traceback points at the original line: {err}"
    );
    let d = project(
        "req",
        "local json = require(\"json\")\nreturn { main = function() return json.encode({}) end }\n",
        "",
    );
    let (code, _, err) = wippy(&["run", &d.to_string_lossy(), "t:f"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("require(\"json\") is not declared") && err.contains("t:f"),
        "{err}"
    );
    let d = project("ok", "local json = require(\"json\")\nreturn { main = function(x) return json.encode({ x = x }) end }\n", "    modules: [json]\n");
    let (code, out, err) = wippy(&["run", &d.to_string_lossy(), "t:f", "--args", "[5]"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().next(), Some("\"{\\\"x\\\":5}\""));
    let d = project("nomethod", "return { other = function() end }\n", "");
    let (code, _, err) = wippy(&["run", &d.to_string_lossy(), "t:f"]);
    assert_eq!(code, 1);
    assert!(err.contains("method `main` is not exported"), "{err}");
    let (code, _, err) = wippy(&["run", "examples/app", "app:nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("no Lua entry `app:nope`"), "{err}");
}

#[test]
fn globals_of_one_call_do_not_leak_into_the_next() {
    // Two calls in one runtime are covered by the runtime's unit tests; here the sandbox: no io.
    let d = project(
        "sandbox",
        "return { main = function() return type(io), type(os.execute), type(debug.getinfo) end }\n",
        "",
    );
    let (code, out, err) = wippy(&["run", &d.to_string_lossy(), "t:f"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "\"nil\"\n\"nil\"\n\"nil\"\n");
}

#[test]
fn corrupted_pack_is_refused() {
    let dir = tmp("corrupt");
    let pack = dir.join("x.wapp");
    let (code, _, _) = wippy(&[
        "pack",
        &pack.to_string_lossy(),
        "examples/app",
        "--bytecode",
        "**",
    ]);
    assert_eq!(code, 0);
    let mut bytes = std::fs::read(&pack).expect("read");
    let n = bytes.len() / 3;
    bytes[n] ^= 1;
    std::fs::write(&pack, bytes).expect("write");
    let (code, _, err) = wippy(&["run", &pack.to_string_lossy(), "app:greet"]);
    assert_eq!(code, 1);
    assert!(err.contains("SHA-256"), "{err}");
}

/// An entry with every kind of import — a listed module, a module under an alias (`j: json`),
/// a module only imported (`b64: base64`), and a library — runs alike from its source tree, from
/// a pack with sources and from a pack with bytecode.
#[test]
fn every_kind_of_import_runs_alike_from_source_and_pack() {
    let dir = tmp("imports");
    std::fs::write(
        dir.join("_index.yaml"),
        "namespace: t\nentries:\n  - name: strings\n    kind: library.lua\n    source: file://strings.lua\n    modules: [json]\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n    modules: [json]\n    imports:\n      j: json\n      b64: base64\n      s: t:strings\n",
    )
    .expect("yaml");
    std::fs::write(
        dir.join("strings.lua"),
        "local json = require(\"json\")\nlocal M = {}\nfunction M.shout(x: string): string\n    return (json.encode(x:upper()))\nend\nreturn M\n",
    )
    .expect("lib");
    std::fs::write(
        dir.join("f.lua"),
        "local json = require(\"json\")\nlocal j = require(\"j\")\nlocal b64 = require(\"b64\")\nlocal s = require(\"s\")\n\nlocal function main(name: string)\n    local same = json == j\n    return { same = same, encoded = b64.encode(name), shout = s.shout(name), via = j.encode({ n = #name }) }\nend\n\nreturn { main = main }\n",
    )
    .expect("lua");
    let src = dir.to_string_lossy().into_owned();
    let (code, from_source, err) = wippy(&["run", &src, "t:f", "--args", "[\"ada\"]"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        from_source.contains("\"shout\":\"\\\"ADA\\\"\""),
        "{from_source}"
    );
    assert!(from_source.contains("\"same\":true"), "{from_source}");
    for bytecode in [false, true] {
        let pack = dir.join(format!("imports-{bytecode}.wapp"));
        let p = pack.to_string_lossy().into_owned();
        let mut args = vec!["pack", &p, &src];
        if bytecode {
            args.extend(["--bytecode", "**"]);
        }
        let (code, _, err) = wippy(&args);
        assert_eq!(code, 0, "{err}");
        let (code, from_pack, err) = wippy(&["run", &p, "t:f", "--args", "[\"ada\"]"]);
        assert_eq!(code, 0, "bytecode={bytecode}: {err}");
        assert_eq!(from_source, from_pack, "bytecode={bytecode}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
