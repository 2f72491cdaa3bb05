-- The process-side half of the scheduler (trusted Luau, compiled once per worker state).
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
local PL -- payload userdata -> {format, data} (below)

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

local function state(ch, what)
	local s = CH[ch]
	if s == nil then
		error_(what .. ": expected a channel, got " .. type_(ch), 3)
	end
	return s
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

ChannelMeta = {
	__index = Channel,
	__newindex = function()
		error_("a channel has no fields to set", 2)
	end,
	__tostring = function(ch)
		local s = CH[ch]
		return "channel(" .. (s and s.cap or 0) .. ")"
	end,
	__metatable = "channel",
}
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

---------------------------------------------------------------------------------------------
-- Payloads and messages (runtime payload/spec.md, process/spec.md "Message")

PL = setmetatable_({}, { __mode = "k" })
local FORMAT = {
	JSON = "json/plain",
	YAML = "yaml/plain",
	STRING = "text/plain",
	GOLANG = "golang/any",
	LUA = "lua/any",
	BYTES = "application/octet-stream",
	MSGPACK = "application/msgpack",
	ERROR = "golang/error",
}

local is_error = H.is_error

local PayloadMeta -- set below

local function payload_new(format, data)
	local p = setmetatable_({}, PayloadMeta)
	PL[p] = { format = format, data = data }
	return p
end
K.payload_new = payload_new
K.payload_parts = function(p)
	local s = PL[p]
	if s then
		return s.format, s.data
	end
	return nil
end

local Payload = {}
local function pstate(p, what)
	local s = PL[p]
	if s == nil then
		error_("payload:" .. what .. ": expected a payload, got " .. type_(p), 3)
	end
	return s
end
function Payload.get_format(p)
	return pstate(p, "get_format").format
end
function Payload.data(p)
	local s = pstate(p, "data")
	if s.format == FORMAT.LUA or s.format == FORMAT.ERROR or s.format == FORMAT.GOLANG then
		return s.data
	end
	return H.decode(s.format, s.data)
end
Payload.unmarshal = Payload.data
function Payload.transcode(p, format)
	local s = pstate(p, "transcode")
	if type_(format) ~= "string" then
		return nil, H.error("Invalid", "payload:transcode: format must be a string")
	end
	if format == s.format then
		return p
	end
	local data, err = Payload.data(p)
	if err then
		return nil, err
	end
	if format == FORMAT.LUA then
		return payload_new(format, data)
	end
	local encoded, eerr = H.encode(format, data)
	if eerr then
		return nil, eerr
	end
	return payload_new(format, encoded)
end
PayloadMeta = {
	__index = Payload,
	__newindex = function()
		error_("a payload has no fields to set", 2)
	end,
	__tostring = function(p)
		local s = PL[p]
		return "payload{format=" .. (s and s.format or "?") .. "}"
	end,
	__metatable = "payload",
}
K.meta_payload = PayloadMeta

local function payload_of(v)
	if PL[v] then
		return v
	end
	return payload_new(is_error(v) and FORMAT.ERROR or FORMAT.LUA, v)
end

K.payload = {
	new = function(data)
		return payload_new(is_error(data) and FORMAT.ERROR or FORMAT.LUA, data)
	end,
	format = FORMAT,
}

local MSG = setmetatable_({}, { __mode = "k" })
local Message = {}
local function mstate(m, what)
	local s = MSG[m]
	if s == nil then
		error_("message:" .. what .. ": expected a message, got " .. type_(m), 3)
	end
	return s
end
function Message.topic(m)
	return mstate(m, "topic").topic
end
function Message.from(m)
	return mstate(m, "from").from
end
function Message.payload(m)
	local s = mstate(m, "payload")
	local p = s.payload
	if p == nil then
		p = payload_of(s.data)
		s.payload = p
	end
	return p
end
local MessageMeta = {
	__index = Message,
	__newindex = function()
		error_("a message has no fields to set", 2)
	end,
	__tostring = function(m)
		local s = MSG[m]
		return "message{topic=" .. (s and s.topic or "?") .. "}"
	end,
	__metatable = "message",
}
K.meta_message = MessageMeta

local function message(from, topic, data)
	local m = setmetatable_({}, MessageMeta)
	MSG[m] = { from = from, topic = topic, data = data }
	return m
