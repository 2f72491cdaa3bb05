-- table.remove returns the element type (or nil).
local stack: {string} = { "a" }
local top = table.remove(stack)
local n: integer = table.remove(stack) -- expect-error: cannot assign string? to `n`, declared integer
print(top, n)
