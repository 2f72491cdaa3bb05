//! Per-call cost of the runtime: a small function entry called through [`Runtime::call`] (state
//! reused, fresh environment per call, JSON arguments and results) against an empty Luau call
//! on the same kind of state. Anchor (runtime-facts §0.5): ~1.7 µs per isolated call.

use criterion::{criterion_group, criterion_main, Criterion};
use mlua::{Function, Lua};
use runtime::program::Program;
use runtime::Runtime;

const ENTRY: &str = r#"
local json = require("json")
local function main(order)
    local total = 0
    for _, line in ipairs(order.lines) do
        total = total + line.price * (line.qty or 1)
    end
    return { id = order.id, total = total }
end
return { main = main }
"#;

fn program() -> Program {
    Program::single("bench:total", ENTRY, "main", &["json"])
}

fn calls(c: &mut Criterion) {
    let lua = Lua::new();
    let empty: Function = lua.load("return function() end").eval().expect("load");
    c.bench_function("empty Luau call", |b| {
        b.iter(|| empty.call::<()>(()).expect("call"))
    });

    let rt = Runtime::new(program()).expect("runtime");
    let args =
        vec![serde_json::json!({"id": 7, "lines": [{"price": 2.5, "qty": 2}, {"price": 1}]})];
    assert_eq!(
        rt.call("bench:total", &args).expect("call"),
        vec![serde_json::json!({"id": 7, "total": 6})]
    );
    c.bench_function("entry call (fresh env, JSON in/out)", |b| {
        b.iter(|| rt.call("bench:total", &args).expect("call"))
    });
    let none: Vec<serde_json::Value> = vec![serde_json::json!({"id": 1, "lines": []})];
    c.bench_function("entry call, empty order", |b| {
        b.iter(|| rt.call("bench:total", &none).expect("call"))
    });
}

criterion_group!(benches, calls);
criterion_main!(benches);
