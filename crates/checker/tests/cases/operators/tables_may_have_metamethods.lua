-- Tables may define metamethods: operators on them are not reported.
local V = {}
V.__add = function(a, b)
    return a
end
local v = setmetatable({ x = 1 }, V)
local t = { x = 1 }
print(v + v, t .. "", t < t)
