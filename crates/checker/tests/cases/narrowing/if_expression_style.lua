-- A narrowing also holds in the right operand of `and`.
local function f(x: {n: integer}?): integer
    return (x and x.n) or 0
end
print(f(nil))
