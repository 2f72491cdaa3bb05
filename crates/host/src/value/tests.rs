//! Conversion rules and budgets: small Lua values that would build huge JSON (or huge JSON that
//! would build a huge Lua value) stop at the limit that names them.

use std::time::{Duration, Instant};

use mlua::{Lua, Value};
use serde_json::json;

use super::*;

fn eval(lua: &Lua, src: &str) -> Value {
    lua.load(src).eval().expect("lua")
}

fn limit(r: Result<Json, ConvertError>) -> (Exceeded, String) {
    match r {
        Err(ConvertError::Limit(which, m)) => (which, m),
        other => panic!("expected a limit, got {other:?}"),
    }
}

#[test]
fn rules_of_the_json_module() {
    let lua = Lua::new();
    let v = eval(&lua, "return {a = {1, 2.5, 'x'}, b = true, e = {}}");
    assert_eq!(
        to_json(&v).unwrap(),
        json!({"a": [1, 2.5, "x"], "b": true, "e": []})
    );
    for (src, message) in [
        ("return {1, nil, 3}", "sparse array"),
        ("return {1, x = 2}", "mixed-key"),
        ("local t = {} t.t = t return t", "recursively nested"),
        ("return print", "cannot encode a function"),
    ] {
        let e = to_json(&eval(&lua, src)).unwrap_err();
        assert!(e.contains(message), "{src}: {e}");
    }
    assert_eq!(to_json(&eval(&lua, "return 0/0")).unwrap(), Json::Null);
    let back = from_json(&lua, &json!({"a": [1, {"b": "c"}], "n": null})).unwrap();
    assert_eq!(to_json(&back).unwrap(), json!({"a": [1, {"b": "c"}]}));
}

/// Found by fuzzing (fuzz/regressions/json/large_integral_float_round_trip): an integral
/// number above 2^53 was written as a float when it came from JSON but as an integer when Lua
/// computed it, so JSON → Lua → JSON changed it. Integral numbers below 2^63 are integers, as
/// Go's `encoding/json` writes them.
#[test]
fn large_integral_numbers_convert_the_same_from_lua_and_from_json() {
    let lua = Lua::new();
    let from_lua = to_json(&eval(&lua, "return 7777777777777777777 * 1.0")).unwrap();
    assert_eq!(from_lua, json!(7777777777777777664_i64));
    let back = from_json(&lua, &from_lua).unwrap();
    assert_eq!(to_json(&back).unwrap(), from_lua);
    assert_eq!(
        to_json(&eval(&lua, "return 2^70")).unwrap(),
        json!(2f64.powi(70))
    );
    assert_eq!(
        to_json(&eval(&lua, "return -2^62")).unwrap(),
        json!(-(1_i64 << 62))
    );
}

/// Found by the soak test: `emit.json` of a 2 MB fan-out (and a 2.5 MB `..`) under a 1 MiB
/// limit sometimes answered 200, when the heap at the start of the invocation held garbage
/// that was collected during it (the cap is the starting heap plus the limit). Garbage is
/// collected before the cap is set, and a conversion never gets more than the limit.
#[test]
fn garbage_collected_during_an_invocation_does_not_widen_the_conversion_budget() {
    let lua = Lua::new();
    let limits = crate::Limits {
        timeout_ms: 5_000,
        memory_bytes: 1 << 20,
        instructions: 100_000_000,
    };
    let budget = crate::Budget::install(&lua, &limits);
    lua.load("local t = {} for i = 1, 2000 do t[i] = string.rep('g', 4000) .. i end garbage = t")
        .exec()
        .expect("garbage");
    lua.globals().set("garbage", Value::Nil).expect("drop");
    let before = lua.used_memory();
    budget.start(&lua);
    // The 8 MB of garbage is collected before the cap is set (the cap is the live heap plus the
    // limit), and a collection during the invocation does not give the conversion more.
    assert!(
        lua.used_memory() + (4 << 20) < before,
        "{before} → {}",
        lua.used_memory()
    );
    lua.gc_collect().expect("collect");
    assert!(
        budget.remaining(&lua) <= 1 << 20,
        "{}",
        budget.remaining(&lua)
    );
    let fan_out = eval(&lua, "return table.create(100, string.rep('x', 20000))");
    let limits = ConvertLimits {
        max_bytes: budget.remaining(&lua),
        ..ConvertLimits::default()
    };
    assert_eq!(limit(to_json_within(&fan_out, &limits)).0, Exceeded::Bytes);
    let _ = budget.finish(None);
}

