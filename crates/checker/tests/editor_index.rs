//! The editor index records inferred types: a local holding the result of an unannotated
//! function that returns a manifest call's value has that value's type, so completion after
//! `db:` lists the methods of `sql.DB` (the members come from `typedefs::members`, as the
//! language server asks them).

use std::collections::{HashMap, HashSet};

use checker::env::{ChunkKind, Env};
use syntax::dialect::Dialect;
use syntax::parse::{parse_chunk, PARSE_STACK};
use typedefs::{Environment, LocalTypes, Mode, ModuleSet};

const SRC: &str = r#"
local sql = require("sql")

local function get_db()
    local db, err = sql.get("app:db")
    if err then
        error(err)
    end
    return db
end

local function consts()
    return table.freeze({ RETRIES = 3, NAME = "svc" })
end

local db = get_db()
local c = consts()
print(db, c)
"#;

#[test]
fn inferred_returns_land_in_the_index() {
    std::thread::Builder::new()
        .stack_size(PARSE_STACK)
        .spawn(|| {
            let modules = ModuleSet::bundled();
            let globals = modules.globals(Environment::Entry);
            let env = Env {
                modules,
                globals: &globals,
                kind: ChunkKind::Function,
                entry_id: Some("app:index".into()),
                allowed_modules: ["sql".to_string()].into_iter().collect(),
                imports: HashMap::new(),
                import_globals: HashSet::new(),
                lenient_globals: false,
                twin_libs: HashMap::new(),
                index: true,
                types: LocalTypes::new(),
                mode: Mode::GRADUAL,
                strict: false,
            };
            let parsed = parse_chunk(SRC, Dialect::Wippy);
            let ast = parsed.ast.as_ref().expect("parses");
            let result = checker::walk::walk_chunk(ast, &parsed.prepared, &env, 0);
            assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
            let index = result.index.expect("index recorded");
            let local = |name: &str| {
                index
                    .locals
                    .iter()
                    .rev()
                    .find(|l| l.name == name)
                    .unwrap_or_else(|| panic!("no local {name}"))
            };
            let db = local("db");
            assert_eq!(db.ty.non_nil().to_string(), "sql.DB");
            let methods: Vec<String> = modules
                .members(&db.ty, true, Some(&index.local_types))
                .into_iter()
                .map(|m| m.name)
                .collect();
            assert!(methods.iter().any(|m| m == "query"), "{methods:?}");
            assert!(methods.iter().any(|m| m == "begin"), "{methods:?}");
            let get_db = local("get_db");
            assert_eq!(get_db.ty.to_string(), "() -> sql.DB");
            let c = local("c");
            let fields: Vec<String> = modules
                .members(&c.ty, false, Some(&index.local_types))
                .into_iter()
                .map(|m| m.name)
                .collect();
            assert_eq!(fields, ["NAME", "RETRIES"]);
        })
        .expect("spawn")
        .join()
        .expect("index test passed");
}
