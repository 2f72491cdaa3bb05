-- The process-side half of the scheduler (trusted Luau, compiled once per worker state), part 1
-- of 3: parking, channels, select, coroutines, task bodies. `mailbox.lua` (payloads, messages,
-- the mailbox, the Lua side of `process`) and `calls.lua` (calls, futures, `funcs`, clocks,
-- `require`, casts) extend the table this returns.
--
-- Rust (sched/worker.rs) owns tasks, timers and message routing; this chunk owns what lives in
-- one process: Go-style channels and `select` (runtime `engine/spec.md`), the message queue with
-- its subscriptions (inbox, events, `process.listen`; runtime `engine/process.go`
-- deliverMessage), payload and message objects, and the coroutine wrappers that let a blocking
-- operation inside a plain coroutine suspend the whole task.
--
-- A blocking operation parks the running task: it records a waiter, then yields MARK (a light
-- userdata only Rust and this chunk hold) up to the worker, which resumes the task once
-- `wake` made it ready. What the operation returns travels in `woken[task]`.

local H = ...
local MARK = H.MARK
local current, ready, token = H.current, H.ready, H.token
local raw_create, raw_resume, raw_yield = coroutine.create, coroutine.resume, coroutine.yield
local raw_status = coroutine.status
local pack, unpack, select_, type_, error_, tostring_ = table.pack, table.unpack, select, type, error, tostring
local setmetatable_, pairs_, ipairs_ = setmetatable, pairs, ipairs
local CLOSED = {} -- resume value: the channel a sender waited on was closed

local K = {} -- what Rust gets back

---------------------------------------------------------------------------------------------
-- Parking and waking

local woken = {} -- task id -> packed results of the operation that woke it

local function park()
	local t = current()
	raw_yield(MARK)
	local r = woken[t]
	woken[t] = nil
	if r == nil then
		return
	end
	return unpack(r, 1, r.n)
end

local function wake(t, ...)
	woken[t] = pack(...)
	ready(t)
end
K.wake = wake

---------------------------------------------------------------------------------------------
-- Queues: arrays with a moving head

local function qnew()
	return { h = 1, t = 0 }
end
local function qpush(q, v)
	local t = q.t + 1
	q.t = t
	q[t] = v
end
local function qpop(q)
	local h = q.h
	if h > q.t then
		return nil
	end
	local v = q[h]
	q[h] = nil
	q.h = h + 1
	return v
end
local function qlen(q)
	return q.t - q.h + 1
end

-- The first waiter still waiting (a select that already fired elsewhere is skipped).
local function popwaiter(q)
	while true do
		local w = qpop(q)
		if w == nil then
			return nil
		end
		if not (w.sel and w.sel.done) then
			return w
		end
	end
end

---------------------------------------------------------------------------------------------
-- Channels

local CH = setmetatable_({}, { __mode = "k" }) -- channel userdata -> state
K.channels = CH

-- The state lookup of one kind of scheduler object (channel, payload, message, future, …),
-- whose state lives in the weak table `reg`: `lookup(v, method)` returns v's state, or fails
-- at the method's caller with "<prefix><method>: expected <noun>[, got <type>]".
local function state_lookup(reg, prefix, noun, show_type)
	return function(v, what)
		local s = reg[v]
		if s == nil then
			error_(prefix .. what .. ": expected " .. noun .. (show_type and (", got " .. type_(v)) or ""), 3)
		end
		return s
	end
end

local state = state_lookup(CH, "", "a channel", true)

-- The protected metatable of one kind of scheduler object: methods from `methods`, field writes
-- refused, `tostring` by `show`, and `getmetatable` answering `kind`.
local function sealed_meta(methods, kind, show)
	return {
		__index = methods,
		__newindex = function()
			error_("a " .. kind .. " has no fields to set", 2)
		end,
		__tostring = show,
		__metatable = kind,
	}
end

-- Channels, payloads and messages are tables with a shared, protected metatable (cheaper to
-- make than userdata); their state lives in weak tables here.
local ChannelMeta -- set below

local function newchan(cap)
	local ch = setmetatable_({}, ChannelMeta)
	CH[ch] = { cap = cap or 0, buf = qnew(), recvq = qnew(), sendq = qnew(), closed = false }
	return ch
