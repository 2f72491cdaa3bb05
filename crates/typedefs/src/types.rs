//! The one type model shared by the checker, the language server and the manifests.
//!
//! Types are values: cheap to clone (large variants sit behind `Arc`), compared structurally, and
//! rendered back to Wippy's type syntax by [`std::fmt::Display`] (see `render.rs`).
//! Source: wippy-facts §1.2 (type grammar) and §1.4 (static semantics: non-nullable by default,
//! `T?` = `T | nil`, `any` opts out, `unknown` must be narrowed, `never` is bottom, `integer <: number`).

use std::collections::BTreeMap;
use std::sync::Arc;

/// A Wippy type.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// `any`: opts out of checking.
    Any,
    /// `unknown`: a value that must be narrowed before use (treated leniently by the first checker).
    Unknown,
    /// `never`: the bottom type.
    Never,
    /// `nil`.
    Nil,
    /// `boolean`.
    Boolean,
    /// `number` (float or integer).
    Number,
    /// `integer` (a subtype of `number`).
    Integer,
    /// `string`.
    String,
    /// `table`: some table of unknown shape.
    AnyTable,
    /// `function`: some function of unknown signature.
    AnyFunction,
    /// `self`: the receiver inside an interface method signature.
    SelfType,
    /// `error`: the Wippy structured error value (methods `kind`, `message`, `retryable`, `details`, `stack`).
    Error,
    /// A literal type: `"draft"`, `42`, `true`.
    Literal(Literal),
    /// `T?` — `T | nil`.
    Optional(Box<Type>),
    /// `A | B | …` (two or more members, none optional: optionality is lifted to [`Type::Optional`]).
    Union(Vec<Type>),
    /// `A & B & …`.
    Intersection(Vec<Type>),
    /// `{T}` or `T[]`.
    Array(Box<Type>),
    /// `{[K]: V}`.
    Map(Box<Type>, Box<Type>),
    /// `{name: T, opt?: U}`.
    Record(Arc<Record>),
    /// A function signature.
    Function(Arc<FunctionType>),
    /// A reference to a named type (`DB`, `sql.DB`, `Channel<T>`), resolved lazily through a
    /// [`crate::ModuleSet`] or the checker's own type scope.
    Named(Arc<NamedRef>),
    /// A module table or one of its nested tables (`json`, `crypto.random`, `http.STATUS`).
    Namespace(Arc<Namespace>),
    /// A generic type parameter in scope (`T` inside `Channel<T>`'s methods).
    Param(Arc<str>),
}

/// A literal type's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A string literal type.
    String(String),
    /// An integer literal type.
    Integer(i64),
    /// A float literal type.
    Number(f64),
    /// `true` or `false`.
    Boolean(bool),
}

/// A record (struct-like table) type. Equality ignores [`Record::name`].
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// `readonly {…}`: no field may be assigned (go-lua E0008).
    pub readonly: bool,
    /// How complete the field list is (what a missing field means).
    pub shape: Shape,
    /// How to name it in messages (`Point`, `` `helpers` (app.lib:helpers) ``); not part of
    /// the type.
    pub name: Option<String>,
}

/// How much a record type's field list says about the table (see [`Record::shape`]).
///
/// | shape | reading an unlisted field | as a source, a target's required field it lacks |
/// |---|---|---|
/// | `Declared` | E0004 | missing (E0000) |
/// | `Sealed` | E0004 | missing (E0000) |
/// | `Built` | unknown (`any`) | missing (E0000) |
/// | `Open` | unknown (`any`) | unknown (accepted) |
///
/// Only a `Declared` record is a contract for writes: assigning a field checks its type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// Written in type syntax (an annotation, a `type` declaration, a manifest): exactly the
    /// fields that may be read or written. A value may carry more (width subtyping,
    /// wippy-facts §1.5: "extra fields allowed").
    #[default]
    Declared,
    /// The table a library returns, as its importers see it: every field it has is known
    /// (reading another is an error), but its fields' types are what the library assigned,
    /// not declarations (a test may replace one with a mock).
    Sealed,
    /// Built by a table constructor in code, with the fields assigned since in source order:
    /// more may come in ways the walk does not follow, so reading another field is not an
    /// error, but it is what the table holds when it is used.
    Built,
    /// A built table whose fields were also written where the walk cannot see them (computed
    /// keys, handed to a function, a library of another project's version).
    Open,
}

impl PartialEq for Record {
    fn eq(&self, o: &Record) -> bool {
        self.fields == o.fields && self.readonly == o.readonly && self.shape == o.shape
    }
}

impl Record {
    /// The field named `name`, if declared.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether reading a field it does not list is an error (a declared record) rather than
    /// unknown (a table built in code).
    pub fn closed(&self) -> bool {
        matches!(self.shape, Shape::Declared | Shape::Sealed)
    }

