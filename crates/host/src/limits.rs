//! Per-invocation limits (the twin seed's defaults: 100 ms wall clock, 1 MB memory, 100,000
//! instructions), enforced from Luau's interrupt.
//!
//! Luau has no per-instruction hook (runtime-facts §1.3): its interrupt fires at safepoints,
//! i.e. calls, returns and loop back-edges. The instruction budget therefore counts those
//! ticks, which bounds every loop and every recursion (straight-line code between ticks is
//! bounded by the 2^23-instruction function limit and by the wall clock). The heap is checked
//! on every tick (when over the cap, a full collection runs first, so garbage a handler churns
//! through does not count) and the wall clock on every 16th. Between ticks, an allocator limit
//! bounds the heap at twice the per-invocation limit ([`Budget::run`]: the allocator refuses,
//! Luau raises its memory error, the wrapped `pcall` trips the limit); it is set only while the
//! handler's Lua code runs, because while it is set mlua runs its own API calls in protected
//! mode, which measured +6 µs an invocation for building the environment. The library
//! functions that can allocate much in one call (`string.rep`, `table.create`) check the size
//! first ([`Budget::reserve`]). A heap still over the cap when the handler returns trips the
//! limit too. Once a limit trips, every later tick raises again, so `pcall` cannot swallow it.

use std::cell::{Cell, RefCell};
use std::ffi::{c_int, CString};
use std::rc::Rc;
use std::time::{Duration, Instant};

use mlua::{ffi, Function, Lua, LuaString, Table, Value};

/// The limits of one invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock limit, milliseconds.
    pub timeout_ms: u64,
    /// Heap growth one invocation may cause, bytes.
    pub memory_bytes: usize,
    /// Budget of interrupt ticks (Luau's safepoints: calls, returns, loop back-edges), the
    /// measure Luau offers for "instructions".
    pub instructions: u64,
}

impl Default for Limits {
    /// The Wraith handler defaults (seed: 100 ms, 1 MB, 100,000 instructions).
    fn default() -> Self {
        Limits {
            timeout_ms: 100,
            memory_bytes: 1 << 20,
            instructions: 100_000,
        }
    }
}

/// Which limit tripped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tripped {
    /// Wall-clock time.
    Time,
    /// Heap growth.
    Memory,
    /// Interrupt ticks.
    Instructions,
}

/// The armed budget of the invocation running on this thread (one worker state per thread).
/// Read by the raw interrupt callback: mlua's `set_interrupt` measured ~25 ns a tick, a raw
/// callback well under 1 ns (runtime-facts §1.3), which is 13 µs on a JSON-decoding handler.
struct Armed {
    ticks_left: Cell<u64>,
    deadline: Cell<Option<Instant>>,
    heap_cap: Cell<usize>,
    /// The per-invocation memory limit, bytes.
    limit: Cell<usize>,
    /// Heap size after the last collection the interrupt ran in this invocation.
    last_collect: Cell<Option<usize>>,
    tripped: Cell<Option<Tripped>>,
    /// Messages by [`Tripped`], as C strings for `luaL_error`.
    messages: RefCell<[CString; 3]>,
    /// The scheduler task that may be preempted (null: none) and the ticks left of its slice.
    slice_thread: Cell<*mut ffi::lua_State>,
    slice_left: Cell<u64>,
    /// Whether the interrupt yielded the task to end its slice.
    preempted: Cell<bool>,
    /// Ticks between full checks (1: every tick, as the twin's handlers need).
    stride: Cell<u64>,
    /// Ticks the countdown started from at the last full check.
    counted: Cell<u64>,
    /// Full checks so far (the clock is read every 16th when the stride is 1).
    checks: Cell<u64>,
}

thread_local! {
    static ARMED: Armed = Armed {
        ticks_left: Cell::new(u64::MAX),
        deadline: Cell::new(None),
        heap_cap: Cell::new(usize::MAX),
        limit: Cell::new(0),
        last_collect: Cell::new(None),
        tripped: Cell::new(None),
        messages: RefCell::new([CString::default(), CString::default(), CString::default()]),
        slice_thread: Cell::new(std::ptr::null_mut()),
        slice_left: Cell::new(u64::MAX),
        preempted: Cell::new(false),
        stride: Cell::new(1),
        counted: Cell::new(1),
        checks: Cell::new(0),
    };
}

