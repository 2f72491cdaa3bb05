-- A value none of a union's members accepts.
type StringOrNumber = string | number
local a: StringOrNumber = "x"
local b: StringOrNumber = 3
local c: StringOrNumber = true -- expect-error: cannot assign boolean to `c`, declared StringOrNumber
print(a, b, c)
