//! Manifest and runtime cannot drift: every function, nested table and constant the bundled
//! manifests declare for the runtime's modules exists at run time with the same arity, every
//! function the runtime registers is declared, and every method of the manifests' object types
//! answers on a real object.

use std::collections::BTreeMap;

use mlua::{Function, Lua, Table, Value};
use runtime::modules::reg::{arities, Arity};
use runtime::modules::sql::SqlState;
use runtime::modules::{Modules, NAMES};
use typedefs::modules::ModuleSet;
use typedefs::types::{MemberKind, TableDef, TypeDef};

fn walk(
    path: &str,
    def: &TableDef,
    t: &Table,
    recorded: &BTreeMap<String, Arity>,
    problems: &mut Vec<String>,
) {
    for (name, member) in &def.members {
        let full = format!("{path}.{name}");
        let v: Value = t.raw_get(name.as_str()).unwrap_or(Value::Nil);
        match &member.kind {
            MemberKind::Function(ty) => {
                let Value::Function(f) = v else {
                    problems.push(format!(
                        "{full}: declared function, runtime has {}",
                        v.type_name()
                    ));
                    continue;
                };
                let (min, max) = ty.arity(false);
                match recorded.get(&full) {
                    Some(a) if a.min != min || a.max != max => problems.push(format!(
                        "{full}: manifest arity {min}..{max:?}, runtime {}..{:?}",
                        a.min, a.max
                    )),
                    Some(_) => {}
                    None => lua_arity(&full, &f, ty.params.len(), ty.variadic.is_some(), problems),
                }
            }
            MemberKind::Table(sub) => match v {
                Value::Table(st) => walk(&full, sub, &st, recorded, problems),
                other => problems.push(format!(
                    "{full}: declared table, runtime has {}",
                    other.type_name()
                )),
            },
            MemberKind::Constant(..) => {
                if v.is_nil() {
                    problems.push(format!("{full}: declared constant is missing"));
                }
            }
        }
    }
}

/// A Lua-implemented function (the SQL builder) must take exactly the declared parameters.
fn lua_arity(full: &str, f: &Function, params: usize, variadic: bool, problems: &mut Vec<String>) {
    let info = f.info();
    if info.what != "Lua" {
        problems.push(format!(
            "{full}: native function registered without its arity"
        ));
    } else if usize::from(info.num_params) != params || info.is_vararg != variadic {
        problems.push(format!(
            "{full}: manifest takes {params} parameter(s){}, runtime {}{}",
            if variadic { " + ..." } else { "" },
            info.num_params,
            if info.is_vararg { " + ..." } else { "" }
        ));
    }
}

