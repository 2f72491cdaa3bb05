//! Every Lua 5.3 `goto` runs: `fixtures/gotos/cases.lua` exercises continue from inner loops,
//! forward and backward jumps, several labels in one block, jumps out of nested loops, a
//! `break` inside a label's loop, and fresh locals per pass; the expected values are what
//! Lua 5.4 prints for the same functions.

use runtime::program::Program;
use runtime::Runtime;
use serde_json::json;

fn expected() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("break_inside_label_loop", json!("1:2,2:2,3:2")),
        ("forward_to_end", json!("aab")),
        ("fresh_locals", json!(321)),
        ("multi_continue", json!("11,21,31")),
        ("nested_blocks", json!(718)),
        ("out_of_two_loops", json!("3x4")),
        ("redo_with_break", json!("2,4")),
        ("repeat_continue", json!("1,3,5,7")),
        ("retry", json!(3)),
        ("state_machine", json!("e0,o1,e2,o3,e4")),
        ("two_labels", json!(3)),
    ]
}

#[test]
fn gotos_run_as_in_lua() {
    let src = include_str!("fixtures/gotos/cases.lua");
    let rt = Runtime::new(Program::single("t:gotos", src, "main", &[])).expect("runtime");
    for (name, want) in expected() {
        let got = rt
            .call("t:gotos", &[json!(name)])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got, vec![want], "{name}");
    }
}
