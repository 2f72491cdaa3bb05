-- An annotated local checks its initial literal.
type Point = {x: number, y: number}
local a: Point = { x = 1, y = 2 }
local b: Point = { x = 1 } -- expect-error: cannot assign to `b`: missing field `y` in Point
print(a, b)