fn index(t: Tripped) -> usize {
    match t {
        Tripped::Time => 0,
        Tripped::Memory => 1,
        Tripped::Instructions => 2,
    }
}

/// Bytes in the Luau heap of `state`.
unsafe fn heap(state: *mut ffi::lua_State) -> usize {
    let kb = ffi::lua_gc(state, ffi::LUA_GCCOUNT, 0).max(0) as usize;
    let rest = ffi::lua_gc(state, ffi::LUA_GCCOUNTB, 0).max(0) as usize;
    kb * 1024 + rest
}

thread_local! {
    /// Ticks until the interrupt next checks the budget: the fast path of every tick only counts
    /// this down (a raw counter costs well under a nanosecond, runtime-facts §1.3).
    static COUNTDOWN: Cell<u64> = const { Cell::new(1) };
}

/// Luau's interrupt: count the tick; every `stride` ticks, check budget, heap, clock and the
/// slice; raise (again) once tripped.
unsafe extern "C-unwind" fn interrupt(state: *mut ffi::lua_State, gc: c_int) {
    if gc >= 0 {
        return; // GC safepoints: raising there is not allowed
    }
    let due = COUNTDOWN.with(|c| {
        let n = c.get();
        if n > 1 {
            c.set(n - 1);
            false
        } else {
            true
        }
    });
    if due {
        check(state);
    }
}

/// The full check behind [`interrupt`].
unsafe fn check(state: *mut ffi::lua_State) {
    let (message, preempt) = ARMED.with(|a| {
        let elapsed = a.counted.get();
        if a.tripped.get().is_none() {
            a.checks.set(a.checks.get().wrapping_add(1));
            let left = a.ticks_left.get();
            if left < elapsed.max(1) {
                a.tripped.set(Some(Tripped::Instructions));
            } else {
                a.ticks_left.set(left - elapsed);
                // Over the cap counting garbage: collect, and trip only if live data is. If the
                // heap has grown less than a quarter of the limit since the last collection,
                // live data is near the cap: trip rather than collect on every check.
                let now = heap(state);
                let clock_due = a.stride.get() > 1 || a.checks.get() % 16 == 0;
                if now > a.heap_cap.get() && {
                    let quarter = a.limit.get() / 4;
                    if a.last_collect
                        .get()
                        .is_some_and(|after| now < after + quarter)
                    {
                        true
                    } else {
                        ffi::lua_gc(state, ffi::LUA_GCCOLLECT, 0);
                        let after = heap(state);
                        a.last_collect.set(Some(after));
                        after > a.heap_cap.get()
                    }
                } {
                    a.tripped.set(Some(Tripped::Memory));
                } else if clock_due && a.deadline.get().is_some_and(|d| Instant::now() >= d) {
                    a.tripped.set(Some(Tripped::Time));
                }
            }
        }
        let tripped = a.tripped.get();
        // Once tripped, every tick raises again.
        let next = if tripped.is_some() { 1 } else { a.stride.get() };
        a.counted.set(next);
        COUNTDOWN.with(|c| c.set(next));
        // End the slice of a scheduler task that ran its quantum without blocking, where Luau
        // allows a yield (not inside a metamethod or a C call); the VM resumes it where it was.
        let mut preempt = false;
        if tripped.is_none() && a.slice_thread.get() == state {
            let left = a.slice_left.get().saturating_sub(elapsed);
            a.slice_left.set(left);
            if left == 0 && ffi::lua_isyieldable(state) != 0 {
                a.preempted.set(true);
                preempt = true;
            }
        }
        (
            tripped.map(|t| a.messages.borrow()[index(t)].as_ptr()),
            preempt,
        )
    });
    if let Some(m) = message {
        // The CString lives in the thread-local; nothing of this frame needs dropping.
        ffi::luaL_error(state, c"%s".as_ptr(), m);
    }
    if preempt {
        ffi::lua_yield(state, 0);
    }
}

