//! The settings of a run meet the project's `lint:` configuration: strict mode comes from the
//! command line, else from `lint.strict` of the file's configuration (the fixture sets it),
//! and W-rules follow `--rules`, `lint.rules`, then the command's default.

use checker::Settings;

fn fixture() -> project::Project {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/lint_config"
    );
    project::load_project(std::path::Path::new(dir)).expect("load")
}

#[test]
fn strict_mode_is_carried_from_config_and_flag() {
    let p = fixture();
    let main = p
        .files
        .iter()
        .position(|f| f.path.ends_with("src/main.lua"))
        .expect("main.lua");
    assert!(
        Settings::default().strict_for(&p, main),
        "lint.strict: true"
    );
    let off = Settings {
        strict: Some(false),
        ..Settings::default()
    };
    assert!(
        !off.strict_for(&p, main),
        "--strict on the command line wins"
    );
}

#[test]
fn namespaces_follow_lint_patterns() {
    let s = Settings {
        namespaces: vec!["app.*".into(), "lib".into()],
        ..Settings::default()
    };
    assert!(s.reports_ns("app") && s.reports_ns("app.api") && s.reports_ns("lib"));
    assert!(!s.reports_ns("lib.x") && !s.reports_ns("apps"));
}
