//! THE type relation: may a value of type `src` be used where `dst` is expected — and if not,
//! why ([`Mismatch`]: which field is missing, which union member fails, number vs integer, which
//! parameter of a function value).
//!
//! Rules (wippy-facts §1.4; go-lua `types/subtype`): `any` opts out, `never` is bottom,
//! `integer <: number` but a `number` (a float, or of unknown integrality) is not an `integer`,
//! literals are subtypes of their base type, records are structural with width subtyping (a
//! value may carry more fields, wippy-facts §1.5), arrays and maps are covariant, function
//! parameters contravariant and returns covariant, a union source fits when every member does,
//! a union target when one member does.
//!
//! The [`Mode`] decides what the gradual checker cannot prove yet: by default a value that may
//! be nil (`T?`) is accepted where `T` is expected (nil safety needs flow-sensitive narrowing,
//! the part 2 checker) and `any`/`unknown` are accepted anywhere; [`Mode::STRICT`] refuses both,
//! with their own reasons, so the relation already knows the difference.

use std::sync::Arc;

use crate::members::suggest;
use crate::modules::{LocalTypes, ModuleSet};
use crate::types::{FunctionType, Literal, Record, Shape, Type, TypeDef};

/// What the relation refuses besides plain incompatibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Mode {
    /// Refuse a value that may be nil (`T?`) where nil is not accepted ([`Reason::MayBeNil`]).
    pub nil_strict: bool,
    /// Refuse `any`/`unknown` where a more precise type is expected ([`Reason::Unproven`]),
    /// as go-lua's strict mode does.
    pub unknown_strict: bool,
}

impl Mode {
    /// `wippy check`'s default: gradual, optional values accepted.
    pub const GRADUAL: Mode = Mode {
        nil_strict: false,
        unknown_strict: false,
    };
    /// go-lua's strict mode: nil and `any`/`unknown` must be proven away.
    pub const STRICT: Mode = Mode {
        nil_strict: true,
        unknown_strict: true,
    };
}

/// One step from a value into a part of it, on the way to where a mismatch is.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A record field.
    Field(String),
    /// An array element.
    Element,
    /// A map key.
    Key,
    /// A map value.
    Value,
    /// Parameter `i` (0-based) of a function value.
    Param(usize),
    /// Return value `i` (0-based) of a function value.
    Return(usize),
}

/// Why a type does not fit.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// Not that type at all: `src` where `dst` is expected. For a union source, `member` is the
    /// member that does not fit.
    Incompatible {
        /// The value's type (literals widened unless `dst` is a literal).
        src: Type,
        /// The expected type.
        dst: Type,
        /// The member of a union `src` that does not fit.
        member: Option<Type>,
    },
    /// A value that may be nil where nil is not accepted ([`Mode::nil_strict`] only).
    MayBeNil {
        /// The value's type.
        src: Type,
        /// The expected type.
        dst: Type,
    },
    /// `any`/`unknown` where a precise type is expected ([`Mode::unknown_strict`] only).
    Unproven {
        /// `any` or `unknown`.
        src: Type,
        /// The expected type.
        dst: Type,
    },
    /// The value's record lacks a required field of the expected record.
    MissingField {
        /// The field.
        field: String,
        /// The expected record, as messages name it.
        record: String,
    },
    /// A field of a table literal that the expected record does not have, and that is close
    /// to one of its fields the literal lacks (a typo).
    UnknownField {
        /// The literal's field.
        field: String,
        /// The expected record, as messages name it.
        record: String,
        /// The record's field it is probably meant to be.
        suggestion: String,
    },
}

/// A failed relation: where in the value ([`Mismatch::path`], outermost step first) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// Steps from the value to the part that does not fit.
    pub path: Vec<Step>,
    /// Why it does not fit.
    pub reason: Reason,
}

type Rel = Result<(), Mismatch>;

fn fail(reason: Reason) -> Rel {
    Err(Mismatch {
        path: Vec::new(),
        reason,
    })
}

fn incompatible(src: &Type, dst: &Type) -> Rel {
    // Against literal types the literal value is the point: `"eror", not Level`.
    let literal = |t: &Type| matches!(t, Type::Literal(_));
    let src = match dst {
        Type::Literal(_) => src.clone(),
        Type::Union(ds) if ds.iter().any(literal) => src.clone(),
        _ => src.widen(),
    };
    fail(Reason::Incompatible {
        src,
        dst: dst.clone(),
        member: None,
    })
}

/// Prefix a step to a failure found inside a part of the value.
fn inside(step: Step, r: Rel) -> Rel {
    r.map_err(|mut m| {
        m.path.insert(0, step);
        m
    })
}

