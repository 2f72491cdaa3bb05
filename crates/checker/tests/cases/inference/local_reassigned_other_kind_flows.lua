-- A local assigned values of different kinds holds, at each point, the kind it was last given.
local v = "a"
v = 1
local s: string = v -- expect-error: cannot assign integer to `s`, declared string
v = "b"
local t: string = v
print(s, t)
