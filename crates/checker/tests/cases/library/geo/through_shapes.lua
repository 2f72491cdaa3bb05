-- The importer of `shapes` sees `geo.Point` through it.
local shapes = require("shapes")

local function main()
    print(shapes.distance({ x = 0, y = 0 }, { x = 1, y = 1 }))
    print(shapes.distance({ x = 0, y = 0 }, { x = 1 })) -- expect-error: argument 2 (b): missing field `y` in Point
end

return { main = main }
