//! Clock channels for `time.after`, `time.timer` and `time.ticker`: a `receive()` blocks until
//! the next firing and returns `(Time, true)`, or `(nil, false)` once stopped or closed.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use mlua::{UserData, UserDataMethods, Value};

use super::super::reg::Reg;
use super::{now, Duration};

#[derive(Debug)]
struct Clock {
    /// When it fires next (`None`: stopped, or a one-shot that already fired).
    next: Option<Instant>,
    /// Interval for tickers.
    period: Option<std::time::Duration>,
    closed: bool,
}

/// The channel side of a clock.
#[derive(Clone, Debug)]
struct ClockChannel(Rc<RefCell<Clock>>);

/// A timer (`period: None`) or ticker.
#[derive(Clone, Debug)]
struct ClockHandle(ClockChannel);

fn std_duration(d: Duration) -> std::time::Duration {
    std::time::Duration::from_nanos(d.0.max(0) as u64)
}

impl UserData for ClockChannel {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("receive", |_, c, ()| {
            let fire = {
                let clock = c.0.borrow();
                if clock.closed {
                    None
                } else {
                    clock.next
                }
            };
            let Some(at) = fire else {
                return Ok((None, false));
            };
            let wait = at.saturating_duration_since(Instant::now());
            if !wait.is_zero() {
                std::thread::sleep(wait);
            }
            let mut clock = c.0.borrow_mut();
            clock.next = clock.period.map(|p| at + p);
            Ok((Some(now()), true))
        });
        m.add_method("send", |_, _, _v: Value| Ok(false));
        m.add_method("close", |_, c, ()| {
            c.0.borrow_mut().closed = true;
            Ok(())
        });
        for name in ["case_receive", "case_send"] {
            m.add_method(name, move |_, _, _v: Value| -> mlua::Result<()> {
                Err(mlua::Error::runtime(format!(
                    "{name}: channel.select needs a Wippy process; `wippy run` runs stateless function entries"
                )))
            });
        }
    }
}

impl UserData for ClockHandle {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("stop", |_, h, ()| {
            let mut clock = h.0 .0.borrow_mut();
            let was = clock.next.is_some();
            clock.next = None;
            Ok(was)
        });
        m.add_method("reset", |_, h, d: Duration| {
            let mut clock = h.0 .0.borrow_mut();
            let was = clock.next.is_some();
            clock.next = Some(Instant::now() + std_duration(d));
            if clock.period.is_some() {
                clock.period = Some(std_duration(d));
            }
            Ok(was)
        });
        m.add_method("response", |_, h, ()| Ok(h.0.clone()));
        m.add_method("channel", |_, h, ()| Ok(h.0.clone()));
    }
}

fn clock(d: Duration, periodic: bool) -> ClockChannel {
    let step = std_duration(d);
    ClockChannel(Rc::new(RefCell::new(Clock {
        next: Some(Instant::now() + step),
        period: periodic.then_some(step),
        closed: false,
    })))
}

/// Add `after`, `timer` and `ticker` to the `time` table.
pub(super) fn register(r: &Reg) -> mlua::Result<()> {
    r.plain("after", 1, Some(1), |_, d: Duration| Ok(clock(d, false)))?;
    r.fallible("timer", 1, Some(1), |_, d: Duration| {
        Ok(ClockHandle(clock(d, false)))
    })?;
    r.fallible("ticker", 1, Some(1), |_, d: Duration| {
        if d.0 <= 0 {
            return Err(super::super::reg::invalid(
                "time.ticker: the interval must be positive",
            ));
        }
        Ok(ClockHandle(clock(d, true)))
    })?;
    Ok(())
}