end

-- The data of a payload value, or the value itself.
local function raw(v)
	local s = PL[v]
	if s then
		return (Payload.data(v))
	end
	return v
end

---------------------------------------------------------------------------------------------
-- The process mailbox: messages wait in order until a subscription takes them

local EVENT_KINDS = { CANCEL = "pid.cancel", EXIT = "pid.exit", LINK_DOWN = "pid.link.down" }

local Event = {}
function Event.payload(e)
	return { kind = e.kind, from = e.from, result = e.result, reason = e.reason, error = e.error }
end
local EventMeta = { __index = Event }

-- A process's state: `queue` of waiting messages; `subs` (topic -> subscription),
-- `patterns` (glob subscriptions) and `libs` (library results) are made when first needed.
function K.new_process(pid)
	return { pid = pid, queue = qnew(), trap = false }
end

-- The subscription a message goes to: its topic's listener (exact, then glob), else the inbox
-- for topics that do not start with "@".
local function route(P, topic)
	if topic == "@events" then
		return P.events
	end
	local subs = P.subs
	if subs then
		local sub = subs[topic]
		if sub then
			return sub
		end
		local patterns = P.patterns
		if patterns then
			for _, s in ipairs_(patterns) do
				if string.find(topic, s.pattern) then
					return s
				end
			end
		end
	end
	if string.sub(topic, 1, 1) ~= "@" then
		return P.inbox
	end
	return nil
end

-- What a subscription's receiver gets for a message.
local function shape(sub, from, topic, data)
	if sub.kind == "events" then
		return data
	elseif sub.kind == "inbox" or sub.message then
		return message(from, topic, data)
	end
	return raw(data)
end

-- Whether a receiver waits on `s` (waiters of selects that already fired are dropped).
local function waiting(s)
	local q = s.recvq
	while q.h <= q.t do
		local w = q[q.h]
		if not (w.sel and w.sel.done) then
			return true
		end
		qpop(q)
	end
	return false
end

-- Take the first queued message that routes to `sub`.
pull = function(sub)
	local P = sub.P
	local q = P.queue
	for i = q.h, q.t do
		local m = q[i]
		if m and route(P, m.topic) == sub then
			q[i] = false
			while q.h <= q.t and q[q.h] == false do
				q[q.h] = nil
				q.h = q.h + 1
			end
			return true, shape(sub, m.from, m.topic, m.data)
		end
	end
	return false
end

-- Offer every queued message to a subscription whose receiver waits (after routes changed).
local function flush(P)
	local q = P.queue
	for i = q.h, q.t do
		local m = q[i]
		if m then
			local sub = route(P, m.topic)
			if sub and waiting(CH[sub.ch]) then
				offer(CH[sub.ch], shape(sub, m.from, m.topic, m.data))
				q[i] = false
			end
		end
	end
	while q.h <= q.t and q[q.h] == false do
		q[q.h] = nil
		q.h = q.h + 1
	end
end

-- A message or event arrives (called by the worker, outside any task). A receiver waiting on
-- its subscription takes it at once: it pulled every earlier message for that subscription
-- before it began to wait, so order holds. Returns why the process must fail, if it must.
function K.deliver(P, from, topic, data)
	if topic == "@events" then
		setmetatable_(data, EventMeta)
		if data.kind == EVENT_KINDS.LINK_DOWN and not P.trap then
			return "linked process failed"
		end
	end
	local sub = route(P, topic)
	if sub then
		local s = CH[sub.ch]
		if waiting(s) then
			offer(s, shape(sub, from, topic, data))
			return nil
		end
	end
	qpush(P.queue, { from = from, topic = topic, data = data })
	return nil
end

local function subscribe(P, kind, topic, options)
	local ch = newchan(0)
	local sub = { ch = ch, kind = kind, topic = topic, P = P, message = options and options.message == true }
	CH[ch].sub = sub
	return sub
end

local proc = H.proc

K.process = {}
function K.process.inbox()
	local P = proc()
	if not P.inbox then
		P.inbox = subscribe(P, "inbox", "@inbox")
	end
	return P.inbox.ch
end
function K.process.events()
	local P = proc()
	if not P.events then
		P.events = subscribe(P, "events", "@events")
	end
	return P.events.ch
