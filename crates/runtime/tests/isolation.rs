//! One runtime, many calls: globals written by one call are invisible to the next, and base
//! globals cannot be overwritten.

use runtime::program::Program;
use runtime::Runtime;

fn program(src: &str) -> Program {
    Program::single("t:f", src, "main", &["json"])
}

#[test]
fn calls_are_isolated() {
    let rt = Runtime::new(program("counter = (counter or 0) + 1\nreturn { main = function() string = 5; return counter, type(string) end }\n")).expect("runtime");
    for _ in 0..3 {
        let out = rt.call("t:f", &[]).expect("call");
        assert_eq!(out, vec![serde_json::json!(1), serde_json::json!("number")]);
    }
    // The base `string` library is untouched by the writes above.
    let rt2 = Runtime::new(program(
        "return { main = function() return string.upper(\"x\") end }\n",
    ))
    .expect("runtime");
    assert_eq!(
        rt2.call("t:f", &[]).expect("call"),
        vec![serde_json::json!("X")]
    );
}

#[test]
fn json_round_trips_and_errors_are_values() {
    let rt = Runtime::new(program("return { main = function(s) local v, err = json.decode(s) if err then return nil, err:message(), err:kind() end return json.encode(v) end }\n")).expect("runtime");
    assert_eq!(
        rt.call("t:f", &[serde_json::json!("{\"a\":[1,2]}")])
            .expect("call"),
        vec![serde_json::json!("{\"a\":[1,2]}")]
    );
    let out = rt.call("t:f", &[serde_json::json!("{bad")]).expect("call");
    assert_eq!(out[0], serde_json::Value::Null);
    assert!(
        out[1]
            .as_str()
            .is_some_and(|m| m.starts_with("json.decode")),
        "{out:?}"
    );
    assert_eq!(out[2], serde_json::json!("Internal"));
}

#[test]
fn the_sandbox_has_no_escape_hatches() {
    let src = r#"
local function main()
    local bad = {}
    for _, name in ipairs({ "io", "loadfile", "getfenv", "setfenv", "newproxy", "gcinfo", "module",
        "buffer", "typeof" }) do
        if _G[name] ~= nil then table.insert(bad, name .. " is reachable") end
    end
    -- Declared by the entry environment (Wippy lists them as restricted): present, but every
    -- use raises.
    for _, name in ipairs({ "load", "loadstring", "dofile", "collectgarbage" }) do
        local ok, err = pcall(_G[name], "return 1")
        if ok or not tostring(err):find("not available in this runtime", 1, true) then
            table.insert(bad, name .. " is usable")
        end
    end
    if pcall(function() return package.loaded end) then table.insert(bad, "package is usable") end
    for _, name in ipairs({ "execute", "exit", "getenv", "remove", "rename", "tmpname" }) do
        if os[name] ~= nil then table.insert(bad, "os." .. name .. " is reachable") end
    end
    for k in pairs(debug) do
        if k ~= "traceback" then table.insert(bad, "debug." .. k .. " is reachable") end
    end
    local writes = {
        function() string.upper = nil end,
        function() getmetatable("").__index = {} end,
        function() rawset(string, "x", 1) end,
        function() table.insert = print end,
        function() json.encode = nil end,
        function() errors.INVALID = "x" end,
        function() setmetatable(string, {}) end,
    }
    for i, w in ipairs(writes) do
        if pcall(w) then table.insert(bad, "write #" .. i .. " succeeded") end
    end
    leaked = (leaked or 0) + 1
    return table.concat(bad, "; "), leaked
end
return { main = main }
"#;
    let rt = Runtime::new(program(src)).expect("runtime");
    for _ in 0..2 {
        let out = rt.call("t:f", &[]).expect("call");
        assert_eq!(out, vec![serde_json::json!(""), serde_json::json!(1)]);
    }
}
