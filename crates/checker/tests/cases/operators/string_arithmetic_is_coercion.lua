-- Lua converts numeric strings in arithmetic: not reported.
local s = "10"
print(s + 1, s * 2)
