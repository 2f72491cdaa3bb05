-- Arithmetic on a function value.
local function g(): integer
    return 1
end
print(g * 2) -- expect-error: cannot perform arithmetic on () -> integer, expected number
print(g() * 2)
