//! Operations on a [`Report`]: merging the reports of several targets into one.

use std::collections::{HashMap, HashSet};

use crate::check::Report;

impl Report {
    /// Append `other`'s files and diagnostics (its file indexes renumbered), entries and
    /// counts; diagnostics stay sorted errors first, then by file and position.
    pub fn merge(&mut self, other: Report) {
        let mut map = HashMap::new();
        for (i, f) in other.files.iter().enumerate() {
            let idx = match self.files.find(&f.path) {
                Some(existing) => existing,
                None => self.files.add(f.path.clone(), f.text.clone()),
            };
            map.insert(i, idx);
        }
        let mut seen: HashSet<_> = self
            .diagnostics
            .iter()
            .map(|d| (d.file, d.span.clone(), d.code, d.message.clone()))
            .collect();
        for mut d in other.diagnostics {
            d.file = map.get(&d.file).copied().unwrap_or(d.file);
            if seen.insert((d.file, d.span.clone(), d.code, d.message.clone())) {
                self.diagnostics.push(d);
            }
        }
        self.diagnostics
            .sort_by_key(|d| (std::cmp::Reverse(d.severity), d.file, d.span.start, d.code));
        self.total_entries += other.total_entries;
        self.stats.chunks += other.stats.chunks;
        self.stats.lines += other.stats.lines;
        self.stats.parse_failures += other.stats.parse_failures;
        self.stats.dependencies += other.stats.dependencies;
    }
}
