//! The checker's configuration: a `lint:` section in `.wippy.yaml`, the Wippy runtime's own
//! configuration file (which ignores sections it does not know), discovered upward from each
//! project's directory — the nearest `.wippy.yaml` that has a `lint:` key wins; sections are not
//! merged.
//!
//! ```yaml
//! lint:
//!   levels:              # per code: off | hint | warning | error
//!     W0004: off
//!     E0004: warning
//!   exclude:             # globs, relative to this file's directory
//!     - "src/generated/**"
//!     - "*_fixture.lua"  # without `/`: a file name at any depth
//!   rules: true          # the W-rules in `wippy lint` (as `--rules`)
//!   strict: false        # strict mode (carried to the checker's settings)
//!   typedefs:            # extra manifest directories, relative to this file
//!     - types
//! ```
//!
//! Unknown keys, bad levels and bad globs are problems at their position
//! ([`ProblemKind::Config`]); codes are checked against the registry by the checker, which
//! knows them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::entry::Spanned;
use crate::problem::{Problem, ProblemKind};
use crate::yaml::{parse_yaml, YNode, YValue};
use crate::Project;

/// The configuration file name.
pub const CONFIG_FILE: &str = ".wippy.yaml";

/// The keys a `lint:` section may have.
pub const KEYS: &[&str] = &["levels", "exclude", "rules", "strict", "typedefs"];

/// A level set for a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as a hint.
    Hint,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

impl Level {
    /// `off`, `hint`, `warning` (or `warn`), `error`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "hint" => Some(Level::Hint),
            "warning" | "warn" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// One `lint:` section.
#[derive(Clone, Debug)]
pub struct LintConfig {
    /// Index of the `.wippy.yaml` in [`crate::Files`].
    pub file: usize,
    /// Its directory: globs and `typedefs` resolve against it.
    pub dir: PathBuf,
    /// `levels:` in file order: the code as written, and the level.
    pub levels: Vec<(Spanned<String>, Level)>,
    /// `exclude:` globs as written.
    pub exclude: Vec<Spanned<String>>,
    /// `rules:`.
    pub rules: Option<bool>,
    /// `strict:`.
    pub strict: Option<bool>,
    /// `typedefs:`, resolved.
    pub typedefs: Vec<PathBuf>,
    globs: GlobSet,
}

impl LintConfig {
    /// Whether `path` (absolute) is excluded by `exclude:`.
    pub fn excludes(&self, path: &Path) -> bool {
        match path.strip_prefix(&self.dir) {
            Ok(rel) => self.globs.is_match(rel),
            Err(_) => false,
        }
    }
}

/// Read the `lint:` section of the `.wippy.yaml` at `path` into `project` (file, problems);
/// `None` if the file has no `lint:` key or cannot be read.
pub fn read_config(project: &mut Project, path: &Path) -> Option<LintConfig> {
    let text = crate::load::read_file(path).ok()?;
    let file = project.files.find(path);
    let doc = match parse_yaml(&text) {
        Ok(Some(doc)) => doc,
        Ok(None) => return None,
        Err(e) => {
            if !text.lines().any(|l| l.starts_with("lint:")) {
                return None;
            }
            let idx = file.unwrap_or_else(|| project.files.add(path.to_path_buf(), text.clone()));
            project.problems.push(Problem::new(
                ProblemKind::Config,
                idx,
                e.offset..e.offset + 1,
                format!("invalid YAML in {CONFIG_FILE}: {}", e.message),
            ));
            return None;
        }
    };
    let lint = doc.get("lint")?.clone();
    let idx = file.unwrap_or_else(|| project.files.add(path.to_path_buf(), text.clone()));
    let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut reader = Reader {
        file: idx,
        problems: Vec::new(),
    };
    let config = reader.section(&lint, dir);
    project.problems.append(&mut reader.problems);
    Some(config)
}

struct Reader {
    file: usize,
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, span: std::ops::Range<u32>, message: String) {
        self.problems
            .push(Problem::new(ProblemKind::Config, self.file, span, message));
    }

