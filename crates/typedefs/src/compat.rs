//! Assignability: may a value of type `src` be used where `dst` is expected?
//!
//! The answer is deliberately one-sided: [`fits`] returns `false` only when the two types are
//! known to be incompatible, so a gradual or partly inferred type never produces a false error
//! (wippy-facts §1.4: `any` opts out, `integer <: number`, literals are subtypes of their base).
//! Optional sources are accepted where a non-optional is expected: without flow-sensitive
//! narrowing, `string?` would be reported after every `if x then` guard.

use crate::modules::{LocalTypes, ModuleSet};
use crate::types::{Literal, Type, TypeDef};

/// Whether `src` may flow into `dst`; `false` only when they certainly cannot.
pub fn fits(src: &Type, dst: &Type, set: &ModuleSet, local: Option<&LocalTypes>) -> bool {
    fits_depth(src, dst, set, local, 0)
}

fn fits_depth(
    src: &Type,
    dst: &Type,
    set: &ModuleSet,
    local: Option<&LocalTypes>,
    depth: u8,
) -> bool {
    if depth > 6 || src == dst {
        return true;
    }
    let go = |s: &Type, d: &Type| fits_depth(s, d, set, local, depth + 1);
    match (src, dst) {
        (Type::Any | Type::Unknown | Type::Never | Type::Param(_) | Type::SelfType, _) => true,
        (_, Type::Any | Type::Unknown | Type::Param(_) | Type::SelfType) => true,
        (Type::Union(ss), _) => ss.iter().any(|s| go(s, dst)),
        (Type::Optional(s), _) => go(s, dst),
        (_, Type::Optional(d)) => matches!(src, Type::Nil) || go(src, d),
        (_, Type::Union(ds)) => ds.iter().any(|d| go(src, d)),
        (_, Type::Intersection(ds)) => ds.iter().all(|d| go(src, d)),
        (Type::Intersection(ss), _) => ss.iter().any(|s| go(s, dst)),
        (Type::Named(n), _) => match set.resolve(n, local) {
            Some(TypeDef::Alias { ty, .. }) => go(&ty, dst),
            Some(TypeDef::Interface(_)) => !is_scalar(dst),
            None => true,
        },
        (_, Type::Named(n)) => match set.resolve(n, local) {
            Some(TypeDef::Alias { ty, .. }) => go(src, &ty),
            Some(TypeDef::Interface(_)) => !is_scalar(src),
            None => true,
        },
        (Type::Literal(l), _) => match dst {
            Type::Literal(d) => literal_eq(l, d),
            _ => go(&src.widen(), dst),
        },
        (Type::Integer, Type::Number) => true,
        // A number of unknown integrality may be integral at run time.
        (Type::Number, Type::Integer) => true,
        (_, Type::Literal(d)) => go(src, &Type::Literal(d.clone()).widen()),
        (Type::Function(_) | Type::AnyFunction, Type::Function(_) | Type::AnyFunction) => true,
        (Type::Array(s), Type::Array(d)) => go(s, d),
        (Type::Map(sk, sv), Type::Map(dk, dv)) => go(sk, dk) && go(sv, dv),
        (Type::Record(r), Type::Array(d)) => {
            r.fields.is_empty() || r.fields.iter().all(|f| go(&f.ty, d))
        }
        (Type::Record(r), Type::Map(_, dv)) => r.fields.iter().all(|f| go(&f.ty, dv)),
        (Type::Record(s), Type::Record(d)) => d.fields.iter().all(|df| match s.field(&df.name) {
            Some(sf) => go(&sf.ty, &df.ty),
            None => df.optional || s.open,
        }),
        (Type::Array(s), Type::Map(dk, dv)) => go(&Type::Integer, dk) && go(s, dv),
        (
            Type::Record(_) | Type::Array(_) | Type::Map(..) | Type::AnyTable | Type::Namespace(_),
            Type::Record(_) | Type::Array(_) | Type::Map(..) | Type::AnyTable,
        ) => true,
        (Type::Error, Type::Error) => true,
        _ => !(is_concrete(src) && is_concrete(dst)) || same_kind(src, dst),
    }
}

/// Scalar types: values that are never tables, functions or userdata.
fn is_scalar(t: &Type) -> bool {
    matches!(
        t,
        Type::Nil | Type::Boolean | Type::Number | Type::Integer | Type::String | Type::Literal(_)
    )
}

/// Types whose kind of value (scalar, function, table) is certain.
fn is_concrete(t: &Type) -> bool {
    is_scalar(t)
        || matches!(
            t,
            Type::Function(_)
                | Type::AnyFunction
                | Type::Record(_)
                | Type::Array(_)
                | Type::Map(..)
                | Type::AnyTable
        )
}

fn same_kind(a: &Type, b: &Type) -> bool {
    let kind = |t: &Type| match t.widen() {
        Type::Integer => Type::Number,
        Type::AnyFunction | Type::Function(_) => Type::AnyFunction,
        Type::Record(_) | Type::Array(_) | Type::Map(..) => Type::AnyTable,
        t => t,
    };
    kind(a) == kind(b)
}

fn literal_eq(a: &Literal, b: &Literal) -> bool {
    match (a, b) {
        (Literal::Integer(x), Literal::Number(y)) | (Literal::Number(y), Literal::Integer(x)) => {
            *x as f64 == *y
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_type_str;

    fn check(src: &str, dst: &str) -> bool {
        let set = ModuleSet::default();
        fits(
            &parse_type_str(src).unwrap(),
            &parse_type_str(dst).unwrap(),
            &set,
            None,
        )
    }

    #[test]
    fn primitives_and_literals() {
        assert!(check("integer", "number"));
        assert!(check("\"a\"", "string"));
        assert!(check("3", "number"));
        assert!(!check("number", "string"));
        assert!(!check("\"a\"", "number"));
        assert!(!check("boolean", "string"));
        assert!(!check("nil", "string"));
        assert!(check("nil", "string?"));
        assert!(check("string?", "string"));
        assert!(!check("\"b\"", "\"a\" | \"c\""));
    }

    #[test]
    fn gradual_types_always_fit() {
        assert!(check("any", "string"));
        assert!(check("string", "any"));
        assert!(check("unknown", "{string}"));
        assert!(check("string | number", "number"));
    }

    #[test]
    fn tables() {
        assert!(check("{a: string}", "{a: string, b?: number}"));
        assert!(!check("{a: number}", "{a: string}"));
        // Records are structural and may carry fields not written in the type.
        assert!(check("{b: string}", "{a: string}"));
        assert!(!check("string", "{string}"));
        assert!(!check("{string}", "string"));
        assert!(check("{string}", "{[integer]: string}"));
        assert!(!check("(x: string) -> ()", "string"));
    }
}
