-- Modules listed in modules: are globals too (the runtime injects them); unknown names are not.
local n = json.encode({ a = 1 })
local t = time.now()
print(n, t:unix())
print(undefined_name) -- expect-error: E0001
string.format("%d", 1)
local s = ("x"):rep(3):upper()
print(s:len())
print(s:nope()) -- expect-error: E0004
type Point = {x: number, y: number}
local p, perr = Point:is({ x = 1, y = 2 })
print(p, perr)
local _ = _G.anything
