//! End-to-end: `wippy pack` writes archives that `inspect`, `verify` and `unpack` read back.

mod common;

use common::{tmp, wippy_env as wippy};

#[test]
fn pack_inspect_verify_unpack_round_trip() {
    let dir = tmp("roundtrip");
    let out = dir.join("app.wapp");
    let o = out.to_string_lossy().into_owned();
    let (code, stdout, stderr) = wippy(
        &[
            "pack",
            &o,
            "examples/app",
            "--bytecode",
            "app.lib:**",
            "--bytecode",
            "greet",
            "--meta",
            "release=7",
        ],
        Some("1700000000"),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("4 as bytecode"), "{stdout}");
    let (code, stdout, _) = wippy(&["pack", "inspect", &o], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("app:greet  function.lua.bc"), "{stdout}");
    assert!(
        stdout.contains("app.api:create_user  function.lua  "),
        "{stdout}"
    );
    assert!(
        stdout.contains("packed_at: \"2023-11-14T22:13:20Z\""),
        "{stdout}"
    );
    assert!(stdout.contains("release: 7"), "{stdout}");
    assert!(stdout.contains("wippy.luau_version"), "{stdout}");
    assert!(
        stdout.contains("app.web:assets  2 files"),
        "fs.directory contents travel: {stdout}"
    );
    assert!(
        stdout.contains("app.web:greeting_page  template.jet  26 B source"),
        "templates carry their text: {stdout}"
    );
    let (code, stdout, _) = wippy(&["pack", "verify", &o], None);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("ok:"), "{stdout}");
    let unpacked = dir.join("unpacked");
    let (code, _, stderr) = wippy(&["pack", "unpack", &o, &unpacked.to_string_lossy()], None);
    assert_eq!(code, 0, "{stderr}");
    assert!(unpacked.join("app/_index.yaml").is_file());
    assert!(
        unpacked.join("app.api/create_user.lua").is_file(),
        "sources of non-bytecode entries come back"
    );
    assert!(unpacked
        .join("_resources/internal_lua.bytecode/app/greet.luac")
        .is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_project_and_epoch_give_identical_archives() {
    let dir = tmp("repro");
    let (a, b) = (dir.join("a.wapp"), dir.join("b.wapp"));
    for p in [&a, &b] {
        let (code, _, stderr) = wippy(
            &[
                "pack",
                &p.to_string_lossy(),
                "examples/app",
                "--bytecode",
                "**",
            ],
            Some("1234567890"),
        );
        assert_eq!(code, 0, "{stderr}");
    }
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn damaged_archives_are_refused_with_a_reason() {
    let dir = tmp("damaged");
    let p = dir.join("x.wapp");
    let (code, _, _) = wippy(
        &[
            "pack",
            &p.to_string_lossy(),
            "examples/app",
            "--bytecode",
            "**",
        ],
        Some("1"),
    );
    assert_eq!(code, 0);
    let mut bytes = std::fs::read(&p).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&p, &bytes).expect("write");
    let (code, _, stderr) = wippy(&["pack", "verify", &p.to_string_lossy()], None);
    assert_eq!(code, 1);
    assert!(stderr.contains("SHA-256 mismatch"), "{stderr}");
    std::fs::write(&p, &bytes[..100]).expect("write");
    let (code, _, stderr) = wippy(&["pack", "inspect", &p.to_string_lossy()], None);
    assert_eq!(code, 1);
    assert!(stderr.contains("truncated"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_errors_stop_the_pack() {
    let dir = tmp("broken");
    let p = dir.join("b.wapp");
    let (code, _, stderr) = wippy(
        &[
            "pack",
            &p.to_string_lossy(),
            "examples/broken",
            "--bytecode",
            "**",
        ],
        Some("1"),
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("nothing was packed"), "{stderr}");
    assert!(!p.exists());
    let (code, _, stderr) = wippy(
        &[
            "pack",
            &p.to_string_lossy(),
            "examples/broken",
            "--bytecode",
            "**",
            "--no-check",
        ],
        Some("1"),
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("_index.yaml:13:11") && stderr.contains("no readable source"),
        "pack errors carry a position: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exclude_ns_and_reserved_meta() {
    let dir = tmp("exclude");
    let p = dir.join("e.wapp");
    let o = p.to_string_lossy().into_owned();
    let (code, _, err) = wippy(
        &[
            "pack",
            &o,
            "examples/app",
            "--exclude-ns",
            "app.tests",
            "--exclude-ns",
            "app.web",
        ],
        Some("1"),
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = wippy(&["pack", "inspect", &o], None);
    assert!(
        !out.contains("app.tests:") && !out.contains("app.web:"),
        "{out}"
    );
    assert!(out.contains("app.lib:strings  library.lua  "), "{out}");
    let (code, _, err) = wippy(
        &["pack", &o, "examples/app", "--meta", "wippy.version=9"],
        Some("1"),
    );
    assert_eq!(code, 1);
    assert!(err.contains("reserved"), "{err}");
    let (code, _, err) = wippy(
        &["pack", &o, "examples/app", "--meta", "novalue"],
        Some("1"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("key=value"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A tree holding two projects that both define `app:main`: `check` keeps them apart, but one
/// archive is one registry, so `pack` refuses with the id and both projects named.
#[test]
fn a_tree_of_projects_with_one_id_twice_is_refused() {
    let dir = tmp("two-projects");
    for name in ["one", "two"] {
        let p = dir.join(name);
        std::fs::create_dir_all(&p).expect("mkdir");
        std::fs::write(p.join("wippy.lock"), "directories:\n  src: .\n").expect("lock");
        std::fs::write(p.join("_index.yaml"), "namespace: app\nentries:\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n").expect("yaml");
        std::fs::write(
            p.join("main.lua"),
            "return { main = function() return 1 end }\n",
        )
        .expect("lua");
    }
    let tree = dir.to_string_lossy().into_owned();
    let (code, _, _) = wippy(&["check", &tree], None);
    assert_eq!(code, 0, "the projects are each fine");
    let out = dir.join("all.wapp").to_string_lossy().into_owned();
    let (code, _, stderr) = wippy(&["pack", &out, &tree], Some("1"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .contains("entry id `app:main` is defined by two projects in this tree (one and two)"),
        "{stderr}"
    );
    assert!(!dir.join("all.wapp").exists(), "no archive is written");
    // One project at a time packs.
    let (code, _, stderr) = wippy(
        &["pack", &out, &dir.join("one").to_string_lossy()],
        Some("1"),
    );
    assert_eq!(code, 0, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An archive whose entries frame lists one id twice is damaged: `pack verify` refuses it.
#[test]
fn an_archive_with_a_duplicate_id_fails_verify() {
    let dir = tmp("dup-archive");
    let entry = |kind: &str| wapp::PackedEntry {
        id: wapp::EntryId {
            ns: "app".into(),
            name: "main".into(),
        },
        kind: kind.into(),
        meta: None,
        data: Some(serde_json::json!({ "source": "return {}", "method": "main" })),
    };
    let archive = wapp::Archive {
        entries: vec![entry("function.lua"), entry("library.lua")],
        ..wapp::Archive::default()
    };
    let p = dir.join("dup.wapp");
    std::fs::write(&p, wapp::write(&archive).expect("write")).expect("file");
    let (code, _, stderr) = wippy(&["pack", "verify", &p.to_string_lossy()], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("entry id `app:main` appears more than once"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
