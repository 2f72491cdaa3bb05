//! Checking a Lua value against a run-time type (wippy-facts §1.5, go-lua `ltype.go`
//! validateValue): records check each declared field (extra fields are allowed), arrays their
//! array part, maps every pair; an integer is a number with no fraction; literals compare by
//! value; any function passes a function type. A failure reads `path: expected X, got Y`, or
//! names the validator (`length 1 is below the minimum length 3`).

use std::collections::HashMap;

use mlua::{AnyUserData, Lua, Table, Value};

use super::parse::{Ann, Lit, Ty};
use super::{Scope, TypeValue};

/// Deepest nesting checked (recursive types over cyclic data stop here).
const MAX_DEPTH: usize = 100;

/// One check: the scope the type was declared in and how to reach `mod.T` prefixes.
pub struct Check<'a> {
    pub lua: &'a Lua,
    pub scope: &'a Scope,
    pub resolvers: Option<Table>,
}

fn at(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn fail(path: &str, message: String) -> Result<(), String> {
    Err(if path.is_empty() {
        message
    } else {
        format!("{path}: {message}")
    })
}

/// How a value reads after "got": literals by value, others by their Lua type.
fn got(v: &Value, by_value: bool) -> String {
    match v {
        Value::String(s) if by_value => format!("{:?}", s.to_string_lossy()),
        Value::Integer(i) if by_value => i.to_string(),
        Value::Number(n) if by_value => format!("{n}"),
        Value::Boolean(b) if by_value => b.to_string(),
        Value::Integer(_) => "number".into(),
        other => other.type_name().into(),
    }
}

fn literal_like(t: &Ty) -> bool {
    match t {
        Ty::Lit(_) => true,
        Ty::Union(ts) => ts.iter().all(literal_like),
        _ => false,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Number(n) => Some(*n),
        _ => None,
    }
}

impl Check<'_> {
    /// Check `v` against `ty` with generic parameters bound by `binds`.
    pub fn check(
        &self,
        ty: &Ty,
        binds: &HashMap<String, Ty>,
        v: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return fail(path, format!("nested deeper than {MAX_DEPTH} levels"));
        }
        let mismatch = || {
            fail(
                path,
                format!("expected {ty}, got {}", got(v, literal_like(ty))),
            )
        };
        match ty {
            Ty::Any => Ok(()),
            Ty::Never => mismatch(),
            Ty::Nil => match v {
                Value::Nil => Ok(()),
                _ => mismatch(),
            },
            Ty::Boolean => match v {
                Value::Boolean(_) => Ok(()),
                _ => mismatch(),
            },
            Ty::Number => match number(v) {
                Some(_) => Ok(()),
                None => mismatch(),
            },
            Ty::Integer => match number(v) {
                Some(n) if n.fract() == 0.0 => Ok(()),
                _ => mismatch(),
            },
            Ty::String => match v {
                Value::String(_) => Ok(()),
                _ => mismatch(),
            },
            Ty::Table => match v {
                Value::Table(_) => Ok(()),
                _ => mismatch(),
            },
            Ty::Function => match v {
                Value::Function(_) => Ok(()),
                _ => mismatch(),
            },
            Ty::Lit(l) => {
                let same = match (l, v) {
                    (Lit::Str(a), Value::String(b)) => a.as_bytes() == &b.as_bytes()[..],
                    (Lit::Num(a), _) => number(v) == Some(*a),
                    (Lit::Bool(a), Value::Boolean(b)) => a == b,
                    _ => false,
                };
                if same {
                    Ok(())
                } else {
                    mismatch()
                }
            }
            Ty::Optional(t) => match v {
                Value::Nil => Ok(()),
                _ => self.check(t, binds, v, path, depth + 1),
            },
            Ty::Union(ts) => {
                if ts
                    .iter()
                    .any(|t| self.check(t, binds, v, path, depth + 1).is_ok())
                {
                    Ok(())
                } else {
                    mismatch()
                }
            }
            Ty::Inter(ts) => {
                for t in ts {
                    self.check(t, binds, v, path, depth + 1)?;
                }
                Ok(())
            }
            Ty::Array(elem) => {
                let Value::Table(t) = v else {
                    return mismatch();
                };
                for i in 1..=t.raw_len() {
                    let item: Value = t.raw_get(i).map_err(|e| e.to_string())?;
                    self.check(elem, binds, &item, &format!("{path}[{i}]"), depth + 1)?;
                }
                Ok(())
            }
            Ty::Map(k, val) => {
                let Value::Table(t) = v else {
                    return mismatch();
                };
                for pair in t.pairs::<Value, Value>() {
                    let (key, item) = pair.map_err(|e| e.to_string())?;
                    let name = match &key {
                        Value::String(s) => s.to_string_lossy(),
                        other => format!("[{}]", got(other, true)),
                    };
                    self.check(
                        k,
                        binds,
                        &key,
                        &at(path, &format!("{name} (key)")),
                        depth + 1,
                    )?;
                    self.check(val, binds, &item, &at(path, &name), depth + 1)?;
                }
                Ok(())
            }
            Ty::Record(fields) => {
                let Value::Table(t) = v else {
                    return mismatch();
                };
                for f in fields {
                    let item: Value = t.get(f.name.as_str()).map_err(|e| e.to_string())?;
                    if item.is_nil() && f.optional {
                        continue;
                    }
                    self.check(&f.ty, binds, &item, &at(path, &f.name), depth + 1)?;
                }
                Ok(())
            }
            Ty::Annotated(t, anns) => {
                self.check(t, binds, v, path, depth + 1)?;
                for a in anns {
                    validator(a, v, path)?;
                }
                Ok(())
            }
            Ty::Unchecked(reason) => fail(path, reason.clone()),
            Ty::Ref { module, name, args } => {
                if let Some(m) = module {
                    return self.qualified(m, name, v, path, depth);
                }
                if let Some(bound) = binds.get(name) {
                    return self.check(bound, &HashMap::new(), v, path, depth + 1);
                }
                let decl = self.scope.defs.borrow().get(name).cloned();
                match decl {
                    Some(d) => {
                        let mut inner = HashMap::new();
                        for (i, p) in d.params.iter().enumerate() {
                            let arg = args.get(i).cloned().unwrap_or(Ty::Any);
                            inner.insert(p.clone(), substitute(&arg, binds));
                        }
                        self.check(&d.ty, &inner, v, path, depth + 1)
                    }
                    None => match (name.as_str(), v) {
                        ("error", Value::Table(t))
                            if crate::modules::errors::message_of(t).is_some() =>
                        {
                            Ok(())
                        }
                        ("thread", Value::Thread(_)) | ("userdata", Value::UserData(_)) => Ok(()),
                        ("error" | "thread" | "userdata", _) => mismatch(),
                        _ => fail(path, format!("unknown type {name}")),
                    },
                }
            }
        }
    }

    /// `mod.T`: the type value `T` of the table the prefix `mod` names where it was declared.
    fn qualified(
        &self,
        module: &str,
        name: &str,
        v: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        let resolved = self
            .resolvers
            .as_ref()
            .and_then(|r| r.get::<mlua::Function>(module).ok())
            .and_then(|f| f.call::<Value>(()).ok());
        let target = match resolved {
            Some(Value::Table(t)) => t.get::<Value>(name).unwrap_or(Value::Nil),
            _ => Value::Nil,
        };
        match target {
            Value::UserData(ud) if ud.is::<TypeValue>() => {
                check_value(self.lua, &ud, v, path, depth + 1)
            }
            _ => fail(path, format!("{module}.{name} is not a type here")),
        }
    }
}

