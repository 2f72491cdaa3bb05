//! `wraith.toml`: the twin's name and namespace, `[serve.lua]` limits and error policy,
//! `[serve.clock]`, entity seeds and routes (seed: Lua handlers for Wraith twins).

use std::path::Path;

use serde::Deserialize;

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[twin]`.
    #[serde(default)]
    pub twin: TwinSection,
    /// `[serve]`.
    #[serde(default)]
    pub serve: Serve,
    /// `[[seed]]`: entities loaded from JSON files at start.
    #[serde(default)]
    pub seed: Vec<Seed>,
    /// `[[routes]]`.
    #[serde(default)]
    pub routes: Vec<RouteConfig>,
}

/// `[twin]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwinSection {
    /// Twin name (defaults to the directory name).
    pub name: Option<String>,
    /// State namespace (defaults to the name).
    pub namespace: Option<String>,
}

/// `[serve]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serve {
    /// `[serve.lua]`.
    #[serde(default)]
    pub lua: LuaLimits,
    /// `[serve.clock]`.
    #[serde(default)]
    pub clock: ClockConfig,
}

/// What a handler error does (`[serve.lua] on_error`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// 500 with the structured envelope (the default).
    #[default]
    Fail,
    /// Log, then fall through to the route's template (legacy).
    Fallback,
}

/// `[serve.lua]`: per-invocation limits (seed: 100 ms, 1 MB, 100,000 instructions).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LuaLimits {
    /// Error policy.
    #[serde(default)]
    pub on_error: OnError,
    /// Wall-clock limit in milliseconds.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
    /// Memory a single invocation may add to the heap, in bytes.
    #[serde(default = "default_memory")]
    pub memory_bytes: usize,
    /// Budget of interrupt ticks (Luau's safepoints: calls, returns, loop back-edges), the
    /// measure Luau offers for "instructions".
    #[serde(default = "default_instructions")]
    pub instructions: u64,
}

fn default_timeout() -> u64 {
    100
}
fn default_memory() -> usize {
    1 << 20
}
fn default_instructions() -> u64 {
    100_000
}

impl Default for LuaLimits {
    fn default() -> Self {
        LuaLimits {
            on_error: OnError::Fail,
            timeout_ms: default_timeout(),
            memory_bytes: default_memory(),
            instructions: default_instructions(),
        }
    }
}

/// `[serve.clock]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockConfig {
    /// `real` (system clock) or `deterministic` (seeded counter).
    #[serde(default)]
    pub mode: ClockMode,
    /// Start of the deterministic clock, Unix seconds.
    #[serde(default = "default_seed")]
    pub seed: i64,
}

fn default_seed() -> i64 {
    1_700_000_000
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig {
            mode: ClockMode::Real,
            seed: default_seed(),
        }
    }
}

/// Clock mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// System time.
    #[default]
    Real,
    /// Seeded; moves only by `clock.advance`.
    Deterministic,
}

/// `[[seed]]`: a JSON array of entities.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Entity type (`customers`).
    pub entity: String,
    /// File relative to the twin directory.
    pub file: String,
    /// Field holding each entity's id.
    #[serde(default = "default_key")]
    pub key: String,
}

fn default_key() -> String {
    "id".into()
}

/// `[[routes]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// HTTP method.
    pub method: String,
    /// Path pattern, `:name` segments are parameters.
    pub path: String,
    /// Entity type the route works on.
    pub entity: Option<String>,
    /// State op: create, read, update, delete, list.
    pub op: Option<String>,
    /// Handler that wins over name matching.
    pub lua_hook: Option<String>,
    /// Static template response when no handler answers.
    pub template: Option<Template>,
}

/// A static response.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Status code.
    #[serde(default = "default_status")]
    pub status: u16,
    /// Body: JSON value (sent as JSON) or a string.
    #[serde(default)]
    pub body: Option<toml::Value>,
    /// Extra headers.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
}

fn default_status() -> u16 {
    200
}

impl Config {
    /// Read `wraith.toml` from `dir` (a missing file is the default configuration); the error
    /// names the file, line and column.
    pub fn load(dir: &Path) -> Result<Config, String> {
        let path = dir.join("wraith.toml");
        let text = match crate::load::read_file(&path) {
            Ok(t) => t,
            Err(crate::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default())
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let (l, c) = crate::files::line_col(&text, s.start as u32);
                    format!(":{l}:{c}")
                })
                .unwrap_or_default();
            format!("{}{at}: {}", path.display(), e.message())
        })
    }
}
