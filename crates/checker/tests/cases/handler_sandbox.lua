-- Wraith handlers see req, emit, state, clock and wraith, and not the unsafe globals.
local body = req.body or ""
local n = state.counter("seq")
emit.status(201)
emit.json({ n = n, at = clock.now(), len = #body })
os.time() --! S0001
debug.traceback() --! S0001
local g = getmetatable("") --! S0001
rawset({}, "a", 1) --! S0001
local r = require("x") --! S0001
print(g, r)
local total = 0
for _, x in ipairs({ 1, 2 }) do
    total += x
    if x > 5 then
        continue
    end
end
emit.header("x-total", tostring(total))
