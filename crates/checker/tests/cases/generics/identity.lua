-- `id<T>(x: T): T` returns what it is given.
local function id<T>(x: T): T
    return x
end
local s: string = id("x")
local n: integer = id("x") -- expect-error: cannot assign string to `n`, declared integer
print(s, n)
