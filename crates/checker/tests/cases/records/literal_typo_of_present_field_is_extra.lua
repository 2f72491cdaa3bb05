-- A field close to one the literal already has is just an extra field.
type Point = {x: number, y: number}
local function norm(p: Point): number
    return p.x + p.y
end
print(norm({ x = 1, y = 2, z = 3 }))
