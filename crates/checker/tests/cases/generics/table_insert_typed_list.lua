-- table.insert into a typed list checks the value.
type Point = {x: number, y: number}
local pts: {Point} = {}
table.insert(pts, { x = 1, y = 2 })
table.insert(pts, { x = 1 }) -- expect-error: missing field `y` in Point
table.insert(pts, 1, { x = 0, y = 0 })
print(#pts)
