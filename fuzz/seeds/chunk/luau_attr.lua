@native function f() end
local x = if a then b else c
x += 1
continue
