-- The scheduler prelude, part 3 of 3 (see prelude.lua): calls that wait for a process's
-- result (process.exec, funcs), futures, clocks, `require`, and callable type values.

local H, K = ...
local I = K._
local CH, Channel, close, newchan, offer = I.CH, I.Channel, I.close, I.newchan, I.offer
local park, wake = I.park, I.wake
local is_error, payload_of, proc = I.is_error, I.payload_of, I.proc
local current, token = H.current, H.token
local pack, unpack, select_ = table.pack, table.unpack, select
local error_, ipairs_, pairs_, setmetatable_, tostring_, type_ = error, ipairs, pairs, setmetatable, tostring, type

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
local fstate = I.state_lookup(FU, "future:", "a future", false)
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
local estate = I.state_lookup(EX, "executor:", "an executor", false)
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
local cstate = I.state_lookup(TM, "", "a timer or ticker", false)
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
