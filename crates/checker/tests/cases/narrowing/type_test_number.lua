-- `type(x) == "number"` on a union.
local function f(x: string | number): number
    if type(x) == "number" then
        return x + 1
    end
    return #x
end
print(f(1))
