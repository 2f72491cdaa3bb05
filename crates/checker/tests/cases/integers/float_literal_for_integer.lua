-- A float literal with a fraction is not an integer.
local function page(n: integer): integer
    return n
end
print(page(1.5)) -- expect-error: argument 1 (n) is number, not integer
print(page(2))
