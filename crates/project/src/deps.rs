//! Loading a lock's dependencies: each `replacements:` directory and each installed module (a
//! directory or a `.wapp` pack under the vendor directory) becomes a scope of its own (see
//! [`crate::layout`]), filtered by the module's `wippy.yaml` ([`crate::module_config`]).

use crate::layout::{role_of, Claims, Scope};
use crate::lock::{LoadPath, LoadPathKind};
use crate::module_config::ModuleFilter;
use crate::{LoadError, Project};

/// Load the dependency at `path`; returns the scopes the lock's scope depends on for it: the
/// new scope, and any scope that had already loaded some of its files. A replacement gets the
/// lock's configuration `config` (it is reported); an installed module none.
pub(crate) fn load_dependency(
    project: &mut Project,
    claims: &mut Claims,
    path: &LoadPath,
    config: Option<usize>,
) -> Result<Vec<usize>, LoadError> {
    let new_scope = |project: &mut Project| {
        let mut scope = Scope::new(path.path.clone(), path.path.clone(), role_of(path));
        if path.kind == LoadPathKind::Replacement {
            scope.config = config;
        }
        project.scopes.push(scope);
        project.scopes.len() - 1
    };
    if path.is_archive() {
        let archive = match crate::archive::read_verified(&path.path) {
            Ok(a) => a,
            Err(e) => {
                project.notes.push(format!(
                    "module {}: {e}; imports of its entries are not typed",
                    path.module.as_deref().unwrap_or("?")
                ));
                return Ok(Vec::new());
            }
        };
        let scope = new_scope(project);
        let before = project.files.len();
        crate::archive::add_archive(project, &path.path, archive, scope, true);
        project.record_files(before, scope);
        return Ok(vec![scope]);
    }
    let yamls = crate::load::walk_yamls(&path.path)
        .map_err(|e| LoadError(format!("{}: {e}", path.path.display())))?;
    let mut deps = Vec::new();
    let mut scope = None;
    let first_entry = project.entries.len();
    for yaml in yamls {
        let s = match scope {
            Some(s) => s,
            None => {
                let s = new_scope(project);
                scope = Some(s);
                s
            }
        };
        match claims.claim(&yaml, s) {
            Ok(()) => crate::load::load_into(project, &yaml, s),
            Err(owner) => {
                if !deps.contains(&owner) {
                    deps.push(owner);
                }
            }
        }
    }
    if let Some(s) = scope {
        let filter = ModuleFilter::read(&path.source_root);
        let mut i = first_entry;
        while i < project.entries.len() {
            if project.entries[i].scope == s && filter.excludes(&project.entries[i]) {
                project.entries.remove(i);
            } else {
                i += 1;
            }
        }
        deps.insert(0, s);
    }
    Ok(deps)
}
