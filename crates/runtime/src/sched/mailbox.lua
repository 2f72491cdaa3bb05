-- The scheduler prelude, part 2 of 3 (see prelude.lua): payloads and messages, the process
-- mailbox with its subscriptions, and the Lua side of `process`.

local H, K = ...
local I = K._
local CH, close, newchan, offer = I.CH, I.close, I.newchan, I.offer
local qnew, qpop, qpush = I.qnew, I.qpop, I.qpush
local error_, ipairs_, pairs_, setmetatable_, tostring_, type_ = error, ipairs, pairs, setmetatable, tostring, type
local PL

---------------------------------------------------------------------------------------------
-- Payloads and messages (runtime payload/spec.md, process/spec.md "Message")

PL = setmetatable_({}, { __mode = "k" }) -- payload -> {format, data}
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
local pstate = I.state_lookup(PL, "payload:", "a payload", true)
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
PayloadMeta = I.sealed_meta(Payload, "payload", function(p)
	local s = PL[p]
	return "payload{format=" .. (s and s.format or "?") .. "}"
end)
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
local mstate = I.state_lookup(MSG, "message:", "a message", true)
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
local MessageMeta = I.sealed_meta(Message, "message", function(m)
	local s = MSG[m]
	return "message{topic=" .. (s and s.topic or "?") .. "}"
end)
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
local function pull(sub)
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
I.set_pull(pull)

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

-- What calls.lua uses from this chunk.
I.is_error = is_error
I.message = message
I.payload_of = payload_of
I.proc = proc

return K
