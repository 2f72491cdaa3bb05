//! End-to-end: the `lint:` section of `.wippy.yaml` (per-code levels, excludes, unknown keys
//! and codes) and inline suppression in Lua and YAML (`wippy:` forms, LuaLS's
//! `---@diagnostic`), checked on `tests/fixtures/lint_config` line by line.

mod common;

use common::{tmp, wippy};

const FIXTURE: &str = "tests/fixtures/lint_config";

fn concise(args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["check", FIXTURE, "--format", "concise"];
    all.extend_from_slice(args);
    let (code, out, err) = wippy(&all);
    assert!(!err.contains("panicked"), "{err}");
    (code, out.lines().map(str::to_owned).collect())
}

#[test]
fn configuration_and_suppressions_decide_what_is_reported() {
    let (code, lines) = concise(&["--level", "hint"]);
    let p = "tests/fixtures/lint_config";
    assert_eq!(
        lines,
        [
            format!("{p}/src/other.lua:5:12: error[E0001]: undefined global `undefined_d`"),
            format!("{p}/.wippy.yaml:6:5: warning[C0001]: unknown code `X0001` in `lint.levels` (help: `wippy check --format sarif` lists every code with its meaning)"),
            format!("{p}/.wippy.yaml:10:3: warning[C0001]: unknown key `lint.exlude`; did you mean `exclude`?"),
            // E0004 lowered to a warning by `levels`; W0006 (the unused import) is off.
            format!("{p}/src/main.lua:3:16: warning[E0004]: no field `decod` in module json; did you mean `decode`? (help: did you mean `decode`?)"),
            format!("{p}/src/main.lua:10:13: warning[C0001]: suppression names `E9999`, which is not a wippy diagnostic code"),
            format!("{p}/src/main.lua:9:13: hint[H0002]: `-- wippy: ignore E0004` suppresses nothing (help: remove the comment, or name the code reported on its line)"),
            format!("{p}/src/main.lua:10:13: hint[H0002]: `-- wippy: ignore E9999` suppresses nothing (help: remove the comment, or name the code reported on its line)"),
            // generated/gen.lua is excluded: neither reported nor counted.
            "Checked 2 entries: 1 errors, 4 warnings, 2 hints".to_owned(),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn suppressed_diagnostics_are_really_there_without_the_comments() {
    let dir = tmp("suppress-off");
    common::copy_dir(std::path::Path::new(FIXTURE), &dir);
    for f in ["src/main.lua", "src/other.lua", "src/_index.yaml"] {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).expect("read");
        let stripped: String = text
            .lines()
            .map(
                |l| match l.find(" wippy:").or_else(|| l.find("@diagnostic")) {
                    Some(i) => l[..i].trim_end_matches(['-', '#', ' ']),
                    None => l,
                },
            )
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&path, stripped).expect("write");
    }
    std::fs::remove_file(dir.join(".wippy.yaml")).expect("rm");
    let (_, out, _) = wippy(&["check", dir.to_str().unwrap_or(""), "--format", "concise"]);
    for needle in [
        "error[E0001]: undefined global `undefined_a`",
        "error[E0001]: undefined global `undefined_b`",
        "error[E0001]: undefined global `undefined_c`",
        "warning[W0004]: unused local `a`",
        "error[Y0005]: import `ghost` targets `cfg:ghost`",
        "error[Y0004]: unknown module `host_only`",
        "warning[W0006]: unused import `unused_import`",
        "error[E0004]: no field `decod`",
        "undefined global `generated_global`",
    ] {
        assert!(out.contains(needle), "{needle} missing from\n{out}");
    }
}

#[test]
fn config_flag_replaces_discovery() {
    let dir = tmp("config-flag");
    let cfg = dir.join("strict.yaml");
    std::fs::write(&cfg, "lint:\n  levels:\n    E0001: off\n    E0004: error\n").expect("write");
    let (code, lines) = concise(&["--config", cfg.to_str().unwrap_or("")]);
    assert_eq!(code, 1);
    assert!(
        lines.iter().any(|l| l.contains("error[E0004]")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("E0001")), "{lines:?}");
    // Without the excludes of the discovered file, generated/gen.lua counts again.
    assert_eq!(
        lines.last().map(String::as_str),
        Some("Checked 3 entries: 1 errors, 2 warnings, 0 hints")
    );
}

#[test]
fn a_broken_config_is_reported_at_its_position() {
    let dir = tmp("config-broken");
    common::copy_dir(std::path::Path::new("examples/app"), &dir);
    std::fs::write(dir.join(".wippy.yaml"), "lint:\n  levels: [\n").expect("write");
    let (_, out, _) = wippy(&["check", dir.to_str().unwrap_or(""), "--format", "concise"]);
    assert!(
        out.contains(".wippy.yaml:3:1: warning[C0001]: invalid YAML in .wippy.yaml"),
        "{out}"
    );
    std::fs::write(
        dir.join(".wippy.yaml"),
        "lint:\n  levels:\n    W0004: loud\n  rules: maybe\n",
    )
    .expect("write");
    let (_, out, _) = wippy(&["check", dir.to_str().unwrap_or(""), "--format", "concise"]);
    assert!(
        out.contains(":3:12: warning[C0001]: level of `W0004` must be off, hint, warning or error"),
        "{out}"
    );
    assert!(
        out.contains(":4:10: warning[C0001]: `lint.rules` must be true or false"),
        "{out}"
    );
}
