-- nil fits an optional.
local function f(x: string?): string
    return x or ""
end
print(f(nil), f("a"), f())