end
function K.process.listen(topic, options)
	if type_(topic) ~= "string" or topic == "" then
		return nil, H.error("Invalid", "topic cannot be empty")
	end
	if string.sub(topic, 1, 1) == "@" then
		return nil, H.error("Invalid", "cannot listen to @ topics")
	end
	if options ~= nil and type_(options) ~= "table" then
		return nil, H.error("Invalid", "listen options must be a table")
	end
	local P = proc()
	P.subs = P.subs or {}
	local existing = P.subs[topic]
	if existing then
		return existing.ch
	end
	local sub = subscribe(P, "topic", topic, options)
	if string.find(topic, "*", 1, true) then
		local pattern = "^" .. string.gsub(topic, "[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
		sub.pattern = pattern
		P.patterns = P.patterns or {}
		table.insert(P.patterns, sub)
	end
	P.subs[topic] = sub
	return sub.ch
end
function K.process.unlisten(listener)
	local s = CH[listener]
	if s == nil or s.sub == nil or s.sub.kind ~= "topic" then
		return false, H.error("Invalid", "process.unlisten: expected a channel from process.listen")
	end
	local P, sub = s.sub.P, s.sub
	if P.subs[sub.topic] == sub then
		P.subs[sub.topic] = nil
	end
	for i, p in ipairs_(P.patterns or {}) do
		if p == sub then
			table.remove(P.patterns, i)
			break
		end
	end
	close(s)
	s.sub = nil
	-- Messages for the topic now go to the inbox.
	flush(P)
	return true
end
function K.process.get_options()
	return { trap_links = proc().trap }
end
function K.process.set_options(opts)
	if type_(opts) ~= "table" then
		return false, H.error("Invalid", "options parameter must be a table")
	end
	local P = proc()
	for k, v in pairs_(opts) do
		if k == "trap_links" then
			if type_(v) ~= "boolean" then
				return false, H.error("Invalid", "trap_links must be a boolean")
			end
		else
			return false, H.error("Invalid", "option " .. tostring_(k) .. " is not supported")
		end
	end
	if opts.trap_links ~= nil then
		P.trap = opts.trap_links
	end
	return true, nil
end

---------------------------------------------------------------------------------------------
-- Calls that wait for a process's result: process.exec, funcs.call, funcs.async

local call_start = H.call_start

-- Run `entry` as a process and wait for `{value = …}` or `{error = …}`.
local function call(entry, host, context, ...)
	local ch = newchan(1)
	local pid, err = call_start(function(r)
		offer(CH[ch], r)
	end, entry, host, context, ...)
	if not pid then
		return nil, err
	end
	local r = Channel.receive(ch)
	if r.error ~= nil then
		return nil, r.error
	end
	return r.value
end

function K.process.exec(id, host, ...)
	if type_(id) ~= "string" or type_(host) ~= "string" then
		return nil, H.error("Invalid", "exec requires at least id and host arguments")
	end
	return call(id, host, nil, ...)
end

function K.wrap_upgrade(upgrade)
	return function(path, ...)
		local ok, err = upgrade(path, ...)
		if not ok then
			return nil, err
		end
		-- The worker starts the process again once this task parks.
		park()
	end
end

local FU = setmetatable_({}, { __mode = "k" })
local Future = {}
local function fstate(f, what)
	local s = FU[f]
	if s == nil then
		error_("future:" .. what .. ": expected a future", 3)
	end
	return s
end
function Future.response(f)
	return fstate(f, "response").ch
end
Future.channel = Future.response
function Future.is_complete(f)
	return fstate(f, "is_complete").done
end
function Future.is_canceled(f)
	return fstate(f, "is_canceled").canceled
end
function Future.result(f)
	local s = fstate(f, "result")
	if s.canceled then
		return nil, H.error("Canceled", "the call was canceled")
	end
	if not s.done then
		return nil, nil
	end
	if s.error ~= nil then
		return nil, s.error
	end
	return payload_of(s.value)
end
function Future.error(f)
	local s = fstate(f, "error")
	if s.done and s.error ~= nil then
		return s.error, true
	end
	return nil, false
end
function Future.cancel(f)
	local s = fstate(f, "cancel")
	if s.done then
		return false, H.error("Invalid", "the call has already completed")
	end
	s.canceled = true
	H.kill(s.pid)
	return true
end
K.meta_future = {
	__index = Future,
	__tostring = function()
		return "future"
	end,
}

local function async(entry, context, ...)
	local f = token("future")
	local s = { ch = newchan(1), done = false, canceled = false }
	local pid, err = call_start(function(r)
		s.done = true
		s.value, s.error = r.value, r.error
		-- The response channel gets the result as a payload, or the error itself.
		if r.error == nil then
			offer(CH[s.ch], payload_of(r.value))
		else
			offer(CH[s.ch], r.error)
		end
	end, entry, nil, context, ...)
	if not pid then
		return nil, err
	end
	s.pid = pid
	FU[f] = s
	return f
end

-- funcs (runtime funcs/spec.md): function entries called in processes of their own.
local EX = setmetatable_({}, { __mode = "k" })
local Executor = {}
local function executor(context)
	local e = token("executor")
	EX[e] = { context = context }
	return e
end
local function estate(e, what)
	local s = EX[e]
	if s == nil then
		error_("executor:" .. what .. ": expected an executor", 3)
	end
	return s
end
function Executor.with_context(e, values)
	local s = estate(e, "with_context")
	if type_(values) ~= "table" then
		error_("executor:with_context: expected a table", 2)
	end
	local merged = {}
	for k, v in pairs_(s.context or {}) do
		merged[k] = v
	end
	for k, v in pairs_(values) do
		merged[k] = v
	end
	return executor(merged)
end
function Executor.with_actor(e, _actor)
	return executor(estate(e, "with_actor").context)
end
function Executor.with_scope(e, _scope)
	return executor(estate(e, "with_scope").context)
end
function Executor.with_options(e, _options)
	return executor(estate(e, "with_options").context)
end
function Executor.call(e, name, ...)
	return call(name, nil, estate(e, "call").context, ...)
end
function Executor.async(e, name, ...)
	return async(name, estate(e, "async").context, ...)
end
K.meta_executor = {
	__index = Executor,
	__tostring = function()
		return "executor"
	end,
}

K.funcs = {
	new = function()
		return executor(nil)
	end,
	call = function(name, ...)
		return call(name, nil, nil, ...)
	end,
	async = function(name, ...)
		return async(name, nil, ...)
	end,
}

---------------------------------------------------------------------------------------------
-- Clocks: time.sleep, time.after, time.timer, time.ticker on scheduler timers

local now, schedule, unschedule = H.now, H.schedule, H.unschedule

function K.sleep(d)
	local ns = H.nanos(d)
	if ns <= 0 then
		return
	end
	local t = current()
	schedule(ns, function()
		wake(t)
	end)
	park()
end

-- A timer or ticker: its channel (buffer 1, as Go's) receives the time at each firing.
local TM = setmetatable_({}, { __mode = "k" })
local function arm(s)
	local id
	id = schedule(s.ns, function()
		if s.id ~= id then
			return
		end
		offer(CH[s.ch], now())
		if s.period then
			arm(s)
		else
			s.id = nil
		end
	end)
	s.id = id
end

function K.after(ns)
	local ch = newchan(1)
	schedule(ns, function()
		offer(CH[ch], now())
	end)
	return ch
end

function K.clock(ns, periodic)
	local h = token(periodic and "ticker" or "timer")
	local s = { ch = newchan(1), ns = ns, period = periodic }
	TM[h] = s
	arm(s)
	return h
end

local Clock = {}
local function cstate(h, what)
	local s = TM[h]
	if s == nil then
		error_(what .. ": expected a timer or ticker", 3)
	end
	return s
end
function Clock.stop(h)
	local s = cstate(h, "stop")
	local was = s.id ~= nil
	if s.id then
		unschedule(s.id)
		s.id = nil
	end
	return was
end
function Clock.reset(h, ns)
	local s = cstate(h, "reset")
	local was = s.id ~= nil
	if s.id then
		unschedule(s.id)
	end
	s.ns = H.nanos(ns)
	arm(s)
	return was
end
function Clock.channel(h)
	return cstate(h, "channel").ch
end
Clock.response = Clock.channel
K.meta_clock = { __index = Clock }

---------------------------------------------------------------------------------------------
-- require: built-in modules come from Rust; a library runs once per process, in that process's
-- globals (Wippy: one state per process), and its result is cached there

local LOADING, NIL = {}, {}
local import, lib_chunk = H.import, H.lib_chunk

local function load_lib(target)
	return lib_chunk(target)()
end

function K.make_require(id)
	return function(name)
		if type_(name) ~= "string" then
			error_("require: expected a module name, got " .. type_(name), 2)
		end
		local module, target = import(id, name)
		if target == nil then
			return module
		end
		local P = proc()
		local libs = P.libs
		if libs == nil then
			libs = {}
			P.libs = libs
		end
		local v = libs[target]
		if v == LOADING then
			error_('require("' .. name .. '"): circular import of ' .. target, 2)
		end
		if v ~= nil then
			if v == NIL then
				return nil
			end
			return v
		end
		libs[target] = LOADING
		local ok, r = pcall(load_lib, target)
		if not ok then
			libs[target] = nil
			error_(r, 0)
		end
		libs[target] = r == nil and NIL or r
		return r
	end
end

---------------------------------------------------------------------------------------------
-- Type values that are callable (wippy-facts §1.5): `string(x)`, `number(x)`, `integer(x)`,
-- `boolean(x)` validate and cast, `T:is(x)` validates; `string` is also the string library,
-- whose functions take error values as their message (as Wippy's do)

local raw_string = string

local function expected(name, v)
	return nil, "expected " .. name .. ", got " .. type_(v)
end

local function as_string(v)
	local t = type_(v)
	if t == "string" then
		return v
	elseif t == "number" or is_error(v) then
		return tostring_(v)
	end
	return expected("string", v)
end

local function as_number(v)
	if type_(v) == "number" then
		return v
	end
	local n = type_(v) == "string" and tonumber(v) or nil
	if n ~= nil then
		return n
	end
	return expected("number", v)
end

local function as_integer(v)
	local n = as_number(v)
	if n ~= nil and n == math.floor(n) and n > -math.huge and n < math.huge then
		return n
	end
	return expected("integer", v)
end

local function as_boolean(v)
	if type_(v) == "boolean" then
		return v
	end
	return expected("boolean", v)
end

local function type_value(name, cast, check, base)
	local t = base or {}
	t.is = function(_, v)
		if check(v) then
			return v, nil
		end
		return expected(name, v)
	end
	return setmetatable_(t, {
		__call = function(_, v)
			return cast(v)
		end,
		__tostring = function()
			return name
		end,
	})
end

local S = {}
for name, f in pairs_(raw_string) do
	S[name] = f
end
local function coerce(s)
	if type_(s) == "table" and is_error(s) then
		return tostring_(s)
	end
	return s
end
for _, name in ipairs_({ "byte", "find", "gmatch", "gsub", "len", "lower", "upper", "match", "rep", "reverse", "sub", "split" }) do
	local f = raw_string[name]
	if f then
		S[name] = function(s, ...)
			return f(coerce(s), ...)
		end
	end
end

-- Lua 5.3's `%s` takes any value through tostring (Luau's takes strings and numbers only).
local raw_format = raw_string.format
local function format(fmt, ...)
	local n = select_("#", ...)
	for i = 1, n do
		local t = type_((select_(i, ...)))
		if t ~= "string" and t ~= "number" then
			local args = pack(...)
			for j = 1, n do
				local a = args[j]
				local at = type_(a)
				if at ~= "string" and at ~= "number" then
					args[j] = tostring_(a)
				end
			end
			return raw_format(fmt, unpack(args, 1, n))
		end
	end
	return raw_format(fmt, ...)
end
S.format = format
-- Method calls on strings (`("%s"):format(x)`) use the same `format`.
local string_index = {}
for name, f in pairs_(raw_string) do
	string_index[name] = f
end
string_index.format = format
K.string_index = string_index

K.casts = {
	string = type_value("string", as_string, function(v)
		return type_(v) == "string"
	end, S),
	number = type_value("number", as_number, function(v)
		return type_(v) == "number"
	end),
	integer = type_value("integer", as_integer, function(v)
		return type_(v) == "number" and v == math.floor(v)
	end),
	boolean = type_value("boolean", as_boolean, function(v)
		return type_(v) == "boolean"
	end),
}

return K
