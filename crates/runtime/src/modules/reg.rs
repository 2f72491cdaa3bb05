//! Registering module functions: every function is built through [`Reg`], which enforces its
//! arity, turns bad arguments into Wippy's `(nil, error)` pair for fallible functions, and records
//! the arity under the function's dotted path (`crypto.random.bytes`) so a test can compare it with
//! the bundled manifest (manifest and runtime cannot drift).

use std::collections::BTreeMap;

use mlua::{FromLuaMulti, IntoLuaMulti, Lua, MultiValue, Table, Value};

use super::errors::new_error;

/// How many arguments a function takes: `min` required, at most `max` (`None` = variadic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arity {
    /// Required arguments.
    pub min: usize,
    /// Maximum arguments (`None`: any number).
    pub max: Option<usize>,
}

/// Arities of every function built so far in a Lua state, by dotted path; kept as the state's
/// app data (see [`arities`]).
#[derive(Clone, Debug, Default)]
pub struct Arities(pub BTreeMap<String, Arity>);

/// A snapshot of the arities recorded in `lua` (empty if no module was built).
pub fn arities(lua: &Lua) -> BTreeMap<String, Arity> {
    lua.app_data_ref::<Arities>()
        .map(|a| a.0.clone())
        .unwrap_or_default()
}

/// Why a fallible module function failed: a Wippy error (returned as `nil, error`) or a Lua
/// error (raised).
#[derive(Debug)]
pub enum Failure {
    /// Returned as the structured error value of kind `kind` (`Invalid`, `NotFound`, …).
    Wippy {
        /// Error kind as the Wippy VM spells it (see [`super::errors::KINDS`]).
        kind: &'static str,
        /// Message.
        message: String,
    },
    /// Raised as a Lua error.
    Lua(mlua::Error),
}

impl From<mlua::Error> for Failure {
    fn from(e: mlua::Error) -> Self {
        Failure::Lua(e)
    }
}

/// A fallible function's result.
pub type Out<R> = Result<R, Failure>;

/// A Wippy error of kind `Invalid` (bad input).
pub fn invalid(message: impl Into<String>) -> Failure {
    Failure::Wippy {
        kind: "Invalid",
        message: message.into(),
    }
}

/// A Wippy error of kind `Internal`.
pub fn internal(message: impl Into<String>) -> Failure {
    Failure::Wippy {
        kind: "Internal",
        message: message.into(),
    }
}

/// A Wippy error of kind `NotFound`.
pub fn not_found(message: impl Into<String>) -> Failure {
    Failure::Wippy {
        kind: "NotFound",
        message: message.into(),
    }
}

/// Builds one module table (and its nested tables), recording arities under `path`.
pub struct Reg {
    lua: Lua,
    table: Table,
    path: String,
}

impl Reg {
    /// A new, empty module table for module `name`.
    pub fn new(lua: &Lua, name: &str) -> mlua::Result<Reg> {
        Ok(Reg {
            lua: lua.clone(),
            table: lua.create_table()?,
            path: name.to_owned(),
        })
    }

    /// The table being built.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// A nested table `name` (set into this one now).
    pub fn sub(&self, name: &str) -> mlua::Result<Reg> {
        let t = self.lua.create_table()?;
        self.table.set(name, t.clone())?;
        Ok(Reg {
            lua: self.lua.clone(),
            table: t,
            path: format!("{}.{name}", self.path),
        })
    }

    /// Set a constant.
    pub fn constant(&self, name: &str, value: impl mlua::IntoLua) -> mlua::Result<()> {
        self.table.set(name, value)
    }

    fn record(&self, name: &str, arity: Arity) {
        let path = format!("{}.{name}", self.path);
        match self.lua.app_data_mut::<Arities>() {
            Some(mut a) => {
                a.0.insert(path, arity);
            }
            None => {
                let mut a = Arities::default();
                a.0.insert(path, arity);
                self.lua.set_app_data(a);
            }
        }
    }

    /// A function following Wippy's `(value, error)` convention: missing or ill-typed arguments
    /// and [`Failure::Wippy`] results return `nil, error`; [`Failure::Lua`] raises.
    pub fn fallible<A, R, F>(
        &self,
        name: &str,
        min: usize,
        max: Option<usize>,
        f: F,
    ) -> mlua::Result<()>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> Out<R> + 'static,
    {
        self.record(name, Arity { min, max });
        let full = format!("{}.{name}", self.path);
        let func = self.lua.create_function(move |lua, args: MultiValue| {
            let outcome = match arguments::<A>(lua, args, min, &full) {
                Ok(a) => f(lua, a),
                Err(m) => Err(invalid(m)),
            };
            match outcome {
                Ok(r) => r.into_lua_multi(lua),
                Err(Failure::Wippy { kind, message }) => Ok(MultiValue::from_iter([
                    Value::Nil,
                    Value::Table(new_error(lua, kind, &message)?),
                ])),
                Err(Failure::Lua(e)) => Err(e),
            }
        })?;
        self.table.set(name, func)
    }

    /// A function that raises on missing or ill-typed arguments (for functions whose manifest
    /// has no error result).
    pub fn plain<A, R, F>(
        &self,
        name: &str,
        min: usize,
        max: Option<usize>,
        f: F,
    ) -> mlua::Result<()>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> mlua::Result<R> + 'static,
    {
        self.record(name, Arity { min, max });
        let full = format!("{}.{name}", self.path);
        let func = self.lua.create_function(move |lua, args: MultiValue| {
            let a = arguments::<A>(lua, args, min, &full).map_err(mlua::Error::runtime)?;
            f(lua, a)
        })?;
        self.table.set(name, func)
    }
}

/// Convert a call's arguments, or say what is wrong with them (`crypto.random.bytes: …`).
fn arguments<A: FromLuaMulti>(
    lua: &Lua,
    args: MultiValue,
    min: usize,
    full: &str,
) -> Result<A, String> {
    if args.len() < min {
        return Err(format!(
            "{full}: expected at least {min} argument(s), got {}",
            args.len()
        ));
    }
    A::from_lua_multi(args, lua).map_err(|e| format!("{full}: {}", short(&e)))
}

/// An mlua conversion error without its wrapping.
fn short(e: &mlua::Error) -> String {
    match e {
        mlua::Error::BadArgument { pos, cause, .. } => {
            format!("bad argument #{pos}: {}", short(cause))
        }
        mlua::Error::FromLuaConversionError { from, to, message } => match message {
            Some(m) => format!("expected {to}, got {from} ({m})"),
            None => format!("expected {to}, got {from}"),
        },
        other => other.to_string(),
    }
}