#[test]
fn a_fan_out_of_one_string_trips_the_byte_limit() {
    // 100 references to one 20 KB string: 2 MB of JSON from 20 KB of Lua heap (the finding:
    // 4,500 × 800 KB from a 1 MiB handler aborted the server on a failed allocation).
    let lua = Lua::new();
    let v = eval(
        &lua,
        "local s = string.rep('x', 20000) local t = {} for i = 1, 100 do t[i] = s end return t",
    );
    let within = ConvertLimits {
        max_bytes: 1 << 20,
        ..ConvertLimits::default()
    };
    let (which, message) = limit(to_json_within(&v, &within));
    assert_eq!(which, Exceeded::Bytes);
    assert!(message.contains("1048576 bytes"), "{message}");
    // The default budget (64 MiB) takes it.
    assert_eq!(to_json(&v).unwrap().as_array().map(Vec::len), Some(100));
}

#[test]
fn a_doubling_dag_trips_the_value_limit() {
    // `t = {t, t}` 22 times: 8M values from 22 tables; it ran 4.8 s in one call.
    let lua = Lua::new();
    let v = eval(
        &lua,
        "local t = {} for i = 1, 22 do t = {t, t} end return t",
    );
    let e = to_json(&v).unwrap_err();
    assert!(e.contains("value limit"), "{e}");
    let few = ConvertLimits {
        max_nodes: 1000,
        ..ConvertLimits::default()
    };
    let (which, message) = limit(to_json_within(&v, &few));
    assert_eq!(which, Exceeded::Nodes);
    assert!(message.contains("more than 1000 values"), "{message}");
}

#[test]
fn a_deadline_stops_a_conversion() {
    let lua = Lua::new();
    let v = eval(
        &lua,
        "local t = {} for i = 1, 16 do t = {t, t} end return t",
    );
    let late = ConvertLimits {
        deadline: Some(Instant::now() - Duration::from_millis(1)),
        ..ConvertLimits::default()
    };
    assert_eq!(limit(to_json_within(&v, &late)).0, Exceeded::Time);
    let j = to_json(&v).unwrap();
    let lua_late = from_json_within(&lua, &j, &late);
    assert!(matches!(
        lua_late,
        Err(ConvertError::Limit(Exceeded::Time, _))
    ));
}

#[test]
fn nesting_is_bounded_both_ways() {
    let lua = Lua::new();
    let v = eval(&lua, "local t = {} for i = 1, 200 do t = {t} end return t");
    let (which, message) = limit(to_json_within(&v, &ConvertLimits::default()));
    assert_eq!(which, Exceeded::Depth);
    assert!(message.contains("deeper than 128 levels"), "{message}");
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    assert!(matches!(
        from_json_within(&lua, &deep, &ConvertLimits::default()),
        Err(ConvertError::Limit(Exceeded::Depth, _))
    ));
}

#[test]
fn json_into_lua_stops_before_the_heap_grows_past_the_budget() {
    // A large stored entity (`state.get`) read by a 1 MiB handler.
    let lua = Lua::new();
    let big = Json::Array((0..2_000).map(|i| json!(format!("{i:01000}"))).collect());
    let before = lua.used_memory();
    let within = ConvertLimits {
        max_bytes: 1 << 20,
        ..ConvertLimits::default()
    };
    let r = from_json_within(&lua, &big, &within);
    assert!(
        matches!(r, Err(ConvertError::Limit(Exceeded::Bytes, _))),
        "{r:?}"
    );
    let grown = lua.used_memory().saturating_sub(before);
    assert!(grown < 3 << 20, "the heap grew by {grown} bytes");
    assert!(from_json(&lua, &big).is_ok());
}
