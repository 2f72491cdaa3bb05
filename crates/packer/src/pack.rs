//! `wippy pack`: a loaded project → an [`Archive`] (wippy-facts §4.2, the real pack's stages).
//!
//! Entries of the Lua kinds matching a `--bytecode` pattern are lowered to Luau, compiled, hashed
//! and stored as `<ns>/<name>.luac` in the tree resource `internal:lua.bytecode`; the entry becomes
//! `<kind>.bc` with data `{fs, path, hash: "sha256:<hex>", method, modules, imports, pool, meta}`.
//! Other Lua entries (and `template.jet` entries) carry their source text in `data.source`;
//! `fs.directory` entries bring their directory as a tree resource of the entry's id.

use std::collections::BTreeMap;
use std::path::Path;

use host::compile::{bytecode_version, compile, DEBUG_LEVEL, OPTIMIZATION_LEVEL};
use project::{Entry, Project, LUA_KINDS};
use serde_json::{json, Map, Value};
use syntax::lower::lower;
use wapp::{Archive, EntryId, PackedEntry, TreeResource};

/// Id of the tree resource holding bytecode.
pub const BYTECODE_FS: &str = "internal:lua.bytecode";

/// What to pack and how.
#[derive(Clone, Debug, Default)]
pub struct PackOptions {
    /// Entry patterns compiled to bytecode: `**`, `ns:**`, `ns:name`, `name`.
    pub bytecode: Vec<String>,
    /// Namespaces left out (a namespace and everything under it: `app.tests` drops `app.tests.x`).
    pub exclude_ns: Vec<String>,
    /// `--meta k=v` pairs (values coerced to bool, integer, float or string).
    pub meta: Vec<(String, String)>,
    /// `packed_at`, seconds since the Unix epoch (from SOURCE_DATE_EPOCH when set).
    pub packed_at: i64,
}

/// A pack failure at a file position (or without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    /// File index in the project's files, when the error has a position.
    pub file: Option<usize>,
    /// Byte range.
    pub span: std::ops::Range<u32>,
    /// The entry concerned.
    pub entry: Option<String>,
    /// What failed.
    pub message: String,
}

impl PackError {
    fn plain(message: impl Into<String>) -> Self {
        PackError {
            file: None,
            span: 0..0,
            entry: None,
            message: message.into(),
        }
    }
}

/// Whether an entry id matches a `--bytecode` pattern.
pub fn matches(pattern: &str, e: &Entry) -> bool {
    match pattern {
        "**" | "*" => true,
        p => match p.strip_suffix(":**").or_else(|| p.strip_suffix(":*")) {
            Some(ns) => e.ns == ns || e.ns.starts_with(&format!("{ns}.")),
            None if p.contains(':') => e.id == p,
            None => e.name == p,
        },
    }
}

fn excluded(options: &PackOptions, ns: &str) -> bool {
    options
        .exclude_ns
        .iter()
        .any(|x| ns == x || ns.starts_with(&format!("{x}.")))
}

/// `--meta` value coercion: `true`/`false`, integers, floats, else strings.
pub fn coerce(v: &str) -> Value {
    match v {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => v
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| {
                v.parse::<f64>()
                    .map_err(|_| ())
                    .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number).ok_or(()))
            })
            .unwrap_or_else(|_| Value::String(v.to_owned())),
    }
}

/// RFC 3339 UTC timestamp of Unix seconds (proleptic Gregorian, no leap seconds).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Build the archive. `progress(done, total)` is called after each entry.
pub fn pack(
    project: &Project,
    options: &PackOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Archive, PackError> {
    for (k, _) in &options.meta {
        if k.starts_with("wippy.") || k.starts_with("system.") || k.is_empty() {
            return Err(PackError::plain(format!(
                "--meta key `{k}` is reserved (keys under wippy. and system. belong to the packer)"
            )));
        }
    }
    let entries: Vec<&Entry> = project
        .entries
        .iter()
        .filter(|e| !excluded(options, &e.ns) && !e.duplicate)
        .collect();
    refuse_ids_of_several_projects(project, &entries)?;
    let mut packed = Vec::new();
    let mut bytecode = BTreeMap::new();
    let mut resources = Vec::new();
    let mut luau_bytecode_version = None;
    for (i, e) in entries.iter().enumerate() {
        let mut data = e.data.clone();
        let mut kind = e.kind.clone();
        let source = e.source.as_ref().and_then(|(f, _)| project.files.get(*f));
        if LUA_KINDS.contains(&e.kind.as_str()) {
            let Some(src) = source else {
                return Err(PackError {
                    file: Some(e.yaml),
                    span: e.span.clone(),
                    entry: Some(e.id.clone()),
                    message: format!("entry `{}` has no readable source", e.id),
                });
            };
            if options.bytecode.iter().any(|p| matches(p, e)) {
                let file = e.source.as_ref().map(|(f, _)| *f);
                let lowered = lower(&src.text).map_err(|err| PackError {
                    file,
                    span: err.span,
                    entry: Some(e.id.clone()),
                    message: err.message,
                })?;
                let bc = compile(&lowered).map_err(|err| PackError {
                    file,
                    span: 0..0,
                    entry: Some(e.id.clone()),
                    message: format!("Luau compiler: {}", err.0),
                })?;
                luau_bytecode_version.get_or_insert(bytecode_version(&bc));
                let path = format!("{}/{}.luac", e.ns, e.name);
                let mut d = Map::new();
                d.insert("fs".into(), json!(BYTECODE_FS));
                d.insert("path".into(), json!(path));
                d.insert(
                    "hash".into(),
                    json!(format!("sha256:{}", wapp::sha256_hex(&bc))),
                );
                for key in ["method", "modules", "imports", "pool"] {
                    if let Some(v) = data.get(key) {
                        d.insert(key.into(), v.clone());
                    }
                }
                if !e.meta.is_empty() {
                    d.insert("meta".into(), Value::Object(e.meta.clone()));
                }
                bytecode.insert(path, bc);
                data = d;
                kind = format!("{}.bc", e.kind);
            } else {
                data.insert("source".into(), json!(&*src.text));
            }
        } else if e.kind == "template.jet" {
            inline_file_source(project, e, &mut data)?;
        } else if e.kind == "fs.directory" {
            if let Some(r) = directory_resource(project, e)? {
                resources.push(r);
            }
        }
        packed.push(PackedEntry {
            id: EntryId {
                ns: e.ns.clone(),
                name: e.name.clone(),
            },
            kind,
            meta: (!e.meta.is_empty()).then(|| e.meta.clone()),
            data: Some(Value::Object(data)),
        });
        progress(i + 1, entries.len());
    }
    if !bytecode.is_empty() {
        packed.push(PackedEntry {
            id: EntryId {
                ns: "internal".into(),
                name: "lua.bytecode".into(),
            },
            kind: "fs.embed".into(),
            meta: None,
            data: Some(json!({ "resource": BYTECODE_FS })),
        });
        resources.insert(
            0,
            TreeResource {
                id: BYTECODE_FS.into(),
                meta: BTreeMap::new(),
                files: bytecode,
            },
        );
    }
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "wippy.packer_version".into(),
        json!(env!("CARGO_PKG_VERSION")),
    );
    metadata.insert(
        "wippy.luau_version".into(),
        json!(host::compile::luau_version()),
    );
    if let Some(v) = luau_bytecode_version {
        metadata.insert("wippy.bytecode_version".into(), json!(v));
    }
    metadata.insert(
        "wippy.compiler".into(),
        json!({ "optimization_level": OPTIMIZATION_LEVEL, "debug_level": DEBUG_LEVEL }),
    );
    metadata.insert("entry_count".into(), json!(packed.len()));
    metadata.insert("packed_at".into(), json!(rfc3339(options.packed_at)));
    if !resources.is_empty() {
        metadata.insert("resource_count".into(), json!(resources.len()));
    }
    for (k, v) in &options.meta {
        metadata.insert(k.clone(), coerce(v));
    }
    Ok(Archive {
        metadata,
        entries: packed,
        resources,
    })
}

