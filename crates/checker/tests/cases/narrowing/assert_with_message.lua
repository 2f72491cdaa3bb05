-- `assert(x, "msg")` narrows; `assert(a and b)` narrows both.
local function f(a: string?, b: string?): integer
    assert(a and b, "both are required")
    return #a + #b
end
print(f("a", "b"))
