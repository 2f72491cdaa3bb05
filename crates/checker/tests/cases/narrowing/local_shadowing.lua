-- A shadowing local has its own type.
local function f(x: string?): integer
    if x then
        local x = 1
        return x + 1
    end
    return 0
end
print(f(nil))
