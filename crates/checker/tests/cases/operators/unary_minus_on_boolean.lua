-- Unary minus on a boolean.
local function neg(b: boolean): number
    return -b -- expect-error: cannot apply unary - to boolean
end
print(neg(true), -3)
