-- A wrong field type is reported at the field's value.
type Point = {x: number, y: number}
local p: Point = {
    x = 1,
    y = "two", -- expect-error: cannot assign to `p`: field `y` is string, not number
}
print(p.x)
