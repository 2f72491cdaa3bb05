//! Joining types where values of several types meet: the returns of a function over all its
//! `return`s, the branches of an `if` expression, `a or b`, a local assigned again.
//!
//! A join is a union with subsumption: `integer` goes into `number`, a literal into its base
//! type, and records built in code (whose field lists are what the walk saw, not contracts) merge
//! into one record whose fields missing from some become optional.

use std::sync::Arc;

use crate::types::{Field, Literal, Record, Shape, Type};

/// Deepest nesting of records merged field by field.
const MAX_DEPTH: u8 = 6;

/// The join of `types` (`never` for none).
pub fn join(types: impl IntoIterator<Item = Type>) -> Type {
    join_depth(types.into_iter().collect(), 0)
}

fn join_depth(types: Vec<Type>, depth: u8) -> Type {
    let mut members: Vec<Type> = Vec::new();
    let mut nilable = false;
    for t in types {
        if flatten(t, &mut members, &mut nilable) {
            return Type::Any;
        }
    }
    let has = |t: &Type| members.contains(t);
    let has_number = has(&Type::Number);
    let has_string = has(&Type::String);
    let has_boolean = has(&Type::Boolean);
    let mut out: Vec<Type> = Vec::with_capacity(members.len());
    let mut built: Vec<Arc<Record>> = Vec::new();
    for m in members {
        let absorbed = match &m {
            Type::Integer | Type::Literal(Literal::Integer(_) | Literal::Number(_)) => has_number,
            Type::Literal(Literal::String(_)) => has_string,
            Type::Literal(Literal::Boolean(_)) => has_boolean,
            _ => false,
        };
        if absorbed {
            continue;
        }
        match m {
            Type::Record(r) if !r.closed() && depth < MAX_DEPTH => built.push(r),
            m => out.push(m),
        }
    }
    if let Some(r) = merge_records(built, depth) {
        out.push(r);
    }
    let core = Type::union(out);
    if nilable {
        core.optional()
    } else {
        core
    }
}

/// Add the members of `t` to `out`; `true` when `t` contains `any`.
fn flatten(t: Type, out: &mut Vec<Type>, nilable: &mut bool) -> bool {
    match t {
        Type::Any => true,
        Type::Never => false,
        Type::Nil => {
            *nilable = true;
            false
        }
        Type::Optional(inner) => {
            *nilable = true;
            flatten(*inner, out, nilable)
        }
        Type::Union(ts) => ts.into_iter().any(|t| flatten(t, out, nilable)),
        t => {
            if !out.contains(&t) {
                out.push(t);
            }
            false
        }
    }
}

/// One record with every field of any of `records`: optional where some lack it, its type the
/// join of theirs.
fn merge_records(records: Vec<Arc<Record>>, depth: u8) -> Option<Type> {
    if records.len() <= 1 {
        return records.into_iter().next().map(Type::Record);
    }
    let mut names: Vec<&str> = Vec::new();
    for r in &records {
        for f in &r.fields {
            if !names.contains(&f.name.as_str()) {
                names.push(&f.name);
            }
        }
    }
    let fields = names
        .iter()
        .map(|name| {
            let found: Vec<&Field> = records.iter().filter_map(|r| r.field(name)).collect();
            let optional = found.len() < records.len() || found.iter().any(|f| f.optional);
            Field {
                name: (*name).to_owned(),
                ty: join_depth(found.iter().map(|f| f.ty.clone()).collect(), depth + 1),
                optional,
                description: found.iter().find_map(|f| f.description.clone()),
            }
        })
        .collect();
    let shape = if records.iter().any(|r| r.shape == Shape::Open) {
        Shape::Open
    } else {
        Shape::Built
    };
    Some(Type::Record(Arc::new(Record {
        fields,
        readonly: false,
        shape,
        name: None,
    })))
}
