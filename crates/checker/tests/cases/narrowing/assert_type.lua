-- `assert(type(v) == "string")` narrows an any.
local function f(v: any): integer
    assert(type(v) == "string")
    return #v
end
print(f("a"))