/// The relation in a context: the manifests, the chunk's declared types, the mode.
#[derive(Clone, Copy)]
pub struct Relation<'a> {
    /// The manifests (for manifest named types).
    pub set: &'a ModuleSet,
    /// The chunk's declared types and those of the libraries it imports.
    pub local: Option<&'a LocalTypes>,
    /// What is refused besides plain incompatibility.
    pub mode: Mode,
}

/// Deepest nesting the relation follows; deeper parts are accepted (recursive types).
const MAX_DEPTH: u8 = 10;

/// Most pairs of types one question may compare (recursive unions branch at every level);
/// past it the rest is accepted, so a relation always ends quickly.
const MAX_STEPS: u32 = 20_000;

thread_local! {
    static STEPS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

impl<'a> Relation<'a> {
    /// A relation in the default, gradual mode.
    pub fn new(set: &'a ModuleSet, local: Option<&'a LocalTypes>) -> Self {
        Relation {
            set,
            local,
            mode: Mode::GRADUAL,
        }
    }

    /// Whether a value of type `src` may be used where `dst` is expected; if not, why.
    pub fn relate(&self, src: &Type, dst: &Type) -> Result<(), Mismatch> {
        let outer = STEPS.with(|s| s.replace(0));
        let r = self.rel(src, dst, 0);
        STEPS.with(|s| s.set(outer));
        r
    }

    /// Count one comparison; `false` once the question has used its budget.
    fn step(&self) -> bool {
        STEPS.with(|s| {
            let n = s.get().saturating_add(1);
            s.set(n);
            n <= MAX_STEPS
        })
    }

    /// `true` when `src` fits `dst`.
    pub fn fits(&self, src: &Type, dst: &Type) -> bool {
        self.relate(src, dst).is_ok()
    }

    /// The type a named type stands for: an alias's definition, `None` for an interface or an
    /// unknown name.
    pub fn alias(&self, t: &Type) -> Option<Type> {
        match t {
            Type::Named(n) => match self.set.resolve(n, self.local)? {
                TypeDef::Alias { ty, .. } => Some(ty),
                TypeDef::Interface(_) => None,
            },
            _ => None,
        }
    }

    fn rel(&self, src: &Type, dst: &Type, depth: u8) -> Rel {
        if depth > MAX_DEPTH || src == dst || !self.step() {
            return Ok(());
        }
        let go = |s: &Type, d: &Type| self.rel(s, d, depth + 1);
        match (src, dst) {
            (_, Type::Any | Type::Unknown) | (Type::Never, _) => Ok(()),
            (Type::Any | Type::Unknown, _) => {
                if self.mode.unknown_strict {
                    fail(Reason::Unproven {
                        src: src.clone(),
                        dst: dst.clone(),
                    })
                } else {
                    Ok(())
                }
            }
            // Unsubstituted generics and the receiver placeholder are not checked.
            (Type::Param(_) | Type::SelfType, _) | (_, Type::Param(_) | Type::SelfType) => Ok(()),
            (Type::Nil, _) => {
                if self.admits_nil(dst, depth) {
                    Ok(())
                } else {
                    incompatible(src, dst)
                }
            }
            (Type::Optional(s), _) => {
                if !self.mode.nil_strict || self.admits_nil(dst, depth) {
                    // Name the value as it is (`integer?`), not its non-nil part.
                    go(s, dst).map_err(|mut m| {
                        if let (
                            true,
                            Reason::Incompatible {
                                src: shown,
                                member: None,
                                ..
                            },
                        ) = (m.path.is_empty(), &mut m.reason)
                        {
                            *shown = src.widen();
                        }
                        m
                    })
                } else {
                    fail(Reason::MayBeNil {
                        src: src.clone(),
                        dst: dst.clone(),
                    })
                }
            }
            (Type::Union(ss), _) => self.rel_union_source(src, ss, dst, depth),
            (_, Type::Optional(d)) => go(src, d),
            (_, Type::Union(ds)) => self.rel_union_target(src, ds, dst, depth),
            (_, Type::Intersection(ds)) => ds.iter().try_for_each(|d| go(src, d)),
            (Type::Intersection(ss), _) => {
                if ss.iter().any(|s| go(s, dst).is_ok()) {
                    Ok(())
                } else {
                    incompatible(src, dst)
                }
            }
            (Type::Named(n), _) => match self.set.resolve(n, self.local) {
                Some(TypeDef::Alias { ty, .. }) => go(&ty, dst),
                Some(TypeDef::Interface(_)) if is_scalar(dst) => incompatible(src, dst),
                _ => Ok(()),
            },
            (_, Type::Named(n)) => match self.set.resolve(n, self.local) {
                Some(TypeDef::Alias { ty, .. }) => match go(src, &ty) {
                    // Name the expected type as written, not its expansion.
                    Err(Mismatch {
                        path,
                        reason: Reason::Incompatible { src, member, .. },
                    }) if path.is_empty() => fail(Reason::Incompatible {
                        src,
                        dst: dst.clone(),
                        member,
                    }),
                    r => r,
                },
                Some(TypeDef::Interface(_)) if is_scalar(src) => incompatible(src, dst),
                _ => Ok(()),
            },
            (Type::Literal(l), Type::Literal(d)) => {
                if literal_eq(l, d) {
                    Ok(())
                } else {
                    incompatible(src, dst)
                }
            }
            // A float literal is an integer only with an exact integer value (`1e9`, `2.0`:
            // Lua 5.3 converts those where an integer is required; `1.5` it refuses).
            (Type::Literal(Literal::Number(f)), Type::Integer) => {
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    Ok(())
                } else {
                    incompatible(src, dst)
                }
            }
            (Type::Literal(_), _) => match go(&src.widen(), dst) {
                Ok(()) => Ok(()),
                Err(m) if m.path.is_empty() => incompatible(src, dst),
                Err(m) => Err(m),
            },
            // A `string` may be any of a literal union's strings: not provably wrong.
            (_, Type::Literal(d)) => {
                if same_kind(src, &Type::Literal(d.clone())) {
                    Ok(())
                } else {
                    incompatible(src, dst)
                }
            }
            (Type::Integer, Type::Number) => Ok(()),
            (Type::Number, Type::Integer) => incompatible(src, dst),
            (Type::Function(s), Type::Function(d)) => self.rel_function(s, d, depth),
            (Type::Function(_) | Type::AnyFunction, Type::Function(_) | Type::AnyFunction) => {
                Ok(())
            }
            (Type::Array(s), Type::Array(d)) => inside(Step::Element, go(s, d)),
            (Type::Map(sk, sv), Type::Map(dk, dv)) => {
                inside(Step::Key, go(sk, dk))?;
                inside(Step::Value, go(sv, dv))
            }
            (Type::Record(r), Type::Array(d)) => r
                .fields
                .iter()
                .try_for_each(|f| inside(Step::Field(f.name.clone()), go(&f.ty, d))),
            (Type::Record(r), Type::Map(dk, dv)) => {
                if !r.fields.is_empty() {
                    inside(Step::Key, go(&Type::String, dk))?;
                }
                r.fields
                    .iter()
                    .try_for_each(|f| inside(Step::Field(f.name.clone()), go(&f.ty, dv)))
            }
            (Type::Record(s), Type::Record(d)) => self.rel_records(s, d, depth),
            (Type::Array(s), Type::Map(dk, dv)) => {
                inside(Step::Key, go(&Type::Integer, dk))?;
                inside(Step::Value, go(s, dv))
            }
            (
                Type::Record(_)
                | Type::Array(_)
                | Type::Map(..)
                | Type::AnyTable
                | Type::Namespace(_),
                Type::Record(_) | Type::Array(_) | Type::Map(..) | Type::AnyTable,
            ) => Ok(()),
            // Error values: strings are often returned as errors, and errors printed as strings.
            (Type::Error, _) | (_, Type::Error) => Ok(()),
            _ => {
                if !(is_concrete(src) && is_concrete(dst)) || same_kind(src, dst) {
                    Ok(())
                } else {
                    incompatible(src, dst)
                }
            }
        }
    }

    /// Whether nil is a value of `t` (through aliases).
    fn admits_nil(&self, t: &Type, depth: u8) -> bool {
        match t {
            Type::Named(_) if depth <= MAX_DEPTH => {
                self.alias(t).is_none_or(|a| self.admits_nil(&a, depth + 1))
            }
            Type::Param(_) | Type::SelfType => true,
            t => t.admits_nil(),
        }
    }

    /// Every member of a union source must fit. In gradual mode `nil` and `false` members are
    /// set aside like optionality (a truthiness test narrows them away).
    fn rel_union_source(&self, src: &Type, members: &[Type], dst: &Type, depth: u8) -> Rel {
        for m in members {
            if !self.mode.nil_strict && matches!(m, Type::Literal(Literal::Boolean(false))) {
                continue;
            }
            if let Err(e) = self.rel(m, dst, depth + 1) {
                return Err(match e {
                    Mismatch {
                        path,
                        reason: Reason::Incompatible { .. },
                    } if path.is_empty() => Mismatch {
                        path,
                        reason: Reason::Incompatible {
                            src: src.widen(),
                            dst: dst.clone(),
                            member: Some(m.widen()),
                        },
                    },
                    e => e,
                });
            }
        }
        Ok(())
    }

    /// A union target accepts a value one of its members accepts. When none does, the member
    /// of the value's own kind explains best (a record literal against `Config | string` is
    /// reported against `Config`).
    fn rel_union_target(&self, src: &Type, members: &[Type], dst: &Type, depth: u8) -> Rel {
        let mut closest = None;
        for d in members {
            match self.rel(src, d, depth + 1) {
                Ok(()) => return Ok(()),
                Err(e)
                    if !e.path.is_empty() || !matches!(e.reason, Reason::Incompatible { .. }) =>
                {
                    closest.get_or_insert(e);
                }
                Err(_) => {}
            }
        }
        match closest {
            Some(e) if members.len() > 1 => Err(e),
            _ => incompatible(src, dst),
        }
    }

    /// Records: every required field of `d` is in `s` (unless `s` is open) and fits; a field
    /// of a built table that `d` lacks but that is close to a field of `d` the table lacks is a
    /// typo.
    fn rel_records(&self, s: &Record, d: &Record, depth: u8) -> Rel {
        // `{}` is a table to be filled (`x = x or {}`, a record built field by field).
        if s.shape == Shape::Built && s.fields.is_empty() {
            return Ok(());
        }
        if s.shape == Shape::Built {
            let absent: Vec<&String> = d
                .fields
                .iter()
                .filter(|f| s.field(&f.name).is_none())
                .map(|f| &f.name)
                .collect();
            for sf in s.fields.iter().filter(|f| d.field(&f.name).is_none()) {
                if let Some(suggestion) = suggest(&sf.name, absent.iter().copied()) {
                    return fail(Reason::UnknownField {
                        field: sf.name.clone(),
                        record: d.display(),
                        suggestion,
                    });
                }
            }
        }
        for df in &d.fields {
            match s.field(&df.name) {
                Some(sf) => inside(
                    Step::Field(df.name.clone()),
                    self.rel(&sf.read_type(), &df.read_type(), depth + 1),
                )?,
                // A missing field reads as nil: fine where nil is.
                None if df.optional || s.shape == Shape::Open || self.admits_nil(&df.ty, depth) => {
                }
                None => {
                    return fail(Reason::MissingField {
                        field: df.name.clone(),
                        record: d.display(),
                    })
                }
            }
        }
        Ok(())
    }

    /// Function values: each parameter the caller will pass (`d`'s) must fit the function's
    /// (`s`'s) parameter, each return `s` gives must fit `d`'s.
    fn rel_function(&self, s: &FunctionType, d: &FunctionType, depth: u8) -> Rel {
        for (i, (sp, dp)) in s.params.iter().zip(&d.params).enumerate() {
            inside(Step::Param(i), self.rel(&dp.ty, &sp.ty, depth + 1))?;
        }
        for (i, (sr, dr)) in s.returns.iter().zip(&d.returns).enumerate() {
            inside(Step::Return(i), self.rel(sr, dr, depth + 1))?;
        }
        Ok(())
    }
}

