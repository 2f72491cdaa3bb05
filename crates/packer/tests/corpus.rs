//! Lowering rate on a corpus of real Wippy code: `WIPPY_CORPUS=DIR cargo test -p packer --release
//! --test corpus -- --ignored --nocapture`. Every `.lua` file that parses must lower to Luau that
//! mlua's Luau compiler compiles. (A corpus is not shipped: point it at checked-out public Wippy projects.)

use std::path::{Path, PathBuf};

fn lua_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            lua_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "lua")
            && !p.components().any(|c| c.as_os_str() == "twins")
        {
            out.push(p);
        }
    }
}

#[test]
#[ignore = "needs WIPPY_CORPUS"]
fn lower_real_code() {
    let Ok(dir) = std::env::var("WIPPY_CORPUS") else {
        return;
    };
    let handle = std::thread::Builder::new()
        .stack_size(syntax::parse::PARSE_STACK)
        .spawn(move || {
            let mut files = Vec::new();
            lua_files(Path::new(&dir), &mut files);
            let (mut parsed, mut lowered, mut failures) = (0, 0, Vec::new());
            for f in &files {
                let Ok(src) = std::fs::read_to_string(f) else {
                    continue;
                };
                if syntax::parse::parse_chunk(&src, syntax::dialect::Dialect::Wippy)
                    .ast
                    .is_err()
                {
                    continue;
                }
                parsed += 1;
                match syntax::lower::lower(&src) {
                    Ok(out) => match host::compile::compile(&out) {
                        Ok(_) => lowered += 1,
                        Err(e) => failures.push(format!("{}: Luau compile: {}", f.display(), e.0)),
                    },
                    Err(e) => failures.push(format!("{}: {}", f.display(), e.message)),
                }
            }
            println!(
                "lowered and compiled {lowered} of {parsed} parsed files ({} total)",
                files.len()
            );
            for f in failures.iter().take(30) {
                println!("  {f}");
            }
        })
        .expect("spawn");
    handle.join().expect("no panic");
}