/// What a scheduler task left of its budget when it stopped running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paused {
    /// Interrupt ticks left (`u64::MAX`-based when unlimited).
    pub ticks_left: u64,
    /// The limit that tripped, if one did.
    pub tripped: Option<Tripped>,
    /// Whether the task was preempted at the end of its slice.
    pub preempted: bool,
}

/// The limits of one worker state.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    /// The heap after the last full collection [`Budget::start`] ran (bytes).
    live: Cell<usize>,
}

impl Budget {
    /// Install the interrupt on `lua` (a worker's own state, used on this thread only) and
    /// return its budget, idle until [`Budget::start`].
    pub fn install(lua: &Lua, limits: &Limits) -> Rc<Budget> {
        let budget = Rc::new(Budget {
            limits: limits.clone(),
            live: Cell::new(0),
        });
        ARMED.with(|a| {
            *a.messages.borrow_mut() = [Tripped::Time, Tripped::Memory, Tripped::Instructions]
                .map(|t| CString::new(budget.describe(t)).unwrap_or_default());
        });
        // SAFETY: sets the state's interrupt callback; `interrupt` only reads this thread's
        // budget and raises through luaL_error, as Luau's own timeout examples do.
        unsafe {
            let _ = lua.exec_raw::<()>((), |state| {
                (*ffi::lua_callbacks(state)).interrupt = Some(interrupt);
            });
        }
        budget
    }

    /// The message for a tripped limit.
    pub fn describe(&self, t: Tripped) -> String {
        match t {
            Tripped::Time => format!(
                "exceeded the {} ms wall-clock limit",
                self.limits.timeout_ms
            ),
            Tripped::Memory => format!(
                "exceeded the {} byte memory limit",
                self.limits.memory_bytes
            ),
            Tripped::Instructions => format!(
                "exceeded the {} instruction budget (interrupt ticks)",
                self.limits.instructions
            ),
        }
    }

    /// Arm the budget for one invocation: ticks, deadline, and a heap cap above the current
    /// heap. Garbage earlier invocations left counts in the current heap, and collecting it
    /// during this one would widen the cap by as much, so once it amounts to a quarter of
    /// `memory_bytes` a full collection runs first (found by the `serve` soak test: a 2.5 MB
    /// concatenation under a 1 MiB limit sometimes answered 200).
    pub fn start(&self, lua: &Lua) {
        let mut used = lua.used_memory();
        if used > self.live.get().saturating_add(self.limits.memory_bytes / 4) {
            let _ = lua.gc_collect();
            used = lua.used_memory();
            self.live.set(used);
        }
        let cap = used + self.limits.memory_bytes;
        ARMED.with(|a| {
            a.tripped.set(None);
            a.ticks_left.set(self.limits.instructions);
            a.deadline.set(Some(
                Instant::now() + Duration::from_millis(self.limits.timeout_ms),
            ));
            a.heap_cap.set(cap);
            a.limit.set(self.limits.memory_bytes);
            a.last_collect.set(None);
            a.counted.set(a.stride.get());
            COUNTDOWN.with(|c| c.set(a.stride.get()));
        });
    }

    /// Check the budget only every `stride` ticks (the fast path of the other ticks only counts
    /// down): the instruction budget, the slice and the clock keep their meaning at that
    /// granularity, and the heap may pass its cap by what `stride` ticks allocate (the
    /// allocators that can take much in one call check first, see [`guard_allocators`]).
    pub fn set_stride(&self, stride: u64) {
        ARMED.with(|a| a.stride.set(stride.max(1)));
    }

