//! Pins the bundled manifests: module count and totals, and the exact rendered signature of a
//! sample of functions and methods across modules, so an edit cannot silently lose or change
//! one. Signatures are checked against wippyai/runtime `runtime/lua/modules/*/types.go`.

use typedefs::types::{MemberKind, TypeDef};
use typedefs::{Lookup, ModuleSet, Type};

/// `module.a.b` (function or constant) or `module.Type:method`, rendered in Wippy type syntax.
fn signature(set: &ModuleSet, path: &str) -> String {
    if let Some((ty_path, method)) = path.split_once(':') {
        let (module, ty) = ty_path.split_once('.').expect("module.Type:method");
        let m = set
            .get(module)
            .unwrap_or_else(|| panic!("no module {module}"));
        let Some(TypeDef::Interface(i)) = m.types.get(ty) else {
            panic!("no interface {ty_path}")
        };
        let f = &i
            .methods
            .get(method)
            .unwrap_or_else(|| panic!("no method {path}"))
            .ty;
        return Type::Function(f.clone()).to_string();
    }
    let mut parts = path.split('.');
    let module = parts.next().expect("module");
    let mut ty = set
        .get(module)
        .unwrap_or_else(|| panic!("no module {module}"))
        .value_type();
    for p in parts {
        ty = match set.member(&ty, p, false, None) {
            Lookup::Found { ty, .. } => ty,
            other => panic!("{path}: {other:?}"),
        };
    }
    ty.to_string()
}

