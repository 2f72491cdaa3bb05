-- `alias.Type` names a library's type in annotations.
local geo = require("geo")

local function main()
    local a: geo.Point = { x = 1, y = 2 }
    local b: geo.Point = { x = 1 } -- expect-error: cannot assign to `b`: missing field `y` in Point
    print(a.x, b.y, a.z) -- expect-error: no field `z` in Point
end

return { main = main }
