//! End-to-end: the rest of the CLI — closest-id suggestions and `--list` for `run`/`test`, a
//! `--filter` that matches nothing, `wippy test app.wapp`, `pack --bytecode` misses, shell
//! completions, and `serve`'s request log and check before starting.

mod common;

use common::{agent, http, tmp, wippy};

#[test]
fn run_suggests_the_closest_entry_and_lists_them() {
    let (code, _, err) = wippy(&["run", "examples/app", "app:gret"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "error: no Lua entry `app:gret` in examples/app (did you mean `app:greet`?); `wippy run examples/app --list` lists them"
    );
    let (code, out, _) = wippy(&["run", "examples/app", "--list"]);
    assert_eq!(code, 0);
    let ids: Vec<&str> = out.lines().collect();
    assert!(
        ids.contains(&"app:greet") && ids.contains(&"app.tests:sql_test"),
        "{out}"
    );
    assert!(
        !ids.iter().any(|i| i.starts_with("app.lib:")),
        "libraries are not runnable: {out}"
    );
}

#[test]
fn test_list_filter_and_packs() {
    let (code, out, _) = wippy(&["test", "examples/app", "--list"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "app.tests:strings_test\napp.tests:modules_test\napp.tests:sql_test\n"
    );
    let (code, out, err) = wippy(&["test", "examples/app", "--filter", "nomatch"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err.trim_end(),
        "error: no test id contains `nomatch` (3 tests in examples/app)"
    );
    let (code, _, err) = wippy(&["test", "examples/app", "--filter", "sql_tset"]);
    assert_eq!(code, 1);
    assert!(err.contains("(did you mean `sql_test`?)"), "{err}");
    // A pack's tests run as the directory's do.
    let dir = tmp("test-wapp");
    let pack = dir.join("app.wapp");
    let (code, _, err) = wippy(&[
        "pack",
        pack.to_str().unwrap_or(""),
        "examples/app",
        "--bytecode",
        "**",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = wippy(&["test", pack.to_str().unwrap_or("")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.trim_end().ends_with("3 passed, 0 failed"), "{out}");
}

#[test]
fn pack_bytecode_pattern_that_matches_nothing() {
    let dir = tmp("pack-miss");
    let out = dir.join("x.wapp");
    let (code, _, err) = wippy(&[
        "pack",
        out.to_str().unwrap_or(""),
        "examples/app",
        "--bytecode",
        "app:gret",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: --bytecode `app:gret` matches no Lua entry (did you mean `app:greet`?)"
    );
    assert!(!out.exists());
}

#[test]
fn shell_completions() {
    for (shell, marker) in [
        ("bash", "_wippy()"),
        ("zsh", "#compdef wippy"),
        ("fish", "complete -c wippy"),
    ] {
        let (code, out, err) = wippy(&["completions", shell]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(
            out.contains("stdin-filename"),
            "{shell}: flags of check are completed"
        );
    }
    let (code, _, _) = wippy(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn serve_refuses_a_twin_with_check_errors() {
    let (code, out, err) = wippy(&[
        "serve",
        "examples/broken/twins/badtwin",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("error[S0001]"), "{err}");
    assert!(
        err.trim_end().ends_with(
            "error: the twin has check errors; not serving it (use --no-check to serve anyway)"
        ),
        "{err}"
    );
    // With --no-check it starts.
    let served = common::serve("examples/broken/twins/badtwin", &["--no-check"]);
    assert!(served.base.starts_with("http://127.0.0.1:"));
}

/// Start the order ledger twin on one worker with its request log kept.
fn start(extra: &[&str]) -> common::Served {
    let mut args = vec!["--workers", "1"];
    args.extend_from_slice(extra);
    common::serve_logged("examples/twins/orderledger", &args)
}

#[test]
fn serve_logs_one_line_per_request() {
    let served = start(&[]);
    let base = served.base.clone();
    let a = agent();
    let (status, _) = http(
        &a,
        "POST",
        &format!("{base}/orders"),
        Some(r#"{"customer_id":"cus_001","items":[{"price":9.99,"qty":2}]}"#),
    );
    assert_eq!(status, 201);
    let (status, _) = http(&a, "GET", &format!("{base}/nothing/here"), None);
    assert_eq!(status, 404);
    let log = served.stop();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    let fields: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!(
        &fields[..4],
        ["POST", "/orders", "201", "create_order"],
        "{log}"
    );
    assert!(fields[4].ends_with("µs") && fields[4].trim_end_matches("µs").parse::<u64>().is_ok());
    assert!(lines[1].starts_with("GET /nothing/here 404 - "), "{log}");
    let served = start(&["--quiet"]);
    let base = served.base.clone();
    let (status, _) = http(&a, "GET", &format!("{base}/orders"), None);
    assert_eq!(status, 200);
    assert_eq!(served.stop(), "", "--quiet logs nothing");
}
