-- `type(x) == "nil"` and its negation.
local function f(x: string?): integer
    if type(x) == "nil" then
        return 0
    end
    return #x
end
print(f(nil))
