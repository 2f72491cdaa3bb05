//! What a check reports: the [`Settings`] of one run (from the command line) and the
//! `lint:` configurations of the project (`.wippy.yaml`, read by [`project::config`]):
//! per-code levels, the W-rules switch and strict mode.
//!
//! Applied after every rule has run and after inline suppression ([`crate::suppress`]):
//! a code set to `off` is dropped, any other level replaces the code's default severity;
//! W-rules are dropped unless enabled (`--rules`, `lint.rules: true`, `wippy check`'s default,
//! or a level given to that code). Unknown codes in `lint.levels` are `C0001` warnings at their
//! position.

use std::collections::HashMap;

use project::config::Level;
use project::Project;

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::Code;

/// Settings of one check run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Strict mode from the command line (`--strict`); `None` takes the configuration's
    /// `lint.strict`, else off. Carried to every chunk's environment ([`crate::env::Env`])
    /// for the type rules.
    pub strict: Option<bool>,
    /// The W-rules from the command line (`--rules`); `None` takes `lint.rules`, else
    /// [`Settings::rules_default`].
    pub rules: Option<bool>,
    /// Whether W-rules are on when neither the command line nor the configuration says:
    /// `true` for `wippy check` and the editor, `false` for `wippy lint` (as the real one).
    pub rules_default: bool,
    /// Namespaces to report (`--ns`, see [`project::wildcard::ns_filter_matches`]); empty
    /// reports all. Entries they import are still checked, for their exports.
    pub namespaces: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            strict: None,
            rules: None,
            rules_default: true,
            namespaces: Vec::new(),
        }
    }
}

impl Settings {
    /// Whether namespace `ns` is reported.
    pub fn reports_ns(&self, ns: &str) -> bool {
        self.namespaces.is_empty()
            || self
                .namespaces
                .iter()
                .any(|f| project::wildcard::ns_filter_matches(f, ns))
    }

    /// Whether strict mode is on for file `file`.
    pub fn strict_for(&self, project: &Project, file: usize) -> bool {
        self.strict
            .or_else(|| project.config_for_file(file).and_then(|c| c.strict))
            .unwrap_or(false)
    }
}

/// `C0001` for every code in a `lint.levels` that the registry does not know.
pub fn unknown_codes(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &project.configs {
        for (code, _) in &c.levels {
            if Code::parse(&code.value).is_none() {
                out.push(
                    Diagnostic::new(
                        Code::C0001,
                        c.file,
                        code.span.clone(),
                        format!("unknown code `{}` in `lint.levels`", code.value),
                    )
                    .with_help("`wippy check --format sarif` lists every code with its meaning"),
                );
            }
        }
    }
    out
}

/// Apply per-code levels and the W-rules switch to `diagnostics`.
pub fn apply_levels(project: &Project, settings: &Settings, diagnostics: &mut Vec<Diagnostic>) {
    let levels: Vec<HashMap<Code, Level>> = project
        .configs
        .iter()
        .map(|c| {
            c.levels
                .iter()
                .filter_map(|(code, l)| Some((Code::parse(&code.value)?, *l)))
                .collect()
        })
        .collect();
    diagnostics.retain_mut(|d| {
        let config = project.file_configs.get(&d.file).copied();
        let level = config.and_then(|c| levels[c].get(&d.code).copied());
        if d.code.is_rule() && level.is_none() {
            let on = settings
                .rules
                .or_else(|| config.and_then(|c| project.configs[c].rules))
                .unwrap_or(settings.rules_default);
            if !on {
                return false;
            }
        }
        match level {
            Some(Level::Off) => false,
            Some(Level::Hint) => {
                d.severity = Severity::Hint;
                true
            }
            Some(Level::Warning) => {
                d.severity = Severity::Warning;
                true
            }
            Some(Level::Error) => {
                d.severity = Severity::Error;
                true
            }
            None => true,
        }
    });
}