/// Scalar types: values that are never tables, functions or userdata.
pub(crate) fn is_scalar(t: &Type) -> bool {
    matches!(
        t,
        Type::Nil | Type::Boolean | Type::Number | Type::Integer | Type::String | Type::Literal(_)
    )
}

/// Types whose kind of value (scalar, function, table) is certain.
pub(crate) fn is_concrete(t: &Type) -> bool {
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

/// The kind of value of a concrete type: `nil`, `boolean`, `number`, `string`, `table`,
/// `function` (Lua's `type()`), `None` for types of uncertain kind.
pub fn value_kind(t: &Type) -> Option<&'static str> {
    Some(match t {
        Type::Nil => "nil",
        Type::Boolean | Type::Literal(Literal::Boolean(_)) => "boolean",
        Type::Number | Type::Integer | Type::Literal(Literal::Integer(_) | Literal::Number(_)) => {
            "number"
        }
        Type::String | Type::Literal(Literal::String(_)) => "string",
        Type::Record(_) | Type::Array(_) | Type::Map(..) | Type::AnyTable => "table",
        Type::Function(_) | Type::AnyFunction => "function",
        _ => return None,
    })
}

fn same_kind(a: &Type, b: &Type) -> bool {
    value_kind(a) == value_kind(b)
}

