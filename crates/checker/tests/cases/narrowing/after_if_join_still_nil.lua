-- A branch that does not assign keeps the nil.
local function f(x: string?, y: boolean): integer
    if y then
        x = "default"
    end
    return #x -- expect-error: E0000 the operand of `#` may be nil
end
print(f(nil, true))
