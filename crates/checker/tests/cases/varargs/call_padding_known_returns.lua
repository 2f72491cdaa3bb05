-- Targets past the values of a call of known arity are nil.
local function one(): integer
    return 1
end
local a, b = one()
print(a + 1)
print(b + 1) -- expect-error: E0019 cannot perform arithmetic on nil