    /// Arm for one resume of a scheduler task (a process's Luau thread): the ticks its process
    /// has left, the deadline it inherited, an absolute heap cap for the worker's state
    /// (`usize::MAX`: none), and preemption of `thread` after `quantum` ticks (the yield
    /// happens only while `thread` itself runs, not a coroutine inside it).
    pub fn resume(
        &self,
        ticks_left: u64,
        deadline: Option<Instant>,
        heap_cap: usize,
        thread: *mut ffi::lua_State,
        quantum: u64,
    ) {
        ARMED.with(|a| {
            a.tripped.set(None);
            a.ticks_left.set(ticks_left);
            a.deadline.set(deadline);
            a.heap_cap.set(heap_cap);
            a.limit.set(self.limits.memory_bytes);
            a.last_collect.set(None);
            a.slice_thread.set(thread);
            a.slice_left.set(quantum.max(1));
            a.preempted.set(false);
            a.counted.set(a.stride.get());
            COUNTDOWN.with(|c| c.set(a.stride.get()));
        });
    }

    /// Disarm after a resume: what the task left and whether a limit tripped or the slice
    /// ended. A memory error raised by the allocator counts as the memory limit.
    pub fn pause(&self, error: Option<&mlua::Error>) -> Paused {
        let (ticks_left, tripped, preempted) = ARMED.with(|a| {
            a.heap_cap.set(usize::MAX);
            a.deadline.set(None);
            a.slice_thread.set(std::ptr::null_mut());
            // Ticks counted down since the last full check.
            let stride = a.stride.get();
            let since = a
                .counted
                .get()
                .saturating_sub(COUNTDOWN.with(|c| c.replace(stride)));
            a.counted.set(stride);
            let left = a.ticks_left.replace(u64::MAX).saturating_sub(since);
            (left, a.tripped.take(), a.preempted.replace(false))
        });
        Paused {
            ticks_left,
            tripped: tripped.or_else(|| match error {
                Some(e) if is_memory_error(e) => Some(Tripped::Memory),
                _ => None,
            }),
            preempted,
        }
    }

    /// Before a library call allocates `bytes`: an error (and the memory limit tripped, sticky)
    /// if that would pass the heap cap.
    pub fn reserve(&self, lua: &Lua, bytes: usize) -> mlua::Result<()> {
        let over = ARMED.with(|a| {
            let over = lua.used_memory().saturating_add(bytes) > a.heap_cap.get();
            if over {
                a.tripped.set(Some(Tripped::Memory));
            }
            over
        });
        if over {
            return Err(mlua::Error::runtime(self.describe(Tripped::Memory)));
        }
        Ok(())
    }

    /// Bytes the running invocation may still add to the heap before the memory limit (0 once
    /// over it; unbounded while no invocation is armed), and never more than `memory_bytes`:
    /// the cap is the heap at the start plus the limit, so garbage collected during the
    /// invocation would otherwise widen it. Work done outside Lua on the invocation's behalf
    /// (a JSON conversion) is charged against this.
    pub fn remaining(&self, lua: &Lua) -> usize {
        let cap = ARMED.with(|a| a.heap_cap.get());
        if cap == usize::MAX {
            return usize::MAX;
        }
        cap.saturating_sub(lua.used_memory())
            .min(self.limits.memory_bytes)
    }

    /// The running invocation's wall-clock deadline (`None` while none is armed).
    pub fn deadline(&self) -> Option<Instant> {
        ARMED.with(|a| a.deadline.get())
    }

    /// Trip `t` for the running invocation, sticky like a limit the interrupt finds: for work
    /// charged to the invocation that ran out of it outside Lua (a JSON conversion).
    pub fn trip(&self, t: Tripped) {
        ARMED.with(|a| {
            if a.tripped.get().is_none() {
                a.tripped.set(Some(t));
            }
        });
    }

    /// Run the invocation's Lua code `f` with the allocator capped at the heap cap plus one more
    /// `memory_bytes`, so no single allocation between two interrupt ticks (`table.concat`, a
    /// chain of `..`, a library call) can pass it: the allocation fails with Luau's memory error.
    /// The slack lets the interrupt collect garbage first (Luau has no emergency collection).
    /// When `f` returns, a heap still over the cap after a full collection trips the memory
    /// limit too, so a handler that ends over its limit never answers. The cap is only in
    /// force inside `f` (mlua then protects its own API calls, which costs time), not while the
    /// environment is built.
    pub fn run<R>(&self, lua: &Lua, f: impl FnOnce() -> mlua::Result<R>) -> mlua::Result<R> {
        let cap = ARMED.with(|a| a.heap_cap.get());
        let hard = cap.saturating_add(self.limits.memory_bytes);
        let previous = lua.set_memory_limit(hard).unwrap_or(0);
        let out = f();
        let _ = lua.set_memory_limit(previous);
        if lua.used_memory() > cap {
            let _ = lua.gc_collect();
            if lua.used_memory() > cap {
                self.trip(Tripped::Memory);
            }
        }
        out
    }