    /// How to name it in messages: its name, else its structure.
    pub fn display(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => Type::Record(std::sync::Arc::new(self.clone())).to_string(),
        }
    }
}

impl Field {
    /// The field's type as read: `T?` for an optional field.
    pub fn read_type(&self) -> Type {
        if self.optional {
            self.ty.clone().optional()
        } else {
            self.ty.clone()
        }
    }
}

/// A record field or an interface field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Field type (without the optionality of `name?:`).
    pub ty: Type,
    /// Declared with `?:`.
    pub optional: bool,
    /// One-line description (manifests only).
    pub description: Option<String>,
}

/// A function type: `<T>(a: A, b: B?, ...C) -> (R1, R2)`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FunctionType {
    /// Generic parameters with optional bounds (`<T: Bound>`).
    pub type_params: Vec<TypeParam>,
    /// Fixed parameters. A trailing parameter whose type admits nil may be omitted.
    pub params: Vec<Param>,
    /// Type of `...` when the function is variadic.
    pub variadic: Option<Type>,
    /// Fixed return values (empty for `()`).
    pub returns: Vec<Type>,
    /// Type of extra return values (`...T`), or `Some(Any)` when the returns are unspecified.
    pub returns_variadic: Option<Type>,
}

impl FunctionType {
    /// Whether the first parameter is `self` (a method to be called with `:`).
    pub fn is_method(&self) -> bool {
        self.params
            .first()
            .is_some_and(|p| p.name.as_deref() == Some("self") || p.ty == Type::SelfType)
    }

    /// Minimum and maximum argument counts (max `None` when variadic). `skip_first` drops the
    /// first parameter, for calls written with `:` (the receiver fills it).
    pub fn arity(&self, skip_first: bool) -> (usize, Option<usize>) {
        let params = self.call_params(skip_first);
        let min = params
            .iter()
            .rposition(|p| !p.ty.is_optional())
            .map_or(0, |i| i + 1);
        let max = if self.variadic.is_some() {
            None
        } else {
            Some(params.len())
        };
        (min, max)
    }

    /// The parameters an argument list lines up with (without the first when `skip_first`).
    pub fn call_params(&self, skip_first: bool) -> &[Param] {
        if skip_first && !self.params.is_empty() {
            &self.params[1..]
        } else {
            &self.params
        }
    }
}

/// A function parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Parameter name, when the signature names it.
    pub name: Option<String>,
    /// Parameter type.
    pub ty: Type,
}

/// A generic type parameter `T` or `T: Bound`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeParam {
    /// Parameter name.
    pub name: String,
    /// Upper bound, if any.
    pub bound: Option<Type>,
}

/// A reference to a named type.
///
/// A name keeps its origin: a manifest module (`module`), or the Lua chunk that declared it
/// (`chunk`, once the type is seen outside that chunk — a library's `type Point` in the
/// signatures its importers see), so an importer's own `Point` never stands in for the
/// library's.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedRef {
    /// Module that declares it (`Some("sql")` for `sql.DB` or for `DB` inside the sql manifest),
    /// or, written in code as `geo.Point`, the import alias of the library that declares it;
    /// `None` for a bare name (`Point`).
    pub module: Option<String>,
    /// The type's name.
    pub name: String,
    /// Generic arguments (`Channel<string>`).
    pub args: Vec<Type>,
    /// The entry id (`app.lib:geo`) of the chunk that declared it, when it is seen outside that
    /// chunk; `None` for manifest types and for names as written in the current chunk.
    pub chunk: Option<Arc<str>>,
}

impl NamedRef {
    /// The qualified display name: `sql.DB`, `Point`.
    pub fn qualified(&self) -> String {
        match &self.module {
            Some(m) => format!("{m}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A module table or nested table, as a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    /// Dotted path for messages: `json`, `crypto.random`.
    pub path: String,
    /// Module that owns it (to resolve the named types its members mention).
    pub module: String,
    /// Its members.
    pub table: Arc<TableDef>,
}

/// The members of a module table or nested table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableDef {
    /// One-line description.
    pub description: Option<String>,
    /// Members by name.
    pub members: BTreeMap<String, Member>,
}

/// One member of a module table.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// What it is.
    pub kind: MemberKind,
    /// One-line description for hover.
    pub description: Option<String>,
}

/// What a module member is.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberKind {
    /// A function.
    Function(Arc<FunctionType>),
    /// A nested table (`crypto.random`).
    Table(Arc<TableDef>),
    /// A constant of the given type, with its JSON value when known.
    Constant(Type, Option<serde_json::Value>),
}