#[test]
fn sampled_signatures_are_exact() {
    let set = ModuleSet::bundled();
    let expected = [
        ("json.encode", "(value: any) -> (string, error?)"),
        ("json.decode", "(str: string) -> (any, error?)"),
        ("base64.decode", "(data: string) -> (string, error?)"),
        ("yaml.encode", "(value: any, options: yaml.EncodeOptions?) -> (string, error?)"),
        ("hash.sha256", "(data: string, raw: boolean?) -> (string, error?)"),
        ("hash.hmac_sha256", "(data: string, secret: string, raw: boolean?) -> (string, error?)"),
        ("hash.fnv32", "(data: string) -> (number, error?)"),
        ("uuid.v4", "() -> (string, error?)"),
        ("uuid.parse", "(id: string) -> (uuid.Info, error?)"),
        ("crypto.random.bytes", "(length: number) -> (string, error?)"),
        ("crypto.jwt.verify", "(token: string, key: string, alg: string?, require_exp: boolean?) -> (any, error?)"),
        ("crypto.constant_time_compare", "(a: string, b: string) -> boolean"),
        ("time.now", "() -> time.Time"),
        ("time.sleep", "(d: any) -> ()"),
        ("time.after", "(d: any) -> channel.Channel<time.Time>"),
        ("time.parse", "(layout: string, value: string, loc: time.Location?) -> (time.Time, error?)"),
        ("time.Time:unix", "(self) -> integer"),
        ("time.Time:sub", "(self, t: self) -> time.Duration"),
        ("time.Time:date", "(self) -> (integer, integer, integer)"),
        ("time.SECOND", "number"),
        ("logger.Logger:info", "(self, msg: string, context: any?) -> ()"),
        ("logger.Logger:with", "(self, context: any) -> self"),
        ("process.send", "(pid: string, topic: string, ...any) -> (boolean, error?)"),
        ("process.spawn", "(module: string, func: string, ...any) -> (string, error?)"),
        ("process.inbox", "() -> channel.Channel<process.Message>"),
        ("process.registry.register", "(name: string, pid: string?, scope: number?) -> (boolean, error?)"),
        ("process.SpawnBuilder:with_name", "(self, name: string) -> self"),
        ("process.Message:topic", "(self) -> string"),
        ("channel.new", "(size: number?) -> channel.Channel<unknown>"),
        ("channel.Channel:receive", "(self) -> (T, boolean)"),
        ("channel.Channel:send", "(self, value: T) -> boolean"),
        ("payload.new", "(data: any) -> payload.Payload"),
        ("http.request", "(config: any?) -> (http.Request, error?)"),
        ("http.Request:query", "(self, key: string) -> (string?, error?)"),
        ("http.Response:set_status", "(self, status: number) -> error?"),
        ("http.STATUS.NOT_FOUND", "number"),
        ("http_client.get", "(url: string, opts: http_client.RequestOptions?) -> (http_client.Response, error?)"),
        ("http_client.request", "(method: string, url: string, opts: http_client.RequestOptions?) -> (http_client.Response, error?)"),
        ("sql.get", "(dsn: string) -> (sql.DB, error?)"),
        ("sql.DB:query", "(self, sql: string, ...any) -> ({{[string]: any}}, error?)"),
        ("sql.DB:begin", "(self, opts: any?) -> (sql.Transaction, error?)"),
        ("sql.Transaction:commit", "(self) -> (boolean, error?)"),
        ("store.get", "(name: string) -> (store.Store, error?)"),
        ("store.Store:set", "(self, key: string, value: any, ttl: number?) -> (boolean, error?)"),
        ("fs.get", "(name: string) -> (fs.FS, error?)"),
        ("fs.FS:read_file", "(self, path: string) -> (string, error?)"),
        ("registry.get", "(key: string) -> (registry.Entry, error?)"),
        ("registry.snapshot", "() -> (registry.Snapshot, error?)"),
        ("security.can", "(action: string, resource: string, context: any?) -> boolean"),
        ("funcs.call", "(name: string, ...any) -> (any, error?)"),
        ("env.get", "(key: string) -> (string, error?)"),
        ("ctx.get", "(key: any) -> (any, error?)"),
        ("os.time", "(table: any?) -> integer"),
        ("errors.wrap", "(err: any, message: string) -> error"),
        ("string.format", "(fmt: string, ...any) -> string"),
        ("table.insert", "<T>(list: {T}, pos_or_value: T | integer, value: T?) -> ()"),
        ("table.freeze", "<T: table>(t: T) -> T"),
        ("lua.ipairs", "<T>(t: {T}) -> (({T}, integer) -> (integer, T), {T}, integer)"),
        ("math.max", "<T: number>(x: T, ...T) -> T"),
        ("coroutine.spawn", "(f: function, ...any) -> ()"),
        ("state.get", "(entity_type: string, id: string) -> table?"),
        ("emit.error", "(status: integer, code: string, message: string?) -> ()"),
        ("clock.now", "() -> integer"),
    ];
    let mut wrong = Vec::new();
    for (path, want) in expected {
        let got = signature(set, path);
        if got != want {
            wrong.push(format!("{path}: expected `{want}`, got `{got}`"));
        }
    }
    assert!(expected.len() >= 40);
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn every_member_renders_and_reparses() {
    // Every function, method and constant type renders to text the type parser reads back.
    let set = ModuleSet::bundled();
    for m in set.iter() {
        let mut tys = Vec::new();
        fn walk(t: &typedefs::TableDef, out: &mut Vec<Type>) {
            for member in t.members.values() {
                match &member.kind {
                    MemberKind::Function(f) => out.push(Type::Function(f.clone())),
                    MemberKind::Constant(t, _) => out.push(t.clone()),
                    MemberKind::Table(sub) => walk(sub, out),
                }
            }
        }
        walk(&m.table, &mut tys);
        for def in m.types.values() {
            match def {
                TypeDef::Alias { ty, .. } => tys.push(ty.clone()),
                TypeDef::Interface(i) => {
                    tys.extend(i.methods.values().map(|x| Type::Function(x.ty.clone())))
                }
            }
        }
        for t in tys {
            let text = t.to_string();
            let back = typedefs::parse_type_str(&text)
                .unwrap_or_else(|e| panic!("{}: `{text}`: {e}", m.name));
            assert_eq!(back.to_string(), text, "{}", m.name);
        }
    }
}

#[test]
fn totals_are_pinned() {
    let set = ModuleSet::bundled();
    let total = set
        .iter()
        .fold(typedefs::counts::Counts::default(), |acc, m| {
            acc + m.counts()
        });
    assert_eq!(set.iter().count(), 61, "modules");
    assert_eq!(
        (total.functions, total.methods, total.types, total.constants),
        (418, 490, 130, 208)
    );
}
