-- Wraith handlers see req, emit, state, clock and wraith, and not the unsafe globals.
local body = req.body or ""
local n = state.counter("seq")
emit.status(201)
emit.json({ n = n, at = clock.now(), len = #body })
os.time() -- expect-error: S0001
debug.traceback() -- expect-error: S0001
local g = getmetatable("") -- expect-error: S0001
rawset({}, "a", 1) -- expect-error: S0001
local r = require("x") -- expect-error: S0001
print(g, r)
local same = rawequal(g, r) and rawlen({ 1 }) == 1 and unpack({ 1 }) == 1
local co = coroutine.create(function() end)
local loader = load("return 1") -- expect-error: S0001
local s2 = loadstring("return 1") -- expect-error: S0001
setmetatable({}, {}) -- expect-error: S0001
local v = rawget({}, "a") -- expect-error: S0001
io.write("x") -- expect-error: S0001
print(same, co, loader, s2, v, _G, _VERSION)
local total = 0
for _, x in ipairs({ 1, 2 }) do
    total += x
    if x > 5 then
        continue
    end
end
emit.header("x-total", tostring(total))