fn literal_eq(a: &Literal, b: &Literal) -> bool {
    match (a, b) {
        (Literal::Integer(x), Literal::Number(y)) | (Literal::Number(y), Literal::Integer(x)) => {
            *x as f64 == *y
        }
        _ => a == b,
    }
}

impl Mismatch {
    /// Where in the value the mismatch is, in words: `""` for the value itself, `` field `a.b` ``,
    /// `` field `items[…]` ``, `parameter 2`, `return value 1 of field `cb``.
    pub fn place(&self) -> String {
        let mut value = String::new();
        let mut outer: Vec<String> = Vec::new();
        for step in &self.path {
            match step {
                Step::Field(n) => {
                    if !value.is_empty() {
                        value.push('.');
                    }
                    value.push_str(n);
                }
                Step::Element | Step::Value => value.push_str("[…]"),
                Step::Key => value.push_str("[key]"),
                Step::Param(i) | Step::Return(i) => {
                    let what = if matches!(step, Step::Param(_)) {
                        "parameter"
                    } else {
                        "return value"
                    };
                    let mut s = format!("{what} {}", i + 1);
                    if !value.is_empty() {
                        s.push_str(&format!(" of field `{value}`"));
                        value.clear();
                    }
                    outer.push(s);
                }
            }
        }
        let mut parts: Vec<String> = Vec::new();
        if !value.is_empty() {
            parts.push(if value.starts_with('[') {
                format!("element `{value}`")
            } else {
                format!("field `{value}`")
            });
        }
        parts.extend(outer.into_iter().rev());
        parts.join(" of ")
    }

