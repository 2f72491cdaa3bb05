//! Clocks for `time.after`, `time.timer`, `time.ticker` and `time.sleep` on the scheduler's
//! timers (the prelude's `after`, `clock`, `sleep`): a clock's channel receives the time at
//! each firing (buffer 1, ticks dropped while it is full, as Go's); `sleep` parks the calling
//! task instead of blocking its worker thread.

use mlua::{Function, Lua, Value};

use super::super::reg::{invalid, Reg};
use super::Duration;

fn kernel(lua: &Lua, name: &str) -> mlua::Result<Function> {
    lua.named_registry_value(&format!("wippy.k.{name}"))
        .map_err(|_| mlua::Error::runtime(format!("time.{name} needs the process scheduler")))
}

/// Add `after`, `timer`, `ticker` and `sleep` to the `time` table.
pub(super) fn register(r: &Reg) -> mlua::Result<()> {
    r.plain("after", 1, Some(1), |lua, d: Duration| {
        kernel(lua, "after")?.call::<Value>(d.0.max(0) as f64)
    })?;
    r.fallible("timer", 1, Some(1), |lua, d: Duration| {
        Ok(kernel(lua, "clock")?.call::<Value>((d.0.max(0) as f64, false))?)
    })?;
    r.fallible("ticker", 1, Some(1), |lua, d: Duration| {
        if d.0 <= 0 {
            return Err(invalid("time.ticker: the interval must be positive"));
        }
        Ok(kernel(lua, "clock")?.call::<Value>((d.0 as f64, true))?)
    })?;
    // A Lua function: a Rust one could not yield the task it blocks.
    let lua = r.table().weak_lua().try_upgrade();
    if let Some(lua) = lua {
        if let Ok(sleep) = kernel(&lua, "sleep") {
            r.table().set("sleep", sleep)?;
        }
    }
    Ok(())
}
