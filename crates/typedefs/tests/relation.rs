//! THE type relation as data: `(source, target, expected)` where expected is `ok`, or a
//! substring of the mismatch described about the subject `v` ([`Mismatch::describe`]).
//! Types are written in Wippy's type syntax; a source record written `built {…}` is a table
//! built in code ([`Shape::Built`]), `open {…}` one whose fields are not all known.

use std::sync::Arc;

use typedefs::generics::Inference;
use typedefs::{
    parse_type_str, LocalTypes, Mismatch, Mode, ModuleSet, Relation, Shape, Type, TypeDef,
};

/// Parse a type, reading a leading `built ` / `open ` as the shape of a record.
fn ty(s: &str) -> Type {
    let (shape, text) = match s.split_once(' ') {
        Some(("built", rest)) => (Some(Shape::Built), rest),
        Some(("open", rest)) => (Some(Shape::Open), rest),
        _ => (None, s),
    };
    let t = parse_type_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match (shape, t) {
        (Some(shape), Type::Record(r)) => {
            let mut r = (*r).clone();
            r.shape = shape;
            Type::Record(Arc::new(r))
        }
        (Some(shape), Type::AnyTable) => Type::Record(Arc::new(typedefs::Record {
            shape,
            ..Default::default()
        })),
        (_, t) => t,
    }
}

fn locals() -> LocalTypes {
    let mut l = LocalTypes::new();
    for (name, t) in [
        ("Point", "{x: number, y: number}"),
        ("Options", "{timeout_ms?: integer, retries?: integer}"),
        ("Status", "\"draft\" | \"done\""),
        ("Money", "{amount: number, currency: string}"),
    ] {
        let ty = typedefs::manifest::name_record(ty(t), name.to_owned());
        l.insert(
            name.to_owned(),
            TypeDef::Alias {
                type_params: Vec::new(),
                ty,
                description: None,
            },
        );
    }
    l
}

fn relate(src: &str, dst: &str, mode: Mode) -> Result<(), Mismatch> {
    let set = ModuleSet::bundled();
    let local = locals();
    let rel = Relation {
        set,
        local: Some(&local),
        mode,
    };
    rel.relate(&ty(src), &ty(dst))
}

const CASES: &str = r#"
# Scalars and literals.
integer ;; number ;; ok
number ;; integer ;; v is number, not integer
1.5 ;; integer ;; v is number, not integer
2.0 ;; integer ;; ok
3 ;; number ;; ok
"a" ;; string ;; ok
"a" ;; number ;; v is string, not number
boolean ;; string ;; v is boolean, not string
nil ;; string ;; v is nil, not string
nil ;; string? ;; ok
"b" ;; "a" | "c" ;; v is "b", not "a" | "c"
string ;; Status ;; ok
"dnoe" ;; Status ;; v is "dnoe", not Status
# Gradual types.
any ;; string ;; ok
string ;; any ;; ok
unknown ;; {string} ;; ok
# Optional into non-optional: accepted by default, refused when nil-strict.
string? ;; string ;; ok
integer? ;; string ;; v is integer?, not string
# Unions.
string | number ;; number ;; its member string does not fit
true ;; string | number ;; v is boolean, not string | number
integer | false ;; integer ;; ok
# Records.
{a: string} ;; {a: string, b?: number} ;; ok
{a: number} ;; {a: string} ;; v: field `a` is number, not string
{b: string} ;; {a: string} ;; missing field `a` in {a: string}
{x: number} ;; Point ;; v: missing field `y` in Point
{x: number, y: number, z: number} ;; Point ;; ok
built {x: number} ;; Money ;; missing field `amount` in Money
open {x: number} ;; Money ;; ok
built {} ;; Money ;; ok
{a: string?} ;; {a: string?, b: integer?} ;; ok
built {timout_ms: integer} ;; Options ;; `timout_ms` is not a field of Options; did you mean `timeout_ms`?
built {timeout_ms: integer, label: string} ;; Options ;; ok
{price: {amount: number}} ;; {price: Money} ;; missing field `currency` in field `price` (Money)
string ;; Point ;; v is string, not Point
# Arrays and maps.
{string} ;; {[integer]: string} ;; ok
{string} ;; {integer} ;; v: element `[…]` is string, not integer
{a: integer} ;; {[string]: string} ;; field `a` is integer, not string
string ;; {string} ;; v is string, not {string}
{string} ;; string ;; v is {string}, not string
# Functions: parameters contravariant, returns covariant.
(x: any) -> () ;; (x: string) -> () ;; ok
(x: integer) -> () ;; (x: string) -> () ;; parameter 1 is string, not integer
() -> string ;; () -> integer ;; return value 1 is string, not integer
(x: string) -> () ;; string ;; v is (x: string) -> (), not string
"#;

