-- Unary minus of an optional number.
local function neg(n: number?): number
    return -n -- expect-error: E0000 the operand of unary `-` may be nil
end
print(neg(1))
