-- `x == nil` / else.
local function f(x: string?): integer
    if x == nil then
        return 0
    else
        return #x
    end
end
print(f(nil))
