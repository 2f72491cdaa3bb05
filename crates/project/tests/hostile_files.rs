//! Files a loader must refuse without blocking or losing entries: a FIFO as an entry's source
//! (it hung `check` and the language server forever), invalid UTF-8 in an `_index.yaml` (the
//! file was skipped silently: 0 entries, exit 0), and unreadable handler files.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use project::{load_project, ProblemKind, Project};

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-project-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Load on another thread; a load that blocks fails the test instead of hanging it.
fn load_within(root: &Path, limit: Duration) -> Project {
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(load_project(&root).expect("load"));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("loading did not finish within {limit:?}"))
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt as _;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("path");
    // SAFETY: a NUL-terminated path and a mode.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

const INDEX: &str = "namespace: app\nentries:\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n";

#[cfg(unix)]
#[test]
fn a_fifo_source_is_refused_without_blocking() {
    let dir = tmp("fifo");
    std::fs::write(dir.join("_index.yaml"), INDEX).expect("write");
    mkfifo(&dir.join("f.lua"));
    // A FIFO YAML file and a symlink to a FIFO are not read either.
    mkfifo(&dir.join("more.yaml"));
    std::os::unix::fs::symlink(dir.join("f.lua"), dir.join("link.lua")).expect("symlink");
    std::fs::write(
        dir.join("link.yaml"),
        INDEX
            .replace("name: f", "name: g")
            .replace("f.lua", "link.lua"),
    )
    .expect("write");
    let p = load_within(&dir, Duration::from_secs(10));
    let refused: Vec<&str> = p
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::BadSource)
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(refused.len(), 2, "{:?}", p.problems);
    assert!(
        refused.iter().all(|m| m.contains("not a regular file")),
        "{refused:?}"
    );
    // read_file itself refuses a FIFO before opening it.
    let e = project::read_file(&dir.join("f.lua")).expect_err("a FIFO was read");
    assert!(matches!(e, project::ReadError::NotRegular), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn invalid_utf8_in_an_index_is_a_yaml_problem_at_the_byte() {
    let dir = tmp("utf8");
    let mut bytes = b"# caf\xe9 menu\n".to_vec();
    bytes.extend_from_slice(INDEX.as_bytes());
    std::fs::write(dir.join("_index.yaml"), &bytes).expect("write");
    std::fs::write(dir.join("f.lua"), "return { main = function() end }\n").expect("write");
    let p = load_within(&dir, Duration::from_secs(10));
    let yaml: Vec<_> = p
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Yaml)
        .collect();
    assert_eq!(yaml.len(), 1, "{:?}", p.problems);
    assert_eq!(yaml[0].span, 5..6, "the offset of the bad byte");
    assert!(
        yaml[0].message.contains("not valid UTF-8"),
        "{}",
        yaml[0].message
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_handler_is_a_problem_not_a_silent_skip() {
    let dir = tmp("handler");
    let handlers = dir.join("twins/t/lua/handlers");
    std::fs::create_dir_all(&handlers).expect("dirs");
    std::fs::write(handlers.join("ok.lua"), "emit.json({})\n").expect("write");
    std::fs::write(handlers.join("bad.lua"), b"emit.json({}) -- \xff\n").expect("write");
    let p = load_within(&dir, Duration::from_secs(10));
    assert_eq!(p.twins.len(), 1);
    assert!(p.twins[0].handlers.contains_key("ok"));
    assert!(!p.twins[0].handlers.contains_key("bad"));
    assert!(
        p.problems
            .iter()
            .any(|x| x.kind == ProblemKind::BadSource && x.message.contains("bad.lua")),
        "{:?}",
        p.problems
    );
    let _ = std::fs::remove_dir_all(&dir);
}
