//! Rendering types back to Wippy's type syntax, the form used in messages, hover and
//! `wippy typedefs show`. `parse_type_str(t.to_string())` gives back `t` for every type the parser
//! produces.

use std::fmt::{self, Display, Formatter, Write};

use crate::types::{FunctionType, Literal, Type};

impl Display for Type {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::Unknown => f.write_str("unknown"),
            Type::Never => f.write_str("never"),
            Type::Nil => f.write_str("nil"),
            Type::Boolean => f.write_str("boolean"),
            Type::Number => f.write_str("number"),
            Type::Integer => f.write_str("integer"),
            Type::String => f.write_str("string"),
            Type::AnyTable => f.write_str("table"),
            Type::AnyFunction => f.write_str("function"),
            Type::SelfType => f.write_str("self"),
            Type::Error => f.write_str("error"),
            Type::Literal(l) => l.fmt(f),
            Type::Optional(t) => {
                if needs_parens(t) {
                    write!(f, "({t})?")
                } else {
                    write!(f, "{t}?")
                }
            }
            Type::Union(ts) => join(f, ts, " | "),
            Type::Intersection(ts) => join(f, ts, " & "),
            Type::Array(t) => write!(f, "{{{t}}}"),
            Type::Map(k, v) => write!(f, "{{[{k}]: {v}}}"),
            Type::Record(r) => {
                if r.readonly {
                    f.write_str("readonly ")?;
                }
                if r.fields.is_empty() {
                    return f.write_str("{}");
                }
                f.write_char('{')?;
                for (i, field) in r.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let sep = if field.optional { "?:" } else { ":" };
                    write!(f, "{}{sep} {}", field.name, field.ty)?;
                }
                f.write_char('}')
            }
            Type::Function(func) => func.fmt(f),
            Type::Named(n) => {
                f.write_str(&n.qualified())?;
                if !n.args.is_empty() {
                    f.write_char('<')?;
                    join(f, &n.args, ", ")?;
                    f.write_char('>')?;
                }
                Ok(())
            }
            Type::Namespace(ns) => f.write_str(&ns.path),
            Type::Param(p) => f.write_str(p),
        }
    }
}

fn needs_parens(t: &Type) -> bool {
    matches!(
        t,
        Type::Union(_) | Type::Intersection(_) | Type::Function(_)
    )
}

fn join(f: &mut Formatter<'_>, ts: &[Type], sep: &str) -> fmt::Result {
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if sep != ", " && matches!(t, Type::Function(_)) {
            write!(f, "({t})")?;
        } else {
            write!(f, "{t}")?;
        }
    }
    Ok(())
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => write!(f, "{s:?}"),
            Literal::Integer(i) => write!(f, "{i}"),
            Literal::Number(n) if n.fract() == 0.0 && n.is_finite() => write!(f, "{n:.1}"),
            Literal::Number(n) => write!(f, "{n}"),
            Literal::Boolean(b) => write!(f, "{b}"),
        }
    }
}

impl Display for FunctionType {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.type_params.is_empty() {
            f.write_char('<')?;
            for (i, p) in self.type_params.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(&p.name)?;
                if let Some(b) = &p.bound {
                    write!(f, ": {b}")?;
                }
            }
            f.write_char('>')?;
        }
        f.write_char('(')?;
        let mut first = true;
        for p in &self.params {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            match (&p.name, &p.ty) {
                (Some(n), Type::SelfType) if n == "self" => f.write_str("self")?,
                (Some(n), t) => write!(f, "{n}: {t}")?,
                (None, t) => write!(f, "{t}")?,
            }
        }
        if let Some(v) = &self.variadic {
            if !first {
                f.write_str(", ")?;
            }
            write!(f, "...{v}")?;
        }
        f.write_str(") -> ")?;
        self.fmt_returns(f)
    }
}

/// `<T, U>` for a list of generic parameter names (empty string for none).
pub fn generic_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<&str> = names.into_iter().collect();
    if v.is_empty() {
        String::new()
    } else {
        format!("<{}>", v.join(", "))
    }
}

impl FunctionType {
    /// Render only the returns: `string`, `(string, error?)`, `()`.
    pub fn fmt_returns(&self, f: &mut impl Write) -> fmt::Result {
        match (self.returns.as_slice(), &self.returns_variadic) {
            ([one], None) => match one {
                Type::Union(_) | Type::Intersection(_) => write!(f, "({one})"),
                _ => write!(f, "{one}"),
            },
            (rs, var) => {
                f.write_char('(')?;
                for (i, r) in rs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{r}")?;
                }
                if let Some(v) = var {
                    if !rs.is_empty() {
                        f.write_str(", ")?;
                    }
                    write!(f, "...{v}")?;
                }
                f.write_char(')')
            }
        }
    }

    /// The returns alone as a string.
    pub fn returns_string(&self) -> String {
        let mut s = String::new();
        let _ = self.fmt_returns(&mut s);
        s
    }
}
