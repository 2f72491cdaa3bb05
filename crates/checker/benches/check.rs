//! Throughput of a full `wippy check` (load + parse + type check) on a generated project of
//! 50,000 lines: 200 function entries importing 20 libraries. Target (DEVELOPERS.md): the
//! 380k lines of public Wippy code in about a second on 2 cores, i.e. ≥ 380k lines/s.

use std::fmt::Write;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn write_project(dir: &Path) -> usize {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    let mut yaml = String::from("version: \"1.0\"\nnamespace: bench\nentries:\n");
    let mut lines = 0;
    for l in 0..20 {
        let mut lib = String::from("local json = require(\"json\")\nlocal M = {}\n");
        for f in 0..25 {
            let _ = write!(lib, "\nfunction M.f{f}(x: number, s: string?): string\n    local t = {{ n = x * {f}, s = s or \"\" }}\n    local out, err = json.encode(t)\n    if err then\n        return \"\"\n    end\n    return out .. tostring(x)\nend\n");
        }
        lib.push_str("\nreturn M\n");
        lines += lib.lines().count();
        std::fs::write(src.join(format!("lib{l}.lua")), lib).expect("write");
        let _ = write!(yaml, "  - name: lib{l}\n    kind: library.lua\n    source: file://lib{l}.lua\n    modules: [json]\n");
    }
    for e in 0..200 {
        let l = e % 20;
        let mut body = String::from("local lib = require(\"lib\")\nlocal time = require(\"time\")\nlocal logger = require(\"logger\")\n\nlocal function main(input)\n    local acc = {}\n");
        for i in 0..40 {
            let _ = write!(body, "    local v{i} = lib.f{}({i}, \"x\")\n    if #v{i} > {i} then\n        table.insert(acc, v{i})\n    end\n", i % 25);
        }
        body.push_str("    logger:info(\"done\", { n = #acc, at = time.now():unix() })\n    return acc\nend\n\nreturn { main = main }\n");
        lines += body.lines().count();
        std::fs::write(src.join(format!("e{e}.lua")), body).expect("write");
        let _ = write!(yaml, "  - name: e{e}\n    kind: function.lua\n    source: file://e{e}.lua\n    method: main\n    modules: [time, logger]\n    imports:\n      lib: bench:lib{l}\n");
    }
    std::fs::write(src.join("_index.yaml"), yaml).expect("write");
    lines
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("wippy-bench-check-{}", std::process::id()));
    let lines = write_project(&dir);
    let modules = typedefs::ModuleSet::bundled();
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(20);
    group.bench_function(format!("project_{lines}_lines"), |b| {
        b.iter(|| {
            let project = project::load_project(&dir).expect("load");
            let report = checker::check_project(&project, modules);
            assert_eq!(
                report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == checker::Severity::Error)
                    .count(),
                0
            );
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
