-- `/` always gives a float in Lua 5.3: not an integer for string.rep.
local width = 10
local pad = string.rep(" ", width / 2) -- expect-error: argument 2 (n) is number, not integer
local ok = string.rep(" ", width // 2)
print(pad, ok)
