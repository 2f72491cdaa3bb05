//! Every export format is produced for every bundled module and read back.

use typedefs::export::{json, luacats, luau};
use typedefs::manifest::parse_manifest;
use typedefs::ModuleSet;

fn parses(name: &str, src: &str, version: full_moon::LuaVersion) {
    let result = full_moon::parse_fallible(src, version);
    let errors: Vec<String> = result.errors().iter().map(|e| format!("{e:?}")).collect();
    assert!(
        errors.is_empty(),
        "{name} does not parse: {errors:?}\n{src}"
    );
}

#[test]
fn json_round_trip_is_identical() {
    let set = ModuleSet::bundled();
    assert!(set.iter().count() > 10);
    for m in set.iter() {
        let first = json::to_json_text(m);
        let reloaded = parse_manifest(&first, &m.name)
            .and_then(|f| f.load())
            .unwrap_or_else(|e| panic!("{}: {e}", m.name));
        assert_eq!(
            &reloaded, &**m,
            "{}: load(export(m)) differs from m",
            m.name
        );
        assert_eq!(
            json::to_json_text(&reloaded),
            first,
            "{}: export is not stable",
            m.name
        );
    }
}

#[test]
fn luacats_files_parse() {
    let files = luacats::export(ModuleSet::bundled().iter());
    assert!(files.iter().any(|f| f.name == "json.lua"
        && f.text.contains("---@meta json")
        && f.text.contains("function json.decode(")));
    for f in &files {
        parses(&f.name, &f.text, full_moon::LuaVersion::lua53());
    }
}

#[test]
fn luau_declarations_parse_as_luau() {
    let files = luau::export(ModuleSet::bundled().iter());
    assert!(files.iter().any(|f| f.name == "sql.d.luau"
        && f.text.contains("type sql_DB = {")
        && f.text.contains("declare sql: {")));
    for f in &files {
        // luau-lsp's `declare name: T` has the shape of a typed local; check the types as Luau.
        let as_luau: String = f
            .text
            .lines()
            .map(|l| {
                l.strip_prefix("declare ")
                    .map_or_else(|| l.to_owned(), |r| format!("local {r}"))
                    + "\n"
            })
            .collect();
        parses(&f.name, &as_luau, full_moon::LuaVersion::luau());
    }
}
