//! End-to-end: `wippy typedefs list|show|export`.

mod common;

use common::wippy;

#[test]
fn list_shows_every_module_with_counts() {
    let (code, out, _) = wippy(&["typedefs", "list"]);
    assert_eq!(code, 0);
    for m in [
        "json",
        "sql",
        "process",
        "channel",
        "time",
        "http_client",
        "req",
        "emit",
        "state",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{m} "))),
            "{m} missing:\n{out}"
        );
    }
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.contains("modules:") && l.contains("methods")),
        "{out}"
    );
}

#[test]
fn show_renders_signatures_and_rejects_unknown_modules() {
    let (code, out, _) = wippy(&["typedefs", "show", "sql"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("sql.get(dsn: string) -> (sql.DB, error?)"),
        "{out}"
    );
    assert!(
        out.contains("DB:query(sql: string, ...any) -> ({{[string]: any}}, error?)"),
        "{out}"
    );
    let (code, _, err) = wippy(&["typedefs", "show", "jsn"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `json`?"), "{err}");
}

#[test]
fn export_writes_every_format() {
    let dir = std::env::temp_dir().join(format!("wippy-export-{}", std::process::id()));
    for (format, file, needle) in [
        ("json", "json.json", "\"name\": \"json\""),
        ("luacats", "json.lua", "---@meta json"),
        ("luau", "sql.d.luau", "declare sql: {"),
    ] {
        let out = dir.join(format);
        let (code, _, err) = wippy(&[
            "typedefs",
            "export",
            "--format",
            format,
            "--out",
            &out.to_string_lossy(),
        ]);
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(out.join(file))
            .unwrap_or_else(|e| panic!("{format}/{file}: {e}"));
        assert!(text.contains(needle), "{format}: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
