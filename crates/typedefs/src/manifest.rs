//! The JSON manifest format (see `MANIFESTS.md`) and its conversion into [`Module`]s.
//!
//! Loading parses every type string with [`crate::syntax`] and qualifies bare type names with the
//! manifest's own module, so `DB` inside `sql.json` becomes `sql.DB`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::syntax::{parse_function_str, parse_type_str, SyntaxError};
use crate::types::{
    Field, FunctionType, Interface, Member, MemberKind, Method, Namespace, TableDef, Type, TypeDef,
    TypeParam,
};

/// One manifest file as written in JSON.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Module name.
    pub name: String,
    /// One-line description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Module classes (`deterministic`, `io`, …).
    #[serde(default)]
    pub classes: Vec<String>,
    /// How code reaches the module.
    #[serde(default)]
    pub expose: Expose,
    /// Where a global or spread manifest is visible.
    #[serde(default = "default_envs", skip_serializing_if = "is_default_envs")]
    pub environments: Vec<Environment>,
    /// When the module value is itself an object (`require("logger")` is a `Logger`), the name
    /// of that named type; its functions/tables are then usually empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<String>,
    /// Module-level functions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, Doc>,
    /// Nested tables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, TableFile>,
    /// Constants.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constants: BTreeMap<String, ConstantFile>,
    /// Named types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeFile>,
}

fn default_envs() -> Vec<Environment> {
    vec![Environment::Entry]
}

fn is_default_envs(e: &[Environment]) -> bool {
    e == [Environment::Entry]
}

/// How a module is reached from code.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Expose {
    /// Through `require("name")`, when listed in the entry's `modules:`.
    #[default]
    Require,
    /// As a global table of the module's name (and through `require` without being listed).
    Global,
    /// Each member is a global of its own (the Lua base library).
    Spread,
}

/// An execution environment whose globals a manifest contributes to.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Wippy entries (function.lua, library.lua, process.lua, workflow.lua).
    Entry,
    /// Wraith twin handlers (seed: "Lua handlers for Wraith twins").
    Handler,
}

/// A type string with an optional description; `"(a: T) -> R"` or `{ "type": …, "description": … }`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Doc {
    /// Bare type string.
    Bare(String),
    /// Type with description.
    Full {
        /// The type.
        #[serde(rename = "type")]
        ty: String,
        /// One-line description.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
}

impl Doc {
    fn parts(&self) -> (&str, Option<&String>) {
        match self {
            Doc::Bare(t) => (t, None),
            Doc::Full { ty, description } => (ty, description.as_ref()),
        }
    }
}

/// A nested table.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct TableFile {
    /// One-line description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Functions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, Doc>,
    /// Nested tables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, TableFile>,
    /// Constants.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constants: BTreeMap<String, ConstantFile>,
}

/// A constant: a bare type string or `{type, value?, description?}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ConstantFile {
    /// Bare type string.
    Bare(String),
    /// Full form.
    Full {
        /// The type.
        #[serde(rename = "type")]
        ty: String,
        /// The value, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<serde_json::Value>,
        /// One-line description.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
}

/// A named type: an alias (`type`) or an interface (`methods`/`fields`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct TypeFile {
    /// For an alias: the aliased type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// One-line description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Generic parameter names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub type_params: Vec<String>,
    /// Methods (first parameter `self`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub methods: BTreeMap<String, Doc>,
    /// Fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Doc>,
}

/// A loaded module.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// Module name.
    pub name: String,
    /// One-line description.
    pub description: Option<String>,
    /// Classes.
    pub classes: Vec<String>,
    /// How code reaches it.
    pub expose: Expose,
    /// Where its globals are visible.
    pub environments: Vec<Environment>,
    /// Its members.
    pub table: Arc<TableDef>,
    /// Its named types.
    pub types: BTreeMap<String, TypeDef>,
    /// The named type the module value is, when it is an object (see [`ManifestFile::export`]).
    pub export: Option<String>,
}

impl Module {
    /// The module table as a value type.
    pub fn value_type(&self) -> Type {
        if let Some(export) = &self.export {
            return Type::named(Some(&self.name), export, Vec::new());
        }
        Type::Namespace(Arc::new(Namespace {
            path: self.name.clone(),
            module: self.name.clone(),
            table: self.table.clone(),
        }))
    }

    /// Whether a workflow may use it (classes include `deterministic` or `workflow`;
    /// wippy-facts §2.1: `engine.WithAllowedClasses(ClassDeterministic, ClassWorkflow)`).
    pub fn workflow_safe(&self) -> bool {
        self.classes
            .iter()
            .any(|c| c == "deterministic" || c == "workflow")
    }
}

