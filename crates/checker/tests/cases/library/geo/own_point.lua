-- An importer's own `Point` is another type: the library's signature still means its own.
type Point = {lat: number, lon: number}
local geo = require("geo")

local function main()
    local here: Point = { lat = 1, lon = 2 }
    print(geo.norm(here)) -- expect-error: argument 1 (p): missing field `x` in Point
    print(geo.norm({ x = 3, y = 4 }), here.lat)
end

return { main = main }
