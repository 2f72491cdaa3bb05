-- A library declaring a type and a function taking it.
type Point = {x: number, y: number}

local geo = {}

function geo.norm(p: Point): number
    return math.sqrt(p.x * p.x + p.y * p.y)
end

function geo.origin(): Point
    return { x = 0, y = 0 }
end

return geo
