//! The set of known modules: the bundled manifests plus the user's (`--typedefs DIR`), with the
//! lookups every consumer needs: globals of an environment, named-type resolution, and member
//! lookup on a value type (`json.decode`, `db:query`, `s:upper`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::manifest::{map_type, parse_manifest, Environment, Expose, ManifestError, Module};
use crate::types::{
    FunctionType, Interface, MemberKind, NamedRef, Namespace, TableDef, Type, TypeDef,
};

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

/// The result of looking up `recv.name` / `recv:name`.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// A field, constant, function or nested table.
    Found {
        /// Its type.
        ty: Type,
        /// One-line description.
        description: Option<String>,
    },
    /// A method of an interface (first parameter `self`).
    Method {
        /// The signature, generics substituted, `self` still first.
        func: Arc<FunctionType>,
        /// Qualified owner (`sql.DB`).
        owner: String,
        /// One-line description.
        description: Option<String>,
    },
    /// The receiver's type is fully known and has no such member.
    Missing {
        /// How to name the receiver in a message: `module json`, `sql.DB`.
        owner: String,
        /// Whether the owner has methods (so "no method" is the right wording for `:`).
        is_object: bool,
        /// The closest existing member name, if one is close.
        suggestion: Option<String>,
    },
    /// Nothing is known (any, unknown, an open table, …).
    Unknown,
}

/// Named types declared in Lua code (`type Point = {…}`), resolved before manifests.
pub type LocalTypes = BTreeMap<String, TypeDef>;

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
        for p in paths {
            let origin = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Ok(json) => match parse_manifest(&json, &origin).and_then(|m| m.load()) {
                    Ok(m) => set.insert(m),
                    Err(e) => errors.push(e),
                },
                Err(e) => errors.push(read_err(origin, e)),
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
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
                        let ty = member_type(&m.name, name, &m.table, member);
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
    pub fn resolve(&self, n: &NamedRef, local: Option<&LocalTypes>) -> Option<TypeDef> {
        let def = match &n.module {
            None => local.and_then(|l| l.get(&n.name)).cloned()?,
            Some(m) => self.get(m)?.types.get(&n.name).cloned()?,
        };
        Some(instantiate(def, &n.args))
    }

    /// Look up `recv.name` (`colon` false) or `recv:name` (`colon` true).
    pub fn member(
        &self,
        recv: &Type,
        name: &str,
        colon: bool,
        local: Option<&LocalTypes>,
    ) -> Lookup {
        self.member_depth(recv, name, colon, local, 0)
    }

    fn member_depth(
        &self,
        recv: &Type,
        name: &str,
        colon: bool,
        local: Option<&LocalTypes>,
        depth: u8,
    ) -> Lookup {
        if depth > 8 {
            return Lookup::Unknown;
        }
        match recv {
            Type::Namespace(ns) => match ns.table.members.get(name) {
                Some(m) => Lookup::Found {
                    ty: member_type(&ns.module, &format!("{}.{name}", ns.path), &ns.table, m),
                    description: m.description.clone(),
                },
                None => Lookup::Missing {
                    owner: if ns.path.contains('.') {
                        format!("table {}", ns.path)
                    } else {
                        format!("module {}", ns.path)
                    },
                    is_object: false,
                    suggestion: suggest(name, ns.table.members.keys()),
                },
            },
            Type::Named(n) => match self.resolve(n, local) {
                Some(TypeDef::Interface(iface)) => interface_member(&iface, name, colon),
                Some(TypeDef::Alias { ty, .. }) => {
                    self.member_depth(&ty, name, colon, local, depth + 1)
                }
                None => Lookup::Unknown,
            },
            Type::Error => {
                let m = self
                    .get("errors")
                    .and_then(|e| e.types.get("Error").cloned());
                match m {
                    Some(TypeDef::Interface(iface)) => {
                        match interface_member(&iface, name, colon) {
                            Lookup::Missing { .. } => Lookup::Unknown,
                            found => found,
                        }
                    }
                    _ => Lookup::Unknown,
                }
            }
            Type::String | Type::Literal(crate::types::Literal::String(_)) if colon => {
                match self.get("string") {
                    Some(s) => self.member_depth(&s.value_type(), name, false, local, depth + 1),
                    None => Lookup::Unknown,
                }
            }
            Type::Record(r) => match r.field(name) {
                Some(f) => Lookup::Found {
                    ty: if f.optional {
                        f.ty.clone().optional()
                    } else {
                        f.ty.clone()
                    },
                    description: f.description.clone(),
                },
                None if r.open => Lookup::Unknown,
                None => Lookup::Missing {
                    owner: r.name.clone().unwrap_or_else(|| recv.to_string()),
                    is_object: false,
                    suggestion: suggest(name, r.fields.iter().map(|f| &f.name)),
                },
            },
            Type::Map(k, v) if matches!(**k, Type::String | Type::Any) => Lookup::Found {
                ty: (**v).clone(),
                description: None,
            },
            Type::Optional(inner) => self.member_depth(inner, name, colon, local, depth + 1),
            _ => Lookup::Unknown,
        }
    }
}

fn interface_member(iface: &Interface, name: &str, colon: bool) -> Lookup {
    if let Some(m) = iface.methods.get(name) {
        return Lookup::Method {
            func: m.ty.clone(),
            owner: iface.name.clone(),
            description: m.description.clone(),
        };
    }
    if let Some(f) = iface.fields.get(name) {
        return Lookup::Found {
            ty: if f.optional {
                f.ty.clone().optional()
            } else {
                f.ty.clone()
            },
            description: f.description.clone(),
        };
    }
    let names = if colon {
        iface.methods.keys().collect::<Vec<_>>()
    } else {
        iface.methods.keys().chain(iface.fields.keys()).collect()
    };
    Lookup::Missing {
        owner: iface.name.clone(),
        is_object: !iface.methods.is_empty(),
        suggestion: suggest(name, names),
    }
}

/// The type of a module-table member; nested tables become namespaces with the dotted path.
fn member_type(module: &str, path: &str, _table: &TableDef, m: &crate::types::Member) -> Type {
    match &m.kind {
        MemberKind::Function(f) => Type::Function(f.clone()),
        MemberKind::Table(t) => Type::Namespace(Arc::new(Namespace {
            path: path.to_owned(),
            module: module.to_owned(),
            table: t.clone(),
        })),
        MemberKind::Constant(t, _) => t.clone(),
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
        TypeDef::Alias {
            type_params,
            ty,
            description,
        } => TypeDef::Alias {
            type_params,
            ty: map_type(ty, &mut subst),
            description,
        },
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

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
