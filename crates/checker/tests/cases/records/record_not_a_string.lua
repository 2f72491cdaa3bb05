-- A scalar where a record is expected.
type Point = {x: number, y: number}
local function norm(p: Point): number
    return math.sqrt(p.x * p.x + p.y * p.y)
end
print(norm("not a point")) -- expect-error: argument 1 (p) is string, not Point
