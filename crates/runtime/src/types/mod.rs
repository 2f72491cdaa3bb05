//! Declared types as run-time values (wippy-facts §1.5): the lowering turns each `type X = …`
//! into `X = <scope>(<declaration text>, <prefix resolvers>)` (see `syntax::lower`), so `X` is a
//! [`TypeValue`]: `X:is(v)` gives `v, nil` or `nil, "path: expected …"`, `X(v)` validates the
//! same way, `X:name()` and `X:kind()` describe it. Types of one chunk share a scope (they may
//! name each other and be generic); `mod.T` reaches a type another chunk exported, through the
//! local `mod` where the declaration stands.

pub mod check;
pub mod parse;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mlua::{AnyUserData, Lua, MultiValue, Table, UserData, UserDataMethods, Value};

use parse::{Decl, Ty};

/// The declarations of one chunk.
#[derive(Default)]
pub struct Scope {
    defs: RefCell<HashMap<String, Rc<Decl>>>,
}

/// A declared type, or why its declaration could not be read for run-time checks.
pub struct TypeValue {
    scope: Rc<Scope>,
    decl: Result<Rc<Decl>, String>,
}

fn is(lua: &Lua, ud: &AnyUserData, v: Value) -> mlua::Result<MultiValue> {
    match check::check_value(lua, ud, &v, "", 0) {
        Ok(()) => Ok(MultiValue::from_iter([v, Value::Nil])),
        Err(e) => Ok(MultiValue::from_iter([
            Value::Nil,
            Value::String(lua.create_string(e)?),
        ])),
    }
}

fn kind(t: &Ty) -> &'static str {
    match t {
        Ty::Record(_) => "record",
        Ty::Array(_) => "array",
        Ty::Map(..) => "map",
        Ty::Union(_) => "union",
        Ty::Inter(_) => "intersection",
        Ty::Optional(_) => "optional",
        Ty::Function => "function",
        Ty::Lit(_) => "literal",
        Ty::Annotated(t, _) => kind(t),
        Ty::Ref { .. } => "alias",
        _ => "primitive",
    }
}

impl UserData for TypeValue {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_function("is", |lua, (ud, v): (AnyUserData, Value)| is(lua, &ud, v));
        m.add_meta_function(
            mlua::MetaMethod::Call,
            |lua, (ud, v): (AnyUserData, Value)| is(lua, &ud, v),
        );
        m.add_method("name", |_, t, ()| {
            Ok(t.decl.as_ref().map(|d| d.name.clone()).unwrap_or_default())
        });
        m.add_method("kind", |_, t, ()| {
            Ok(t.decl.as_ref().map_or("unknown", |d| kind(&d.ty)))
        });
        m.add_meta_method(mlua::MetaMethod::ToString, |_, t, ()| {
            Ok(match &t.decl {
                Ok(d) => d.name.clone(),
                Err(_) => "type".into(),
            })
        });
    }
}

/// `__wippy_types()`: a new scope, as a function `(declaration, resolvers) -> TypeValue`. The
/// prefix resolvers of all its declarations go into one table that every type value of the
/// scope holds (a type may name another whose fields use a prefix). The function holds that
/// table only while the chunk that opened the scope is alive.
pub fn new_scope(lua: &Lua) -> mlua::Result<mlua::Function> {
    let scope = Rc::new(Scope::default());
    let shared = lua.create_table()?;
    lua.create_function(move |lua, (src, resolvers): (String, Option<Table>)| {
        if let Some(r) = resolvers {
            for pair in r.pairs::<Value, Value>() {
                let (k, v) = pair?;
                shared.raw_set(k, v)?;
            }
        }
        let decl = match parse::decl(&src) {
            Ok(d) => {
                let d = Rc::new(d);
                scope.defs.borrow_mut().insert(d.name.clone(), d.clone());
                Ok(d)
            }
            Err(e) => Err(format!(
                "this type cannot be checked at run time ({e}): {}",
                src.lines().next().unwrap_or_default()
            )),
        };
        let ud = lua.create_userdata(TypeValue {
            scope: scope.clone(),
            decl,
        })?;
        ud.set_user_value(shared.clone())?;
        Ok(ud)
    })
}
