-- `not not x`.
local function f(x: string?): integer
    if not not x then
        return #x
    end
    return 0
end
print(f(nil))
