//! The set of known modules: the bundled manifests plus the user's (`--typedefs DIR`), with
//! globals of an environment and named-type resolution. Member lookup and listing on a value
//! type (`json.decode`, `db:query`, `s:upper`) are in [`crate::members`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::manifest::{map_type, parse_manifest, Environment, Expose, ManifestError, Module};
use crate::types::{NamedRef, Type, TypeDef};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// Loaded modules by name.
#[derive(Clone, Debug, Default)]
pub struct ModuleSet {
    modules: BTreeMap<String, Arc<Module>>,
}

/// A global name visible in an environment.
#[derive(Clone, Debug)]
pub struct Global {
    /// Its type.
    pub ty: Type,
    /// One-line description.
    pub description: Option<String>,
    /// The manifest that provides it.
    pub module: String,
}

/// Named types declared in Lua code: the chunk's own (`type Point = {…}`, resolved before
/// manifests for a bare name) and those of the libraries it imports, by the entry id of the
/// chunk that declared them (a library's signatures name them so, see [`NamedRef::chunk`];
/// code names them `alias.Point`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalTypes {
    own: BTreeMap<String, TypeDef>,
    foreign: BTreeMap<(Arc<str>, String), TypeDef>,
    aliases: BTreeMap<String, Arc<str>>,
}

impl LocalTypes {
    /// No types.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declare a type of the chunk itself (a later declaration of the same name wins).
    pub fn insert(&mut self, name: String, def: TypeDef) {
        self.own.insert(name, def);
    }

    /// The chunk's own type `name`.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.own.get(name)
    }

    /// Whether the chunk declares a type `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.own.contains_key(name)
    }

    /// The chunk's own types by name.
    pub fn own(&self) -> impl Iterator<Item = (&String, &TypeDef)> {
        self.own.iter()
    }

    /// Types of other chunks: ((declaring entry id, name), definition).
    pub fn foreign(&self) -> impl Iterator<Item = (&(Arc<str>, String), &TypeDef)> {
        self.foreign.iter()
    }

    /// Add a type declared by the chunk of entry `chunk` (an imported library).
    pub fn insert_foreign(&mut self, chunk: Arc<str>, name: String, def: TypeDef) {
        self.foreign.insert((chunk, name), def);
    }

    /// Let `alias.Name` in annotations name the types of the library `chunk` (an `imports:`
    /// alias).
    pub fn insert_alias(&mut self, alias: String, chunk: Arc<str>) {
        self.aliases.insert(alias, chunk);
    }

    /// The entry id of the library imported as `alias`, if it declares types.
    pub fn alias(&self, alias: &str) -> Option<&Arc<str>> {
        self.aliases.get(alias)
    }

    fn lookup(&self, n: &NamedRef) -> Option<&TypeDef> {
        match (&n.chunk, &n.module) {
            (Some(c), _) => self.foreign.get(&(c.clone(), n.name.clone())),
            (None, None) => self.own.get(&n.name),
            (None, Some(alias)) => {
                let c = self.aliases.get(alias)?;
                self.foreign.get(&(c.clone(), n.name.clone()))
            }
        }
    }
}

impl ModuleSet {
    /// The bundled manifests (parsed once per process). A bundled manifest that fails to load is
    /// left out; the `bundled_manifests_load` test keeps that from happening.
    pub fn bundled() -> &'static ModuleSet {
        static SET: OnceLock<ModuleSet> = OnceLock::new();
        SET.get_or_init(|| {
            let (set, _errors) = ModuleSet::from_sources(
                bundled::BUNDLED
                    .iter()
                    .map(|(n, j)| (n.to_string(), j.to_string())),
            );
            set
        })
    }

    /// Load manifests from `(origin, json)` pairs; later ones replace earlier ones of the same name.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> (ModuleSet, Vec<ManifestError>) {
        let mut set = ModuleSet::default();
        let mut errors = Vec::new();
        for (origin, json) in sources {
            match parse_manifest(&json, &origin).and_then(|m| m.load()) {
                Ok(m) => set.insert(m),
                Err(e) => errors.push(e),
            }
        }
        (set, errors)
    }

    /// The bundled set plus every `*.json` manifest in `dir` (which replace bundled ones of the
    /// same name). Errors: unreadable directory or file, bad JSON, bad type syntax.
    pub fn with_user_dir(dir: &Path) -> Result<ModuleSet, Vec<ManifestError>> {
        let mut set = ModuleSet::bundled().clone();
        set.add_dir(dir)?;
        Ok(set)
    }

    /// Add every `*.json` manifest in `dir` (in file name order; each replaces a module of the
    /// same name). On errors nothing is added and every error is returned.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), Vec<ManifestError>> {
        let read_err = |what: String, e: std::io::Error| ManifestError {
            module: what,
            item: "read".into(),
            message: e.to_string(),
        };
        let entries =
            std::fs::read_dir(dir).map_err(|e| vec![read_err(dir.display().to_string(), e)])?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        let mut errors = Vec::new();
        let mut loaded = Vec::new();
        for p in paths {
            let origin = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Ok(json) => match parse_manifest(&json, &origin).and_then(|m| m.load()) {
                    Ok(m) => loaded.push(m),
                    Err(e) => errors.push(e),
                },
                Err(e) => errors.push(read_err(origin, e)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        for m in loaded {
            self.insert(m);
        }
        Ok(())
    }

    /// Add or replace a module.
    pub fn insert(&mut self, m: Module) {
        self.modules.insert(m.name.clone(), Arc::new(m));
    }

    /// The module named `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<Module>> {
        self.modules.get(name)
    }

    /// All modules, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Module>> {
        self.modules.values()
    }

    /// Whether `require(name)` may load it without a `modules:` listing (a global module).
    pub fn is_ambient(&self, name: &str) -> bool {
        self.get(name).is_some_and(|m| m.expose == Expose::Global)
    }

    /// Every global name of an environment: members of spread manifests and global modules.
    pub fn globals(&self, env: Environment) -> BTreeMap<String, Global> {
        let mut out = BTreeMap::new();
        for m in self
            .modules
            .values()
            .filter(|m| m.environments.contains(&env))
        {
            match m.expose {
                Expose::Require => {}
                Expose::Global => {
                    out.insert(
                        m.name.clone(),
                        Global {
                            ty: m.value_type(),
                            description: m.description.clone(),
                            module: m.name.clone(),
                        },
                    );
                }
                Expose::Spread => {
                    for (name, member) in &m.table.members {
                        let ty = crate::members::member_type(&m.name, name, member);
                        out.insert(
                            name.clone(),
                            Global {
                                ty,
                                description: member.description.clone(),
                                module: m.name.clone(),
                            },
                        );
                    }
                }
            }
        }
        out
    }

    /// Resolve a named type reference: local (code-declared) types first for unqualified names,
    /// then the manifests. Generic arguments are substituted into the definition.
    ///
    /// A name qualified with a chunk ([`NamedRef::chunk`]) is that library's type; `m.Name` is
    /// manifest `m`'s, else the type of the library imported as `m`.
    pub fn resolve(&self, n: &NamedRef, local: Option<&LocalTypes>) -> Option<TypeDef> {
        let manifest = match (&n.chunk, &n.module) {
            (None, Some(m)) => self.get(m).and_then(|m| m.types.get(&n.name)),
            _ => None,
        };
        let def = match manifest {
            Some(d) => d.clone(),
            None => local?.lookup(n)?.clone(),
        };
        Some(instantiate(def, &n.args))
    }
}

