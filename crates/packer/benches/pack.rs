//! Packing a generated project of ~60,000 lines (300 entries) with every Lua entry compiled to
//! Luau bytecode: lines per second, and the archive size against `tar --zstd` of the sources
//! (printed once, when `tar` is available).

use std::fmt::Write;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use packer::pack::{pack, PackOptions};

fn write_project(dir: &Path) -> usize {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    let mut yaml = String::from("version: \"1.0\"\nnamespace: bench\nentries:\n");
    let mut lines = 0;
    for e in 0..300 {
        let mut body = String::from("local json = require(\"json\")\nlocal M = {}\n");
        for f in 0..20 {
            let _ = write!(body, "\nfunction M.f{f}(x: integer, items: {{string}}?): (string, integer)\n    local acc = 0\n    for i, v in ipairs(items or {{}}) do\n        if #v == 0 then goto continue end\n        acc = acc + (i & 0xff) | {f}\n        ::continue::\n    end\n    local out = json.encode({{ n = acc, x = x }})\n    return out, acc\nend\n");
        }
        body.push_str("\nfunction M.main(input)\n    return M.f0(1, input)\nend\n\nreturn M\n");
        lines += body.lines().count();
        std::fs::write(src.join(format!("e{e}.lua")), body).expect("write");
        let _ = write!(yaml, "  - name: e{e}\n    kind: function.lua\n    source: file://e{e}.lua\n    method: main\n    modules: [json]\n");
    }
    std::fs::write(src.join("_index.yaml"), yaml).expect("write");
    lines
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("wippy-bench-pack-{}", std::process::id()));
    let lines = write_project(&dir);
    let project = project::load_project(&dir).expect("load");
    let options = PackOptions {
        bytecode: vec!["**".into()],
        packed_at: 0,
        ..PackOptions::default()
    };
    let archive = pack(&project, &options, &mut |_, _| {}).expect("pack");
    let bytes = wapp::write(&archive).expect("write");
    let tar = dir.join("src.tar.zst");
    let tar_size = std::process::Command::new("tar")
        .args(["--zstd", "-cf"])
        .arg(&tar)
        .arg("-C")
        .arg(&dir)
        .arg("src")
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&tar).ok())
        .map(|m| m.len());
    eprintln!(
        "pack: {lines} lines, archive {} bytes; tar --zstd of the sources: {}",
        bytes.len(),
        tar_size.map_or("n/a".into(), |s| format!("{s} bytes"))
    );
    let mut group = c.benchmark_group("pack");
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(10);
    group.bench_function(format!("bytecode_{lines}_lines"), |b| {
        b.iter(|| {
            let a = pack(&project, &options, &mut |_, _| {}).expect("pack");
            wapp::write(&a).expect("write")
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