/// Check `v` against type value `ud` (its own scope and prefixes).
pub fn check_value(
    lua: &Lua,
    ud: &AnyUserData,
    v: &Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    let tv = ud.borrow::<TypeValue>().map_err(|e| e.to_string())?;
    let decl = tv.decl.as_ref().map_err(|e| e.clone())?;
    if !decl.params.is_empty() {
        return Err(format!(
            "generic type {} needs type arguments ({}<…>)",
            decl.name, decl.name
        ));
    }
    let c = Check {
        lua,
        scope: &tv.scope,
        resolvers: ud.user_value::<Option<Table>>().ok().flatten(),
    };
    c.check(&decl.ty, &HashMap::new(), v, path, depth)
}

/// `ty` with generic parameters replaced by their bindings.
fn substitute(ty: &Ty, binds: &HashMap<String, Ty>) -> Ty {
    let sub = |t: &Ty| substitute(t, binds);
    match ty {
        Ty::Ref {
            module: None,
            name,
            args,
        } if args.is_empty() => binds.get(name).cloned().unwrap_or_else(|| ty.clone()),
        Ty::Ref { module, name, args } => Ty::Ref {
            module: module.clone(),
            name: name.clone(),
            args: args.iter().map(sub).collect(),
        },
        Ty::Optional(t) => Ty::Optional(Box::new(sub(t))),
        Ty::Union(ts) => Ty::Union(ts.iter().map(sub).collect()),
        Ty::Inter(ts) => Ty::Inter(ts.iter().map(sub).collect()),
        Ty::Array(t) => Ty::Array(Box::new(sub(t))),
        Ty::Map(k, v) => Ty::Map(Box::new(sub(k)), Box::new(sub(v))),
        Ty::Record(fields) => Ty::Record(
            fields
                .iter()
                .map(|f| super::parse::Field {
                    name: f.name.clone(),
                    ty: sub(&f.ty),
                    optional: f.optional,
                })
                .collect(),
        ),
        Ty::Annotated(t, a) => Ty::Annotated(Box::new(sub(t)), a.clone()),
        other => other.clone(),
    }
}

/// A validator annotation on a value that already has the right type.
fn validator(a: &Ann, v: &Value, path: &str) -> Result<(), String> {
    let len = || match v {
        Value::String(s) => Some(s.to_string_lossy().chars().count() as f64),
        Value::Table(t) => Some(t.raw_len() as f64),
        _ => None,
    };
    match a {
        Ann::Min(m) => match number(v) {
            Some(n) if n < *m => fail(path, format!("value {n} is below the minimum {m}")),
            _ => Ok(()),
        },
        Ann::Max(m) => match number(v) {
            Some(n) if n > *m => fail(path, format!("value {n} is above the maximum {m}")),
            _ => Ok(()),
        },
        Ann::MinLen(m) => match len() {
            Some(n) if n < *m => fail(path, format!("length {n} is below the minimum length {m}")),
            _ => Ok(()),
        },
        Ann::MaxLen(m) => match len() {
            Some(n) if n > *m => fail(path, format!("length {n} is above the maximum length {m}")),
            _ => Ok(()),
        },
        Ann::Pattern(re) => match v {
            Value::String(s) if !re.is_match(&s.to_string_lossy()) => fail(
                path,
                format!(
                    "{:?} does not match the pattern {}",
                    s.to_string_lossy(),
                    re.as_str()
                ),
            ),
            _ => Ok(()),
        },
    }
}
