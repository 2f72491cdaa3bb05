-- `if not a or not b then return end`: both narrowed after.
local function f(a: string?, b: string?): integer
    if not a or not b then
        return 0
    end
    return #a + #b
end
print(f(nil, nil))