/// A manifest that failed to load: which item and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// The module name (or file) the error is in.
    pub module: String,
    /// Dotted path of the item (`functions.encode`, `types.DB.methods.query`).
    pub item: String,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "manifest {}: {}: {}",
            self.module, self.item, self.message
        )
    }
}

/// Parse a manifest from JSON text.
pub fn parse_manifest(json: &str, origin: &str) -> Result<ManifestFile, ManifestError> {
    serde_json::from_str(json).map_err(|e| ManifestError {
        module: origin.to_owned(),
        item: format!("line {} column {}", e.line(), e.column()),
        message: e.to_string(),
    })
}

struct Loader<'m> {
    module: &'m str,
    type_names: Vec<&'m str>,
}

impl Loader<'_> {
    fn err(&self, item: &str, e: SyntaxError) -> ManifestError {
        ManifestError {
            module: self.module.to_owned(),
            item: item.to_owned(),
            message: e.to_string(),
        }
    }

    fn ty(&self, item: &str, text: &str, params: &[String]) -> Result<Type, ManifestError> {
        let t = parse_type_str(text).map_err(|e| self.err(item, e))?;
        Ok(self.qualify(t, params))
    }

    fn func(
        &self,
        item: &str,
        text: &str,
        params: &[String],
    ) -> Result<Arc<FunctionType>, ManifestError> {
        let f = parse_function_str(text).map_err(|e| self.err(item, e))?;
        match self.qualify(Type::function(f), params) {
            Type::Function(f) => Ok(f),
            _ => unreachable_function(),
        }
    }

    /// Bare names of the module's own types become `module.Name`; generic parameters become
    /// [`Type::Param`].
    fn qualify(&self, t: Type, params: &[String]) -> Type {
        map_type(t, &mut |t| match t {
            Type::Named(n)
                if n.module.is_none() && n.args.is_empty() && params.contains(&n.name) =>
            {
                Some(Type::Param(n.name.as_str().into()))
            }
            Type::Named(n) if n.module.is_none() && self.type_names.contains(&n.name.as_str()) => {
                let args = n
                    .args
                    .iter()
                    .map(|a| self.qualify(a.clone(), params))
                    .collect();
                Some(Type::named(Some(self.module), &n.name, args))
            }
            _ => None,
        })
    }

    fn table(&self, path: &str, t: &TableFile) -> Result<TableDef, ManifestError> {
        let mut members = BTreeMap::new();
        for (name, doc) in &t.functions {
            let (ty, description) = doc.parts();
            let f = self.func(&format!("{path}functions.{name}"), ty, &[])?;
            members.insert(
                name.clone(),
                Member {
                    kind: MemberKind::Function(f),
                    description: description.cloned(),
                },
            );
        }
        for (name, sub) in &t.tables {
            let def = self.table(&format!("{path}tables.{name}."), sub)?;
            members.insert(
                name.clone(),
                Member {
                    kind: MemberKind::Table(Arc::new(def)),
                    description: sub.description.clone(),
                },
            );
        }
        for (name, c) in &t.constants {
            let (ty, value, description) = match c {
                ConstantFile::Bare(t) => (t.as_str(), None, None),
                ConstantFile::Full {
                    ty,
                    value,
                    description,
                } => (ty.as_str(), value.clone(), description.clone()),
            };
            let ty = self.ty(&format!("{path}constants.{name}"), ty, &[])?;
            members.insert(
                name.clone(),
                Member {
                    kind: MemberKind::Constant(ty, value),
                    description,
                },
            );
        }
        Ok(TableDef {
            description: t.description.clone(),
            members,
        })
    }

    fn type_def(&self, name: &str, t: &TypeFile) -> Result<TypeDef, ManifestError> {
        let item = format!("types.{name}");
        let type_params: Vec<TypeParam> = t
            .type_params
            .iter()
            .map(|n| TypeParam {
                name: n.clone(),
                bound: None,
            })
            .collect();
        if let Some(alias) = &t.ty {
            if !t.methods.is_empty() || !t.fields.is_empty() {
                return Err(ManifestError {
                    module: self.module.to_owned(),
                    item,
                    message: "a type has either `type` (an alias) or `methods`/`fields` (an interface), not both".into(),
                });
            }
            let ty = name_record(
                self.ty(&item, alias, &t.type_params)?,
                format!("{}.{name}", self.module),
            );
            return Ok(TypeDef::Alias {
                type_params,
                ty,
                description: t.description.clone(),
            });
        }
        let mut methods = BTreeMap::new();
        for (m, doc) in &t.methods {
            let (ty, description) = doc.parts();
            let f = self.func(&format!("{item}.methods.{m}"), ty, &t.type_params)?;
            methods.insert(
                m.clone(),
                Method {
                    ty: f,
                    description: description.cloned(),
                },
            );
        }
        let mut fields = BTreeMap::new();
        for (f, doc) in &t.fields {
            let (ty, description) = doc.parts();
            let ty = self.ty(&format!("{item}.fields.{f}"), ty, &t.type_params)?;
            let optional = matches!(ty, Type::Optional(_));
            fields.insert(
                f.clone(),
                Field {
                    name: f.clone(),
                    ty: ty.non_nil(),
                    optional,
                    description: description.cloned(),
                },
            );
        }
        Ok(TypeDef::Interface(Arc::new(Interface {
            name: format!("{}.{name}", self.module),
            type_params,
            methods,
            fields,
            description: t.description.clone(),
        })))
    }
}