/// A named type declared by a manifest (or by `type`/`interface` in Lua code).
#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    /// `type Name<T> = <type>`.
    Alias {
        /// Generic parameters.
        type_params: Vec<TypeParam>,
        /// The aliased type.
        ty: Type,
        /// One-line description.
        description: Option<String>,
    },
    /// An object type with methods.
    Interface(Arc<Interface>),
}

impl TypeDef {
    /// The definition with an alias's type replaced by `f(type)` (interfaces unchanged).
    pub fn map_alias(self, f: impl FnOnce(Type) -> Type) -> TypeDef {
        match self {
            TypeDef::Alias {
                type_params,
                ty,
                description,
            } => TypeDef::Alias {
                type_params,
                ty: f(ty),
                description,
            },
            d => d,
        }
    }
}

/// An interface: an object with methods (first parameter `self`) and fields.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Interface {
    /// Qualified name for messages (`sql.DB`).
    pub name: String,
    /// Generic parameters (`T` of `Channel<T>`).
    pub type_params: Vec<TypeParam>,
    /// Methods by name.
    pub methods: BTreeMap<String, Method>,
    /// Fields by name.
    pub fields: BTreeMap<String, Field>,
    /// One-line description.
    pub description: Option<String>,
}

/// An interface method.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// Its signature, `self` first.
    pub ty: Arc<FunctionType>,
    /// One-line description.
    pub description: Option<String>,
}

impl Type {
    /// `T?`, without doubling optionality (`nil?` is `nil`). `any?` stays written optional: as
    /// a parameter it may be omitted, unlike `any`.
    pub fn optional(self) -> Type {
        match self {
            Type::Optional(_) | Type::Nil => self,
            t => Type::Optional(Box::new(t)),
        }
    }

    /// A function type value.
    pub fn function(f: FunctionType) -> Type {
        Type::Function(Arc::new(f))
    }

    /// A reference to a named type.
    pub fn named(module: Option<&str>, name: &str, args: Vec<Type>) -> Type {
        Type::Named(Arc::new(NamedRef {
            module: module.map(str::to_owned),
            name: name.to_owned(),
            args,
            chunk: None,
        }))
    }

    /// Whether the type is written optional (`T?`, `nil`, a union with `nil`): a parameter of
    /// such a type may be omitted. `any` is not optional (a required `any` parameter).
    pub fn is_optional(&self) -> bool {
        match self {
            Type::Nil | Type::Optional(_) => true,
            Type::Union(ts) => ts.iter().any(Type::is_optional),
            _ => false,
        }
    }

    /// Whether `nil` is a value of this type.
    pub fn admits_nil(&self) -> bool {
        match self {
            Type::Nil | Type::Any | Type::Unknown | Type::Optional(_) => true,
            Type::Union(ts) => ts.iter().any(Type::admits_nil),
            _ => false,
        }
    }

    /// The type without `nil` (`T?` → `T`).
    pub fn non_nil(&self) -> Type {
        match self {
            Type::Optional(t) => (**t).clone(),
            Type::Union(ts) => Type::union(ts.iter().filter(|t| **t != Type::Nil).cloned()),
            t => t.clone(),
        }
    }

    /// The widened type of a literal (`"x"` → `string`, `3` → `integer`); other types unchanged.
    pub fn widen(&self) -> Type {
        match self {
            Type::Literal(Literal::String(_)) => Type::String,
            Type::Literal(Literal::Integer(_)) => Type::Integer,
            Type::Literal(Literal::Number(_)) => Type::Number,
            Type::Literal(Literal::Boolean(_)) => Type::Boolean,
            Type::Optional(t) => t.widen().optional(),
            t => t.clone(),
        }
    }

    /// Union of the given types, flattened, deduplicated, with `nil` lifted to `?`.
    /// An empty input is `never`; any `any` member makes the whole union `any`.
    pub fn union(types: impl IntoIterator<Item = Type>) -> Type {
        let mut members: Vec<Type> = Vec::new();
        let mut nilable = false;
        let push = |t: Type, members: &mut Vec<Type>| {
            if !members.contains(&t) {
                members.push(t);
            }
        };
        for t in types {
            match t {
                Type::Any => return Type::Any,
                Type::Never => {}
                Type::Nil => nilable = true,
                Type::Optional(inner) => {
                    nilable = true;
                    match *inner {
                        Type::Union(ts) => ts.into_iter().for_each(|t| push(t, &mut members)),
                        t => push(t, &mut members),
                    }
                }
                Type::Union(ts) => ts.into_iter().for_each(|t| push(t, &mut members)),
                t => push(t, &mut members),
            }
        }
        let core = match members.len() {
            0 if nilable => return Type::Nil,
            0 => return Type::Never,
            1 => members.pop().unwrap_or(Type::Never),
            _ => Type::Union(members),
        };
        if nilable {
            core.optional()
        } else {
            core
        }
    }
}