/// Substitute generic arguments (missing ones become `any`).
fn instantiate(def: TypeDef, args: &[Type]) -> TypeDef {
    let params: Vec<String> = match &def {
        TypeDef::Alias { type_params, .. } => type_params.iter().map(|p| p.name.clone()).collect(),
        TypeDef::Interface(i) => i.type_params.iter().map(|p| p.name.clone()).collect(),
    };
    if params.is_empty() {
        return def;
    }
    let mut subst = |t: &Type| match t {
        Type::Param(p) => params
            .iter()
            .position(|n| **n == **p)
            .map(|i| args.get(i).cloned().unwrap_or(Type::Any)),
        _ => None,
    };
    match def {
        d @ TypeDef::Alias { .. } => d.map_alias(|ty| map_type(ty, &mut subst)),
        TypeDef::Interface(i) => {
            let mut i = Arc::unwrap_or_clone(i);
            for m in i.methods.values_mut() {
                if let Type::Function(f) = map_type(Type::Function(m.ty.clone()), &mut subst) {
                    m.ty = f;
                }
            }
            for f in i.fields.values_mut() {
                f.ty = map_type(std::mem::replace(&mut f.ty, Type::Any), &mut subst);
            }
            TypeDef::Interface(Arc::new(i))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::{suggest, Lookup};

    #[test]
    fn bundled_manifests_load() {
        let (_, errors) = ModuleSet::from_sources(
            bundled::BUNDLED
                .iter()
                .map(|(n, j)| (n.to_string(), j.to_string())),
        );
        assert!(
            errors.is_empty(),
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    #[test]
    fn suggests_close_names() {
        let names = [
            "decode".to_string(),
            "encode".to_string(),
            "validate".to_string(),
        ];
        assert_eq!(suggest("decod", &names), Some("decode".into()));
        assert_eq!(suggest("xyz", &names), None);
    }

    #[test]
    fn user_manifests_replace_and_generics_substitute() {
        let json = r#"{"name": "box", "functions": {"new": "(v: string) -> Box<string>"},
            "types": {"Box": {"type_params": ["T"], "methods": {"get": "(self) -> T", "put": "(self, v: T) -> self"}}}}"#;
        let (set, errors) = ModuleSet::from_sources([("box".to_string(), json.to_string())]);
        assert!(errors.is_empty(), "{errors:?}");
        let m = set.get("box").unwrap();
        let Lookup::Found {
            ty: Type::Function(f),
            ..
        } = set.member(&m.value_type(), "new", false, None)
        else {
            panic!()
        };
        let Lookup::Method { func, owner, .. } = set.member(&f.returns[0], "get", true, None)
        else {
            panic!()
        };
        assert_eq!(owner, "box.Box");
        assert_eq!(func.to_string(), "(self) -> string");
        let Lookup::Missing {
            suggestion,
            is_object,
            ..
        } = set.member(&f.returns[0], "gett", true, None)
        else {
            panic!()
        };
        assert_eq!((suggestion.as_deref(), is_object), (Some("get"), true));
    }

    #[test]
    fn bad_manifest_is_an_error_naming_the_item() {
        let (_, errors) = ModuleSet::from_sources([(
            "bad".into(),
            r#"{"name": "bad", "functions": {"f": "(x: ) -> ()"}}"#.into(),
        )]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].item, "functions.f");
    }
}