fn setup() -> (Lua, Modules, Vec<(&'static str, Table)>) {
    let lua = Lua::new();
    let kernel = runtime::sched::prelude(&lua).expect("scheduler prelude");
    let globals = runtime::sched::globals(&lua, &kernel).expect("scheduler globals");
    let dbs = BTreeMap::from([("t:db".to_owned(), ":memory:".to_owned())]);
    let modules = Modules::new(SqlState::new(dbs, std::env::temp_dir()));
    for name in NAMES {
        let t = modules
            .get(&lua, name)
            .expect("build")
            .expect("module exists");
        lua.globals().set(*name, t).expect("global");
    }
    (lua, modules, globals)
}

#[test]
fn every_declared_function_exists_with_its_arity() {
    let (lua, modules, globals) = setup();
    let set = ModuleSet::bundled();
    let mut problems = Vec::new();
    for name in NAMES {
        let m = set
            .get(name)
            .unwrap_or_else(|| panic!("no manifest for runtime module {name}"));
        let t = modules.get(&lua, name).expect("build").expect("module");
        walk(name, &m.table, &t, &arities(&lua), &mut problems);
    }
    // The scheduler's globals (process, channel, payload) too.
    for (name, t) in &globals {
        let m = set
            .get(name)
            .unwrap_or_else(|| panic!("no manifest for global {name}"));
        walk(name, &m.table, t, &arities(&lua), &mut problems);
    }
    // And nothing the runtime registers is missing from the manifests.
    for path in arities(&lua).keys() {
        let mut parts = path.split('.');
        let module = parts.next().expect("module");
        let mut def = set.get(module).map(|m| m.table.clone());
        let mut found = false;
        let rest: Vec<&str> = parts.collect();
        for (i, p) in rest.iter().enumerate() {
            match def
                .as_ref()
                .and_then(|d| d.members.get(*p))
                .map(|m| &m.kind)
            {
                Some(MemberKind::Table(sub)) => def = Some(sub.clone()),
                Some(MemberKind::Function(_)) if i + 1 == rest.len() => found = true,
                _ => break,
            }
        }
        if !found {
            problems.push(format!(
                "{path}: registered at run time but not declared in the manifest"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "manifest/runtime drift:\n{}",
        problems.join("\n")
    );
    assert!(
        arities(&lua).len() > 60,
        "only {} functions registered",
        arities(&lua).len()
    );
}

/// Builds one object of every manifest type the runtime makes and reports the declared
/// methods it lacks; run as a process, since channels, timers and messages need one.
const OBJECTS: &str = r#"
local function main(declared)
    if declared == "exit" then return true end
    local db = sql.get("t:db")
    local b = sql.builder
    local listener = process.listen("objects", { message = true })
    process.send(process.pid(), "objects", 1)
    local message = listener:receive()
    local events = process.events()
    process.spawn_monitored("t:objects", "t:host", "exit")
    local event = events:receive()
    local objects = {
        ["time.Time"] = time.now(),
        ["time.Duration"] = time.parse_duration("1s"),
        ["time.Location"] = time.utc,
        ["time.Timer"] = time.timer(1e9),
        ["time.Ticker"] = time.ticker(1e9),
        ["sql.DB"] = db,
        ["sql.Statement"] = db:prepare("SELECT 1"),
        ["sql.Transaction"] = db:begin(),
        ["sql.SelectBuilder"] = b.select("a"),
        ["sql.InsertBuilder"] = b.insert("t"),
        ["sql.UpdateBuilder"] = b.update("t"),
        ["sql.DeleteBuilder"] = b.delete("t"),
        ["sql.Sqlizer"] = b.expr("1 = 1"),
        ["sql.QueryExecutor"] = b.select("1"):run_with(db),
        ["errors.Error"] = errors.new("x"),
        ["logger.Logger"] = logger,
        ["channel.Channel"] = channel.new(1),
        ["payload.Payload"] = payload.new(1),
        ["process.Message"] = message,
        ["process.Event"] = event,
        ["process.SpawnBuilder"] = process.with_context({ a = 1 }),
        ["funcs.Executor"] = funcs.new(),
        ["funcs.Future"] = funcs.async("t:objects", "exit"),
    }
    local problems, checked = {}, 0
    for qualified, methods in pairs(declared) do
        local o = objects[qualified]
        if o == nil then
            table.insert(problems, qualified .. ": no object built for it")
        else
            for _, m in ipairs(methods) do
                checked = checked + 1
                if type(o[m]) ~= "function" then
                    table.insert(problems, qualified .. ":" .. m .. " is declared but missing at run time")
                end
            end
        end
    end
    table.sort(problems)
    return problems, checked
end
return { main = main }
"#;

#[test]
fn every_declared_method_answers_on_a_real_object() {
    let set = ModuleSet::bundled();
    let mut declared = serde_json::Map::new();
    for qualified in [
        "time.Time",
        "time.Duration",
        "time.Location",
        "time.Timer",
        "time.Ticker",
        "sql.DB",
        "sql.Statement",
        "sql.Transaction",
        "sql.SelectBuilder",
        "sql.InsertBuilder",
        "sql.UpdateBuilder",
        "sql.DeleteBuilder",
        "sql.Sqlizer",
        "sql.QueryExecutor",
        "errors.Error",
        "logger.Logger",
        "channel.Channel",
        "payload.Payload",
        "process.Message",
        "process.Event",
        "process.SpawnBuilder",
        "funcs.Executor",
        "funcs.Future",
    ] {
        let (module, ty) = qualified.split_once('.').expect("qualified");
        let Some(TypeDef::Interface(iface)) = set.get(module).and_then(|m| m.types.get(ty)) else {
            panic!("{qualified}: no interface in the manifest");
        };
        let methods: Vec<serde_json::Value> =
            iface.methods.keys().map(|m| m.as_str().into()).collect();
        declared.insert(qualified.into(), methods.into());
    }
    let mut program = runtime::Program::single(
        "t:objects",
        OBJECTS,
        "main",
        &["time", "sql", "logger", "funcs"],
    );
    program.databases.insert("t:db".into(), ":memory:".into());
    let rt = runtime::Runtime::new(program).expect("runtime");
    let out = rt
        .call("t:objects", &[serde_json::Value::Object(declared)])
        .expect("objects entry");
    assert_eq!(out[0], serde_json::json!([]), "{}", out[0]);
    assert!(
        out[1].as_u64().unwrap_or(0) > 120,
        "only {} methods checked",
        out[1]
    );
}