    fn section(&mut self, lint: &YNode, dir: PathBuf) -> LintConfig {
        let mut config = LintConfig {
            file: self.file,
            dir,
            levels: Vec::new(),
            exclude: Vec::new(),
            rules: None,
            strict: None,
            typedefs: Vec::new(),
            globs: GlobSet::empty(),
        };
        let pairs = match &lint.value {
            YValue::Map(pairs) => pairs.clone(),
            YValue::Null => Vec::new(),
            _ => {
                self.problem(
                    lint.span.clone(),
                    "`lint` must be a mapping (keys: levels, exclude, rules, strict, typedefs)"
                        .into(),
                );
                Vec::new()
            }
        };
        for (k, v) in &pairs {
            match k.as_str() {
                Some("levels") => self.levels(v, &mut config),
                Some("exclude") => {
                    config.exclude = self.strings(v, "exclude");
                    config.globs = self.globs(&config.exclude);
                }
                Some("rules") => config.rules = self.bool(v, "rules"),
                Some("strict") => config.strict = self.bool(v, "strict"),
                Some("typedefs") => {
                    config.typedefs = self
                        .strings(v, "typedefs")
                        .into_iter()
                        .map(|s| crate::lock::resolve_lock_path(&config.dir, &s.value))
                        .collect();
                }
                other => {
                    let name = other.map_or_else(|| format!("{:?}", k.to_json()), str::to_owned);
                    let keys: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
                    let hint = typedefs::suggest(&name, &keys)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| format!(" (known: {})", KEYS.join(", ")));
                    self.problem(k.span.clone(), format!("unknown key `lint.{name}`{hint}"));
                }
            }
        }
        config
    }

    fn levels(&mut self, v: &YNode, config: &mut LintConfig) {
        let YValue::Map(pairs) = &v.value else {
            if v.value != YValue::Null {
                self.problem(
                    v.span.clone(),
                    "`lint.levels` must be a mapping `CODE: off|hint|warning|error`".into(),
                );
            }
            return;
        };
        for (code, level) in pairs {
            let Some(c) = code.as_str() else {
                self.problem(
                    code.span.clone(),
                    "a code must be a string like `E0004`".into(),
                );
                continue;
            };
            let text = match &level.value {
                YValue::Str(s) => s.clone(),
                YValue::Bool(false) => "off".into(),
                _ => String::new(),
            };
            match Level::parse(&text) {
                Some(l) => config.levels.push((
                    Spanned {
                        value: c.to_owned(),
                        span: code.span.clone(),
                    },
                    l,
                )),
                None => self.problem(
                    level.span.clone(),
                    format!("level of `{c}` must be off, hint, warning or error"),
                ),
            }
        }
    }

    fn strings(&mut self, v: &YNode, key: &str) -> Vec<Spanned<String>> {
        let items = match &v.value {
            YValue::Seq(items) => items.clone(),
            YValue::Str(_) => vec![v.clone()],
            YValue::Null => Vec::new(),
            _ => {
                self.problem(
                    v.span.clone(),
                    format!("`lint.{key}` must be a list of strings"),
                );
                Vec::new()
            }
        };
        items
            .iter()
            .filter_map(|i| match i.as_str() {
                Some(s) => Some(Spanned {
                    value: s.to_owned(),
                    span: i.span.clone(),
                }),
                None => {
                    self.problem(
                        i.span.clone(),
                        format!("`lint.{key}` items must be strings"),
                    );
                    None
                }
            })
            .collect()
    }

    fn bool(&mut self, v: &YNode, key: &str) -> Option<bool> {
        match v.value {
            YValue::Bool(b) => Some(b),
            _ => {
                self.problem(
                    v.span.clone(),
                    format!("`lint.{key}` must be true or false"),
                );
                None
            }
        }
    }

    fn globs(&mut self, patterns: &[Spanned<String>]) -> GlobSet {
        let mut set = GlobSetBuilder::new();
        for p in patterns {
            let pattern = p.value.trim_start_matches("./");
            let pattern = if pattern.contains('/') {
                pattern.to_owned()
            } else {
                format!("**/{pattern}")
            };
            match GlobBuilder::new(&pattern).literal_separator(true).build() {
                Ok(g) => {
                    set.add(g);
                }
                Err(e) => self.problem(
                    p.span.clone(),
                    format!("bad glob `{}`: {}", p.value, e.kind()),
                ),
            }
        }
        set.build().unwrap_or_else(|_| GlobSet::empty())
    }
}

/// Finds each directory's configuration once: the nearest `.wippy.yaml` with a `lint:` key at
/// or above it.
#[derive(Debug, Default)]
pub(crate) struct Discovery {
    by_file: HashMap<PathBuf, Option<usize>>,
}

impl Discovery {
    /// The index in [`Project::configs`] of the configuration for `dir`, if any.
    pub(crate) fn for_dir(&mut self, project: &mut Project, dir: &Path) -> Option<usize> {
        let mut d = Some(dir);
        while let Some(cur) = d {
            let path = cur.join(CONFIG_FILE);
            if path.is_file() {
                let found = match self.by_file.get(&path) {
                    Some(found) => *found,
                    None => {
                        let found = read_config(project, &path).map(|c| {
                            project.configs.push(c);
                            project.configs.len() - 1
                        });
                        self.by_file.insert(path, found);
                        found
                    }
                };
                if found.is_some() {
                    return found;
                }
            }
            d = cur.parent();
        }
        None
    }

    /// Use the file at `path` for every directory (`--config FILE`).
    pub(crate) fn fixed(project: &mut Project, path: &Path) -> Result<Option<usize>, String> {
        let path = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(read_config(project, &path).map(|c| {
            project.configs.push(c);
            project.configs.len() - 1
        }))
    }
}
