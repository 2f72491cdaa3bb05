//! After all entries are read: duplicate ids within a scope, and each import resolved to the
//! entry it names (its own scope first).

use std::collections::{HashMap, HashSet};

use crate::problem::{Problem, ProblemKind};
use crate::Project;

/// Mark and report entries whose id an earlier entry of the same scope has.
pub(crate) fn check_duplicates(project: &mut Project) {
    let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
    let mut problems = Vec::new();
    let mut dups = Vec::new();
    for (i, e) in project.entries.iter().enumerate() {
        if let Some(&first) = seen.get(&(e.scope, e.id.as_str())) {
            let other = &project.entries[first];
            let where_ = project
                .files
                .get(other.yaml)
                .map_or(String::new(), |f| f.relative.clone());
            problems.push(
                Problem::new(
                    ProblemKind::DuplicateId,
                    e.yaml,
                    e.span.clone(),
                    format!("duplicate entry id `{}` (first defined in {where_})", e.id),
                )
                .in_entry(&e.id),
            );
            dups.push(i);
        } else {
            seen.insert((e.scope, &e.id), i);
        }
    }
    project.problems.extend(problems);
    for i in dups {
        project.entries[i].duplicate = true;
    }
}

/// Resolve every `alias: ns:name` import; report targets that are missing or not Lua entries.
/// A target whose namespace neither the scope nor its dependencies contain is a dependency
/// module that is not loaded (`external`); one resolved in a scope the importer does not depend
/// on (another project of the tree) is `cross_scope`.
pub(crate) fn check_imports(project: &mut Project) {
    let mut problems = Vec::new();
    let namespaces: HashSet<(usize, &str)> = project
        .entries
        .iter()
        .map(|e| (e.scope, e.ns.as_str()))
        .collect();
    let visible = |scope: usize, ns: &str| {
        namespaces.contains(&(scope, ns))
            || project
                .scopes
                .get(scope)
                .is_some_and(|s| s.deps.iter().any(|&d| namespaces.contains(&(d, ns))))
    };
    let mut resolved = Vec::new();
    let mut externals = Vec::new();
    for (i, e) in project
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_lua())
    {
        for (k, import) in e.imports.iter().enumerate() {
            if import.module().is_some() {
                continue;
            }
            let (alias, target) = (&import.alias, &import.target);
            let found = project.resolve(e.scope, &target.value);
            resolved.push((i, k, found));
            let msg = match found.map(|t| &project.entries[t]) {
                // Any Lua entry can be imported: its source's returned table is the module.
                Some(t) if t.is_lua() => continue,
                Some(t) => format!(
                    "import `{alias}` targets `{}`, a `{}` entry; only Lua entries can be imported",
                    target.value, t.kind
                ),
                None => {
                    let ns = target.value.split(':').next().unwrap_or("");
                    if !visible(e.scope, ns) {
                        externals.push((i, k));
                        continue;
                    }
                    format!(
                        "import `{alias}` targets `{}`, which does not exist",
                        target.value
                    )
                }
            };
            problems.push(
                Problem::new(ProblemKind::BadImport, e.yaml, target.span.clone(), msg)
                    .in_entry(&e.id),
            );
        }
    }
    for (i, k) in externals {
        project.entries[i].imports[k].external = true;
    }
    for (i, k, found) in resolved {
        let cross = found
            .is_some_and(|t| !project.sees(project.entries[i].scope, project.entries[t].scope));
        project.entries[i].imports[k].entry = found;
        project.entries[i].imports[k].cross_scope = cross;
    }
    project.problems.extend(problems);
}
