-- Assigning after a check undoes the narrowing.
local function f(x: string?, y: string?): integer
    if x then
        x = y
        return #x -- expect-error: E0000 the operand of `#` may be nil
    end
    return 0
end
print(f(nil, nil))