/// An alias of a record type names the record, so messages say `http_client.Response`.
pub fn name_record(ty: Type, name: String) -> Type {
    match ty {
        Type::Record(r) if r.name.is_none() => {
            let mut r = Arc::unwrap_or_clone(r);
            r.name = Some(name);
            Type::Record(Arc::new(r))
        }
        t => t,
    }
}

fn unreachable_function<T>() -> Result<T, ManifestError> {
    Err(ManifestError {
        module: String::new(),
        item: String::new(),
        message: "internal: function type lost".into(),
    })
}

impl ManifestFile {
    /// Convert into a [`Module`], parsing every type string.
    pub fn load(&self) -> Result<Module, ManifestError> {
        let loader = Loader {
            module: &self.name,
            type_names: self.types.keys().map(String::as_str).collect(),
        };
        let root = TableFile {
            description: self.description.clone(),
            functions: self.functions.clone(),
            tables: self.tables.clone(),
            constants: self.constants.clone(),
        };
        let table = loader.table("", &root)?;
        if let Some(e) = &self.export {
            if !self.types.contains_key(e) {
                return Err(ManifestError {
                    module: self.name.clone(),
                    item: "export".into(),
                    message: format!("`{e}` is not one of the manifest's types"),
                });
            }
        }
        let mut types = BTreeMap::new();
        for (name, t) in &self.types {
            types.insert(name.clone(), loader.type_def(name, t)?);
        }
        Ok(Module {
            name: self.name.clone(),
            description: self.description.clone(),
            classes: self.classes.clone(),
            expose: self.expose,
            environments: self.environments.clone(),
            table: Arc::new(table),
            types,
            export: self.export.clone(),
        })
    }
}

/// Rebuild a type bottom-up, replacing every node for which `f` returns `Some`.
pub fn map_type(t: Type, f: &mut impl FnMut(&Type) -> Option<Type>) -> Type {
    if let Some(r) = f(&t) {
        return r;
    }
    let mut go = |t: Type| map_type(t, f);
    match t {
        Type::Optional(inner) => Type::Optional(Box::new(go(*inner))),
        Type::Union(ts) => Type::Union(ts.into_iter().map(&mut go).collect()),
        Type::Intersection(ts) => Type::Intersection(ts.into_iter().map(&mut go).collect()),
        Type::Array(e) => Type::Array(Box::new(go(*e))),
        Type::Map(k, v) => {
            let k = go(*k);
            Type::Map(Box::new(k), Box::new(go(*v)))
        }
        Type::Record(r) => {
            let mut r = Arc::unwrap_or_clone(r);
            for field in &mut r.fields {
                field.ty = go(std::mem::replace(&mut field.ty, Type::Any));
            }
            Type::Record(Arc::new(r))
        }
        Type::Function(func) => {
            let mut func = Arc::unwrap_or_clone(func);
            for p in &mut func.params {
                p.ty = go(std::mem::replace(&mut p.ty, Type::Any));
            }
            func.variadic = func.variadic.map(&mut go);
            func.returns = func.returns.into_iter().map(&mut go).collect();
            func.returns_variadic = func.returns_variadic.map(&mut go);
            Type::Function(Arc::new(func))
        }
        Type::Named(n) if !n.args.is_empty() => {
            let mut n = Arc::unwrap_or_clone(n);
            n.args = n.args.into_iter().map(&mut go).collect();
            Type::Named(Arc::new(n))
        }
        t => t,
    }
}
