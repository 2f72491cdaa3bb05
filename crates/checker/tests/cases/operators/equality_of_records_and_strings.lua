-- A declared record never equals a string.
type Point = {x: number}
local function same(p: Point): boolean
    return p == "origin" -- expect-error: comparison of Point with string is always false
end
print(same({ x = 1 }))
