-- Numbers concatenate (Lua converts them).
local n = 3
local x = 2.5
print("n=" .. n, x .. "", n .. x)
