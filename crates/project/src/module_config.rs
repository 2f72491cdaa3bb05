//! A dependency module's `wippy.yaml` filters (runtime `boot/deps/config/config.go`,
//! `cmd/internal/entries/loader.go` `applyModuleConfigFilters`): when a module is loaded from
//! a directory (a vendor directory or a `replacements:` path), entries matching an `exclude:`
//! pattern that contains `:` (`app:**`) or whose `meta.<key>` string is one of
//! `exclude_meta.<key>` (`type: [test]`) are left out, so a module's own tests and fixtures
//! never join the app that uses it.

use std::path::Path;

use crate::entry::Entry;
use crate::yaml::{parse_yaml, YValue};

/// The filters of one module's `wippy.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleFilter {
    /// Entry patterns (`ns:name`, see [`crate::wildcard`]).
    pub exclude: Vec<String>,
    /// `meta` key → excluded string values.
    pub exclude_meta: Vec<(String, Vec<String>)>,
}

impl ModuleFilter {
    /// Read `<dir>/wippy.yaml`; no file, or one that does not parse, filters nothing (as in
    /// Wippy, which then loads the module unfiltered).
    pub fn read(dir: &Path) -> ModuleFilter {
        let Ok(text) = crate::load::read_file(&dir.join("wippy.yaml")) else {
            return ModuleFilter::default();
        };
        let Ok(Some(doc)) = parse_yaml(&text) else {
            return ModuleFilter::default();
        };
        let strings = |v: &crate::yaml::YNode| -> Vec<String> {
            match &v.value {
                YValue::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                YValue::Str(s) => vec![s.clone()],
                _ => Vec::new(),
            }
        };
        let exclude = doc
            .get("exclude")
            .map(&strings)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.contains(':'))
            .collect();
        let exclude_meta = match doc.get("exclude_meta").map(|m| &m.value) {
            Some(YValue::Map(pairs)) => pairs
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), strings(v))))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        ModuleFilter {
            exclude,
            exclude_meta,
        }
    }

    /// Whether `e` is left out.
    pub fn excludes(&self, e: &Entry) -> bool {
        self.exclude
            .iter()
            .any(|p| crate::wildcard::entry_matches(p, &e.ns, &e.name))
            || self.exclude_meta.iter().any(|(key, values)| {
                e.meta
                    .get(key)
                    .and_then(|v| v.as_str())
                    .is_some_and(|s| values.iter().any(|v| v == s))
            })
    }
}
