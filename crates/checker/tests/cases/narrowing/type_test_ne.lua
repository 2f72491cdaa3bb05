-- `type(x) ~= "string"` narrows the else branch.
local function f(x: string | number): integer
    if type(x) ~= "string" then
        return 0
    end
    return #x
end
print(f(1))
