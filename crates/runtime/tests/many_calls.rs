//! A runtime serves many calls: nothing accumulates per call. (A per-call closure holding the
//! call's environment once leaked one mlua reference per call, failing after ~1M calls; set
//! `CALLS=1100000` with `--release` to check that limit.)

use runtime::program::Program;
use runtime::Runtime;

#[test]
fn many_calls_leave_no_residue() {
    let src = "local json = require(\"json\")\nreturn { main = function(o) return { id = o.id, n = #o.lines } end }\n";
    let p = Program::single("t:f", src, "main", &["json"]);
    let rt = Runtime::new(p).expect("runtime");
    let n: usize = std::env::var("CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut heap_after_warmup = 0;
    for i in 0..n {
        if i == 1_000 {
            heap_after_warmup = rt.heap_bytes().expect("heap");
        }
        let n = i % 3;
        let args = vec![serde_json::json!({"id": i, "lines": vec![1; n]})];
        let out = rt
            .call("t:f", &args)
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
        assert_eq!(out, vec![serde_json::json!({"id": i, "n": n})]);
    }
    let grown = rt
        .heap_bytes()
        .expect("heap")
        .saturating_sub(heap_after_warmup);
    assert!(
        grown < 64 * 1024,
        "the heap grew by {grown} bytes over {n} calls"
    );
}