end
K.newchan = newchan

-- Finish a waiter: a select records which case fired; the task gets `...` from park().
local function complete(w, ...)
	local sel = w.sel
	if sel then
		sel.done = true
		sel.case = w.case
		sel.value, sel.ok = ...
		wake(w.t, true)
	else
		wake(w.t, ...)
	end
end

-- A value for a receiver from the process mailbox, for a subscription channel (forward decl).
local pull

-- Non-blocking receive: value, ok, true when it completed. (Queue operations are written out
-- here: this is the hottest path of the scheduler.)
local function tryrecv(s)
	local buf = s.buf
	local h = buf.h
	if h <= buf.t then
		local v = buf[h]
		buf[h] = nil
		buf.h = h + 1
		local sq = s.sendq
		if sq.h <= sq.t then
			local w = popwaiter(sq)
			if w then
				qpush(buf, w.value)
				complete(w, true)
			end
		end
		return v, true, true
	end
	local sq = s.sendq
	if sq.h <= sq.t then
		local w = popwaiter(sq)
		if w then
			complete(w, true)
			return w.value, true, true
		end
	end
	if s.sub then
		local found, v = pull(s.sub)
		if found then
			return v, true, true
		end
	end
	if s.closed then
		return nil, false, true
	end
	return nil, nil, false
end

-- Non-blocking send: true when it completed; raises on a closed channel.
local function trysend(s, v)
	if s.closed then
		error_("send on closed channel", 3)
	end
	local rq = s.recvq
	if rq.h <= rq.t then
		local w = popwaiter(rq)
		if w then
			complete(w, v, true)
			return true
		end
	end
	local buf = s.buf
	if buf.t - buf.h + 1 < s.cap then
		local t = buf.t + 1
		buf.t = t
		buf[t] = v
		return true
	end
	return false
end

-- Hand a value to a waiting receiver or the buffer, never blocking (timers, mailbox).
local function offer(s, v)
	if s.closed then
		return false
	end
	local w = popwaiter(s.recvq)
	if w then
		complete(w, v, true)
		return true
	end
	if qlen(s.buf) < s.cap then
		qpush(s.buf, v)
		return true
	end
	return false
end
K.offer = function(ch, v)
	return offer(CH[ch], v)
end

local function close(s)
	if s.closed then
		return
	end
	s.closed = true
	while true do
		local w = popwaiter(s.recvq)
		if not w then
			break
		end
		complete(w, nil, false)
	end
	while true do
		local w = popwaiter(s.sendq)
		if not w then
			break
		end
		complete(w, CLOSED)
	end
end

local Channel = {}

function Channel.send(ch, v)
	local s = state(ch, "send")
	if trysend(s, v) then
		return true
	end
	qpush(s.sendq, { t = current(), value = v })
	if park() == CLOSED then
		error_("send on closed channel", 2)
	end
	return true
end

function Channel.receive(ch)
	local s = state(ch, "receive")
	local v, ok, done = tryrecv(s)
	if done then
		return v, ok
	end
	qpush(s.recvq, { t = current() })
	return park()
end

function Channel.close(ch)
	close(state(ch, "close"))
end

function Channel.case_send(ch, v)
	state(ch, "case_send")
	return { ch = ch, send = true, value = v }
end

function Channel.case_receive(ch)
	state(ch, "case_receive")
	return { ch = ch }
end

ChannelMeta = sealed_meta(Channel, "channel", function(ch)
	local s = CH[ch]
	return "channel(" .. (s and s.cap or 0) .. ")"
end)
K.meta_channel = ChannelMeta

local rand = math.random

