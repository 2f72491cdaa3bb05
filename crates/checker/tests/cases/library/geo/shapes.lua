-- A library using another library's type in its own signatures.
local geo = require("geo")

local shapes = {}

function shapes.distance(a: geo.Point, b: geo.Point): number
    return geo.norm({ x = a.x - b.x, y = a.y - b.y })
end

return shapes
