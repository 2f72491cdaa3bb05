-- A float literal with an exact integer value converts (Lua 5.3), so it is accepted.
local function page(n: integer): integer
    return n
end
print(page(2.0), page(1e3))
