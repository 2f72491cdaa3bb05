-- An operand that may be nil is part 2's nil safety, not an invalid operand.
local function f(n: integer?): integer
    return (n or 0) + 1
end
print(f(nil))
