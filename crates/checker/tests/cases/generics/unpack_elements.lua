-- table.unpack gives the element type.
local a, b = table.unpack({ "x", "y" })
local n: integer = table.unpack({ "x" }) -- expect-error: cannot assign string to `n`, declared integer
print(a, b, n)