    /// Disarm after an invocation; returns the limit that tripped, if one did. A memory error
    /// raised by the allocator counts as the memory limit.
    pub fn finish(&self, error: Option<&mlua::Error>) -> Option<Tripped> {
        let tripped = ARMED.with(|a| {
            a.counted.set(1);
            COUNTDOWN.with(|c| c.set(1));
            a.heap_cap.set(usize::MAX);
            a.deadline.set(None);
            a.ticks_left.set(u64::MAX);
            a.tripped.take()
        });
        tripped.or_else(|| match error {
            Some(e) if is_memory_error(e) => Some(Tripped::Memory),
            _ => None,
        })
    }
}

/// Wrap the library functions that can allocate a lot in one call so they check `budget`
/// first: `string.rep` (result size) and `table.create` (16 bytes a slot); and `pcall`/`xpcall`
/// so that Luau's memory error (an allocation [`Budget::run`]'s cap refused) trips the memory
/// limit, which then cannot be swallowed. Call before the base environment is built (it copies
/// `pcall`) and before `Lua::sandbox(true)` makes the library tables read-only.
pub fn guard_allocators(lua: &Lua, budget: &Rc<Budget>) -> mlua::Result<()> {
    let b = budget.clone();
    let trip = lua.create_function(move |_, ()| {
        b.trip(Tripped::Memory);
        Ok(())
    })?;
    let globals = lua.globals();
    let (pcall, xpcall): (Function, Function) = lua
        .load(
            "local pcall, xpcall, trip = ...\n\
             local MEM = 'not enough memory'\n\
             local function check(ok, ...)\n\
               if not ok and (...) == MEM then trip() end\n\
               return ok, ...\n\
             end\n\
             return function(f, ...) return check(pcall(f, ...)) end,\n\
               function(f, h, ...)\n\
                 return xpcall(f, function(e) if e == MEM then trip() end return h(e) end, ...)\n\
               end",
        )
        .set_name("=limits")
        .set_mode(mlua::chunk::ChunkMode::Text)
        .call((
            globals.get::<Function>("pcall")?,
            globals.get::<Function>("xpcall")?,
            trip,
        ))?;
    globals.set("pcall", pcall)?;
    globals.set("xpcall", xpcall)?;
    let string: Table = lua.globals().get("string")?;
    let rep: Function = string.get("rep")?;
    let b = budget.clone();
    string.set(
        "rep",
        lua.create_function(
            move |lua, (s, n, sep): (LuaString, f64, Option<LuaString>)| {
                let n = if n.is_finite() && n > 0.0 {
                    n as usize
                } else {
                    0
                };
                let each = s.as_bytes().len() + sep.as_ref().map_or(0, |p| p.as_bytes().len());
                b.reserve(lua, each.saturating_mul(n))?;
                rep.call::<LuaString>((s, n, sep))
            },
        )?,
    )?;
    let table: Table = lua.globals().get("table")?;
    if let Ok(create) = table.get::<Function>("create") {
        let b = budget.clone();
        table.set(
            "create",
            lua.create_function(move |lua, (n, v): (f64, Value)| {
                let n = if n.is_finite() && n > 0.0 {
                    n as usize
                } else {
                    0
                };
                b.reserve(lua, n.saturating_mul(16))?;
                create.call::<Table>((n, v))
            })?,
        )?;
    }
    Ok(())
}

fn is_memory_error(e: &mlua::Error) -> bool {
    match e {
        mlua::Error::MemoryError(_) => true,
        mlua::Error::CallbackError { cause, .. } => is_memory_error(cause),
        other => other.to_string().contains("not enough memory"),
    }
}
