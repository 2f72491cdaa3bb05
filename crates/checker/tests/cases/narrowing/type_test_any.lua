-- `if type(v) == "string" then … end` on any.
local function f(v: any): integer
    if type(v) == "string" then
        return #v
    end
    return 0
end
print(f("a"))
