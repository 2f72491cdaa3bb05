-- Assignments to an annotated local are checked like its initial value.
type Point = {x: number, y: number}
local p: Point = { x = 0, y = 0 }
p = { x = 1, y = 2 }
p = { x = 1 } -- expect-error: cannot assign to `p`: missing field `y` in Point
print(p)
