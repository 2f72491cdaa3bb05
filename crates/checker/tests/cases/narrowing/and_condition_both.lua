-- `if a and b then`: both narrowed inside.
local function f(a: string?, b: string?): integer
    if a and b then
        return #a + #b
    end
    return 0
end
print(f(nil, nil))
