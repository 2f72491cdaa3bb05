-- The cross-entry example in one file gives the same errors.
type Point = {x: number, y: number}
local geo = {}
function geo.norm(p: Point): number
    return math.sqrt(p.x * p.x + p.y * p.y)
end
print(geo.norm("not a point")) -- expect-error: argument 1 (p) is string, not Point
print(geo.norm({ x = 1 })) -- expect-error: argument 1 (p): missing field `y` in Point