#[test]
fn the_relation_as_data() {
    let mut failures = Vec::new();
    let rows = CASES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    for row in rows {
        let [src, dst, want]: [&str; 3] = row
            .split(" ;; ")
            .collect::<Vec<_>>()
            .try_into()
            .unwrap_or_else(|_| panic!("bad row: {row}"));
        let got = match relate(src, dst, Mode::GRADUAL) {
            Ok(()) => "ok".to_owned(),
            Err(m) => m.describe("v"),
        };
        let pass = if want == "ok" {
            got == "ok"
        } else {
            got.contains(want)
        };
        if !pass {
            failures.push(format!("{src} -> {dst}: want `{want}`, got `{got}`"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn strict_mode_knows_nil_and_unknown() {
    let nil = relate("string?", "string", Mode::STRICT).unwrap_err();
    assert!(nil.describe("v").contains("may be nil"), "{nil:?}");
    let any = relate("any", "string", Mode::STRICT).unwrap_err();
    assert!(
        any.describe("v").contains("nothing proves it is string"),
        "{any:?}"
    );
    assert!(relate("string", "string?", Mode::STRICT).is_ok());
    assert!(relate("any", "any", Mode::STRICT).is_ok());
    // A union with false: refused in strict mode, set aside in gradual mode.
    assert!(relate("integer | false", "integer", Mode::STRICT).is_err());
}

/// Bind the type parameters of `sig` from `(argument type, loose)` pairs; the solution and
/// the bound violations as `(param, binding)`.
fn bind(sig: &str, args: &[(&str, bool)]) -> (typedefs::generics::Solution, Vec<(String, String)>) {
    let rel = Relation::new(ModuleSet::bundled(), None);
    let Type::Function(f) = ty(sig) else {
        panic!("{sig} is not a function type")
    };
    let mut inf = Inference::new(&f);
    for (p, (a, loose)) in f.params.iter().zip(args) {
        inf.argument(&rel, &p.ty, &ty(a), *loose);
    }
    let s = inf.solve();
    let v = inf
        .violations(&rel, &s)
        .into_iter()
        .map(|v| (v.param, v.binding.to_string()))
        .collect();
    (s, v)
}

#[test]
fn generic_calls_bind_from_their_arguments() {
    let (s, _) = bind("<T>(xs: {T}) -> T?", &[("{string}", false)]);
    assert_eq!(
        s.get("T").map(ToString::to_string).as_deref(),
        Some("string")
    );
    let (_, v) = bind("<T: number>(x: T) -> T", &[("string", false)]);
    assert_eq!(v, [("T".to_string(), "string".to_string())]);
    // A declared container's element type is what bare values must fit…
    let insert = "<T>(list: {T}, v: T) -> ()";
    let (s, _) = bind(insert, &[("{integer}", false), ("string", false)]);
    assert_eq!(
        s.get("T").map(ToString::to_string).as_deref(),
        Some("integer")
    );
    // …unless the container was only built in code.
    let (s, _) = bind(insert, &[("{integer}", true), ("number", false)]);
    assert_eq!(
        s.get("T").map(ToString::to_string).as_deref(),
        Some("number")
    );
}

#[test]
fn joins_subsume_and_merge_built_records() {
    let j = typedefs::join([ty("integer"), ty("number"), ty("nil")]);
    assert_eq!(j.to_string(), "number?");
    let j = typedefs::join([
        ty("built {a: integer}"),
        ty("built {a: integer, b: string}"),
    ]);
    assert_eq!(j.to_string(), "{a: integer, b?: string}");
    let j = typedefs::join([ty("\"x\""), ty("string")]);
    assert_eq!(j.to_string(), "string");
}

#[test]
fn recursive_unions_end_quickly() {
    let mut local = LocalTypes::new();
    let json = ty("string | number | boolean | {Json} | {[string]: Json}");
    local.insert(
        "Json".into(),
        TypeDef::Alias {
            type_params: Vec::new(),
            ty: json,
            description: None,
        },
    );
    let rel = Relation::new(ModuleSet::bundled(), Some(&local));
    let mut deep = String::from("boolean");
    for _ in 0..12 {
        deep = format!("{{[string]: {{{deep}}}}}");
    }
    // Without the relation's step budget these branch at every level of nesting.
    assert!(rel.relate(&ty(&deep), &ty("Json")).is_ok());
    assert!(rel
        .relate(&ty("{a: {b: {c: {d: string}}}}"), &ty("Json"))
        .is_ok());
    assert!(rel.relate(&ty("(x: string) -> ()"), &ty("Json")).is_err());
}
