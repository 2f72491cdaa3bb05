//! The parser and checker never panic and never overflow the stack, whatever the input.

use syntax::dialect::{Dialect, MAX_NESTING};
use syntax::parse::{parse_chunk, PARSE_STACK};

/// Run `f` on a thread with the stack the checker's workers have.
fn on_parse_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(PARSE_STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic");
}

fn nested(kind: &str, depth: usize) -> String {
    match kind {
        "callbacks" => format!(
            "{}x(){}",
            "f(function() ".repeat(depth),
            " end)".repeat(depth)
        ),
        "do" => format!("{}x(){}", "do ".repeat(depth), " end".repeat(depth)),
        "parens" => format!("local v = {}1{}", "(".repeat(depth), ")".repeat(depth)),
        "tables" => format!("local v = {}1{}", "{".repeat(depth), "}".repeat(depth)),
        "ifs" => format!("{}x(){}", "if a then ".repeat(depth), " end".repeat(depth)),
        _ => format!("local v = 1{}", " .. 1".repeat(depth)),
    }
}

#[test]
fn deep_nesting_below_the_limit_parses_and_above_is_a_clean_error() {
    on_parse_stack(|| {
        for kind in ["callbacks", "do", "parens", "tables", "ifs"] {
            // Callbacks count twice (the function and its call's parenthesis).
            let ok_depth = if kind == "callbacks" {
                MAX_NESTING / 2 - 1
            } else {
                MAX_NESTING - 1
            };
            let p = parse_chunk(&nested(kind, ok_depth), Dialect::Wippy);
            assert!(p.ast.is_ok(), "{kind} at {ok_depth}: {:?}", p.ast.err());
            // (Far deeper input is over the parser's source size limit, refused before this.)
            for depth in [MAX_NESTING + 1, 10_000, 20_000] {
                let p = parse_chunk(&nested(kind, depth), Dialect::Wippy);
                let (_, msg) = p
                    .ast
                    .err()
                    .unwrap_or_else(|| panic!("{kind} at {depth} must be refused"));
                assert!(msg.contains("nesting"), "{msg}");
            }
        }
        let long = parse_chunk(&nested("concat", 100_000), Dialect::Wippy);
        assert!(long.ast.is_err());
        let fine = parse_chunk(&nested("concat", 2_000), Dialect::Wippy);
        assert!(fine.ast.is_ok());
    });
}

#[test]
fn garbage_never_panics() {
    on_parse_stack(|| {
        let pieces = [
            "local",
            "function",
            "end",
            "(",
            ")",
            "{",
            "}",
            "[",
            "]",
            "::",
            ":",
            "as",
            "!",
            "@",
            "?",
            "->",
            "type",
            "interface",
            "x",
            "=",
            "`",
            "\"",
            "'",
            "[[",
            "--[[",
            "..",
            "goto",
            "::a::",
            "<",
            ">",
            ">>",
            "fun",
            "readonly",
            "1",
            "0x",
            "é",
            "\n",
            ",",
            "return",
        ];
        let mut seed: u64 = 0x2545F4914F6CDD1D;
        for _ in 0..3000 {
            let mut src = String::new();
            let n = (seed % 40) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                src.push(' ');
            }
            for d in [Dialect::Wippy, Dialect::Luau] {
                let _ = parse_chunk(&src, d);
            }
        }
    });
}

#[test]
fn walking_garbage_and_odd_code_never_panics() {
    use checker::env::{ChunkKind, Env};
    use std::collections::{HashMap, HashSet};
    on_parse_stack(|| {
        let modules = typedefs::ModuleSet::bundled();
        let globals = modules.globals(typedefs::Environment::Entry);
        let env = Env {
            modules,
            globals: &globals,
            kind: ChunkKind::Function,
            entry_id: Some("t:t".into()),
            allowed_modules: modules.iter().map(|m| m.name.clone()).collect(),
            imports: HashMap::new(),
            import_globals: HashSet::new(),
            lenient_globals: false,
            twin_libs: HashMap::new(),
            index: false,
            types: typedefs::LocalTypes::new(),
            mode: typedefs::Mode::GRADUAL,
        };
        let samples = [
            "local a, b, c = ...\nreturn a.b.c:d(e)[f]('x'){1}",
            "function a.b.c:d(...) return self, ... end",
            "local t = {} t[1] = t t.x.y = 1 local s = t:m()",
            "local x: {[string]: number}? = nil\nlocal y = x as any\nlocal z = y!\nreturn z",
            "for i = 1, 10 do goto continue ::continue:: end",
            "local function f<T>(x: T): T return x end return f(1)",
            "local json = require('json') json.decode(json.encode({}))('x')",
            "return require",
            "local s = ('x'):rep(3):upper():nope()",
            "_G.x = 1 _G['y'] = 2 _G[z] = 3",
            "local m = {} function m:a() return self:b() end function m.b() end return m",
        ];
        // Nested loops whose bodies change the head each round: the rounds of all loops share
        // one budget, so the walk ends even at the nesting limit.
        let depth = MAX_NESTING / 2;
        let loops = format!(
            "local a, b, c, e = nil, nil, nil, nil\n{}a = b b = c c = e e = 's'\nif a then print(#a) end\n{}",
            "while true do\n".repeat(depth),
            "end\n".repeat(depth)
        );
        let samples: Vec<&str> = samples.iter().copied().chain([loops.as_str()]).collect();
        for src in samples {
            let p = parse_chunk(src, Dialect::Wippy);
            if let Ok(ast) = &p.ast {
                let _ = checker::walk::walk_chunk(ast, &p.prepared, &env, 0);
            }
        }
    });
}
