-- An integer is a number.
local function half(x: number): number
    return x / 2
end
local n: integer = 4
print(half(n), half(3), half(2.5))
