-- The library's signature keeps its meaning in the importer: the same errors as in one file.
local geo = require("geo")

local function main()
    print(geo.norm("not a point")) -- expect-error: argument 1 (p) is string, not Point
    print(geo.norm({ x = 1 })) -- expect-error: argument 1 (p): missing field `y` in Point
    print(geo.norm({ x = 1, y = 2 }), geo.norm(geo.origin()))
end

return { main = main }
