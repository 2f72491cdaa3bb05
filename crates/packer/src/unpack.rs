//! `wippy pack unpack`: an archive back to a project tree — one `_index.yaml` per namespace,
//! sources as `.lua` files referenced by `file://`, bytecode as `.luac`, resources as files.

use std::collections::BTreeMap;
use std::path::Path;

use saphyr::{Mapping, Scalar, Yaml, YamlEmitter};
use serde_json::Value;

use wapp::Archive;

fn yaml(v: &Value) -> Yaml<'static> {
    match v {
        Value::Null => Yaml::Value(Scalar::Null),
        Value::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Value(Scalar::Integer(i)),
            None => Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or(0.0).into())),
        },
        Value::String(s) => Yaml::Value(Scalar::String(s.clone().into())),
        Value::Array(a) => Yaml::Sequence(a.iter().map(yaml).collect()),
        Value::Object(o) => {
            let mut m = Mapping::new();
            for (k, v) in o {
                m.insert(Yaml::Value(Scalar::String(k.clone().into())), yaml(v));
            }
            Yaml::Mapping(m)
        }
    }
}

fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Write the archive's contents under `dir`. Returns the number of files written.
pub fn unpack(a: &Archive, dir: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    let mut by_ns: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for e in &a.entries {
        let ns_dir = dir.join(safe(&e.id.ns));
        let mut data = match &e.data {
            Some(Value::Object(o)) => o.clone(),
            _ => serde_json::Map::new(),
        };
        if let Some(Value::String(src)) = data.get("source").cloned() {
            let ext = if e.kind.starts_with("template") {
                "jet"
            } else {
                "lua"
            };
            let file = format!("{}.{ext}", safe(&e.id.name));
            std::fs::create_dir_all(&ns_dir)?;
            std::fs::write(ns_dir.join(&file), src)?;
            written += 1;
            data.insert("source".into(), Value::String(format!("file://{file}")));
        }
        let mut entry = serde_json::Map::new();
        entry.insert("name".into(), Value::String(e.id.name.clone()));
        entry.insert("kind".into(), Value::String(e.kind.clone()));
        if let Some(meta) = &e.meta {
            entry.insert("meta".into(), Value::Object(meta.clone()));
        }
        entry.extend(data);
        by_ns
            .entry(&e.id.ns)
            .or_default()
            .push(Value::Object(entry));
    }
    for (ns, entries) in by_ns {
        let doc = serde_json::json!({ "version": "1.0", "namespace": ns, "entries": entries });
        let mut text = String::new();
        YamlEmitter::new(&mut text)
            .dump(&yaml(&doc))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let ns_dir = dir.join(safe(ns));
        std::fs::create_dir_all(&ns_dir)?;
        std::fs::write(ns_dir.join("_index.yaml"), text + "\n")?;
        written += 1;
    }
    for r in &a.resources {
        let root = dir.join("_resources").join(safe(&r.id));
        for (path, content) in &r.files {
            let rel: std::path::PathBuf = path
                .split('/')
                .filter(|p| !p.is_empty() && *p != ".." && *p != ".")
                .collect();
            let target = root.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, content)?;
            written += 1;
        }
    }
    Ok(written)
}
