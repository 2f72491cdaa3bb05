-- Ordering an optional number.
local function big(n: integer?): boolean
    return n > 10 -- expect-error: E0000 left operand of `>` may be nil
end
print(big(1))