    /// The field names leading to the mismatch through nested records (to find the spot in a
    /// table literal); stops at the first step that is not a field.
    pub fn fields(&self) -> Vec<&str> {
        self.path
            .iter()
            .map_while(|s| match s {
                Step::Field(n) => Some(n.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The `(src, dst)` of a plain type mismatch of the value itself (no path, no record
    /// detail): messages phrase it by their context ("cannot assign X to `n`, declared T").
    pub fn simple(&self) -> Option<(&Type, &Type)> {
        match &self.reason {
            Reason::Incompatible {
                src,
                dst,
                member: None,
            } if self.path.is_empty() => Some((src, dst)),
            _ => None,
        }
    }

    /// The mismatch as a sentence about `subject` (`argument 2 (width)`):
    /// "argument 2 (width) is number, not integer",
    /// "argument 1 (m): missing field `currency` in {amount: number, currency: string}",
    /// "argument 1 (o): `timout_ms` is not a field of Options; did you mean `timeout_ms`?".
    pub fn describe(&self, subject: &str) -> String {
        let place = self.place();
        match (&self.reason, place.is_empty()) {
            (
                Reason::Incompatible { .. } | Reason::MayBeNil { .. } | Reason::Unproven { .. },
                true,
            ) => {
                format!("{subject} {}", self.clause())
            }
            _ => format!("{subject}: {}", self.detail()),
        }
    }

    /// The reason with its place, without a subject: "field `a` is string, not number",
    /// "missing field `y` in Point".
    pub fn detail(&self) -> String {
        let place = self.place();
        match &self.reason {
            Reason::MissingField { field, record } if place.is_empty() => {
                format!("missing field `{field}` in {record}")
            }
            Reason::MissingField { field, record } => {
                format!("missing field `{field}` in {place} ({record})")
            }
            Reason::UnknownField {
                field,
                record,
                suggestion,
            } => {
                let at = if place.is_empty() {
                    String::new()
                } else {
                    format!(" (in {place})")
                };
                format!("`{field}` is not a field of {record}{at}; did you mean `{suggestion}`?")
            }
            _ if place.is_empty() => format!("the value {}", self.clause()),
            _ => format!("{place} {}", self.clause()),
        }
    }

    /// "is X, not Y" for the type-level reasons.
    fn clause(&self) -> String {
        match &self.reason {
            Reason::Incompatible { src, dst, member } => {
                let mut s = format!("is {src}, not {dst}");
                if let Some(m) = member {
                    s.push_str(&format!(" (its member {m} does not fit)"));
                }
                s
            }
            Reason::MayBeNil { src, dst } => format!("may be nil ({src}), expected {dst}"),
            Reason::Unproven { src, dst } => {
                format!("is {src}: nothing proves it is {dst}")
            }
            Reason::MissingField { .. } | Reason::UnknownField { .. } => self.detail(),
        }
    }
}

/// A record type value from parts (used by tests and the checker's table constructors).
pub fn record(fields: Vec<crate::types::Field>, shape: Shape) -> Type {
    Type::Record(Arc::new(Record {
        fields,
        readonly: false,
        shape,
        name: None,
    }))
}