-- channel.select{cases…, default = true}: the first ready case, chosen at random among the
-- ready ones (runtime engine/spec.md: "Select fairly chooses between ready cases").
local function select(cases, default)
	if type_(cases) ~= "table" then
		error_("channel.select: expected a table of cases, got " .. type_(cases), 2)
	end
	local n = #cases
	if default == nil then
		default = cases.default
	end
	local list = {}
	for i = 1, n do
		local c = cases[i]
		-- Also the older form `{ch, "recv"}` / `{ch, "send", value}`.
		if type_(c) == "table" and c.ch == nil and CH[c[1]] ~= nil then
			c = { ch = c[1], send = c[2] == "send", value = c[3] }
		end
		if type_(c) ~= "table" or CH[c.ch] == nil then
			error_("channel.select: case " .. i .. " is not a case (use ch:case_send or ch:case_receive)", 2)
		end
		list[i] = c
	end
	-- Poll in random rotation.
	local start = n > 1 and rand(n) or 1
	for k = 0, n - 1 do
		local i = (start + k - 1) % n + 1
		local c = list[i]
		local s = CH[c.ch]
		if c.send then
			if trysend(s, c.value) then
				return { channel = c.ch, value = c.value, ok = true, index = i }
			end
		else
			local v, ok, done = tryrecv(s)
			if done then
				return { channel = c.ch, value = v, ok = ok, index = i }
			end
		end
	end
	if default then
		return { default = true, ok = true }
	end
	if n == 0 then
		error_("channel.select: no cases and no default", 2)
	end
	local t = current()
	local sel = { done = false }
	for i = 1, n do
		local c = list[i]
		local s = CH[c.ch]
		if c.send then
			qpush(s.sendq, { t = t, sel = sel, case = i, value = c.value })
		else
			qpush(s.recvq, { t = t, sel = sel, case = i })
		end
	end
	park()
	local i = sel.case
	local c = list[i]
	if c.send then
		if sel.value == CLOSED then
			error_("send on closed channel", 2)
		end
		return { channel = c.ch, value = c.value, ok = true, index = i }
	end
	return { channel = c.ch, value = sel.value, ok = sel.ok, index = i }
end

K.channel = {
	new = function(size)
		if size ~= nil and (type_(size) ~= "number" or size < 0) then
			error_("channel.new: size must be a non-negative number", 2)
		end
		return newchan(size and math.floor(size) or 0)
	end,
	select = select,
}

---------------------------------------------------------------------------------------------
-- Coroutines: plain coroutines pass a park up to the task and resume on wake

local function resume(co, ...)
	local r = pack(raw_resume(co, ...))
	while r[1] and r[2] == MARK and raw_status(co) == "suspended" do
		raw_yield(MARK)
		r = pack(raw_resume(co))
	end
	return unpack(r, 1, r.n)
end

local function wrap(f)
	local co = raw_create(f)
	return function(...)
		local r = pack(resume(co, ...))
		if not r[1] then
			error_(r[2], 2)
		end
		return unpack(r, 2, r.n)
	end
end

K.coroutine_overrides = {
	resume = resume,
	wrap = wrap,
	spawn = function(f, ...)
		if type_(f) ~= "function" then
			error_("coroutine.spawn: expected a function, got " .. type_(f), 2)
		end
		return H.spawn_task(f, ...)
	end,
}

---------------------------------------------------------------------------------------------
-- Task bodies: errors are caught here, so Rust sees (true, results…) or (false, error, trace)

local traceback = H.traceback
local function handler(e)
	return { e, traceback(nil, 2) }
end

local function finish(ok, ...)
	if ok then
		return true, ...
	end
	local e = ...
	return false, e[1], e[2]
end

function K.task(f, ...)
	return finish(xpcall(f, handler, ...))
end

local function entry_main(chunk, id, method, ...)
	local exports = chunk()
	local f
	if type_(exports) == "function" then
		f = exports
	elseif type_(exports) == "table" then
		f = exports[method]
		if type_(f) ~= "function" then
			error_("method `" .. tostring_(method) .. "` is not exported by the source of `" .. id .. "`", 0)
		end
	else
		error_("the source of `" .. id .. "` returns " .. type_(exports) .. ", not a table or a function", 0)
	end
	return f(...)
end

function K.main(chunk, id, method, ...)
	return finish(xpcall(entry_main, handler, chunk, id, method, ...))
end

-- What the other chunks of the scheduler (mailbox.lua, calls.lua) use from this one.
K._ = {
	CH = CH,
	Channel = Channel,
	close = close,
	newchan = newchan,
	offer = offer,
	park = park,
	wake = wake,
	qnew = qnew,
	qpush = qpush,
	qpop = qpop,
	state_lookup = state_lookup,
	sealed_meta = sealed_meta,
	set_pull = function(f)
		pull = f
	end,
}

return K
