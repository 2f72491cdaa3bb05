-- `first<T>(xs: {T}): T?` gives the element type of its argument.
local function first<T>(xs: {T}): T?
    return xs[1]
end
local s: string = first({ "a", "b" })
local n: integer = first({ 1, 2 })
local bad: string = first({ 1, 2 }) -- expect-error: cannot assign integer? to `bad`, declared string
print(s, n, bad)