/// An archive is one registry: an id that two projects of the tree both define would be there
/// twice. Refuse, naming the id and the projects, rather than pick one.
fn refuse_ids_of_several_projects(project: &Project, entries: &[&Entry]) -> Result<(), PackError> {
    let mut first: BTreeMap<&str, &Entry> = BTreeMap::new();
    for e in entries {
        match first.get(e.id.as_str()) {
            Some(f) if f.scope != e.scope => {
                let dir = |s: usize| {
                    project.scopes.get(s).map_or_else(
                        || ".".to_owned(),
                        |d| {
                            let rel = project.files.relative(&d.dir);
                            if rel.is_empty() {
                                ".".to_owned()
                            } else {
                                rel
                            }
                        },
                    )
                };
                return Err(PackError {
                    file: Some(e.yaml),
                    span: e.span.clone(),
                    entry: Some(e.id.clone()),
                    message: format!(
                        "entry id `{}` is defined by two projects in this tree ({} and {}); an archive holds one registry, so pack one project directory at a time",
                        e.id,
                        dir(f.scope),
                        dir(e.scope)
                    ),
                });
            }
            Some(_) => {}
            None => {
                first.insert(&e.id, e);
            }
        }
    }
    Ok(())
}

/// `source: file://…` of a template becomes the file's text.
fn inline_file_source(
    project: &Project,
    e: &Entry,
    data: &mut Map<String, Value>,
) -> Result<(), PackError> {
    let Some(Value::String(src)) = data.get("source").cloned() else {
        return Ok(());
    };
    let Some(rel) = src.strip_prefix("file://") else {
        return Ok(());
    };
    let base = project
        .files
        .get(e.yaml)
        .and_then(|f| f.path.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| project.root.clone());
    let path = match rel.strip_prefix('/') {
        Some(abs) => project.root.join(abs),
        None => base.join(rel),
    };
    let text = std::fs::read_to_string(&path).map_err(|err| PackError {
        file: Some(e.yaml),
        span: e.span.clone(),
        entry: Some(e.id.clone()),
        message: format!("template source {}: {err}", path.display()),
    })?;
    data.insert("source".into(), Value::String(text));
    Ok(())
}

/// The files under an `fs.directory` entry's `directory` (relative to its YAML file).
fn directory_resource(project: &Project, e: &Entry) -> Result<Option<TreeResource>, PackError> {
    let Some(Value::String(dir)) = e.data.get("directory") else {
        return Ok(None);
    };
    let base = project
        .files
        .get(e.yaml)
        .and_then(|f| f.path.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| project.root.clone());
    let root = base.join(dir);
    if !root.is_dir() {
        // A directory created at run time (auto_init) has nothing to carry.
        return Ok(None);
    }
    let mut files = BTreeMap::new();
    collect(&root, &root, &mut files)
        .map_err(|err| PackError::plain(format!("{}: {err}", root.display())))?;
    let mut meta = BTreeMap::new();
    meta.insert("entry".into(), json!(e.id));
    Ok(Some(TreeResource {
        id: e.id.clone(),
        meta,
        files,
    }))
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> std::io::Result<()> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(root, &p, out)?;
        } else if p.is_file() {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(rel, std::fs::read(&p)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_coercion() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(coerce("true"), json!(true));
        assert_eq!(coerce("42"), json!(42));
        assert_eq!(coerce("1.5"), json!(1.5));
        assert_eq!(coerce("v1"), json!("v1"));
    }
}
