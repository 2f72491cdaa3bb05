-- `if a or b then`: neither is known inside.
local function f(a: string?, b: string?): integer
    if a or b then
        return #a -- expect-error: E0000 the operand of `#` may be nil
    end
    return 0
end
print(f(nil, nil))
